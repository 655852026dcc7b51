// Scenarios on a simulated clock: warnings of every level walked through every path
// (escalation at both deadlines, re-routing, hand-over, follow-up, defrauded → case → pending
// indicators, 劝阻后发案, restart), on SQLite and PostgreSQL.
#include "fz/common/str_cat.h"
#include "fz/store/testing/store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::WarningLevel;
using workflow::SlaClock;
using workflow::StepKind;
using workflow::StepResult;
using workflow::WarningState;

class ScenarioTest : public StoreTest {
 protected:
  model::WarningId IngestAtStation(int64_t id, WarningLevel level) {
    model::Warning w = MakeWarning(id, "+8613895101234", level, StrCat("ev-", id));
    StatusOr<workflow::RoutedWarning> routed = policy_->Intake(w, {.cell_id = "cell-station"});
    EXPECT_TRUE(routed.ok());
    EXPECT_TRUE(store_->Ingest({*routed}, System()).ok());
    return w.id;
  }

  std::vector<EscalationRecord> TickAt(absl::Duration since_start) {
    StatusOr<std::vector<EscalationRecord>> r = store_->Tick(start_ + since_start);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<EscalationRecord>{};
  }

  StepOutcome Step(model::WarningId id, StepKind kind, StepResult result, const std::string& req,
                   const workflow::Actor& actor) {
    StatusOr<StepOutcome> r = store_->RecordStep(
        {.request_id = req, .warning = id, .kind = kind, .result = result, .actor = actor});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : StepOutcome();
  }

  WarningDetail Detail(model::WarningId id) {
    StatusOr<WarningDetail> d = store_->GetWarning(id, Dispatcher());
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() ? *d : WarningDetail();
  }

  absl::Time start_ = clock_.Now();
  const std::string station_ = "640104001";
};

