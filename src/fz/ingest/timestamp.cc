// ParseTimestamp (declared in event_reader.h): a hand-written ISO 8601 / epoch-ms parser.
// absl::ParseTime is flexible but slow (strptime-like, allocates); every event carries a
// timestamp, so the common shapes are parsed here with plain digit arithmetic.

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"
#include "fz/common/civil_days.h"
#include "fz/common/status.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/event_reader.h"

namespace fz::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[*pos], advancing *pos.
bool ReadDigits(std::string_view text, size_t* pos, int n, int* out) {
  if (*pos + n > text.size()) return false;
  int value = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  *pos += n;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

using ::fz::DaysFromCivil;

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Status Bad(std::string_view why) { return absl::InvalidArgumentError(std::string(why)); }

StatusOr<absl::Time> ParseEpochMillis(std::string_view text) {
  // 12 or 13 digits: 1973-03-03 .. 2286-11-20. Shorter numbers are almost always epoch
  // seconds from a misconfigured feed; reading them as milliseconds would put the event in
  // January 1970 and silently fall outside every window.
  if (text.size() < 12 || text.size() > 13) {
    return Bad(text.size() <= 10 ? "looks like epoch seconds; epoch milliseconds expected"
                                 : "epoch milliseconds must have 12 or 13 digits");
  }
  int64_t ms = 0;
  for (char c : text) {
    if (!IsDigit(c)) return Bad("is not ISO 8601 with offset or epoch milliseconds");
    ms = ms * 10 + (c - '0');
  }
  return absl::FromUnixMillis(ms);
}

// "Z", "+08:00", "+0800" or "+08" at text[pos..]; the rest of the text must be the offset.
bool ParseOffset(std::string_view text, size_t pos, int* offset_seconds) {
  if (pos >= text.size()) return false;
  char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    *offset_seconds = 0;
    return pos + 1 == text.size();
  }
  if (sign != '+' && sign != '-') return false;
  ++pos;
  int hours = 0;
  int minutes = 0;
  if (!ReadDigits(text, &pos, 2, &hours)) return false;
  if (pos < text.size()) {
    if (text[pos] == ':') ++pos;
    if (!ReadDigits(text, &pos, 2, &minutes)) return false;
  }
  if (pos != text.size() || hours > 23 || minutes > 59) return false;
  *offset_seconds = (hours * 3600 + minutes * 60) * (sign == '-' ? -1 : 1);
  return true;
}

StatusOr<absl::Time> ParseIso(std::string_view text) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return Bad("is not ISO 8601 with offset or epoch milliseconds");
  }
  if (pos >= text.size()) return Bad("has a date but no time and UTC offset");
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
    return Bad("needs 'T' between date and time");
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &second)) {
    return Bad("time must be HH:MM:SS");
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return Bad("is not a valid date and time");
  }
  int64_t nanos = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int digits = 0;
    for (; pos < text.size() && IsDigit(text[pos]); ++pos, ++digits) {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
    }
    if (digits == 0) return Bad("has an empty fraction of a second");
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  int offset_seconds = 0;
  if (pos == text.size()) return Bad("has no UTC offset (add Z or +08:00)");
  if (!ParseOffset(text, pos, &offset_seconds)) return Bad("has a malformed UTC offset");
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return absl::FromUnixSeconds(seconds - offset_seconds) + absl::Nanoseconds(nanos);
}

}  // namespace

StatusOr<absl::Time> ParseTimestamp(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return Bad("is empty");
  if (text.size() > 64) return Bad("is too long for a timestamp");
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && IsDigit(c);
  if (all_digits) return ParseEpochMillis(text);
  return ParseIso(text);
}

}  // namespace fz::ingest
