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

// `*out = value` on the event path. A recycled event's field usually held a value of the same
// length before (ids of one file, account numbers, cell ids, empty optional fields), and then
// this is one copy with no library call; std::string::assign checks capacity and aliasing
// first (~35 instructions a field). `value` never points into `*out` here.
inline void AssignText(std::string_view value, std::string* out) {
  if (value.size() == out->size()) {
    if (!value.empty()) std::memcpy(out->data(), value.data(), value.size());
    return;
  }
  out->assign(value);
}

// "missing_field: <field> is required".
Status Missing(Field field);

// `value` cut to at most `max` bytes without splitting a UTF-8 sequence ("..." appended).
std::string TruncateUtf8(std::string_view value, size_t max);

}  // namespace fz::ingest::internal
