#include "fz/common/json_line.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

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

// The definition IsValidUtf8's fast paths must agree with: a plain decoder that rejects
// truncation, stray continuation bytes, overlong forms, surrogates and code points past
// U+10FFFF.
bool ReferenceUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC0 && b < 0xE0) {
      n = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b < 0xF0) {
      n = 2;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b < 0xF8) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // cut short
    for (size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const uint32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

TEST(JsonLineTest, Utf8FastPathsAgreeWithTheDefinition) {
  // Bytes around every boundary the checks care about, ASCII runs and whole Chinese
  // characters, so that both fast paths and the general path run, on valid and invalid text.
  const std::vector<std::string> pieces = {"a",
                                           "plain ascii run",
                                           "\x7F",
                                           "\x80",
                                           "\xBF",
                                           "\xC0",
                                           "\xC2",
                                           "\xDF",
                                           "\xE0",
                                           "\xE1",
                                           "\xEC",
                                           "\xED",
                                           "\xEE",
                                           "\xEF",
                                           "\xF0",
                                           "\xF4",
                                           "\xF5",
                                           "\xFF",
                                           "\xA0",
                                           "\x9F",
                                           "涉诈",
                                           "银行账户",
                                           "\xF0\x9F\x98\x80",
                                           "\xE0\xA0\x80",
                                           "\xED\x9F\xBF"};
  std::mt19937 rng(3);
  int valid = 0;
  for (int round = 0; round < 300000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    const bool want = ReferenceUtf8(text);
    ASSERT_EQ(IsValidUtf8(text), want) << ::testing::PrintToString(text);
    valid += want ? 1 : 0;
  }
  EXPECT_GT(valid, 20000);
  EXPECT_LT(valid, 290000);
}

}  // namespace
}  // namespace fz
