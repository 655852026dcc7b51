// One detection pipeline per shard (detect/file_pipeline.h, docs/adr/0006) against the
// reference: the files read once, merged (ingest::ReadEventFilesMergedRefs) and handed to
// ParallelDetector. Random files with what real feeds hold — rows out of time order, bad rows
// of every kind, quoted fields, transfers without a payer phone, a mixed file with a `type`
// column, JSONL — must give the same warnings, counters and quarantine. And the routing
// itself: EventBuilder::Route must name the subject detect::SubjectOf finds in Build's event.
#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/detect/detector.h"
#include "fz/detect/file_pipeline.h"
#include "fz/detect/subject.h"
#include "fz/detect/warning_json.h"
#include "fz/ingest/event_fields.h"
#include "fz/ingest/merged_reader.h"
#include "fz/ingest/test_util.h"
#include "gtest/gtest.h"

namespace fz {
namespace {

constexpr char kRules[] = R"toml(version = 1
[scoring]
half_life = "24h"
yellow = 40
orange = 70
red = 120
max_window = "7d"
max_entries = 128

[[rules]]
id = "call.intel"
on = "call"
when = "intel.caller"
score = 30
reason = "涉诈号码{caller}来电"

[[rules]]
id = "call.many_callers"
on = "call"
when = "distinct(caller, within=\"2h\") >= 3"
score = 15
reason = "2小时内{callee}接到多个号码来电"

[[rules]]
id = "sms.after_call"
on = "sms"
when = "seen(\"call.intel\", within=\"6h\")"
score = 20
reason = "涉诈来电后收到短信"

[[rules]]
id = "transfer.after_call"
on = "transfer"
when = "amount >= 1000 && seen(\"call.intel\", within=\"12h\")"
score = 60
reason = "涉诈来电后转账{amount}元"
)toml";

class PerShardDetectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<detect::RuleSet> rules = detect::RuleSet::Parse(kRules, "test.toml", types_);
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = std::make_unique<detect::RuleSet>(*std::move(rules));
    std::string intel = "kind,value,fraud_type\n";
    for (int i = 0; i < 5; ++i)
      StrAppend(&intel, "phone,", Fraudster(i), ",impersonate_authority\n");
    ASSERT_TRUE(intel_.LoadCsvText(intel, "intel.csv", types_, nullptr).ok());
  }

  static std::string Fraudster(int i) { return StrCat("+8551765290", i); }

  // Writes the random files and returns their paths.
  std::vector<std::string> WriteRandomFiles(uint32_t seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    // 60 potential victims, written as carriers do: bare, with +86, with spaces.
    auto victim = [&]() {
      const int v = pick(60);
      const std::string digits = StrCat("139510", 10000 + v * 37);
      switch (pick(6)) {
        case 0:
          return "+86" + digits;
        case 1:
          return digits.substr(0, 3) + " " + digits.substr(3, 4) + " " + digits.substr(7);
        default:
          return digits;
      }
    };
    auto caller = [&]() {
      return pick(4) == 0 ? Fraudster(pick(5)) : StrCat("13895", 100000 + pick(5000));
    };
    // Mostly in time order, a few rows late or early by up to an hour.
    int64_t minute = 0;
    auto ts = [&]() {
      minute += pick(3);
      int64_t m = minute + (pick(12) == 0 ? pick(120) - 60 : 0);
      if (m < 0) m = 0;
      if (pick(300) == 0) return std::string("2026-13-45T99:00:00+08:00");  // bad_timestamp
      return StrCat("2026-11-26T", 10 + m / 60 % 12, ":", m % 60 < 10 ? "0" : "", m % 60, ":",
                    pick(5) == 0 ? "30" : "00", "+08:00");
    };
    int id = 0;
    std::string calls = "id,ts,caller,callee,duration_s\n";
    std::string sms = "id,ts,sender,receiver,text\n";
    std::string transfers = "id,ts,payer_account,payer_phone,payee_account,amount\n";
    std::string mixed = "type,id,ts,callee,caller,receiver,sender,subscriber,domain\n";
    std::string apps;
    for (int row = 0; row < 1500; ++row) {
      const int bad = pick(40);  // about one row in 40 is broken somehow
      switch (pick(5)) {
        case 0:
          StrAppend(&calls, "c", ++id, ",", ts(), ",", caller(), ",",
                    bad == 0   ? "12ab"
                    : bad == 1 ? ""
                               : victim(),
                    ",", pick(900), bad == 2 ? ",extra" : "", "\n");
          break;
        case 1:
          StrAppend(&sms, "s", ++id, ",", ts(), ",", caller(), ",", bad == 0 ? "x" : victim(), ",",
                    bad == 1 ? "\"quoted, with a comma\"" : "您的账户存在风险",
                    bad == 2 ? ",\"open quote" : "", "\n");
          break;
        case 2:
          // Without a payer phone the subject is the account.
          StrAppend(&transfers, "t", ++id, ",", ts(), ",",
                    bad == 0 ? "12" : StrCat("62220212009", 10000000 + pick(50)), ",",
                    pick(3) == 0 ? "" : (bad == 1 ? "999" : victim()), ",6222021200000872470,",
                    500 + pick(3000), "\n");
          break;
        case 3:
          if (pick(2) == 0) {
            StrAppend(&mixed, bad == 0 ? "fax" : "call", ",m", ++id, ",", ts(), ",", victim(), ",",
                      caller(), ",,,,\n");
          } else {
            StrAppend(&mixed, "net,m", ++id, ",", ts(), ",,,,,", bad == 0 ? "" : victim(),
                      ",www.site", pick(20), ".com\n");
          }
          break;
        default:
          StrAppend(&apps, bad == 0 ? "{\"id\":" : "", "{\"id\":\"a", ++id, "\",\"ts\":\"", ts(),
                    "\",\"subscriber\":\"", bad == 1 ? "" : victim(),
                    "\",\"app_id\":\"com.zoom.meeting\",\"action\":\"install\"}\n");
      }
    }
    const std::vector<std::pair<std::string, std::string>> files = {
        {"app", apps}, {"call", calls}, {"events", mixed}, {"sms", sms}, {"transfer", transfers}};
    std::vector<std::string> paths;
    for (const auto& [name, body] : files) {
      paths.push_back(dir_.File(StrCat(name, "_1126_", seed, name == "app" ? ".jsonl" : ".csv")));
      ingest::testing::WriteFile(paths.back(), body);
    }
    return paths;
  }

  struct Outcome {
    std::string warnings;    // the warnings JSONL
    std::string quarantine;  // its lines, sorted
    ingest::FileStats total;
    int64_t events = 0;
    std::map<std::string, int64_t> fires;
  };

  Outcome Run(const std::vector<std::string>& files, int shards, bool per_shard) {
    const std::string out = dir_.File(StrCat("w", shards, per_shard ? "s" : "m", ".jsonl"));
    const std::string bad = dir_.File(StrCat("q", shards, per_shard ? "s" : "m", ".jsonl"));
    Outcome outcome;
    {
      detect::ParallelDetector detector(*rules_, intel_, nullptr, shards);
      ingest::Quarantine quarantine(bad);
      ingest::MergeOptions options;
      options.read.fraud_types = &types_;
      options.read.batch_size = 64;  // many batch boundaries and refills
      ingest::MergedReadResult read;
      if (per_shard) {
        read = detect::DetectFilesPerShard(detector, files, options, quarantine);
      } else {
        read = ingest::ReadEventFilesMergedRefs(
            files, options, quarantine, [&](ingest::EventRefBatch& batch) {
              using Owners = std::vector<std::shared_ptr<const std::vector<model::Event>>>;
              detector.Process(std::move(batch.events),
                               std::make_shared<const Owners>(std::move(batch.owners)));
            });
      }
      EXPECT_EQ(read.failed_files, 0);
      EXPECT_TRUE(detect::WriteWarningsJsonl(out, detector.WarningRefs(), types_).ok());
      EXPECT_TRUE(quarantine.Flush().ok());
      outcome.total = read.total;
      detect::DetectorStats stats = detector.Stats();
      outcome.events = stats.events;
      outcome.fires = stats.rule_fires;
    }
    outcome.warnings = ingest::testing::ReadFile(out);
    std::vector<std::string> lines;
    std::string text = ingest::testing::ReadFile(bad);
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    std::sort(lines.begin(), lines.end());
    for (const std::string& line : lines) StrAppend(&outcome.quarantine, line, "\n");
    return outcome;
  }

  model::FraudTypeRegistry types_ = model::FraudTypeRegistry::WithBuiltins();
  std::unique_ptr<detect::RuleSet> rules_;
  intel::IntelStore intel_;
  ingest::testing::TempDir dir_;
};

