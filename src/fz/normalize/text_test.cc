#include "fz/normalize/text.h"

#include <random>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

TEST(TextTest, FoldsFullWidthDigitsLettersAndSpace) {
  EXPECT_EQ(FoldFullWidth("１３８　９５１０ＡＢｃ＋"), "138 9510ABc+");
  EXPECT_EQ(FoldFullWidth("银川"), "银川");
  EXPECT_EQ(FoldFullWidth("\xEF\xBC"), "\xEF\xBC");  // truncated sequence copied as is
}

TEST(TextTest, StripsSeparators) {
  EXPECT_EQ(StripNumberSeparators(" +86 (138) 9510-1234 "), "+8613895101234");
  EXPECT_EQ(StripNumberSeparators("０９５１－５０１２３４５"), "09515012345");
  EXPECT_EQ(StripNumberSeparators(""), "");
}

TEST(TextTest, Trims) {
  EXPECT_EQ(TrimAscii("  a b\t\n"), "a b");
  EXPECT_EQ(TrimAscii("   "), "");
}

// TrimAscii's inline shortcut (nothing to trim at either end) against the plain definition:
// every byte value at either end, inside, and alone, plus random mixes of spaces and text.
TEST(TextTest, TrimShortcutMatchesTheDefinition) {
  auto reference = [](std::string_view text) {
    auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
  };
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    for (const std::string& text :
         {std::string(1, c), std::string(1, c) + "x", "x" + std::string(1, c),
          std::string(1, c) + "x" + std::string(1, c), "x" + std::string(1, c) + "x",
          std::string(2, c), " " + std::string(1, c), std::string(1, c) + "\t"}) {
      EXPECT_EQ(TrimAscii(text), reference(text)) << b;
      EXPECT_EQ(TrimAscii(text).data(), reference(text).data()) << b;
    }
  }
  std::mt19937 rng(1);
  const std::string alphabet =
      std::string(" \t\n\v\f\rab\x0e\x08\x1f\xe3\x80\x80\0", 15);  // NUL too
  for (int i = 0; i < 20000; ++i) {
    std::string text(rng() % 8, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    EXPECT_EQ(TrimAscii(text), reference(text));
    EXPECT_EQ(TrimAscii(text).data(), reference(text).data());
  }
}

}  // namespace
}  // namespace fz::normalize