TEST_P(ScenarioTest, RedEscalatesAtBothDeadlinesThenIsDissuadedAndFollowedUp) {
  model::WarningId id = IngestAtStation(1, WarningLevel::kRed);
  EXPECT_TRUE(TickAt(absl::Minutes(1)).empty());
  std::vector<EscalationRecord> first = TickAt(absl::Minutes(2));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].clock, SlaClock::kAccept);
  EXPECT_EQ(first[0].stage, 1);
  EXPECT_EQ(first[0].target.value(), "640104");   // the station's district bureau
  EXPECT_TRUE(TickAt(absl::Minutes(2)).empty());  // each escalation once
  // Restart: the timers are in the database.
  Reopen();
  std::vector<EscalationRecord> second = TickAt(absl::Minutes(4));
  // accept reaches its second deadline (→ city), first contact (5 min) not yet.
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].stage, 2);
  EXPECT_EQ(second[0].target.value(), "640100");
  clock_.SetTime(start_ + absl::Minutes(4) + absl::Seconds(30));
  workflow::Actor officer = Officer(station_);
  Move(id, WarningState::kAccepted, officer, "r1-accept");
  StepOutcome call = Step(id, StepKind::kOfficerCall, StepResult::kReached, "r1-call", officer);
  EXPECT_EQ(call.next.kind, StepKind::kVisit);
  Move(id, WarningState::kContacting, officer, "r1-contact");
  EXPECT_TRUE(TickAt(absl::Minutes(20)).empty());  // contact met at 4.5 min, visit due at 60
  clock_.SetTime(start_ + absl::Minutes(40));
  StepOutcome visit = Step(id, StepKind::kVisit, StepResult::kReached, "r1-visit", officer);
  EXPECT_FALSE(visit.next.kind.has_value());
  Move(id, WarningState::kDissuaded, officer, "r1-dissuaded");
  EXPECT_TRUE(TickAt(absl::Hours(5)).empty());  // every clock met
  WarningDetail d = Detail(id);
  EXPECT_EQ(d.summary.state, WarningState::kFollowUp);
  ASSERT_TRUE(d.follow_up.has_value());
  EXPECT_EQ(d.follow_up->due_at, start_ + absl::Minutes(40) + absl::Hours(24 * 7));
  EXPECT_EQ(d.escalations.size(), 2u);
  // Follow-up is due a week later and closes the warning.
  StatusOr<std::vector<workflow::FollowUp>> due =
      store_->DueFollowUps(start_ + absl::Hours(24 * 8), Officer(station_));
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  Move(id, WarningState::kClosed, officer, "r1-close");
  EXPECT_EQ(Detail(id).follow_up->result, "ok");
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640104"), start_ - absl::Hours(1), start_ + absl::Hours(1)}, Dispatcher());
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->warnings, 1);
  EXPECT_EQ(k->visits_required, 1);
  EXPECT_EQ(k->visits_done, 1);
  EXPECT_EQ(*k->visit_rate, 1.0);
  EXPECT_EQ(*k->dissuasion_rate, 1.0);
  EXPECT_EQ(k->overdue, 1);
  EXPECT_EQ(k->escalations, 2);
  EXPECT_EQ(k->first_contact.at("red").count, 1);
  // The first call was at 4.5 minutes: within the bucket's 15%.
  EXPECT_GE(k->first_contact.at("red").p50_s, 270);
  EXPECT_LE(k->first_contact.at("red").p50_s, 270 * 1.15);
  StatusOr<AuditVerification> v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST_P(ScenarioTest, OrangeReroutedThenUnreachableWithVisitEscalation) {
  // A Yinchuan mobile without an address lands in the city triage queue.
  model::Warning w = MakeWarning(2, "+8613895101234", WarningLevel::kOrange, "ev-2");
  model::WarningId id = IngestOne(w);
  EXPECT_EQ(Detail(id).summary.queue, workflow::RouteQueue::kCityTriage);
  clock_.SetTime(start_ + absl::Minutes(3));
  TransitionRequest reroute{.request_id = "r2-route",
                            .warning = id,
                            .to = WarningState::kDispatched,
                            .actor = Dispatcher(),
                            .note = "住址在凤凰北街"};
  reroute.reroute = *policy_->Manual(model::UnitCode(station_), "住址在凤凰北街");
  reroute.reroute_path = *policy_->PathOf(model::UnitCode(station_));
  ASSERT_TRUE(store_->ApplyTransition(reroute).ok());
  // The accept clock restarted at 3 min: nothing due at 12 min, due at 13.
  EXPECT_TRUE(TickAt(absl::Minutes(12)).empty());
  ASSERT_EQ(TickAt(absl::Minutes(13)).size(), 1u);
  workflow::Actor officer = Officer(station_);
  clock_.SetTime(start_ + absl::Minutes(14));
  Move(id, WarningState::kAccepted, officer, "r2-accept");
  Move(id, WarningState::kContacting, officer, "r2-contact");
  EXPECT_EQ(Step(id, StepKind::kOfficerCall, StepResult::kNoAnswer, "r2-call", officer).next.kind,
            StepKind::kVisit);
  // The visit clock (24 h) escalates to the district, then at 48 h to the city.
  std::vector<EscalationRecord> day1 = TickAt(absl::Hours(24));
  ASSERT_EQ(day1.size(), 1u);
  EXPECT_EQ(day1[0].clock, SlaClock::kVisit);
  EXPECT_EQ(day1[0].target.value(), "640104");
  std::vector<EscalationRecord> day2 = TickAt(absl::Hours(48));
  ASSERT_EQ(day2.size(), 1u);
  EXPECT_EQ(day2[0].target.value(), "640100");
  Step(id, StepKind::kVisit, StepResult::kNotFound, "r2-visit", officer);
  Move(id, WarningState::kUnreachable, officer, "r2-unreachable");
  Move(id, WarningState::kClosed, officer, "r2-close");
  WarningDetail d = Detail(id);
  EXPECT_EQ(d.summary.state, WarningState::kClosed);
  EXPECT_EQ(d.routes.size(), 2u);
  EXPECT_EQ(d.routes[1].basis, "manual");
  EXPECT_EQ(d.summary.unit.value(), station_);
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640100"), start_ - absl::Hours(1), start_ + absl::Hours(1)}, Dispatcher());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->visits_required, 1);
  EXPECT_EQ(k->visits_done, 0);
  EXPECT_EQ(*k->dissuasion_rate, 0.0);
}

