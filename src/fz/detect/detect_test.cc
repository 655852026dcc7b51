// Unit tests for rule files, scoring, people, warning JSON and checkpoints. Behaviour over whole
// event streams is in the scenario files (tests/rules/*.test).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "fz/common/str_cat.h"
#include "fz/detect/backtest.h"
#include "fz/detect/detector.h"
#include "fz/detect/people.h"
#include "fz/detect/rule_set.h"
#include "fz/detect/subject.h"
#include "fz/detect/warning_json.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone.h"
#include "fz/normalize/simple_csv.h"
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

// Events handed over by reference give the same warnings as the same events by value, and
// the owner is released once the shards are done with them.
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
  std::vector<model::Warning> a = by_value.Warnings();
  std::vector<model::Warning> b = by_ref.Warnings();
  ASSERT_EQ(a.size(), 7u);
  ASSERT_EQ(b.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(b[i].id, a[i].id);
    EXPECT_EQ(b[i].subject, a[i].subject);
    EXPECT_EQ(b[i].evidence.size(), a[i].evidence.size());
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

TEST(People, LoadsRowsAndRejectsBadOnesWithLines) {
  std::vector<RejectedPerson> rejected;
  StatusOr<PeopleIndex> p = PeopleIndex::ParseCsv(
      "person_id,name,id_no,phones,address,unit_code,tags\n"
      "p1,王某,640104195003071238,13895107777;0951-5012345,兴庆区,640104001,elderly_alone\n"
      "p2,错号,640104195003071239,13895100000,,,\n"
      "p3,坏电话,,12ab,,,\n"
      "p4,\"未闭合,,13895100001,,,\n",
      "people.csv", &rejected);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->size(), 1u);
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].line, 3);
  EXPECT_EQ(rejected[0].reason.substr(0, 10), "bad_id_no:");
  EXPECT_EQ(rejected[1].line, 4);
  EXPECT_EQ(rejected[1].reason.substr(0, 10), "bad_phone:");
  EXPECT_EQ(rejected[2].reason.substr(0, 8), "bad_csv:");
  const model::Person* person = p->FindByPhone("+869515012345");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person, p->FindByIdNo("640104195003071238"));
  absl::Time at;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-03-06T23:00:00+08:00", &at, nullptr));
  EXPECT_EQ(p->AgeAt(*person, at), 75);  // birthday 1950-03-07 not yet reached
  EXPECT_EQ(p->AgeAt(*person, at + absl::Hours(1)), 76);
  EXPECT_FALSE(PeopleIndex::ParseCsv("name,phones\n", "x.csv", nullptr).ok());
}

