#include "fz/common/duration.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fz {
namespace {

using ::testing::HasSubstr;

TEST(ParseDurationTest, AcceptsEachUnitAndSums) {
  struct Case {
    const char* text;
    absl::Duration want;
  };
  const Case cases[] = {
      {"90s", absl::Seconds(90)},
      {"5m", absl::Minutes(5)},
      {"2h", absl::Hours(2)},
      {"48h", absl::Hours(48)},
      {"7d", absl::Hours(7 * 24)},
      {"250ms", absl::Milliseconds(250)},
      {"0s", absl::ZeroDuration()},
      {"1h30m", absl::Minutes(90)},
      {"1d2h3m4s5ms",
       absl::Hours(26) + absl::Minutes(3) + absl::Seconds(4) + absl::Milliseconds(5)},
  };
  for (const Case& c : cases) {
    const StatusOr<absl::Duration> got = ParseDuration(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status();
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ParseDurationTest, RejectsGarbage) {
  for (const char* text : {"", "5 parsecs", "-3m", "+3m", "1.5h", "30", "h", "5 m", " 5m", "5m ",
                           "5M", "5sec", "999999999999999d"}) {
    const StatusOr<absl::Duration> got = ParseDuration(text);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << "\"" << text << "\"";
  }
}

TEST(ParseDurationTest, ErrorQuotesTheTextAndSaysWhy) {
  const std::string message(ParseDuration("5 parsecs").status().message());
  EXPECT_THAT(message, HasSubstr("\"5 parsecs\""));
  EXPECT_THAT(message, HasSubstr("unknown unit \" parsecs\""));
  EXPECT_THAT(std::string(ParseDuration("").status().message()), HasSubstr("empty"));
  EXPECT_THAT(std::string(ParseDuration("30").status().message()), HasSubstr("missing unit"));
}

}  // namespace
}  // namespace fz
