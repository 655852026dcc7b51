#include "fz/normalize/divisions.h"

#include "gtest/gtest.h"

namespace fz::normalize {
namespace {

const DivisionTable& T() { return DivisionTable::Builtin(); }

TEST(DivisionTableTest, FindsYinchuanAtEveryLevel) {
  ASSERT_NE(T().Find("64"), nullptr);
  EXPECT_EQ(T().Find("640000")->name, "宁夏回族自治区");
  ASSERT_NE(T().Find("6401"), nullptr);
  EXPECT_EQ(T().Find("640100")->name, "银川市");
  EXPECT_EQ(T().Find("640104")->name, "兴庆区");
  EXPECT_EQ(T().Find("640104001")->name, "凤凰北街街道");
  EXPECT_EQ(T().Find("640104001")->level, DivisionLevel::kTownship);
  EXPECT_EQ(T().Find("999999"), nullptr);
  EXPECT_EQ(T().Find("64x100"), nullptr);
  EXPECT_EQ(T().Find(""), nullptr);
}

TEST(DivisionTableTest, YinchuanHasSixCountiesAndSixtyTwoTownships) {
  std::vector<const Division*> counties = T().Children("640100");
  ASSERT_EQ(counties.size(), 6u);
  EXPECT_EQ(counties.front()->name, "兴庆区");
  EXPECT_EQ(counties.back()->name, "灵武市");
  size_t townships = 0;
  for (const Division* county : counties) townships += T().Children(county->code).size();
  EXPECT_EQ(townships, 62u);
}

TEST(DivisionTableTest, FullNameSkipsPlaceholders) {
  EXPECT_EQ(T().FullName("640104"), "宁夏回族自治区银川市兴庆区");
  EXPECT_EQ(T().FullName("110101"), "北京市东城区");
  EXPECT_EQ(T().FullName("000000"), "");
}

TEST(DivisionTableTest, MapsGeocoderText) {
  struct Case {
    const char* text;
    const char* code;
  };
  for (const Case& c :
       {Case{"宁夏银川市", "640100"}, Case{"北京市", "110100"}, Case{"江苏省常州市", "320400"},
        Case{"广东省深圳市", "440300"}, Case{"贵州省贵阳市、遵义市、安顺市", "520100"},
        Case{"内蒙古呼和浩特市", "150100"}, Case{"湖北省仙桃市", "429004"},
        Case{"新疆乌鲁木齐市", "650100"}}) {
    const Division* d = T().CityFromGeocoderText(c.text);
    ASSERT_NE(d, nullptr) << c.text;
    EXPECT_EQ(d->code, c.code) << c.text;
  }
  EXPECT_EQ(T().CityFromGeocoderText("中国"), nullptr);
  EXPECT_EQ(T().CityFromGeocoderText("美国"), nullptr);
  EXPECT_EQ(T().CityFromGeocoderText(""), nullptr);
  EXPECT_EQ(T().CityFromGeocoderText("宁夏不存在市"), nullptr);
}

TEST(DivisionTableTest, CityOf) {
  EXPECT_EQ(T().CityOf("640104001")->code, "640100");
  EXPECT_EQ(T().CityOf("640100")->code, "640100");
  EXPECT_EQ(T().CityOf("640000"), nullptr);
}

TEST(DivisionTableTest, FromCsvRejectsOrphansWithLine) {
  StatusOr<DivisionTable> t = DivisionTable::FromCsv("code,name\n64,\"宁夏\"\n",
                                                     "code,name,provinceCode\n6401,x,65\n", "", "");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("cities.csv:2"), std::string_view::npos)
      << t.status().message();
}

TEST(DivisionTableTest, FromCsvRejectsDuplicates) {
  StatusOr<DivisionTable> t = DivisionTable::FromCsv("code,name\n64,a\n64,b\n", "", "", "");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("provinces.csv:3: duplicate"), std::string_view::npos);
}

}  // namespace
}  // namespace fz::normalize
