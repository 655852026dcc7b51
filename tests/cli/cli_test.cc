// Runs the real `fanzha` binary the way a user does and checks its output and exit codes.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/run_command.h"

namespace fz::testing {
namespace {

using nlohmann::json;

json InspectOk(const std::vector<std::string>& args) {
  CommandResult r = RunFanzha(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::string SourceDir() {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  return dir == nullptr ? "." : dir;
}

size_t CountLines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

TEST(CliInspectTest, LandlineNamesYinchuanAndItsCode) {
  json j = InspectOk({"inspect", "phone", "0951-5012345"});
  EXPECT_EQ(j["canonical"], "+869515012345");
  EXPECT_EQ(j["area_name"], "宁夏银川市");
  EXPECT_EQ(j["city_code"], "640100");
  EXPECT_EQ(j["city_full_name"], "宁夏回族自治区银川市");
  EXPECT_EQ(j["kind"], "fixed_line");
}

TEST(CliInspectTest, MobileInEveryForm) {
  for (const char* raw :
       {"13895101234", "+86 138 9510 1234", "008613895101234", "１３８９５１０１２３４"}) {
    json j = InspectOk({"inspect", "phone", raw});
    EXPECT_EQ(j["canonical"], "+8613895101234") << raw;
    EXPECT_EQ(j["city_code"], "640100") << raw;
  }
}

TEST(CliInspectTest, InternationalNumberIsFlagged) {
  json j = InspectOk({"inspect", "phone", "+855 12 345 678"});
  EXPECT_EQ(j["international"], true);
  EXPECT_EQ(j["country_code"], 855);
}

TEST(CliInspectTest, InvalidInputExitsTwoWithOneLine) {
  CommandResult r = RunFanzha({"inspect", "phone", "请回电"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(CountLines(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("fanzha inspect phone: ", 0), 0u) << r.err;
}

TEST(CliInspectTest, IdNumberWithWrongCheckDigitIsRejectedSayingSo) {
  json good = InspectOk({"inspect", "id", "11010519491231002X", "--today", "2026-11-26"});
  EXPECT_EQ(good["age"], 76);
  EXPECT_EQ(good["sex"], "F");
  EXPECT_EQ(good["birth_date"], "1949-12-31");
  CommandResult r = RunFanzha({"inspect", "id", "110105194912310021"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("check digit"), std::string::npos) << r.err;
  EXPECT_EQ(CountLines(r.err), 1u) << r.err;
}

TEST(CliInspectTest, BankCardMapsToItsBank) {
  json j = InspectOk({"inspect", "card", "6222 0212 3456 7890 128"});
  EXPECT_EQ(j["bank_code"], "ICBC");
  EXPECT_EQ(j["bank_name"], "中国工商银行");
  EXPECT_EQ(j["number"], "6222021234567890128");
}

TEST(CliInspectTest, DomainUrlAndIp) {
  json d = InspectOk({"inspect", "domain", "Pay.ICBC-Verify.COM.CN."});
  EXPECT_EQ(d["domain"], "pay.icbc-verify.com.cn");
  EXPECT_EQ(d["registrable_domain"], "icbc-verify.com.cn");
  json u = InspectOk({"inspect", "url", "HTTP://Pay.Example.COM:80/refund#x"});
  EXPECT_EQ(u["host"], "pay.example.com");
  EXPECT_EQ(u["url"].get<std::string>().find('#'), std::string::npos);
  json ip = InspectOk({"inspect", "ip", "::ffff:192.168.1.10"});
  EXPECT_EQ(ip["canonical"], "192.168.1.10");
  EXPECT_EQ(ip["is_private"], true);
  EXPECT_EQ(RunFanzha({"inspect", "domain", "bad..example"}).exit_code, 2);
}

TEST(CliUnitsTest, ShowsTheYinchuanSeed) {
  CommandResult r = RunFanzha({"units", "show"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("69 units"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("640100  银川市公安局"), std::string::npos);
  EXPECT_NE(r.out.find("62 police stations"), std::string::npos);
  EXPECT_NE(r.out.find("640181  灵武市公安局"), std::string::npos);
}

TEST(CliUnitsTest, ExportedSeedIsTheShippedFile) {
  CommandResult r = RunFanzha({"units", "export-seed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(SourceDir() + "/data/units/yinchuan_units.csv");
  std::stringstream shipped;
  shipped << in.rdbuf();
  EXPECT_EQ(r.out, shipped.str());
}

TEST(CliUnitsTest, LoadReportsBadLineAndField) {
  std::string path = ::testing::TempDir() + "/bad_units.csv";
  std::ofstream(path) << "code,name,parent_code,level\n640100,市局,,city\nX,所,640100,precinct\n";
  CommandResult r = RunFanzha({"units", "load", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ":3: level: 'precinct'"), std::string::npos) << r.err;
  CommandResult ok = RunFanzha({"units", "load", SourceDir() + "/data/units/yinchuan_units.csv"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("69 units"), std::string::npos) << ok.out;
}

TEST(CliDemoTest, RunsAndShowsNormalizationAndUnits) {
  CommandResult r = RunFanzha({"demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("+869515012345"), std::string::npos);
  EXPECT_NE(r.out.find("宁夏银川市 (640100)"), std::string::npos);
  EXPECT_NE(r.out.find("中国工商银行"), std::string::npos);
  EXPECT_NE(r.out.find("凤凰北街派出所"), std::string::npos);
}

TEST(CliTest, UnknownSubcommandFails) {
  EXPECT_NE(RunFanzha({"frobnicate"}).exit_code, 0);
  EXPECT_NE(RunFanzha({}).exit_code, 0);
}

}  // namespace
}  // namespace fz::testing
