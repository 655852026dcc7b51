// Small helpers shared by the event field converters (event_fields.cc, field_values.cc).
// Internal to fz/ingest.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include "fz/common/status.h"
#include "fz/ingest/event_fields.h"

namespace fz::ingest::internal {

// Values echoed in quarantine reasons are cut to this many bytes (at a UTF-8 boundary).
inline constexpr size_t kMaxEchoedValue = 64;

// "<code>: <field> '<value>' <why>", as an InvalidArgument status.
Status Reject(std::string_view code, Field field, std::string_view value, std::string_view why);
// The same, with the message of a normalizer's error as `why`.
Status Reject(std::string_view code, Field field, std::string_view value, const Status& why);

// Copies `n` bytes (kPiece <= n <= 2 * kPiece) as the first and the last kPiece bytes.
template <size_t kPiece>
inline void CopyEnds(const char* from, size_t n, char* to) {
  char head[kPiece];
  char tail[kPiece];
  std::memcpy(head, from, kPiece);
  std::memcpy(tail, from + n - kPiece, kPiece);
  std::memcpy(to, head, kPiece);
  std::memcpy(to + n - kPiece, tail, kPiece);
}

// `*out = value` on the event path. A recycled event's field usually held a value of the same
// length before (ids of one file, account numbers, cell ids, empty optional fields), and then
// this is one copy with no library call; std::string::assign checks capacity and aliasing
// first (~35 instructions a field). `value` never points into `*out` here.
inline void AssignText(std::string_view value, std::string* out) {
  const size_t n = value.size();
  if (n == out->size()) {
    char* to = out->data();
    const char* from = value.data();
    // Ids, cell ids and account numbers have 8 to 32 bytes: two overlapping copies of 8 or
    // 16 bytes inline, where memcpy would be a call and a dispatch on the size.
    if (n >= 8 && n <= 32) {
      if (n <= 16) {
        CopyEnds<8>(from, n, to);
      } else {
        CopyEnds<16>(from, n, to);
      }
    } else if (n != 0) {
      std::memcpy(to, from, n);
    }
    return;
  }
  // Not assign: _M_replace checks for overlap and moves the tail; append into a cleared
  // string is a capacity test and a copy.
  out->clear();
  out->append(value);
}

// "missing_field: <field> is required".
Status Missing(Field field);

// `value` cut to at most `max` bytes without splitting a UTF-8 sequence ("..." appended).
std::string TruncateUtf8(std::string_view value, size_t max);

}  // namespace fz::ingest::internal
