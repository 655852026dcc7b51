// Small string helpers for std::string_view code. Debian's Abseil has its own
// absl::string_view (not an alias of std::string_view), so std views pass through AbslView()
// before meeting an absl string function.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>

#include "absl/strings/string_view.h"

namespace fz {

inline absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

// Whole-string decimal integer: "42" yes; "", "4x", " 4", "99999999999999999999" no.
template <typename Int>
bool ParseDecimal(std::string_view text, Int* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

inline std::string_view StripSpaces(std::string_view s) {
  const std::string_view kSpace = " \t\r\n\f\v";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace fz