TEST_P(ScenarioTest, YellowAiCallsThenTransferMeansRedStopPaymentAndCase) {
  model::WarningId id = IngestAtStation(3, WarningLevel::kYellow);
  workflow::Actor system = System();
  EXPECT_EQ(Step(id, StepKind::kAiCall, StepResult::kNoAnswer, "r3-ai1", system).next.kind,
            StepKind::kAiCall);
  EXPECT_EQ(Step(id, StepKind::kAiCall, StepResult::kNoAnswer, "r3-ai2", system).next.kind,
            StepKind::kOfficerCall);
  // Re-delivered step: recorded once.
  EXPECT_TRUE(Step(id, StepKind::kAiCall, StepResult::kNoAnswer, "r3-ai2", system).replayed);
  workflow::Actor officer = Officer(station_);
  Move(id, WarningState::kAccepted, officer, "r3-accept");
  Move(id, WarningState::kContacting, officer, "r3-contact");
  StepOutcome transferred =
      Step(id, StepKind::kOfficerCall, StepResult::kAlreadyTransferred, "r3-call", officer);
  EXPECT_TRUE(transferred.upgraded_to_red);
  EXPECT_EQ(transferred.next.kind, StepKind::kStopPayment);
  EXPECT_EQ(Detail(id).summary.level, WarningLevel::kRed);
  EXPECT_EQ(Detail(id).timers.size(), 3u);  // a visit clock now runs
  workflow::StopPaymentRequest stop;
  stop.request_no = "ZF-3";
  stop.warning = id;
  stop.stop_bank = "中国建设银行";
  stop.stop_account = "6217000000000000001";
  stop.amount_requested.fen = 12'000'000;
  ASSERT_TRUE(store_->RequestStopPayment(stop, officer).ok());
  EXPECT_EQ(Step(id, StepKind::kStopPayment, StepResult::kDone, "r3-stop", officer).next.kind,
            StepKind::kVisit);
  TransitionRequest defrauded{.request_id = "r3-defrauded",
                              .warning = id,
                              .to = WarningState::kDefrauded,
                              .actor = officer};
  defrauded.case_draft =
      workflow::CaseDraft{.victim_name = "王五",
                          .victim_phone = "+8613895101234",
                          .victim_id_no = "",
                          .loss = {12'000'000},
                          .fraud_type = {2},
                          .suspects = {{model::IndicatorKind::kAccount, "6217000000000000001"},
                                       {model::IndicatorKind::kPhone, "+85512345678"}}};
  ASSERT_TRUE(store_->ApplyTransition(defrauded).ok());
  ASSERT_TRUE(store_->ApplyTransition(defrauded).ok());  // re-delivered: one case
  EXPECT_EQ(*store_->CountRows("cases"), 1);
  StatusOr<std::vector<workflow::PendingIndicator>> pending =
      store_->PendingIndicators(Dispatcher());
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].identifier.value, "6217000000000000001");
  EXPECT_EQ((*pending)[0].source, "case:1");
  // The analyst confirms the account and rejects the phone; officers may not.
  EXPECT_EQ(store_->ReviewPendingIndicator((*pending)[0].id, true, officer).status().code(),
            absl::StatusCode::kPermissionDenied);
  workflow::Actor analyst{
      .user = "li", .role = workflow::Role::kAnalyst, .unit = model::UnitCode("640100")};
  ASSERT_TRUE(store_->ReviewPendingIndicator((*pending)[0].id, true, analyst).ok());
  ASSERT_TRUE(store_->ReviewPendingIndicator((*pending)[0].id, true, analyst).ok());  // replay
  ASSERT_TRUE(store_->ReviewPendingIndicator((*pending)[1].id, false, analyst).ok());
  EXPECT_EQ(store_->ReviewPendingIndicator((*pending)[1].id, true, analyst).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->PendingIndicators(analyst)->empty());
  WarningDetail d = Detail(id);
  ASSERT_TRUE(d.case_record.has_value());
  EXPECT_FALSE(d.case_record->after_dissuasion);
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640104"), start_ - absl::Hours(1), start_ + absl::Hours(1)}, Dispatcher());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->defrauded, 1);
  EXPECT_EQ(k->stop_payment_accounts, 1);
  EXPECT_EQ(k->stop_payment_requested_fen, 12'000'000);
  EXPECT_EQ(k->cases_mom.current, 1);
  EXPECT_EQ(k->losses_fen_yoy.current, 12'000'000);
  EXPECT_FALSE(k->cases_yoy.Ratio().has_value());
}

