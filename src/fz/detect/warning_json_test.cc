// The warnings JSONL file (warning_json.h): the hand-written writer against nlohmann, and the
// reader.
#include "fz/detect/warning_json.h"

#include <string>

#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "fz/model/fraud_type.h"
#include "fz/model/warning.h"
#include "gtest/gtest.h"

namespace fz::detect {
namespace {

const model::FraudTypeRegistry& Types() {
  static const auto* types = new model::FraudTypeRegistry(model::FraudTypeRegistry::WithBuiltins());
  return *types;
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

}  // namespace
}  // namespace fz::detect