TEST_F(PerShardDetectionTest, SameWarningsCountersAndQuarantineAsTheMergedReader) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const std::vector<std::string> files = WriteRandomFiles(seed);
    ASSERT_TRUE(detect::CanDetectFilesPerShard(files));
    const Outcome want = Run(files, 2, /*per_shard=*/false);
    // The random files must exercise what they are for.
    ASSERT_GT(want.total.quarantined, 20) << seed;
    ASSERT_GT(want.total.events, 1200) << seed;
    ASSERT_GT(std::count(want.warnings.begin(), want.warnings.end(), '\n'), 10) << seed;
    ASSERT_GT(want.fires.count("transfer.after_call"), 0u) << seed;
    for (int shards : {1, 2, 3}) {
      const Outcome got = Run(files, shards, /*per_shard=*/true);
      EXPECT_EQ(got.warnings, want.warnings) << seed << " " << shards;
      EXPECT_EQ(got.quarantine, want.quarantine) << seed << " " << shards;
      EXPECT_EQ(got.total.rows, want.total.rows) << seed << " " << shards;
      EXPECT_EQ(got.total.events, want.total.events) << seed << " " << shards;
      EXPECT_EQ(got.total.quarantined, want.total.quarantined) << seed << " " << shards;
      EXPECT_EQ(got.total.bytes, want.total.bytes) << seed << " " << shards;
      EXPECT_EQ(got.events, want.events) << seed << " " << shards;
      EXPECT_EQ(got.fires, want.fires) << seed << " " << shards;
    }
  }
}

