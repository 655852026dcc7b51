#include "fz/workflow/sla.h"

#include "fz/common/clock.h"
#include "fz/workflow/stop_payment.h"
#include "gtest/gtest.h"

namespace fz::workflow {
namespace {

using model::WarningLevel;

const WorkflowConfig kConfig = WorkflowConfig::Defaults();
const std::string kPath = "/640100/640104/640104001/";

TEST(Sla, RedClocksFromDomainDefaults) {
  SimulatedClock clock(absl::FromUnixSeconds(1'700'000'000));
  std::vector<SlaTimer> timers = StartClocks(WarningLevel::kRed, clock.Now(), kConfig.sla);
  ASSERT_EQ(timers.size(), 3u);
  EXPECT_EQ(timers[0].first_due - clock.Now(), absl::Minutes(2));
  EXPECT_EQ(timers[1].first_due - clock.Now(), absl::Minutes(5));
  EXPECT_EQ(timers[2].first_due - clock.Now(), absl::Minutes(60));
  EXPECT_EQ(timers[2].second_due - clock.Now(), absl::Minutes(120));
  EXPECT_EQ(StartClocks(WarningLevel::kYellow, clock.Now(), kConfig.sla).size(), 2u);
}

TEST(Sla, EscalatesToParentThenCity) {
  SimulatedClock clock(absl::FromUnixSeconds(1'700'000'000));
  SlaTimer accept = StartClocks(WarningLevel::kRed, clock.Now(), kConfig.sla)[0];
  clock.Advance(absl::Minutes(1));
  EXPECT_FALSE(NextEscalation(accept, clock.Now(), kPath).has_value());
  clock.Advance(absl::Minutes(1));  // exactly at the first deadline
  std::optional<Escalation> e = NextEscalation(accept, clock.Now(), kPath);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->stage, 1);
  EXPECT_EQ(e->target.value(), "640104");
  EXPECT_EQ(e->reason, "签收超时（2分钟），督办至上级单位 640104");
  EXPECT_FALSE(NextEscalation(accept, clock.Now(), kPath).has_value());
  clock.Advance(absl::Minutes(2));
  e = NextEscalation(accept, clock.Now(), kPath);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->stage, 2);
  EXPECT_EQ(e->target.value(), "640100");
  EXPECT_FALSE(NextEscalation(accept, clock.Now() + absl::Hours(100), kPath).has_value());
}

TEST(Sla, LongOverdueYieldsBothStagesInOrder) {
  SlaTimer t = StartClock(SlaClock::kVisit, absl::Hours(1), absl::UnixEpoch(), 2.0);
  absl::Time late = absl::UnixEpoch() + absl::Hours(5);
  EXPECT_EQ(NextEscalation(t, late, kPath)->stage, 1);
  EXPECT_EQ(NextEscalation(t, late, kPath)->stage, 2);
}

TEST(Sla, MetTimerNeverEscalates) {
  SlaTimer t = StartClock(SlaClock::kAccept, absl::Minutes(2), absl::UnixEpoch(), 2.0);
  t.met_at = absl::UnixEpoch() + absl::Minutes(1);
  EXPECT_FALSE(NextEscalation(t, absl::UnixEpoch() + absl::Hours(1), kPath).has_value());
}

TEST(Sla, CityQueueEscalatesToTheCity) {
  SlaTimer t = StartClock(SlaClock::kAccept, absl::Minutes(2), absl::UnixEpoch(), 2.0);
  EXPECT_EQ(NextEscalation(t, absl::UnixEpoch() + absl::Minutes(3), "/640100/")->target.value(),
            "640100");
}

TEST(Sla, UpgradeShortensUnmetClocksAndAddsVisit) {
  std::vector<SlaTimer> timers = StartClocks(WarningLevel::kYellow, absl::UnixEpoch(), kConfig.sla);
  timers[0].met_at = absl::UnixEpoch();
  std::vector<SlaTimer> changed = AdjustForLevel(timers, WarningLevel::kRed, kConfig.sla);
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].clock, SlaClock::kFirstContact);
  EXPECT_EQ(changed[0].first_due, absl::UnixEpoch() + absl::Minutes(5));
  EXPECT_EQ(changed[1].clock, SlaClock::kVisit);
}

TEST(StopPayment, AtMostTwoStopsPerAccount) {
  StopPaymentRequest r;
  r.request_no = "ZF-1";
  r.warning = model::WarningId(5);
  r.stop_bank = "ICBC";
  r.stop_account = "6222021234567890128";
  r.amount_requested.fen = 5'000'000;
  EXPECT_TRUE(CheckNewStop(r, 1, kConfig.stop_payment).ok());
  Status s = CheckNewStop(r, 2, kConfig.stop_payment);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(s.message()),
            "stop-payment ZF-1: account already stopped 2 times (at most 2)");
  r.amount_requested.fen = 0;
  EXPECT_EQ(CheckNewStop(r, 0, kConfig.stop_payment).code(), absl::StatusCode::kInvalidArgument);
}

TEST(StopPayment, ExpiresAfter48Hours) {
  StopPaymentRequest r;
  r.result = StopResult::kSucceeded;
  r.stop_start = absl::UnixEpoch();
  r.stop_end = StopEnd(*r.stop_start, kConfig.stop_payment);
  EXPECT_FALSE(StopExpired(r, absl::UnixEpoch() + absl::Hours(47)));
  EXPECT_TRUE(StopExpired(r, absl::UnixEpoch() + absl::Hours(48)));
}

}  // namespace
}  // namespace fz::workflow
