// Unit tests for rule files, scoring, the detector, checkpoints and backtests (people and the
// warnings file: people_test.cc, warning_json_test.cc). Behaviour over whole event streams is
// in the scenario files (tests/rules/*.test).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "fz/common/str_cat.h"
#include "fz/detect/backtest.h"
#include "fz/detect/detector.h"
#include "fz/detect/rule_set.h"
#include "fz/detect/subject.h"
#include "fz/detect/warning_json.h"
#include "fz/normalize/phone.h"
#include "gtest/gtest.h"

namespace fz::detect {
namespace {

using model::EventType;

const model::FraudTypeRegistry& Types() {
  static const auto* types = new model::FraudTypeRegistry(model::FraudTypeRegistry::WithBuiltins());
  return *types;
}

std::string ErrorOf(std::string_view toml) {
  StatusOr<RuleSet> r = RuleSet::Parse(toml, "r.toml", Types());
  return r.ok() ? "ok" : std::string(r.status().message());
}

constexpr char kMinimal[] = R"(
[[rules]]
id = "call.long"
on = "call"
when = "duration_s >= 60"
score = 50
reason = "通话{duration_s}秒"
)";

TEST(RuleSet, LoadsDefaultRules) {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  StatusOr<RuleSet> r = RuleSet::LoadFile(std::string(dir) + "/rules/default.toml", Types());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->rules().size(), 15u);
  EXPECT_GE(r->text_patterns().patterns().size(), 30u);
  EXPECT_GE(r->FindRule("transfer.flagged_payee"), 0);
  EXPECT_EQ(r->longest_window(), absl::Hours(72));
  EXPECT_FALSE(r->records_all_events());
}

TEST(RuleSet, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(ErrorOf(kMinimal), "ok");
  EXPECT_EQ(ErrorOf("[[rules]]\nid = \"a\"\non = \"call\"\nwhen = \"duration_s >> 1\"\n"
                    "reason = \"x\"\n"),
            "r.toml:4:8: rules[0].when: column 13: unexpected '>'");
  EXPECT_EQ(ErrorOf("[[rules]]\nid = \"a\"\non = \"fax\"\nreason = \"x\"\n"),
            "r.toml:3:6: rules[0].on: unknown event type 'fax' (call, sms, net, app, transfer, "
            "directive, report)");
  EXPECT_EQ(ErrorOf("[[rules]]\nid = \"a\"\non = \"call\"\nreason = \"{nope}\"\n"),
            "r.toml:4:10: rules[0].reason: unknown placeholder {nope}");
  EXPECT_EQ(ErrorOf("[scoring]\nyellow = 50\norange = 40\n[[rules]]\nid=\"a\"\non=\"call\"\n"
                    "reason=\"x\"\n"),
            "r.toml:1:1: scoring: thresholds must rise: yellow < orange < red");
  EXPECT_EQ(ErrorOf("[[rules]]\nid = \"a\"\non = \"call\"\nreason = \"x\"\nscroe = 1\n"),
            "r.toml:5:9: rules[0].scroe: unknown key (known: id, on, when, score, min_level, "
            "fraud_type, reason, cooldown, description)");
  EXPECT_EQ(ErrorOf("[[rules]]\nid = \"a\"\non = \"call\"\nreason = \"x\"\n[[rules]]\nid = \"a\"\n"
                    "on = \"sms\"\nreason = \"y\"\n"),
            "r.toml:6:6: rules[1].id: duplicate rule id 'a'");
  EXPECT_EQ(
      ErrorOf("[[rules]]\nid = \"a\"\non = \"call\"\nreason = \"x\"\nmin_level = \"event\"\n"),
      "r.toml:5:13: rules[0].min_level: \"event\" is only for rules on directive events");
  EXPECT_EQ(ErrorOf("[[rules]\n"), ErrorOf("[[rules]\n"));  // syntax error, deterministic
  EXPECT_NE(ErrorOf("[[rules]\n").find("r.toml:1:"), std::string::npos);
  EXPECT_NE(ErrorOf("x = 1\n").find("unknown key"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("no [[rules]]"), std::string::npos);
}

TEST(RuleSet, SeenMayNameALaterRule) {
  EXPECT_EQ(ErrorOf(R"(
[[rules]]
id = "a"
on = "app"
when = 'seen("b", within="1h")'
reason = "x"
[[rules]]
id = "b"
on = "call"
reason = "y"
)"),
            "ok");
}

TEST(SiteHash, OneSitePerRegistrableName) {
  EXPECT_EQ(SiteHash("m.tejia-fcr.icu"), SiteHash("tejia-fcr.icu"));
  EXPECT_EQ(SiteHash("a.b.tejia-fcr.icu."), SiteHash("tejia-fcr.icu"));
  EXPECT_NE(SiteHash("tejia-fcr.icu"), SiteHash("tejia-fcs.icu"));
  // A generic second level under a country TLD keeps three labels.
  EXPECT_EQ(SiteHash("www.shop.com.cn"), SiteHash("shop.com.cn"));
  EXPECT_NE(SiteHash("shop.com.cn"), SiteHash("mall.com.cn"));
  EXPECT_NE(SiteHash("a.example.cn"), SiteHash("b.other.cn"));
  EXPECT_NE(SiteHash(""), 0u);
  EXPECT_NE(SiteHash("localhost"), 0u);
}

TEST(Scoring, LevelsFromThresholds) {
  ScoringConfig s;
  EXPECT_FALSE(s.LevelFor(39.9).has_value());
  EXPECT_EQ(s.LevelFor(40), model::WarningLevel::kYellow);
  EXPECT_EQ(s.LevelFor(70), model::WarningLevel::kOrange);
  EXPECT_EQ(s.LevelFor(500), model::WarningLevel::kRed);
}

model::Event Call(std::string id, absl::Time t, std::string callee, int duration) {
  model::Event e;
  e.header.id = model::EventId(std::move(id));
  e.header.type = EventType::kCall;
  e.header.time = t;
  model::CallEvent call;
  call.caller = model::PhoneNumber("+8613995100001");
  call.callee = model::PhoneNumber(std::move(callee));
  call.duration_s = duration;
  e.body = call;
  return e;
}

TEST(Detector, ScoresDecayOverEventTime) {
  StatusOr<RuleSet> rules = RuleSet::Parse(R"(
[scoring]
half_life = "1h"
yellow = 40
orange = 70
red = 120
[[rules]]
id = "call.long"
on = "call"
when = "duration_s >= 60"
score = 40
reason = "通话{duration_s}秒"
)",
                                           "r.toml", Types());
  ASSERT_TRUE(rules.ok()) << rules.status();
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  {
    Detector d(*rules, intel, nullptr);
    d.Process(Call("a", t0, "+8613895101234", 100));
    d.Process(Call("b", t0 + absl::Minutes(1), "+8613895101234", 100));
    const auto w = d.Warnings();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].level, model::WarningLevel::kOrange);  // 40 + ~39.5
    EXPECT_GT(w[0].score, 79);
  }
  {
    Detector d(*rules, intel, nullptr);
    d.Process(Call("a", t0, "+8613895101234", 100));
    d.Process(Call("b", t0 + absl::Hours(5), "+8613895101234", 100));
    const auto w = d.Warnings();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].level, model::WarningLevel::kYellow);  // 40/32 + 40
    EXPECT_LT(w[0].score, 42);
    EXPECT_EQ(d.Stats().rule_fires.at("call.long"), 2);
  }
}