// The people loader's shortcuts (records without quotes split as views, phones through
// PhoneNormalizer::NormalizeKey) against the plain way — SplitCsvRecord for every record and
// NormalizePhone for every phone — on generated rows: quoted fields with commas, phone lists
// with good and bad numbers, valid, invalid and empty ID numbers, short and long rows, comments.
TEST(People, ShortcutsMatchTheReferenceRowByRow) {
  std::mt19937 rng(50);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[rng() % v.size()];
  };
  const std::vector<std::string> phones = {
      "13895107777",   "0951-5012345",   "+855 12 345 678", "12ab",     "",
      " 13951000007 ", "+8613895100001", "95588",           "138951000"};
  const std::vector<std::string> ids = {
      "", "", "640104195003071238", "640104195003071239", "64010419500307123X", "abc"};
  const std::vector<std::string> names = {"王某", "\"李, 某\"", "", "居民1", "\"say \"\"hi\"\"\""};
  std::string csv = "person_id,name,id_no,phones,address,unit_code,tags\n";
  std::vector<std::string> lines = {"", "header"};
  for (int i = 0; i < 3000; ++i) {
    std::string line;
    const unsigned r = rng() % 50;
    if (r == 0) {
      line = "# comment";
    } else if (r == 1) {
      line = "p9,\"unterminated,,13895100001,,,";
    } else if (r == 2) {
      line = fz::StrCat("p", i, ",short");
    } else {
      std::string list = pick(phones);
      for (unsigned k = rng() % 3; k > 0; --k) list += ";" + pick(phones);
      if (rng() % 4 == 0) list = "\"" + list + "\"";
      line = fz::StrCat(rng() % 30 == 0 ? "" : fz::StrCat("p", rng() % 2000), ",", pick(names), ",",
                        pick(ids), ",", list, ",银川市,640104001,",
                        rng() % 2 == 0 ? "elderly_alone" : "student; loan_seeker",
                        rng() % 20 == 0 ? ",extra" : "");
    }
    csv += line + "\n";
    lines.push_back(line);
  }
  std::vector<RejectedPerson> rejected;
  StatusOr<PeopleIndex> people = PeopleIndex::ParseCsv(csv, "people.csv", &rejected);
  ASSERT_TRUE(people.ok()) << people.status();

  // The reference: as people.cc read every row before it had shortcuts.
  auto split_list = [](std::string_view s) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
      const size_t semi = s.find(';');
      std::string_view item = s.substr(0, semi);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.push_back(item);
      if (semi == std::string_view::npos) break;
      s.remove_prefix(semi + 1);
    }
    return out;
  };
  std::vector<std::pair<int64_t, std::string>> expected_rejects;
  std::vector<model::Person> expected;
  for (size_t line_no = 2; line_no < lines.size(); ++line_no) {
    const std::string& line = lines[line_no];
    if (line.empty() || line.front() == '#') continue;
    auto reject = [&](std::string reason) {
      expected_rejects.emplace_back(static_cast<int64_t>(line_no), std::move(reason));
    };
    StatusOr<std::vector<std::string>> f = normalize::SplitCsvRecord(line);
    if (!f.ok()) {
      reject(fz::StrCat("bad_csv: ", f.status().message()));
      continue;
    }
    auto at = [&](size_t i) -> std::string { return i < f->size() ? (*f)[i] : ""; };
    model::Person p;
    if (at(0).empty()) {
      reject("missing_field: person_id");
      continue;
    }
    p.id = model::PersonId(at(0));
    p.name = at(1);
    p.address = at(4);
    p.unit = model::UnitCode(at(5));
    if (!at(2).empty()) {
      StatusOr<normalize::IdCardInfo> id =
          normalize::NormalizeIdCard(at(2), absl::CivilDay(2199, 12, 31));
      if (!id.ok()) {
        reject(fz::StrCat("bad_id_no: ", id.status().message()));
        continue;
      }
      p.id_no = id->number;
    }
    std::string bad;
    int n = 0;
    const std::string phone_list = at(3);
    for (std::string_view raw : split_list(phone_list)) {
      StatusOr<normalize::PhoneInfo> phone = normalize::NormalizePhone(raw);
      if (!phone.ok()) {
        bad = fz::StrCat("bad_phone: phones[", n, "]: ", phone.status().message());
        break;
      }
      p.phones.emplace_back(phone->canonical);
      ++n;
    }
    if (!bad.empty()) {
      reject(bad);
      continue;
    }
    if (p.phones.empty() && p.id_no.empty()) {
      reject("missing_field: a person needs phones or id_no");
      continue;
    }
    const std::string tags = at(6);
    for (std::string_view tag : split_list(tags)) p.tags.emplace_back(tag);
    expected.push_back(std::move(p));
  }
  ASSERT_EQ(rejected.size(), expected_rejects.size());
  for (size_t i = 0; i < rejected.size(); ++i) {
    EXPECT_EQ(rejected[i].line, expected_rejects[i].first);
    EXPECT_EQ(rejected[i].reason, expected_rejects[i].second);
    EXPECT_EQ(rejected[i].raw, lines[static_cast<size_t>(rejected[i].line)]);
  }
  const std::vector<model::Person>& all = people->all();
  ASSERT_EQ(all.size(), expected.size());
  ASSERT_GT(all.size(), 500u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].id.value(), expected[i].id.value());
    EXPECT_EQ(all[i].name, expected[i].name);
    EXPECT_EQ(all[i].id_no, expected[i].id_no);
    ASSERT_EQ(all[i].phones.size(), expected[i].phones.size());
    for (size_t k = 0; k < all[i].phones.size(); ++k) {
      EXPECT_EQ(all[i].phones[k].value(), expected[i].phones[k].value());
    }
    EXPECT_EQ(all[i].address, expected[i].address);
    EXPECT_EQ(all[i].unit.value(), expected[i].unit.value());
    EXPECT_EQ(all[i].tags, expected[i].tags);
  }
}

TEST(People, EditsReplaceAndRemovalsForget) {
  PeopleIndex people;
  model::Person p;
  p.id = model::PersonId("p1");
  p.name = "王某";
  p.phones = {model::PhoneNumber("+8613895107777"), model::PhoneNumber("+8613895108888")};
  people.Add(p);
  ASSERT_NE(people.FindByPhone("+8613895108888"), nullptr);
  // The person changed numbers: the old one no longer finds them, the new one does.
  p.phones = {model::PhoneNumber("+8613895107777"), model::PhoneNumber("+8613895109999")};
  people.Add(p);
  EXPECT_EQ(people.FindByPhone("+8613895108888"), nullptr);
  ASSERT_NE(people.FindByPhone("+8613895109999"), nullptr);
  EXPECT_EQ(people.FindByPhone("+8613895107777"), people.FindByPhone("+8613895109999"));
  // Another person takes over a number; removing the first keeps the second's.
  model::Person q;
  q.id = model::PersonId("p2");
  q.phones = {model::PhoneNumber("+8613895107777")};
  people.Add(q);
  EXPECT_TRUE(people.Remove(model::PersonId("p1")));
  EXPECT_FALSE(people.Remove(model::PersonId("p1")));
  EXPECT_EQ(people.FindByPhone("+8613895109999"), nullptr);
  const model::Person* found = people.FindByPhone("+8613895107777");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id.value(), "p2");
}