TEST_P(ScenarioTest, HandOverToAnotherDistrict) {
  model::WarningId id = IngestAtStation(4, WarningLevel::kOrange);
  workflow::Actor officer = Officer(station_);
  Move(id, WarningState::kAccepted, officer, "r4-accept");
  Move(id, WarningState::kHandedOver, officer, "r4-handover");
  // The other district's officer cannot act before the dispatcher reviews the hand-over.
  TransitionRequest accept{.request_id = "r4-accept2",
                           .warning = id,
                           .to = WarningState::kAccepted,
                           .actor = Officer("640105")};
  EXPECT_FALSE(store_->ApplyTransition(accept).ok());
  TransitionRequest review{.request_id = "r4-review",
                           .warning = id,
                           .to = WarningState::kDispatched,
                           .actor = Dispatcher()};
  review.reroute = *policy_->Manual(model::UnitCode("640105"), "移交审核通过");
  review.reroute_path = *policy_->PathOf(model::UnitCode("640105"));
  ASSERT_TRUE(store_->ApplyTransition(review).ok());
  ASSERT_TRUE(store_->ApplyTransition(accept).ok());
  EXPECT_EQ(Detail(id).summary.unit.value(), "640105");
  EXPECT_EQ(Detail(id).transitions.size(), 5u);
}

TEST_P(ScenarioTest, OutOfAreaNumberGoesToHandOverQueue) {
  model::WarningId id = IngestOne(MakeWarning(5, "+8613812345678", WarningLevel::kOrange, "e5"));
  WarningDetail d = Detail(id);
  EXPECT_EQ(d.summary.queue, workflow::RouteQueue::kOutOfArea);
  EXPECT_FALSE(d.summary.target_city.empty());
  EXPECT_THAT(d.summary.route_reason, ::testing::HasSubstr("外地转办"));
}

TEST_P(ScenarioTest, DefraudedAfterDissuasionIsCounted) {
  model::WarningId id = IngestAtStation(6, WarningLevel::kOrange);
  workflow::Actor officer = Officer(station_);
  Move(id, WarningState::kAccepted, officer, "r6-accept");
  Move(id, WarningState::kContacting, officer, "r6-contact");
  Move(id, WarningState::kDissuaded, officer, "r6-dissuaded");
  clock_.Advance(absl::Hours(24 * 3));
  TransitionRequest later{.request_id = "r6-defrauded",
                          .warning = id,
                          .to = WarningState::kDefrauded,
                          .actor = officer};
  later.case_draft = workflow::CaseDraft{.victim_name = "赵六", .loss = {300'000}};
  ASSERT_TRUE(store_->ApplyTransition(later).ok());
  WarningDetail d = Detail(id);
  EXPECT_TRUE(d.case_record->after_dissuasion);
  EXPECT_EQ(d.follow_up->result, "defrauded_after_dissuasion");
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640104"), start_ - absl::Hours(1), start_ + absl::Hours(1)}, Dispatcher());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->defrauded_after_dissuasion, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScenarioTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
