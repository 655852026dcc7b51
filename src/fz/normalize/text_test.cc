#include "fz/normalize/text.h"

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

}  // namespace
}  // namespace fz::normalize
