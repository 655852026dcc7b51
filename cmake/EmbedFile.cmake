# Writes OUT, a C++ file defining `extern const std::string_view fz::embedded::VAR` with the
# bytes of IN. Run by fz_embed_file at build time.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
  "namespace fz::embedded {\nstatic const char k${VAR}Data[] = {${body} 0};\n"
  "extern const std::string_view ${VAR};\n"
  "const std::string_view ${VAR}(k${VAR}Data, ${size});\n}  // namespace fz::embedded\n")