TEST(Detector, WarningIdsAreDeterministic) {
  StatusOr<RuleSet> rules = RuleSet::Parse(kMinimal, "r.toml", Types());
  ASSERT_TRUE(rules.ok());
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  Detector a(*rules, intel, nullptr), b(*rules, intel, nullptr);
  a.Process(Call("x1", t0, "+8613895101234", 100));
  b.Process(Call("x1", t0, "+8613895101234", 100));
  ASSERT_EQ(a.Warnings().size(), 1u);
  EXPECT_EQ(a.Warnings()[0].id, b.Warnings()[0].id);
  EXPECT_GT(a.Warnings()[0].id.value(), 0);
}

TEST(Detector, TakeChangedWarningsReturnsEachChangeOnce) {
  StatusOr<RuleSet> rules = RuleSet::Parse(kMinimal, "r.toml", Types());
  ASSERT_TRUE(rules.ok());
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  ParallelDetector d(*rules, intel, nullptr, 2);
  std::vector<model::Event> batch;
  batch.push_back(Call("c1", t0, "+8613895101234", 100));
  batch.push_back(Call("c2", t0, "+8613895105678", 100));
  d.Process(std::move(batch));
  std::vector<model::Warning> changed = d.TakeChangedWarnings();
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_TRUE(d.TakeChangedWarnings().empty());  // taken: nothing new since
  batch.push_back(Call("c3", t0 + absl::Minutes(1), "+8613895105678", 100));
  batch.push_back(Call("c3", t0 + absl::Minutes(1), "+8613895105678", 100));  // re-delivered
  d.Process(std::move(batch));
  changed = d.TakeChangedWarnings();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].subject, "+8613895105678");
  EXPECT_EQ(changed[0].evidence.size(), 2u);
}

