#include "fz/intel/text_patterns.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace fz::intel {
namespace {

using model::FraudType;

std::vector<TextPattern> Starter() {
  return {
      {"sms.safe_account", "安全账户", false, FraudType{8}, 2, "短信含“安全账户”话术"},
      {"sms.rebate", "刷单返利", false, FraudType{1}, 2, "短信含“刷单返利”"},
      {"sms.deposit", "保证金", false, FraudType{5}, 1, "短信含“保证金”"},
      {"sms.unfreeze", "解冻", false, FraudType{5}, 1, "短信含“解冻”"},
      {"sms.credit_repair", "征信(修复|洗白|消除)", true, FraudType{6}, 2, "短信含征信修复话术"},
      {"sms.earn", "日(赚|入)[0-9一二三四五六七八九十百千]+", true, FraudType{1}, 1, "日赚"},
      {"sms.app_download", "app", false, FraudType{0}, 0.5, "下载APP", true},
  };
}

std::vector<std::string> Hits(const TextPatterns& p, std::string_view text) {
  TextPatterns::Scratch scratch = p.NewScratch();
  std::vector<std::string> ids;
  p.Scan(text, scratch, [&](const TextPattern& hit) { ids.push_back(hit.id); });
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(TextPatternsTest, LiteralAndRegexHitsInChineseText) {
  StatusOr<TextPatterns> p = TextPatterns::Compile(Starter());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->patterns().size(), 7u);
  EXPECT_EQ(Hits(*p, "【公安】您的账户涉嫌洗钱，请将资金转入安全账户，安全账户由专人监管。"),
            std::vector<std::string>{"sms.safe_account"});
  EXPECT_EQ(Hits(*p, "兼职刷单返利，日赚300元，下载APP即可，需交保证金解冻"),
            (std::vector<std::string>{"sms.app_download", "sms.deposit", "sms.earn", "sms.rebate",
                                      "sms.unfreeze"}));
  EXPECT_EQ(Hits(*p, "专业征信修复，逾期记录一键消除"),
            std::vector<std::string>{"sms.credit_repair"});
  EXPECT_TRUE(Hits(*p, "今晚回家吃饭吗？记得带伞。").empty());
  EXPECT_TRUE(Hits(*p, "").empty());
}

TEST(TextPatternsTest, EachPatternReportedOncePerScanAndScratchIsReusable) {
  StatusOr<TextPatterns> p = TextPatterns::Compile(Starter());
  ASSERT_TRUE(p.ok());
  TextPatterns::Scratch scratch = p->NewScratch();
  for (int round = 0; round < 3; ++round) {
    int count = 0;
    p->Scan("解冻解冻解冻 解冻", scratch, [&](const TextPattern& hit) {
      EXPECT_EQ(hit.id, "sms.unfreeze");
      EXPECT_EQ(hit.reason_zh, "短信含“解冻”");
      ++count;
    });
    EXPECT_EQ(count, 1);
  }
  TextPatterns::Scratch moved = std::move(scratch);
  int count = 0;
  p->Scan("保证金", moved, [&](const TextPattern&) { ++count; });
  EXPECT_EQ(count, 1);
}

TEST(TextPatternsTest, BadPatternsAreErrorsNamingTheId) {
  std::vector<TextPattern> bad = Starter();
  bad.push_back({"sms.broken", "征信(修复", true, FraudType{6}, 1, "坏"});
  StatusOr<TextPatterns> p = TextPatterns::Compile(bad);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("'sms.broken'"), std::string::npos)
      << p.status();

  std::vector<TextPattern> dup = Starter();
  dup.push_back(dup[0]);
  p = TextPatterns::Compile(dup);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("duplicate"), std::string::npos);

  p = TextPatterns::Compile({{"sms.empty", "", false, FraudType{0}, 1, ""}});
  EXPECT_FALSE(p.ok());
  p = TextPatterns::Compile({{"sms.bad_utf8", "\xE5\xAE", false, FraudType{0}, 1, ""}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("sms.bad_utf8"), std::string::npos);
}

TEST(TextPatternsTest, LiteralsAreNotRegexes) {
  StatusOr<TextPatterns> p =
      TextPatterns::Compile({{"lit.dot", "a.b(c)*", false, FraudType{0}, 1, ""}});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Hits(*p, "xx a.b(c)* yy").size(), 1u);
  EXPECT_TRUE(Hits(*p, "axb(c)").empty());
  EXPECT_TRUE(Hits(*p, "a.bccc").empty());
}

