#include "fz/common/str_cat.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "absl/strings/string_view.h"

namespace fz {
namespace {

TEST(StrCatTest, JoinsEveryKindOfPiece) {
  const std::string owned = "owned";
  const std::string_view view = "view";
  const absl::string_view absl_view = "absl";
  EXPECT_EQ(StrCat("lit ", owned, ' ', view, " ", absl_view, " ", int64_t{-42}, " ", size_t{7}),
            "lit owned view absl -42 7");
  EXPECT_EQ(StrCat(0.5, " ", 2.0), "0.5 2");
}

TEST(StrCatTest, AppendsToTheEnd) {
  std::string out = "a";
  StrAppend(&out, "b", std::string_view("c"), 1);
  EXPECT_EQ(out, "abc1");
}

}  // namespace
}  // namespace fz