// Events handed over by reference give the same warnings as the same events by value, with or
// without their KeysOf computed beforehand, and the owner is released once the shards are done
// with them.
TEST(Detector, ParallelDetectorTakesEventsByReference) {
  StatusOr<RuleSet> rules = RuleSet::Parse(kMinimal, "r.toml", Types());
  ASSERT_TRUE(rules.ok());
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  std::vector<model::Event> events;
  for (int i = 0; i < 40; ++i) {
    events.push_back(
        Call(StrCat("c", i), t0 + absl::Minutes(i), StrCat("+86138951012", 10 + i % 7), 100));
  }
  events.push_back(events[5]);  // a re-delivered event: the id hash must find it
  ParallelDetector by_value(*rules, intel, nullptr, 2);
  by_value.Process(std::vector<model::Event>(events));
  ParallelDetector by_ref(*rules, intel, nullptr, 2);
  auto owner = std::make_shared<const std::vector<model::Event>>(events);
  std::vector<const model::Event*> refs;
  for (const model::Event& e : *owner) refs.push_back(&e);
  std::weak_ptr<const std::vector<model::Event>> watch = owner;
  by_ref.Process(std::move(refs), std::move(owner));
  by_ref.Flush();
  EXPECT_TRUE(watch.expired());
  ParallelDetector by_keys(*rules, intel, nullptr, 2);
  std::vector<const model::Event*> keyed_refs;
  std::vector<model::EventKeys> keys;
  for (const model::Event& e : events) {
    keyed_refs.push_back(&e);
    keys.push_back(KeysOf(e));
    EXPECT_EQ(keys.back().route, SubjectOf(e).hash);
    EXPECT_EQ(keys.back().id, EventIdHash(e.header.id.value()));
  }
  by_keys.Process(std::move(keyed_refs), nullptr, std::move(keys));
  std::vector<model::Warning> a = by_value.Warnings();
  ASSERT_EQ(a.size(), 7u);
  EXPECT_EQ(by_value.Stats().duplicates, 1);
  for (ParallelDetector* other : {&by_ref, &by_keys}) {
    std::vector<model::Warning> b = other->Warnings();
    ASSERT_EQ(b.size(), a.size());
    EXPECT_EQ(other->Stats().duplicates, 1);
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(WarningToJson(b[i], Types()), WarningToJson(a[i], Types()));
    }
  }
  // The references are the same warnings in the same order, without copies.
  const std::vector<const model::Warning*> refs_out = by_ref.WarningRefs();
  ASSERT_EQ(refs_out.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(WarningToJson(*refs_out[i], Types()), WarningToJson(a[i], Types()));
  }
}

// caller.spoofed reads the flags of the caller's digits from the flags ingest kept when they
// are complete (model::kPartyFlagsComplete), else from normalizing the canonical caller.
TEST(Detector, SpoofedCallerFromIngestFlagsOrFromTheNumber) {
  StatusOr<RuleSet> rules = RuleSet::Parse(R"(
[[rules]]
id = "call.spoofed"
on = "call"
when = "caller.spoofed"
score = 50
reason = "伪冒号码{caller}来电"
)",
                                           "r.toml", Types());
  ASSERT_TRUE(rules.ok()) << rules.status();
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  // 140 is an unallocated mobile prefix: a flag of the digits, found from any form.
  normalize::PhoneFlagSet digits_flag;
  digits_flag.Add(normalize::PhoneFlag::kUnallocatedMobilePrefix);
  auto fires = [&](std::string caller, uint32_t flags) {
    Detector d(*rules, intel, nullptr);
    model::Event e = Call("c1", t0, "+8613895101234", 60);
    std::get<model::CallEvent>(e.body).caller = model::PhoneNumber(std::move(caller));
    std::get<model::CallEvent>(e.body).caller_flags = flags;
    d.Process(e);
    return d.Stats().rule_fires.count("call.spoofed") > 0;
  };
  // Events built elsewhere carry no flags: the caller is normalized.
  EXPECT_TRUE(fires("+8614012345678", 0));
  EXPECT_FALSE(fires("+8613995100001", 0));
  // From ingest, complete: its flags are used as they are.
  EXPECT_TRUE(fires("+8614012345678", digits_flag.bits() | model::kPartyFlagsComplete));
  EXPECT_FALSE(fires("+8614012345678", model::kPartyFlagsComplete));
}

