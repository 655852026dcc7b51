// Byte-level text clean-up shared by the normalizers: input arrives from carriers, banks and
// hand-typed forms with full-width digits (１３８), ideographic spaces and stray separators.
#pragma once

#include <string>
#include <string_view>

namespace fz::normalize {

// Maps full-width ASCII variants (U+FF01..U+FF5E) to ASCII and the ideographic space (U+3000)
// to ' '. Everything else is copied unchanged, including invalid UTF-8.
std::string FoldFullWidth(std::string_view text);

// FoldFullWidth, then drops ASCII whitespace and the separators people type inside numbers
// ('-', '.', '(', ')', '/'). Used for phone, ID and card numbers, never for free text.
std::string StripNumberSeparators(std::string_view text);

namespace internal {
std::string_view TrimAsciiEnds(std::string_view text);
}  // namespace internal

// Trims ASCII whitespace (' ', '\t', '\n', '\v', '\f', '\r') at both ends. Inline for the
// common case of nothing to trim: ingest trims several fields of every row.
inline std::string_view TrimAscii(std::string_view text) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  if (text.empty() || (!space(text.front()) && !space(text.back()))) return text;
  return internal::TrimAsciiEnds(text);
}

}  // namespace fz::normalize
