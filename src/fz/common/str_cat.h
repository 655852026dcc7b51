// StrCat / StrAppend over std::string_view.
//
// Debian 12's Abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW
// is 0), so absl::StrCat does not accept std::string_view. fanzha code uses std::string_view
// throughout and builds messages with these instead:
//
//   return absl::InvalidArgumentError(fz::StrCat("line ", line_no, ": bad code '", code, "'"));
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace fz {
namespace str_cat_internal {

inline void AppendPiece(std::string* out, std::string_view piece) { out->append(piece); }
inline void AppendPiece(std::string* out, const std::string& piece) { out->append(piece); }
// absl::Status::message() and other absl APIs hand out absl::string_view.
inline void AppendPiece(std::string* out, absl::string_view piece) {
  out->append(piece.data(), piece.size());
}
inline void AppendPiece(std::string* out, const char* piece) { out->append(piece); }
inline void AppendPiece(std::string* out, char c) { out->push_back(c); }
template <typename T>
requires(std::integral<T> && !std::same_as<T, char> &&
         !std::same_as<T, bool>) void AppendPiece(std::string* out, T value) {
  out->append(std::to_string(value));
}
inline void AppendPiece(std::string* out, double value) {
  std::string s = std::to_string(value);
  // std::to_string prints six decimals; drop trailing zeros for readable messages.
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  out->append(s);
}

}  // namespace str_cat_internal

template <typename... Pieces>
void StrAppend(std::string* out, const Pieces&... pieces) {
  (str_cat_internal::AppendPiece(out, pieces), ...);
}

template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  StrAppend(&out, pieces...);
  return out;
}

}  // namespace fz
