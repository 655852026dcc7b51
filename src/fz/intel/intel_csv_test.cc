#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/intel/intel_store.h"
#include "gtest/gtest.h"

namespace fz::intel {
namespace {

using model::FraudTypeRegistry;
using model::IndicatorKind;

const absl::Time kNow = absl::FromUnixSeconds(1795656600);  // 2026-11-26T09:30:00+08:00

TEST(IntelCsvTest, LoadsEveryKindWithProvenanceAndExpiry) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  const std::string csv =
      "\xEF\xBB\xBFkind,value,fraud_type,source,confidence,expires_at\r\n"
      "# comment line\n"
      "phone,+86 138 9510 1234,刷单返利,national,0.8,\n"
      "domain,Task-Rebate.TOP,task_rebate,carrier,,2027-01-01T00:00:00+08:00\n"
      "url,http://pay.example.com/a,,case:2026-0012,1,\n"
      "ip,203.0.113.9,fake_loan,analyst:wang,0.5,1795656600000\n"
      "\n"
      "account,\"6222 0212 3456 7890 123\",fake_investment,bank,0.9,2026-11-26\n"
      "app,com.Fake.Meeting,,national,,\n"
      "imei,352099001761481,,national,,\n";
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "intel.csv", types, &rejected).ok());
  EXPECT_TRUE(rejected.empty()) << rejected[0].reason;
  EXPECT_EQ(store.size(), 7u);
  const IntelMatch* phone = store.MatchPhone("+8613895101234", kNow);
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->fraud_type, *types.Find("task_rebate"));
  EXPECT_FLOAT_EQ(phone->confidence, 0.8f);
  const IntelMatch* domain = store.MatchDomain("www.task-rebate.top", kNow);
  ASSERT_NE(domain, nullptr);
  EXPECT_EQ(domain->source, "carrier");
  EXPECT_EQ(domain->expires_at, absl::FromUnixSeconds(1798732800));  // 2027-01-01 +08:00
  const IntelMatch* url = store.MatchUrl("http://pay.example.com/a", kNow);
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->fraud_type, FraudTypeRegistry::kOther);
  // expires_at == now: expired.
  EXPECT_EQ(store.MatchIp("203.0.113.9", kNow), nullptr);
  EXPECT_NE(store.MatchIp("203.0.113.9", kNow - absl::Milliseconds(1)), nullptr);
  // A bare date is midnight China time: 2026-11-26T00:00+08:00 is before kNow.
  EXPECT_EQ(store.MatchAccount("6222021234567890123", kNow), nullptr);
  EXPECT_NE(store.MatchAccount("6222021234567890123", kNow - absl::Hours(10)), nullptr);
  EXPECT_NE(store.MatchApp("com.fake.meeting", kNow), nullptr);
  EXPECT_NE(store.MatchImei("352099001761481", kNow), nullptr);
}

// Large files prepare their rows in blocks on several threads and add them in file order:
// the store must end as if the rows were added one by one (newest wins across blocks, line
// numbers of rejected rows count every line, quoted sources survive their block).
TEST(IntelCsvTest, LargeFilesLoadInFileOrderAcrossBlocks) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  std::string csv = "kind,value,fraud_type,source,confidence,expires_at\n";  // line 1
  constexpr int kRows = 50000;
  for (int i = 0; i < kRows; ++i) {  // lines 2 .. kRows + 1
    const int line = i + 2;
    if (line == 20000 || line == 45000) {
      csv += "phone,not-a-number,,national,,\n";
    } else if (line == 30000) {
      csv += "# a comment in the middle\n";
    } else if (line == 40000) {  // the same number as line 3, later: it wins
      csv += "phone,13895110001,fake_loan,\"bank, late\",0.3,\n";
    } else {
      csv += fz::StrCat("phone,+86138951", 10000 + i, ",task_rebate,national,0.9,\n");
    }
  }
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "big.csv", types, &rejected).ok());
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].line, 20000);
  EXPECT_EQ(rejected[1].line, 45000);
  EXPECT_EQ(rejected[1].raw, "phone,not-a-number,,national,,");
  EXPECT_EQ(store.size(), static_cast<size_t>(kRows - 4));  // 2 bad, 1 comment, 1 duplicate
  const IntelMatch* early = store.MatchPhone("+8613895110001", kNow);
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(early->fraud_type, *types.Find("fake_loan"));
  EXPECT_EQ(early->source, "bank, late");
  EXPECT_FLOAT_EQ(early->confidence, 0.3f);
  const IntelMatch* last = store.MatchPhone(fz::StrCat("+86138951", 10000 + kRows - 1), kNow);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->source, "national");
  EXPECT_EQ(store.MatchPhone("+8613895199999", kNow), nullptr);
}

