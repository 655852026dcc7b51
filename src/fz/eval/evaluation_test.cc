#include "fz/eval/evaluation.h"

#include "gtest/gtest.h"

namespace fz::eval {
namespace {

using model::WarningLevel;

// Four victims (one whose loss falls after the window), one targeted non-victim.
constexpr char kTruth[] =
    R"({"kind":"victim","subject":"+8613895100001","fraud_type":"task_rebate","first_loss_ts":"2026-11-23T10:00:00+08:00"}
{"kind":"victim","subject":"+8613895100002","fraud_type":"impersonate_authority","first_loss_ts":"2026-11-23T12:00:00+08:00"}
{"kind":"victim","subject":"+8613895100003","fraud_type":"task_rebate","first_loss_ts":1795395600000}

{"kind":"victim","subject":"13895100004","fraud_type":"romance","first_loss_ts":null}
{"kind":"targeted","subject":"+8613895100005","fraud_type":"task_rebate","engagement":"sms"}
)";

constexpr char kWarnings[] =
    R"({"subject":"+8613895100001","level":"yellow","created_at":"2026-11-23T01:00:00Z","fraud_type":"task_rebate"}
{"subject":"+8613895100002","level":"red","created_at":"2026-11-23T11:00:00+08:00","fraud_type":"impersonate_authority","upgrades":[{"at":"2026-11-23T12:30:00+08:00","from":"orange","to":"red","rule":"r"}]}
{"subject":"+8613895100003","level":"red","created_at":"2026-11-23T09:30:00+08:00","fraud_type":"task_rebate"}
{"subject":"+8613895100004","level":"orange","created_at":"2026-11-23T10:00:00+08:00","fraud_type":"romance"}
{"subject":"+8613895100005","level":"orange","created_at":"2026-11-23T10:00:00+08:00","fraud_type":"task_rebate"}
{"subject":"13800000000","level":"yellow","created_at":1795395600000,"fraud_type":""}
not json
{"subject":"+8613800000001","level":"purple","created_at":"2026-11-23T10:00:00+08:00"}
)";

EvalReport EvaluateSample(WarningLevel min) {
  StatusOr<Truth> truth = ParseTruth(kTruth, "truth.jsonl");
  StatusOr<Warnings> warnings = ParseWarnings(kWarnings, "w.jsonl");
  EXPECT_TRUE(truth.ok() && warnings.ok());
  return Evaluate(*truth, *warnings, EvalOptions{.min_level = min});
}

TEST(EvaluateTest, CountsRecallLeadAndPrecisionAtAnyLevel) {
  EvalReport r = EvaluateSample(WarningLevel::kYellow);
  EXPECT_EQ(r.recall.victims, 3);
  EXPECT_EQ(r.pending_victims, 1);
  EXPECT_EQ(r.recall.warned, 3);
  EXPECT_EQ(r.recall.warned_before_loss, 2);  // the third was warned after its loss
  EXPECT_DOUBLE_EQ(r.share_before_loss, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.recall.median_lead_minutes, 60);
  EXPECT_EQ(r.precision.warnings, 6);
  EXPECT_EQ(r.precision.on_victims, 4);  // the pending victim's warning is true
  EXPECT_DOUBLE_EQ(r.precision.precision, 4.0 / 6.0);
  EXPECT_EQ(r.warnings_on_targeted, 1);
  EXPECT_EQ(r.warnings_on_others, 1);
  EXPECT_EQ(r.bad_warning_lines, 2);
  EXPECT_EQ(r.by_fraud_type["task_rebate"].victims, 2);
  EXPECT_EQ(r.by_fraud_type["task_rebate"].warned_before_loss, 1);
  EXPECT_EQ(r.by_level["red"].warnings, 2);
  EXPECT_EQ(r.by_level["red"].on_victims, 2);
  EXPECT_EQ(r.by_warning_type["-"].warnings, 1);
}

TEST(EvaluateTest, MinimumLevelCountsFromWhenTheWarningReachedIt) {
  EvalReport orange = EvaluateSample(WarningLevel::kOrange);
  EXPECT_EQ(orange.warnings_below_min_level, 2);
  EXPECT_EQ(orange.precision.warnings, 4);
  EXPECT_EQ(orange.precision.on_victims, 3);
  EXPECT_EQ(orange.recall.warned, 2);
  EXPECT_EQ(orange.recall.warned_before_loss, 1);

  // Victim 2 became red only at 12:30, after the 12:00 loss.
  EvalReport red = EvaluateSample(WarningLevel::kRed);
  EXPECT_EQ(red.recall.warned, 2);
  EXPECT_EQ(red.recall.warned_before_loss, 0);
  EXPECT_DOUBLE_EQ(red.recall.median_lead_minutes, 0);
}

TEST(EvaluateTest, EmptyInputsGiveZeroesNotNaN) {
  EvalReport r = Evaluate(Truth{}, Warnings{}, EvalOptions{});
  EXPECT_EQ(r.share_before_loss, 0);
  EXPECT_EQ(r.precision.precision, 0);
  EXPECT_FALSE(FormatReport(r).empty());
  EXPECT_NE(ReportJson(r).find("\"precision\": 0"), std::string::npos);
}

TEST(EvaluateTest, BadLinesAreCountedWithFileAndLine) {
  StatusOr<Truth> truth = ParseTruth(
      "{\"kind\":\"victim\"}\n[1]\n{\"kind\":\"victim\",\"subject\":"
      "\"+8613895100001\",\"first_loss_ts\":\"yesterday\"}\n",
      "t.jsonl");
  ASSERT_TRUE(truth.ok());
  EXPECT_EQ(truth->bad_lines, 3);
  ASSERT_EQ(truth->errors.size(), 3u);
  EXPECT_EQ(truth->errors[0], "t.jsonl:1: subject: missing");
  EXPECT_EQ(truth->errors[1], "t.jsonl:2: not a JSON object");
  EXPECT_EQ(truth->errors[2].rfind("t.jsonl:3: first_loss_ts: bad timestamp", 0), 0u);
}

TEST(ParseEvalTimeTest, AcceptsOffsetsZuluAndEpochMillis) {
  StatusOr<absl::Time> a = ParseEvalTime("2026-11-23T09:30:00+08:00");
  StatusOr<absl::Time> b = ParseEvalTime("2026-11-23T01:30:00Z");
  StatusOr<absl::Time> c = ParseEvalTime("1795397400000");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_FALSE(ParseEvalTime("2026-11-23 09:30").ok());
  EXPECT_FALSE(ParseEvalTime("").ok());
  EXPECT_FALSE(ParseEvalTime("99999999999999999999999").ok());
}

TEST(EvaluateTest, MissingFilesAreErrors) {
  EXPECT_FALSE(LoadTruth("/nonexistent/truth.jsonl").ok());
  EXPECT_FALSE(LoadWarnings("/nonexistent/w.jsonl").ok());
}

}  // namespace
}  // namespace fz::eval
