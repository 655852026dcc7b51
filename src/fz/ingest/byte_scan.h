// Byte searches of the CSV hot path, 16 bytes at a time with SSE2 (part of every x86-64 CPU, so
// no -m flags), a plain loop elsewhere. Internal to fz/ingest.
//
// Why not memchr: a CSV record is ~70 bytes with ~6 fields, so per-field memchr calls (and a
// separate pass for quotes) cost more in call overhead than in scanning; one pass that finds
// commas and quotes together does the record in 4-5 vector steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fz::ingest::internal {

// Set bits of a mask, by clearing the lowest one at a time: without -mpopcnt (not baseline
// x86-64) __builtin_popcount is a library call, and quote masks are almost always 0.
inline size_t CountBits(uint32_t mask) {
  size_t count = 0;
  for (; mask != 0; mask &= mask - 1) ++count;
  return count;
}

// The offset of the first '\n' in [p, p + n), or n; `*quotes` gets the number of '"' before it.
inline size_t FindLineEnd(const char* p, size_t n, size_t* quotes) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    auto nl = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
    auto q = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    if (nl != 0) {
      int at = __builtin_ctz(nl);
      *quotes = count + CountBits(q & ((1u << at) - 1));
      return i + static_cast<size_t>(at);
    }
    count += CountBits(q);
  }
  if (i < n && n >= 16) {
    // The tail: the last 16 bytes, overlapping what was scanned, whose bits are dropped.
    const uint32_t fresh = ~((1u << (16 - (n - i))) - 1);
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
    auto nl = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline))) & fresh;
    auto q = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))) & fresh;
    if (nl != 0) {
      int at = __builtin_ctz(nl);
      *quotes = count + CountBits(q & ((1u << at) - 1));
      return n - 16 + static_cast<size_t>(at);
    }
    *quotes = count + CountBits(q);
    return n;
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == '\n') break;
    count += p[i] == '"' ? 1 : 0;
  }
  *quotes = count;
  return i;
}

// Calls `on_field(std::string_view)` for each field of a record without quotes, in order, and
// returns true; returns false as soon as it meets a '"' (some fields may have been passed on
// by then): the caller takes the quoted path. The row reader sets each field straight into
// its record this way, with no vector of fields in between.
template <typename OnField>
inline bool ForEachUnquotedField(std::string_view record, OnField&& on_field) {
  const char* p = record.data();
  const size_t n = record.size();
  size_t start = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) != 0) return false;
    auto commas = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    while (commas != 0) {
      size_t at = i + static_cast<size_t>(__builtin_ctz(commas));
      on_field(std::string_view(p + start, at - start));
      start = at + 1;
      commas &= commas - 1;
    }
  }
  if (i < n && n >= 16) {
    // The tail: the last 16 bytes, overlapping what was scanned, whose bits are dropped.
    const uint32_t fresh = ~((1u << (16 - (n - i))) - 1);
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
    if ((_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) & fresh) != 0) return false;
    auto commas = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma))) & fresh;
    while (commas != 0) {
      size_t at = n - 16 + static_cast<size_t>(__builtin_ctz(commas));
      on_field(std::string_view(p + start, at - start));
      start = at + 1;
      commas &= commas - 1;
    }
    i = n;
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == '"') return false;
    if (p[i] == ',') {
      on_field(std::string_view(p + start, i - start));
      start = i + 1;
    }
  }
  on_field(std::string_view(p + start, n - start));
  return true;
}

// Splits a record without quotes at its commas into `fields` (cleared first). False, with
// `fields` unspecified, when the record holds a '"': the caller takes the quoted path.
inline bool SplitUnquoted(std::string_view record, std::vector<std::string_view>* fields) {
  fields->clear();
  return ForEachUnquotedField(record, [fields](std::string_view f) { fields->push_back(f); });
}

}  // namespace fz::ingest::internal
