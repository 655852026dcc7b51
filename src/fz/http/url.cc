#include "fz/http/url.h"

#include "fz/common/str_cat.h"

namespace fz::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

StatusOr<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError(
            StrCat("invalid percent escape at offset ", i, " in '", in.substr(0, 200), "'"));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

StatusOr<std::multimap<std::string, std::string>> ParseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    FZ_ASSIGN_OR_RETURN(std::string key, PercentDecode(raw_key, true));
    FZ_ASSIGN_OR_RETURN(std::string value, PercentDecode(raw_value, true));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

StatusOr<DecodedTarget> DecodeTarget(std::string_view target) {
  target = target.substr(0, target.find('#'));
  size_t question = target.find('?');
  DecodedTarget out;
  FZ_ASSIGN_OR_RETURN(out.path, PercentDecode(target.substr(0, question), false));
  if (question != std::string_view::npos) {
    FZ_ASSIGN_OR_RETURN(out.query, ParseQuery(target.substr(question + 1)));
  }
  return out;
}

}  // namespace fz::http
