#include "fz/workflow/workflow_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::workflow {
namespace {

using model::WarningLevel;
using ::testing::HasSubstr;

StatusOr<WorkflowConfig> Parse(std::string_view text) {
  FZ_ASSIGN_OR_RETURN(Config config, Config::Parse(text, "wf.toml"));
  return WorkflowConfig::FromConfig(config, model::FraudTypeRegistry::WithBuiltins());
}

TEST(WorkflowConfig, DefaultsComeFromDomain) {
  WorkflowConfig c = WorkflowConfig::Defaults();
  EXPECT_EQ(c.sla.For(WarningLevel::kRed).accept, absl::Minutes(2));
  EXPECT_EQ(c.sla.For(WarningLevel::kOrange).visit, absl::Hours(24));
  EXPECT_FALSE(c.sla.For(WarningLevel::kYellow).visit_required);
  EXPECT_EQ(c.stop_payment.duration, absl::Hours(48));
  EXPECT_EQ(c.stop_payment.max_per_account, 2);
}

TEST(WorkflowConfig, OverridesAndFraudTypePlans) {
  StatusOr<WorkflowConfig> c = Parse(R"(
[sla.red]
accept = "1m"
[follow_up]
after = "3d"
[plans.by_fraud_type.fake_investment]
orange = ["officer_call", "stop_payment"]
[routing.phone_prefix_units]
"+869515" = "640104"
)");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->sla.For(WarningLevel::kRed).accept, absl::Minutes(1));
  EXPECT_EQ(c->sla.For(WarningLevel::kRed).first_contact, absl::Minutes(5));
  EXPECT_EQ(c->follow_up_after, absl::Hours(72));
  auto investment = *model::FraudTypeRegistry::WithBuiltins().Find("fake_investment");
  EXPECT_EQ(c->PlanFor(WarningLevel::kOrange, investment),
            (std::vector<StepKind>{StepKind::kOfficerCall, StepKind::kStopPayment}));
  EXPECT_EQ(c->PlanFor(WarningLevel::kRed, investment).size(), 4u);
  EXPECT_EQ(c->routing.phone_prefix_units.at("+869515").value(), "640104");
}

TEST(WorkflowConfig, ErrorsNameFileLineAndKey) {
  StatusOr<WorkflowConfig> c = Parse("[sla.red]\naccept = \"soon\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("wf.toml:2"));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("sla.red.accept"));
  c = Parse("[sla.red]\naccpet = \"1m\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("accpet"));
  c = Parse("[plans]\nred = [\"telepathy\"]\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("plans.red[0]: 'telepathy'"));
  c = Parse("[plans.by_fraud_type.nonsense]\nred = [\"visit\"]\n");
  EXPECT_FALSE(c.ok());
}

}  // namespace
}  // namespace fz::workflow
