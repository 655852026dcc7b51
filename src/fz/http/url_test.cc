#include "fz/http/url.h"

#include "gtest/gtest.h"

namespace fz::http {
namespace {

TEST(UrlTest, DecodesPathButKeepsPlus) {
  auto decoded = DecodeTarget("/api/%E5%8F%8D%E8%AF%88/a+b%20c");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->path, "/api/反诈/a+b c");
  EXPECT_TRUE(decoded->query.empty());
}

TEST(UrlTest, DecodesQueryWithPlusAsSpace) {
  auto decoded = DecodeTarget("/w?level=red&q=a+b%26c&level=orange&flag&=x#frag");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->path, "/w");
  EXPECT_EQ(decoded->query.count("level"), 2u);
  EXPECT_EQ(decoded->query.find("level")->second, "red");
  EXPECT_EQ(decoded->query.find("q")->second, "a b&c");
  EXPECT_EQ(decoded->query.find("flag")->second, "");
  EXPECT_EQ(decoded->query.find("")->second, "x");
}

TEST(UrlTest, RejectsInvalidEscapes) {
  for (std::string_view bad : {"/a%", "/a%2", "/a%zz", "/a?x=%G1", "/a?%", "/a?x=1%4"}) {
    auto decoded = DecodeTarget(bad);
    EXPECT_FALSE(decoded.ok()) << bad;
    if (!decoded.ok()) {
      EXPECT_NE(std::string(decoded.status().message()).find("invalid percent escape"),
                std::string::npos);
    }
  }
}

TEST(UrlTest, PercentDecodeKeepsBinary) {
  auto decoded = PercentDecode("%00%ff%41", false);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, std::string("\0\xff"
                                  "A",
                                  3));
}

}  // namespace
}  // namespace fz::http