TEST(Detector, ForgetsWarningsIdleLongerThanRetention) {
  StatusOr<RuleSet> rules = RuleSet::Parse(kMinimal, "r.toml", Types());
  ASSERT_TRUE(rules.ok());
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  ParallelDetector d(*rules, intel, nullptr, 2,
                     DetectorOptions{.warning_retention = absl::Hours(24 * 30)});
  std::vector<model::Event> batch;
  batch.push_back(Call("c1", t0, "+8613895101234", 100));
  batch.push_back(Call("c2", t0, "+8613895105678", 100));
  d.Process(std::move(batch));
  ASSERT_EQ(d.TakeChangedWarnings().size(), 2u);
  // 31 days on, only the second subject shows a new signal.
  batch.push_back(Call("c3", t0 + absl::Hours(24 * 31), "+8613895105678", 100));
  d.Process(std::move(batch));
  d.TakeChangedWarnings();
  EXPECT_EQ(d.Forget(), 1);
  EXPECT_EQ(d.Forget(), 0);
  std::vector<model::Warning> kept = d.Warnings();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].subject, "+8613895105678");
  // A new signal about the forgotten subject opens a new warning with a new id.
  batch.push_back(Call("c4", t0 + absl::Hours(24 * 31), "+8613895101234", 100));
  d.Process(std::move(batch));
  std::vector<model::Warning> changed = d.TakeChangedWarnings();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].evidence.size(), 1u);
  EXPECT_EQ(changed[0].created_at, t0 + absl::Hours(24 * 31));
}

TEST(Detector, KeepsEveryWarningWithoutRetention) {
  StatusOr<RuleSet> rules = RuleSet::Parse(kMinimal, "r.toml", Types());
  ASSERT_TRUE(rules.ok());
  intel::IntelStore intel;
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  Detector d(*rules, intel, nullptr);
  d.Process(Call("c1", t0, "+8613895101234", 100));
  d.Process(Call("c2", t0 + absl::Hours(24 * 365), "+8613895105678", 100));
  EXPECT_EQ(d.Forget(), 0);
  EXPECT_EQ(d.Warnings().size(), 2u);
}

TEST(Detector, BadCheckpointLeavesStateAlone) {
  StatusOr<RuleSet> rules = RuleSet::Parse(kMinimal, "r.toml", Types());
  ASSERT_TRUE(rules.ok());
  intel::IntelStore intel;
  Detector d(*rules, intel, nullptr);
  d.Process(Call("x1", absl::FromUnixSeconds(1795656600), "+8613895101234", 100));
  const std::string path = std::filesystem::temp_directory_path() / "fz_bad_ckpt.jsonl";
  {
    std::ofstream out(path);
    out << "{\"fanzha_detect_checkpoint\":1}\n{\"s\":\"+86\",\"k\":\"martian\"}\n";
  }
  const Status st = d.LoadCheckpoint(path);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find(":2: "), std::string::npos) << st;
  EXPECT_EQ(d.Warnings().size(), 1u);
  std::remove(path.c_str());
}

TEST(Backtest, ReportsAddedRemovedAndRuleDeltas) {
  StatusOr<RuleSet> base = RuleSet::Parse(kMinimal, "old.toml", Types());
  StatusOr<RuleSet> cand = RuleSet::Parse(R"(
[[rules]]
id = "call.long"
on = "call"
when = "duration_s >= 200"
score = 50
reason = "通话{duration_s}秒"
[[rules]]
id = "call.any"
on = "call"
when = "duration_s > 0 && duration_s < 10"
score = 50
reason = "短通话"
)",
                                          "new.toml", Types());
  ASSERT_TRUE(base.ok() && cand.ok());
  intel::IntelStore intel;
  Backtest bt(*base, *cand, intel, nullptr);
  const absl::Time t0 = absl::FromUnixSeconds(1795656600);
  bt.Process(Call("1", t0, "+8613895100001", 100));  // old only
  bt.Process(Call("2", t0, "+8613895100002", 300));  // both
  bt.Process(Call("3", t0, "+8613895100003", 5));    // new only
  const BacktestResult r = bt.Finish();
  ASSERT_EQ(r.added.size(), 1u);
  EXPECT_EQ(r.added[0].subject, "+8613895100003");
  ASSERT_EQ(r.removed.size(), 1u);
  EXPECT_EQ(r.removed[0].subject, "+8613895100001");
  EXPECT_EQ(r.unchanged, 1);
  ASSERT_EQ(r.rules.size(), 2u);
  EXPECT_EQ(r.rules[0].rule_id, "call.any");
  EXPECT_EQ(r.rules[0].delta(), 1);
  EXPECT_EQ(r.rules[1].rule_id, "call.long");
  EXPECT_EQ(r.rules[1].delta(), -1);
  EXPECT_NE(FormatBacktestReport(r, Types()).find("added 1"), std::string::npos);
}

}  // namespace
}  // namespace fz::detect