// The warnings file was written with nlohmann::ordered_json; the hand-written writer must give
// the same bytes, for awkward text and times too.
std::string WarningToJsonWithNlohmann(const model::Warning& w) {
  auto ts = [](absl::Time t) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", t, absl::FixedTimeZone(8 * 3600));
  };
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["id"] = w.id.value();
  j["subject"] = w.subject;
  j["subject_kind"] = std::string(model::SubjectKindName(w.subject_kind));
  j["level"] = std::string(model::WarningLevelName(w.level));
  j["score"] = std::round(w.score * 100) / 100;
  j["fraud_type"] = Types().Info(w.fraud_type).code;
  j["unit_code"] = w.unit.value();
  j["rules"] = w.rule_ids;
  j["created_at"] = ts(w.created_at);
  j["updated_at"] = ts(w.updated_at);
  nlohmann::ordered_json ups = nlohmann::ordered_json::array();
  for (const model::LevelChange& u : w.upgrades) {
    ups.push_back(nlohmann::ordered_json{{"at", ts(u.at)},
                                         {"from", std::string(model::WarningLevelName(u.from))},
                                         {"to", std::string(model::WarningLevelName(u.to))},
                                         {"rule", u.rule_id}});
  }
  j["upgrades"] = std::move(ups);
  nlohmann::ordered_json evs = nlohmann::ordered_json::array();
  for (const model::Evidence& e : w.evidence) {
    evs.push_back(nlohmann::ordered_json{{"event_id", e.event_id.value()},
                                         {"type", std::string(model::EventTypeName(e.event_type))},
                                         {"ts", ts(e.time)},
                                         {"rule", e.rule_id},
                                         {"reason", e.reason},
                                         {"indicator", e.indicator}});
  }
  j["evidence"] = std::move(evs);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

TEST(WarningJson, HandWrittenMatchesNlohmann) {
  static constexpr char kControls[] = "nul \0 bell \x07 del \x7f";
  model::Warning w;
  w.id = model::WarningId(7305128803412345678);
  w.subject = "+8613895101234";
  w.subject_kind = model::SubjectKind::kAccount;
  w.level = model::WarningLevel::kOrange;
  w.fraud_type = *Types().Find("fake_loan");
  w.unit = model::UnitCode("640104001");
  w.rule_ids = {"call.intel_long", "sms.text_pattern"};
  w.created_at = absl::FromUnixMillis(1795656600123);  // sub-second
  w.updated_at = absl::FromUnixSeconds(1795656600) + absl::Hours(30);
  w.upgrades.push_back(
      {w.updated_at, model::WarningLevel::kYellow, model::WarningLevel::kOrange, "x\"y"});
  const std::string texts[] = {"与涉诈号码通话",
                               "quote \" backslash \\ tab \t cr \r nl \n",
                               std::string(kControls, sizeof(kControls) - 1),
                               "cut \xE6\xB6 short",
                               "bad \xFF\xFE bytes",
                               "emoji \xF0\x9F\x98\x80"};
  for (const std::string& text : texts) {
    model::Evidence e;
    e.event_id = model::EventId(text);
    e.event_type = model::EventType::kSms;
    e.time = absl::FromUnixSeconds(1795656600);
    e.rule_id = "sms.text_pattern";
    e.reason = text;
    e.indicator = "url:http://a.top/?q=\"1\"";
    w.evidence.push_back(e);
  }
  for (double score : {0.0, 1.0, 45.5, 33.333333, 120.004999, 1e21, 99.995}) {
    w.score = score;
    EXPECT_EQ(WarningToJson(w, Types()), WarningToJsonWithNlohmann(w)) << score;
  }
  w.created_at = absl::InfiniteFuture();
  EXPECT_EQ(WarningToJson(w, Types()), WarningToJsonWithNlohmann(w));
}

TEST(WarningJson, RoundTrips) {
  model::Warning w;
  w.id = model::WarningId(42);
  w.subject = "+8613895101234";
  w.level = model::WarningLevel::kRed;
  w.score = 123.456;
  w.fraud_type = *Types().Find("task_rebate");
  w.rule_ids = {"a", "b"};
  w.created_at = absl::FromUnixSeconds(1795656600);
  w.updated_at = w.created_at + absl::Minutes(5);
  w.upgrades.push_back(
      {w.updated_at, model::WarningLevel::kOrange, model::WarningLevel::kRed, "b"});
  model::Evidence e;
  e.event_id = model::EventId("c1");
  e.time = w.created_at;
  e.rule_id = "a";
  e.reason = "与涉诈号码通话";
  e.indicator = "phone:+85517652903";
  w.evidence.push_back(e);
  const std::string line = WarningToJson(w, Types());
  EXPECT_NE(line.find("\"created_at\":\"2026-11-26T09:30:00+08:00\""), std::string::npos) << line;
  StatusOr<model::Warning> back = WarningFromJson(line, Types());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(WarningToJson(*back, Types()), line);
  EXPECT_EQ(std::string(WarningFromJson(R"({"id":1})", Types()).status().message()),
            "subject: missing");
  EXPECT_FALSE(WarningFromJson("{", Types()).ok());
  const std::string bad_level = std::string(line).replace(line.find("\"red\""), 5, "\"pink\"");
  EXPECT_EQ(std::string(WarningFromJson(bad_level, Types()).status().message()),
            "level: 'pink' is not a level");
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