TEST_F(PerShardDetectionTest, CompressedFilesAndPipesTakeTheMergedReader) {
  const std::string plain = dir_.File("call_a.csv");
  const std::string gz = dir_.File("call_b.csv.gz");
  ingest::testing::WriteFile(plain, "id,ts,caller,callee\n");
  ingest::testing::WriteFile(gz, ingest::testing::Gzip("id,ts,caller,callee\n"));
  EXPECT_TRUE(detect::CanDetectFilesPerShard({plain}));
  EXPECT_FALSE(detect::CanDetectFilesPerShard({plain, gz}));
  EXPECT_FALSE(detect::CanDetectFilesPerShard({plain, "/dev/stdin"}));
  EXPECT_FALSE(detect::CanDetectFilesPerShard({dir_.File("missing.csv")}));
}

// Route's subject is SubjectOf(Build's event) for every row Build accepts, and Route finds
// none only for rows Build rejects. Random rows of every type, mostly well-formed.
TEST(EventRouteTest, RouteNamesTheSubjectOfTheBuiltEvent) {
  ingest::ReadOptions options;
  ingest::EventBuilder router(options);
  ingest::EventBuilder builder(options);
  std::mt19937 rng(11);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const std::vector<std::string> phones = {
      "13951012345",  "+8613951012345", "139 5101 2345", "0951-5012345", "+85517652903", "12ab", "",
      "106941120241", "1395101234",     " 13951099999 "};
  const std::vector<std::string> accounts = {"6222021200900276447", "6222 0212 0090 0276", "12",
                                             ""};
  const std::vector<std::string> ids = {"640104199001011234", "64010419900101123X", "123", ""};
  const std::vector<std::string> times = {"2026-11-26T09:00:00+08:00", "1795656600000", "bad", ""};
  const std::vector<std::string> types = {"call",      "sms",    "net", "app", "transfer",
                                          "directive", "report", "fax", ""};
  int built = 0;
  int fast_routes = 0;
  int by_account = 0;
  int by_id = 0;
  for (int i = 0; i < 20000; ++i) {
    ingest::RawRecord r;
    auto any = [&](const std::vector<std::string>& v) {
      return v[static_cast<size_t>(pick(static_cast<int>(v.size())))];
    };
    const std::string type = any(types);
    const std::string id = StrCat("e", i);
    const std::string ts = pick(10) == 0 ? any(times) : times[0];
    std::vector<std::string> values;  // keeps the views alive
    values.reserve(16);
    auto set = [&](ingest::Field f, std::string v) {
      values.push_back(std::move(v));
      r.Set(f, values.back());
    };
    set(ingest::Field::kType, type);
    set(ingest::Field::kId, id);
    set(ingest::Field::kTs, ts);
    for (ingest::Field f :
         {ingest::Field::kCaller, ingest::Field::kCallee, ingest::Field::kSender,
          ingest::Field::kReceiver, ingest::Field::kSubscriber, ingest::Field::kPayerPhone,
          ingest::Field::kSubjectPhone, ingest::Field::kReporter}) {
      if (pick(4) != 0) set(f, any(phones));
    }
    for (ingest::Field f : {ingest::Field::kPayerAccount, ingest::Field::kPayeeAccount,
                            ingest::Field::kSubjectAccount}) {
      if (pick(3) != 0) set(f, any(accounts));
    }
    if (pick(2) == 0) set(ingest::Field::kSubjectIdNo, any(ids));
    set(ingest::Field::kDomain, "www.example.com");
    set(ingest::Field::kAppId, "com.example");
    set(ingest::Field::kAmount, "100");
    ingest::EventBuilder::RowRoute route = router.Route(r, std::nullopt);
    if (type == "call" && r.Has(ingest::Field::kCallee)) {
      // The CSV fast path's route from the ts and callee fields alone.
      ingest::EventBuilder::RowRoute fast =
          router.RoutePhone(r.Get(ingest::Field::kTs), r.Get(ingest::Field::kCallee));
      EXPECT_EQ(fast.subject, route.subject) << r.Get(ingest::Field::kCallee);
      EXPECT_EQ(fast.time, route.time);
      ++fast_routes;
    }
    model::Event event;
    Status status = builder.Build(r, std::nullopt, &event);
    if (!status.ok()) continue;
    ++built;
    ASSERT_TRUE(route.subject.has_value()) << type << " " << status;
    const detect::SubjectRef subject = detect::SubjectOf(event);
    EXPECT_EQ(*route.subject, subject.id) << type;
    ASSERT_TRUE(route.time.has_value());
    EXPECT_EQ(*route.time, event.header.time);
    by_account += subject.kind == model::SubjectKind::kAccount ? 1 : 0;
    by_id += subject.kind == model::SubjectKind::kIdNo ? 1 : 0;
  }
  EXPECT_GT(built, 3000);
  EXPECT_GT(fast_routes, 1000);
  EXPECT_GT(by_account, 50);
  EXPECT_GT(by_id, 5);
}

}  // namespace
}  // namespace fz
