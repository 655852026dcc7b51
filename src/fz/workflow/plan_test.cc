#include "fz/workflow/plan.h"

#include "fz/workflow/workflow_config.h"
#include "gtest/gtest.h"

namespace fz::workflow {
namespace {

using K = StepKind;
using R = StepResult;
using model::WarningLevel;

const WorkflowConfig kConfig = WorkflowConfig::Defaults();

std::optional<StepKind> Next(WarningLevel level, const std::vector<StepRecord>& history) {
  return DecideNextStep(kConfig.PlanFor(level, model::FraudTypeRegistry::kOther), history,
                        kConfig.plans.ai_call_attempts)
      .kind;
}

TEST(Plan, YellowStartsWithAiCallAndRetriesOnce) {
  EXPECT_EQ(Next(WarningLevel::kYellow, {}), K::kAiCall);
  EXPECT_EQ(Next(WarningLevel::kYellow, {{K::kAiCall, R::kNoAnswer}}), K::kAiCall);
}

TEST(Plan, TwoUnansweredAiCallsGoToAnOfficer) {
  NextStep next = DecideNextStep(kConfig.PlanFor(WarningLevel::kYellow, {}),
                                 {{K::kAiCall, R::kNoAnswer}, {K::kAiCall, R::kNoAnswer}}, 2);
  EXPECT_EQ(next.kind, K::kOfficerCall);
  EXPECT_EQ(next.reason, "AI外呼多次未接通，转民警电话");
}

TEST(Plan, UnansweredOfficerCallGoesToTheDoor) {
  EXPECT_EQ(Next(WarningLevel::kOrange, {{K::kOfficerCall, R::kNoAnswer}}), K::kVisit);
}

TEST(Plan, ReachedYellowNeedsNoSms) {
  EXPECT_EQ(Next(WarningLevel::kYellow, {{K::kAiCall, R::kReached}}), K::kSms);
  EXPECT_EQ(Next(WarningLevel::kYellow, {{K::kAiCall, R::kReached}, {K::kSms, R::kDone}}),
            std::nullopt);
}

TEST(Plan, AlreadyTransferredMeansRedStopPaymentThenVisit) {
  NextStep next = DecideNextStep(kConfig.PlanFor(WarningLevel::kYellow, {}),
                                 {{K::kAiCall, R::kAlreadyTransferred}}, 2);
  EXPECT_EQ(next.kind, K::kStopPayment);
  EXPECT_TRUE(next.upgrade_to_red);
  next = DecideNextStep(kConfig.PlanFor(WarningLevel::kYellow, {}),
                        {{K::kAiCall, R::kAlreadyTransferred}, {K::kStopPayment, R::kDone}}, 2);
  EXPECT_EQ(next.kind, K::kVisit);
}

TEST(Plan, RedWithoutTransferSkipsStopPayment) {
  EXPECT_EQ(Next(WarningLevel::kRed, {}), K::kOfficerCall);
  EXPECT_EQ(Next(WarningLevel::kRed, {{K::kOfficerCall, R::kReached}}), K::kVisit);
  EXPECT_EQ(Next(WarningLevel::kRed, {{K::kOfficerCall, R::kReached}, {K::kVisit, R::kReached}}),
            std::nullopt);
}

TEST(Plan, WrongPersonEndsThePlan) {
  EXPECT_EQ(Next(WarningLevel::kRed, {{K::kOfficerCall, R::kWrongPerson}}), std::nullopt);
}

TEST(Plan, VisitDoneOnlyWhenSomebodyWasMet) {
  EXPECT_TRUE(IsVisitDone({K::kVisit, R::kReached}));
  EXPECT_FALSE(IsVisitDone({K::kVisit, R::kNoAnswer}));
  EXPECT_FALSE(IsVisitDone({K::kOfficerCall, R::kReached}));
}

}  // namespace
}  // namespace fz::workflow
