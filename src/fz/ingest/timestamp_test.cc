#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fz/ingest/event_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::ingest {
namespace {

using ::testing::HasSubstr;

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

TEST(ParseTimestampTest, OffsetZuluAndEpochMillisAgree) {
  absl::Time expected = Utc(2026, 11, 26, 1, 30, 0);
  EXPECT_EQ(*ParseTimestamp("2026-11-26T09:30:00+08:00"), expected);
  EXPECT_EQ(*ParseTimestamp("2026-11-26T09:30:00+0800"), expected);
  EXPECT_EQ(*ParseTimestamp("2026-11-26T09:30:00+08"), expected);
  EXPECT_EQ(*ParseTimestamp("2026-11-26T01:30:00Z"), expected);
  EXPECT_EQ(*ParseTimestamp("2026-11-26 01:30:00z"), expected);
  EXPECT_EQ(*ParseTimestamp("2026-11-25T20:30:00-05:00"), expected);
  EXPECT_EQ(*ParseTimestamp(" 2026-11-26T01:30:00Z "), expected);
  EXPECT_EQ(*ParseTimestamp(std::to_string(absl::ToUnixMillis(expected))), expected);
}

TEST(ParseTimestampTest, FractionalSeconds) {
  absl::Time base = Utc(2026, 11, 26, 1, 30, 0);
  EXPECT_EQ(*ParseTimestamp("2026-11-26T01:30:00.5Z"), base + absl::Milliseconds(500));
  EXPECT_EQ(*ParseTimestamp("2026-11-26T09:30:00.123456+08:00"), base + absl::Microseconds(123456));
  EXPECT_EQ(*ParseTimestamp("2026-11-26T01:30:00.000000001Z"), base + absl::Nanoseconds(1));
  // Digits beyond nanoseconds are dropped, not rounded.
  EXPECT_EQ(*ParseTimestamp("2026-11-26T01:30:00.1234567899Z"),
            base + absl::Nanoseconds(123456789));
}

TEST(ParseTimestampTest, CalendarEdges) {
  EXPECT_EQ(*ParseTimestamp("2028-02-29T00:00:00Z"), Utc(2028, 2, 29, 0, 0, 0));
  EXPECT_EQ(*ParseTimestamp("2000-02-29T00:00:00Z"), Utc(2000, 2, 29, 0, 0, 0));
  EXPECT_EQ(*ParseTimestamp("1969-12-31T23:59:59Z"), Utc(1969, 12, 31, 23, 59, 59));
  EXPECT_EQ(*ParseTimestamp("2027-01-01T07:59:59+08:00"), Utc(2026, 12, 31, 23, 59, 59));
  EXPECT_FALSE(ParseTimestamp("2026-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("1900-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("2026-04-31T00:00:00Z").ok());
}

TEST(ParseTimestampTest, RejectsWithReason) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"2026-11-26T09:30:00", "no UTC offset"},
      {"2026-11-26", "no time"},
      {"2026-11-26T9:30:00Z", "HH:MM:SS"},
      {"2026-11-26T24:00:00Z", "not a valid date"},
      {"2026-13-01T00:00:00Z", "not a valid date"},
      {"2026-11-26T09:30:00+8", "malformed UTC offset"},
      {"2026-11-26T09:30:00+08:00junk", "malformed UTC offset"},
      {"2026-11-26T09:30:00.Z", "empty fraction"},
      {"1795656600", "epoch seconds"},
      {"17956566000000000", "12 or 13 digits"},
      {"26/11/2026 09:30", "not ISO 8601"},
      {"now", "not ISO 8601"},
      {"-1795656600000", "not ISO 8601"},
      {"2026-11-26X09:30:00Z", "'T'"},
  };
  for (const Case& c : cases) {
    StatusOr<absl::Time> t = ParseTimestamp(c.text);
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_THAT(std::string(t.status().message()), HasSubstr(c.why)) << c.text;
  }
  EXPECT_FALSE(ParseTimestamp(std::string(100, '1')).ok());
}

}  // namespace
}  // namespace fz::ingest
