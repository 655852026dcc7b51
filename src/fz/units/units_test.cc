#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fz/units/unit_tree.h"
#include "fz/units/units_file.h"
#include "fz/units/yinchuan_seed.h"
#include "gtest/gtest.h"

namespace fz::units {
namespace {

using model::UnitCode;
using model::UnitLevel;

TEST(YinchuanSeedTest, CityDistrictsAndOneStationPerTownship) {
  StatusOr<UnitTree> tree = YinchuanSeed();
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(tree->Root()->code, UnitCode("640100"));
  EXPECT_EQ(tree->Root()->name, "银川市公安局");
  EXPECT_EQ(tree->CountAtLevel(UnitLevel::kDistrict), 6u);
  EXPECT_EQ(tree->CountAtLevel(UnitLevel::kStation), 62u);
  EXPECT_EQ(tree->Find(UnitCode("640104"))->name, "兴庆区分局");
  EXPECT_EQ(tree->Find(UnitCode("640121"))->name, "永宁县公安局");
  EXPECT_EQ(tree->Find(UnitCode("640104001"))->name, "凤凰北街派出所");
  ASSERT_NE(tree->FindByDivision("640104100"), nullptr);
  EXPECT_EQ(tree->FindByDivision("640104100")->name, "掌政派出所");
  EXPECT_EQ(tree->FindByDivision("640104999"), nullptr);
}

TEST(YinchuanSeedTest, StationNames) {
  EXPECT_EQ(StationNameForTownship("凤凰北街街道"), "凤凰北街派出所");
  EXPECT_EQ(StationNameForTownship("通贵乡"), "通贵派出所");
  EXPECT_EQ(StationNameForTownship("黄羊滩农场"), "黄羊滩农场派出所");
  EXPECT_EQ(BureauNameForCounty("灵武市"), "灵武市公安局");
}

TEST(UnitTreeTest, SubtreeChecks) {
  StatusOr<UnitTree> tree = YinchuanSeed();
  ASSERT_TRUE(tree.ok());
  EXPECT_TRUE(tree->Contains(UnitCode("640100"), UnitCode("640104001")));
  EXPECT_TRUE(tree->Contains(UnitCode("640104"), UnitCode("640104001")));
  EXPECT_TRUE(tree->Contains(UnitCode("640104001"), UnitCode("640104001")));
  EXPECT_FALSE(tree->Contains(UnitCode("640105"), UnitCode("640104001")));
  EXPECT_FALSE(tree->Contains(UnitCode("640104001"), UnitCode("640104")));
  EXPECT_FALSE(tree->Contains(UnitCode("640100"), UnitCode("nope")));
  std::vector<const model::Unit*> path = tree->Path(UnitCode("640105001"));
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0]->code, UnitCode("640100"));
  EXPECT_EQ(path[2]->code, UnitCode("640105001"));
}

TEST(UnitsFileTest, RoundTripsTheSeed) {
  StatusOr<UnitTree> seed = YinchuanSeed();
  ASSERT_TRUE(seed.ok());
  std::string csv = UnitsToCsv(*seed);
  StatusOr<UnitTree> loaded = LoadUnitsCsv(csv, "seed.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(UnitsToCsv(*loaded), csv);
}

TEST(UnitsFileTest, ShippedFileEqualsTheBuiltInSeed) {
  const char* root = std::getenv("FZ_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "FZ_SOURCE_DIR is set by CTest";
  StatusOr<UnitTree> file = LoadUnitsFile(std::string(root) + "/data/units/yinchuan_units.csv");
  ASSERT_TRUE(file.ok()) << file.status();
  StatusOr<UnitTree> seed = YinchuanSeed();
  ASSERT_TRUE(seed.ok());
  EXPECT_EQ(UnitsToCsv(*file), UnitsToCsv(*seed));
}

TEST(UnitsFileTest, CommentsAndColumnOrderAndCommunities) {
  StatusOr<UnitTree> tree = LoadUnitsCsv(
      "# my city\nlevel,name,code,parent_code,extra\ncity,市局,C,,x\n"
      "district,分局,D,C,\nstation,所,S,D,\r\ncommunity,社区,G,S,\n",
      "u.csv");
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(tree->size(), 4u);
  EXPECT_TRUE(tree->Contains(UnitCode("C"), UnitCode("G")));
}

void ExpectError(std::string_view csv, std::string_view expected) {
  StatusOr<UnitTree> tree = LoadUnitsCsv(csv, "u.csv");
  ASSERT_FALSE(tree.ok()) << csv;
  EXPECT_NE(std::string(tree.status().message()).find(expected), std::string::npos)
      << tree.status().message() << "\nexpected: " << expected;
}

TEST(UnitsFileTest, ErrorsNameFileLineAndField) {
  const std::string h = "code,name,parent_code,level\n";
  ExpectError("code,name,level\nC,n,city\n", "u.csv:1: header lacks column 'parent_code'");
  ExpectError(h + "C,市局,,city\nS,所,X,station\n", "u.csv:3: parent_code: unit S names unknown");
  ExpectError(h + "C,市局,,city\nS,所,C,precinct\n", "u.csv:3: level: 'precinct'");
  ExpectError(h + "C,市局,,city\nC,again,C,station\n", "u.csv:3: code: duplicate");
  ExpectError(h + "S,所,,station\n", "u.csv:2: the first unit must be the city");
  ExpectError(h + "C,市局,,city\nS,所,C,station\nD,分局,S,district\n",
              "u.csv:4: level: district unit D cannot sit under station unit S");
  ExpectError(h + "C,,,city\n", "u.csv:2: name: must not be empty");
  ExpectError(h + "C,\"broken,,city\n", "u.csv:2: unterminated quoted field");
  ExpectError("code,name,parent_code,level,division_code\nC,市局,,city,999999\n",
              "u.csv:2: division_code: '999999'");
  ExpectError("", "u.csv: no units");
}

}  // namespace
}  // namespace fz::units
