// Fuzzes ExtractUrls on arbitrary bytes: every span must lie inside the text, in order, not
// overlap, and be non-empty; and the same as without its MayHoldUrl screen.
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

#include "fz/intel/text_patterns.h"

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "extract_urls_fuzz: invariant violated: %s\n", what);
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string_view> urls = fz::intel::ExtractUrls(text);
  const char* last_end = text.data();
  for (std::string_view u : urls) {
    Check(!u.empty(), "non-empty");
    Check(u.data() >= last_end, "in order, not overlapping");
    Check(u.data() + u.size() <= text.data() + text.size(), "inside the text");
    Check(u.find('.') != std::string_view::npos || u.find("://") != std::string_view::npos,
          "has a dot or a scheme");
    last_end = u.data() + u.size();
  }
  std::vector<std::string_view> unscreened;
  fz::intel::internal::ExtractUrlsUnscreened(text, &unscreened);
  Check(unscreened == urls, "the MayHoldUrl screen changes nothing");
  return 0;
}
