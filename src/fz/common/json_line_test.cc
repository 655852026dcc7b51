#include "fz/common/json_line.h"

#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"

namespace fz {
namespace {

TEST(JsonLineTest, TimesAmountsAndEscaping) {
  const int64_t t = BeijingMidnight(2026, 11, 23) + 9 * 3600 + 30 * 60;
  std::string s;
  AppendBeijingTime(&s, t);
  EXPECT_EQ(s, "2026-11-23T09:30:00+08:00");
  s.clear();
  AppendUtcTime(&s, t);
  EXPECT_EQ(s, "2026-11-23T01:30:00Z");
  EXPECT_EQ(BeijingDate(BeijingMidnight(2026, 1, 1)), "20260101");
  EXPECT_EQ(Yuan(199950), "1999.50");
  EXPECT_EQ(Yuan(5), "0.05");
  std::string line;
  JsonLine(&line).Str("text", "a\"b\\c\nd").Int("n", -4).EpochMs("ts", 2).Close();
  EXPECT_EQ(line, R"({"text":"a\"b\\c\nd","n":-4,"ts":2000})");
}

// Warnings files are written with AppendJsonEscaped and were written with nlohmann::json
// before: valid UTF-8 must come out byte for byte as nlohmann's dump writes it.
TEST(JsonLineTest, EscapingMatchesNlohmannOnValidUtf8) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"a",        "\"",
                                "\\",       "/",
                                "\n",       "\r",
                                "\t",       "\b",
                                "\f",       std::string(1, '\0'),
                                "\x01",     "\x1f",
                                "\x7f",     "涉诈",
                                "【银行】", "\xF0\x9F\x98\x80",
                                " ",        "{}"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += pieces[rng() % std::size(pieces)];
    std::string mine = "\"";
    AppendJsonEscaped(&mine, text);
    mine += '"';
    ASSERT_EQ(mine, nlohmann::json(text).dump()) << text;
  }
}

TEST(JsonLineTest, FindsInvalidUtf8) {
  EXPECT_TRUE(IsValidUtf8("plain 涉诈 \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xE6\xB6"));          // cut short
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

}  // namespace
}  // namespace fz
