// A fraud chain whose steps sit in three files, one per event type as carriers and banks
// deliver them: the merged reader (ingest/merged_reader.h) lets the detector see the steps in
// event-time order; reading the files one after another (app_ before call_, as a shell glob
// sorts them) shows the app install before the call and the chain never fires.
#include <memory>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/detect/detector.h"
#include "fz/ingest/event_reader.h"
#include "fz/ingest/merged_reader.h"
#include "fz/ingest/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz {
namespace {

// Self-contained rules, so that tuning rules/default.toml never changes what this tests.
constexpr char kRules[] = R"toml(version = 1
[scoring]
half_life = "24h"
yellow = 40
orange = 70
red = 120
max_window = "7d"
max_entries = 128

[[rules]]
id = "call.intel_long"
on = "call"
when = "duration_s >= 300 && intel.caller"
score = 30
reason = "与涉诈号码{caller}通话{duration_s}秒"

[[rules]]
id = "app.install_after_call"
on = "app"
when = "action == \"install\" && seen(\"call.intel_long\", within=\"12h\")"
score = 20
reason = "涉诈通话后安装{app_name}"

[[rules]]
id = "chain.call_app_transfer"
on = "transfer"
when = "seen(\"app.install_after_call\", within=\"12h\")"
score = 80
min_level = "red"
reason = "12小时内涉诈通话→安装APP→转账{amount}元"
)toml";

class MergedDetectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<detect::RuleSet> rules = detect::RuleSet::Parse(kRules, "chain.toml", types_);
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = std::make_unique<detect::RuleSet>(*std::move(rules));
    ASSERT_TRUE(
        intel_
            .LoadCsvText("kind,value,fraud_type\nphone,+85517652903,impersonate_authority\n",
                         "intel.csv", types_, nullptr)
            .ok());
    // The victim 13895101234: a 20-minute call from the flagged number at 09:00, a meeting
    // app at 09:40, money out at 10:02. Background rows of other people surround each step.
    using ingest::testing::WriteFile;
    WriteFile(dir_.File("call_20261126.csv"),
              "id,ts,caller,callee,duration_s\n"
              "c0,2026-11-26T08:10:00+08:00,13995100001,13995100002,60\n"
              "c1,2026-11-26T09:00:00+08:00,+85517652903,13895101234,1200\n"
              "c2,2026-11-26T11:00:00+08:00,13995100003,13995100004,30\n");
    WriteFile(
        dir_.File("app_20261126.jsonl"),
        R"({"id":"a0","ts":"2026-11-26T08:30:00+08:00","subscriber":"13995100005","app_id":"com.tencent.mm","action":"open"}
{"id":"a1","ts":"2026-11-26T09:40:00+08:00","subscriber":"13895101234","app_id":"com.zoom.meeting","app_name":"会议","action":"install"}
)");
    WriteFile(dir_.File("transfer_20261126.csv.gz"),
              ingest::testing::Gzip("id,ts,payer_account,payer_phone,payee_account,amount\n"
                                    "t1,2026-11-26T10:02:00+08:00,6214171234567890123,"
                                    "13895101234,6222021234567890128,20000\n"));
    // As `ls` or a shell glob lists them.
    files_ = {dir_.File("app_20261126.jsonl"), dir_.File("call_20261126.csv"),
              dir_.File("transfer_20261126.csv.gz")};
  }

  // Warnings as "subject level rule,rule,...".
  static std::vector<std::string> Describe(const std::vector<model::Warning>& warnings) {
    std::vector<std::string> out;
    for (const model::Warning& w : warnings) {
      std::string rules;
      for (const std::string& r : w.rule_ids) StrAppend(&rules, rules.empty() ? "" : ",", r);
      out.push_back(StrCat(w.subject, " ", model::WarningLevelName(w.level), " ", rules));
    }
    return out;
  }

  model::FraudTypeRegistry types_ = model::FraudTypeRegistry::WithBuiltins();
  std::unique_ptr<detect::RuleSet> rules_;
  intel::IntelStore intel_;
  ingest::testing::TempDir dir_;
  std::vector<std::string> files_;
};

TEST_F(MergedDetectionTest, ChainAcrossCallAppAndTransferFilesFiresWhenMerged) {
  for (int threads : {1, 2}) {
    detect::ParallelDetector detector(*rules_, intel_, nullptr, 2);
    ingest::Quarantine quarantine;
    ingest::MergeOptions options;
    options.read.fraud_types = &types_;
    options.threads = threads;
    ingest::MergedReadResult read = ingest::ReadEventFilesMerged(
        files_, options, quarantine,
        [&](std::vector<model::Event>& batch) { detector.Process(std::move(batch)); });
    EXPECT_EQ(read.failed_files, 0);
    EXPECT_EQ(read.total.events, 6);
    EXPECT_EQ(quarantine.total(), 0);
    EXPECT_THAT(Describe(detector.Warnings()),
                ::testing::ElementsAre("+8613895101234 red call.intel_long,app.install_after_call,"
                                       "chain.call_app_transfer"))
        << threads << " reader threads";
  }
}

TEST_F(MergedDetectionTest, FileByFileReadingMissesTheChain) {
  // The same files read one after another: the install is seen before the call, so neither
  // the install rule nor the chain fires. This is what the merge fixes.
  detect::Detector detector(*rules_, intel_, nullptr);
  ingest::Quarantine quarantine;
  ingest::ReadOptions options{.fraud_types = &types_};
  for (const std::string& file : files_) {
    ASSERT_TRUE(
        ingest::ReadEventFile(file, options, quarantine, [&](std::vector<model::Event>& batch) {
          for (const model::Event& e : batch) detector.Process(e);
        }).ok());
  }
  for (const model::Warning& w : detector.Warnings()) {
    EXPECT_THAT(w.rule_ids, ::testing::Not(::testing::Contains("chain.call_app_transfer")));
  }
  EXPECT_EQ(detector.Stats().rule_fires.count("chain.call_app_transfer"), 0u);
  EXPECT_EQ(detector.Stats().rule_fires.at("call.intel_long"), 1);
}

}  // namespace
}  // namespace fz