TEST(TextPatternsTest, InvalidUtf8IsToleratedAndValidRunsStillMatch) {
  StatusOr<TextPatterns> p = TextPatterns::Compile(Starter());
  ASSERT_TRUE(p.ok());
  const std::string text = std::string("\xFF\xFE安全账户\xE5\x80") + "解冻" + "\xC0\xAF" +
                           "\xED\xA0\x80" + "保证" + "\xF4\x90\x80\x80" + "金";
  EXPECT_EQ(Hits(*p, text), (std::vector<std::string>{"sms.safe_account", "sms.unfreeze"}));
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  Hits(*p, all_bytes + all_bytes);
}

// Random mixes of keywords, valid CJK and ASCII, and invalid or truncated sequences: a keyword
// is found exactly when it lies inside a maximal valid UTF-8 run of the text.
TEST(TextPatternsTest, KeywordsFoundExactlyInsideValidRuns) {
  StatusOr<TextPatterns> p = TextPatterns::Compile(Starter());
  ASSERT_TRUE(p.ok());
  const std::vector<std::string> pieces = {
      "安全账户",
      "解冻",
      "保证金",
      "app",
      "安全",
      "账户",
      "解",
      "冻",
      "a",
      " ",
      "元",
      "\xE5\x80",
      "\xED\xA0\x80",
      "\xE0\x80\x80",
      "\xC0\xAF",
      "\xF4\x90\x80\x80",
      "\xFF",
      "\xF0\x9F\x98\x80",
      "\xC3\xA9",
      "\xEF\xBC\x8C",
      "\xE1\x80"};  // no lone continuation byte: it would complete "\xE5\x80"
  std::mt19937 rng(3);
  int hits = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    std::vector<std::string> parts;
    for (size_t k = rng() % 8; k > 0; --k) parts.push_back(pieces[rng() % pieces.size()]);
    for (const std::string& part : parts) text += part;
    // Reference: split at the pieces that are not valid on their own. Every piece is either
    // complete valid UTF-8 or invalid throughout (no piece completes another), so the valid
    // runs are the concatenations of consecutive valid pieces.
    std::vector<std::string> runs(1);
    for (const std::string& part : parts) {
      const bool ok = part.find_first_of("\x80\xA0\xAF\xFF") == std::string::npos ||
                      part == "安全账户" || part == "解冻" || part == "保证金" || part == "安全" ||
                      part == "账户" || part == "解" || part == "冻" || part == "元" ||
                      part == "\xF0\x9F\x98\x80" || part == "\xC3\xA9" || part == "\xEF\xBC\x8C";
      if (ok) {
        runs.back() += part;
      } else {
        runs.emplace_back();
      }
    }
    std::vector<std::string> want;
    for (const auto& [id, word] :
         std::vector<std::pair<std::string, std::string>>{{"sms.app_download", "app"},
                                                          {"sms.deposit", "保证金"},
                                                          {"sms.safe_account", "安全账户"},
                                                          {"sms.unfreeze", "解冻"}}) {
      for (const std::string& run : runs) {
        if (run.find(word) != std::string::npos) {
          want.push_back(id);
          break;
        }
      }
    }
    std::sort(want.begin(), want.end());
    ASSERT_EQ(Hits(*p, text), want) << n;
    hits += static_cast<int>(want.size());
  }
  EXPECT_GT(hits, 2000);
}

TEST(TextPatternsTest, EmptySetScansNothing) {
  StatusOr<TextPatterns> p = TextPatterns::Compile({});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(Hits(*p, "安全账户").empty());
  TextPatterns default_constructed;
  TextPatterns::Scratch s = default_constructed.NewScratch();
  default_constructed.Scan("x", s, [](const TextPattern&) { ADD_FAILURE(); });
}

TEST(TextPatternsTest, ScratchFromDefaultIsFixedUpOnFirstScan) {
  StatusOr<TextPatterns> p = TextPatterns::Compile(Starter());
  ASSERT_TRUE(p.ok());
  TextPatterns::Scratch empty;
  int count = 0;
  p->Scan("安全账户", empty, [&](const TextPattern&) { ++count; });
  EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace fz::intel