TEST(IntelCsvTest, BadRowsAreRejectedWithLineNumbersAndLoadingGoesOn) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  const std::string csv =
      "value,kind,source\n"           // 1: any column order, optional columns absent
      "13895101234,phone,national\n"  // 2: ok
      "hello,phone,national\n"        // 3: bad phone
      "x.top,printer,national\n"      // 4: bad kind
      "x.top,domain\n"                // 5: too few fields
      "\"x.top,domain,n\n"            // 6: unterminated quote
      "3.5,domain,national\n"         // 7: numeric last label
      "ok.top,domain,national\n";     // 8: ok
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "feed.csv", types, &rejected).ok());
  EXPECT_EQ(store.size(), 2u);
  ASSERT_EQ(rejected.size(), 5u);
  EXPECT_EQ(store.rejected_count(), 5u);
  const std::vector<int64_t> lines = {3, 4, 5, 6, 7};
  for (size_t i = 0; i < rejected.size(); ++i) {
    EXPECT_EQ(rejected[i].file, "feed.csv");
    EXPECT_EQ(rejected[i].line, lines[i]) << rejected[i].reason;
    EXPECT_FALSE(rejected[i].reason.empty());
  }
  EXPECT_EQ(rejected[0].raw, "hello,phone,national");
  EXPECT_EQ(rejected[0].reason.rfind("value: ", 0), 0u) << rejected[0].reason;
  EXPECT_EQ(rejected[1].reason.rfind("kind: ", 0), 0u) << rejected[1].reason;
}

TEST(IntelCsvTest, FieldErrorsNameTheField) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  const std::string csv =
      "kind,value,fraud_type,source,confidence,expires_at\n"
      "phone,13895101234,no_such_type,n,,\n"
      "phone,13895101234,,n,1.5,\n"
      "phone,13895101234,,n,abc,\n"
      "phone,13895101234,,n,,tomorrow\n";
  IntelStore store;
  std::vector<RejectedIndicator> rejected;
  ASSERT_TRUE(store.LoadCsvText(csv, "f.csv", types, &rejected).ok());
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].reason.rfind("fraud_type: ", 0), 0u) << rejected[0].reason;
  EXPECT_EQ(rejected[1].reason.rfind("confidence: ", 0), 0u) << rejected[1].reason;
  EXPECT_EQ(rejected[2].reason.rfind("confidence: ", 0), 0u) << rejected[2].reason;
  EXPECT_EQ(rejected[3].reason.rfind("expires_at: ", 0), 0u) << rejected[3].reason;
  EXPECT_EQ(store.size(), 0u);
}

TEST(IntelCsvTest, MissingRequiredColumnOrHeaderIsAnError) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  IntelStore store;
  Status s = store.LoadCsvText("kind,source\nphone,x\n", "a.csv", types, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("a.csv:1: missing required column 'value'"),
            std::string::npos)
      << s.message();
  s = store.LoadCsvText("kind,value,kind\n", "b.csv", types, nullptr);
  EXPECT_FALSE(s.ok());
  s = store.LoadCsvText("# only a comment\n\n", "c.csv", types, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("c.csv"), std::string::npos);
}

TEST(IntelCsvTest, NullRejectedStillCounts) {
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  IntelStore store;
  ASSERT_TRUE(store.LoadCsvText("kind,value\nphone,zzz\n", "a.csv", types, nullptr).ok());
  EXPECT_EQ(store.rejected_count(), 1u);
}

TEST(IntelCsvTest, FilesAndWhitelistFile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("intel_csv_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string intel = (dir / "intel.csv").string();
  const std::string white = (dir / "white.csv").string();
  std::ofstream(intel) << "kind,value,fraud_type,source,confidence,expires_at\n"
                          "phone,13895101234,,national,,\n"
                          "phone,13895101235,,national,,\n"
                          "domain,bad.top,,national,,\n";
  std::ofstream(white) << "kind,value\nphone,+86 138-9510-1234\nfax,1\n";
  const FraudTypeRegistry types = FraudTypeRegistry::WithBuiltins();
  std::vector<RejectedIndicator> rejected;
  StatusOr<IntelStore> store = IntelStore::LoadCsvFiles({intel}, types, &rejected);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(store->LoadWhitelistCsv(white, &rejected).ok());
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].file, white);
  EXPECT_EQ(rejected[0].line, 3);
  EXPECT_EQ(store->MatchPhone("+8613895101234", kNow), nullptr);
  EXPECT_NE(store->MatchPhone("+8613895101235", kNow), nullptr);
  EXPECT_EQ(store->size(), 2u);

  StatusOr<IntelStore> missing =
      IntelStore::LoadCsvFiles({(dir / "nope.csv").string()}, types, &rejected);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("nope.csv"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fz::intel
