#include "fz/ingest/byte_scan.h"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace fz::ingest::internal {
namespace {

// The plain definitions the vector code must match.
size_t NaiveLineEnd(std::string_view s, size_t* quotes) {
  size_t end = s.find('\n');
  if (end == std::string_view::npos) end = s.size();
  *quotes = 0;
  for (size_t i = 0; i < end; ++i) *quotes += s[i] == '"' ? 1 : 0;
  return end;
}

bool NaiveSplit(std::string_view s, std::vector<std::string_view>* fields) {
  fields->clear();
  if (s.find('"') != std::string_view::npos) return false;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ',') {
      fields->push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return true;
}

// Random text over a small alphabet so that every 16-byte block boundary sees commas, quotes
// and newlines at every position, including the last byte of a block and the scalar tail.
TEST(ByteScanTest, MatchesPlainLoopsOnRandomText) {
  std::mt19937 rng(7);
  const std::string alphabet = "a,,\"\n\xE4\xB8\x80x0";
  for (int round = 0; round < 20000; ++round) {
    size_t length = rng() % 70;
    std::string text;
    int density = static_cast<int>(rng() % 4);
    for (size_t i = 0; i < length; ++i) {
      text += rng() % 4 < static_cast<unsigned>(density) ? alphabet[rng() % alphabet.size()]
                                                         : static_cast<char>('a' + rng() % 26);
    }
    size_t want_quotes = 0;
    size_t got_quotes = 0;
    size_t want = NaiveLineEnd(text, &want_quotes);
    ASSERT_EQ(FindLineEnd(text.data(), text.size(), &got_quotes), want) << text;
    ASSERT_EQ(got_quotes, want_quotes) << text;
    std::vector<std::string_view> want_fields;
    std::vector<std::string_view> got_fields = {"stale"};
    bool want_ok = NaiveSplit(text, &want_fields);
    ASSERT_EQ(SplitUnquoted(text, &got_fields), want_ok) << text;
    if (want_ok) {
      ASSERT_EQ(got_fields, want_fields) << text;
    }
  }
}

TEST(ByteScanTest, EdgeCases) {
  size_t quotes = 9;
  EXPECT_EQ(FindLineEnd("", 0, &quotes), 0u);
  EXPECT_EQ(quotes, 0u);
  std::string block(16, 'x');
  EXPECT_EQ(FindLineEnd((block + "\"\n").data(), 18, &quotes), 17u);
  EXPECT_EQ(quotes, 1u);
  EXPECT_EQ(FindLineEnd((block + "\"\"\n\"").data(), 20, &quotes), 18u);
  EXPECT_EQ(quotes, 2u);
  std::vector<std::string_view> fields;
  ASSERT_TRUE(SplitUnquoted("", &fields));
  EXPECT_EQ(fields, std::vector<std::string_view>({""}));
  ASSERT_TRUE(SplitUnquoted(",", &fields));
  EXPECT_EQ(fields, std::vector<std::string_view>({"", ""}));
  const std::string trailing_comma = block + ",";  // the views point into it
  ASSERT_TRUE(SplitUnquoted(trailing_comma, &fields));
  EXPECT_EQ(fields, std::vector<std::string_view>({block, ""}));
  EXPECT_FALSE(SplitUnquoted(block + "\"", &fields));
  EXPECT_FALSE(SplitUnquoted("\"" + block, &fields));
}

}  // namespace
}  // namespace fz::ingest::internal
