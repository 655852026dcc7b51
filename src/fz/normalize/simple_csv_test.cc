#include "fz/normalize/simple_csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

using ::testing::ElementsAre;

TEST(SimpleCsvTest, SplitsQuotedAndPlainFields) {
  auto f = SplitCsvRecord(R"(640104,"兴庆区","a ""b"", c",,x)");
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre("640104", "兴庆区", "a \"b\", c", "", "x"));
}

TEST(SimpleCsvTest, TrailingCommaGivesEmptyField) {
  auto f = SplitCsvRecord("a,");
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre("a", ""));
}

TEST(SimpleCsvTest, RejectsBrokenQuotes) {
  EXPECT_FALSE(SplitCsvRecord("\"abc").ok());
  EXPECT_FALSE(SplitCsvRecord("\"abc\"x,1").ok());
}

TEST(SimpleCsvTest, ForEachRowSkipsHeaderAndBlankLinesAndNamesLine) {
  int rows = 0;
  Status s = ForEachCsvRow("h1,h2\r\n1,2\r\n\r\n3,\"4\n", "t.csv",
                           [&](size_t, const std::vector<std::string>&) {
                             ++rows;
                             return absl::OkStatus();
                           });
  EXPECT_EQ(rows, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "t.csv:4: unterminated quoted field");
}

}  // namespace
}  // namespace fz::normalize
