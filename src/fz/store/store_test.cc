// The Store contract, run against SQLite and a private PostgreSQL 15.
#include <thread>

#include "fz/common/str_cat.h"
#include "fz/store/migrations.h"
#include "fz/store/testing/store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::WarningLevel;
using ::testing::HasSubstr;
using workflow::WarningState;

TEST_P(StoreTest, MigrateIsIdempotentAndRecorded) {
  ASSERT_TRUE(store_->Migrate().ok());
  StatusOr<SchemaStatus> s = store_->CheckSchema();
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->current_version, s->latest_version);
  EXPECT_TRUE(s->pending.empty());
  // Versions may have gaps (branches number their migrations ahead): count what is listed.
  EXPECT_EQ(*store_->CountRows("schema_migrations"), static_cast<int64_t>(Migrations().size()));
}

TEST_P(StoreTest, IngestIsIdempotentAndRoutes) {
  model::Warning w = MakeWarning(1, "+869515012345", WarningLevel::kRed, "e1");
  StatusOr<workflow::RoutedWarning> routed = policy_->Intake(w, {});
  ASSERT_TRUE(routed.ok());
  StatusOr<IngestResult> r = store_->Ingest({*routed, *routed}, System());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->new_warnings, 1);
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(r->new_events, 1);
  r = store_->Ingest({*routed}, System());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(*store_->CountRows("warnings"), 1);
  EXPECT_EQ(*store_->CountRows("ingested_events"), 1);
  EXPECT_EQ(*store_->CountRows("transitions"), 1);  // new → dispatched
  EXPECT_EQ(*store_->CountRows("sla_timers"), 3);   // red: accept, contact, visit
  StatusOr<WarningDetail> d = store_->GetWarning(w.id, Dispatcher());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->summary.unit.value(), "640104");
  EXPECT_EQ(d->summary.state, WarningState::kDispatched);
  EXPECT_EQ(d->summary.route_reason, "本地号码，号段归属 兴庆区分局");
  EXPECT_EQ(d->evidence.size(), 1u);
  EXPECT_EQ(d->routes.size(), 1u);
}

TEST_P(StoreTest, UpgradeOnRedeliveryWithNewEvidence) {
  model::Warning w = MakeWarning(2, "+869515012345", WarningLevel::kYellow, "e1");
  IngestOne(w);
  w.level = WarningLevel::kRed;
  w.evidence.push_back({model::EventId("e2"), model::EventType::kTransfer, w.created_at, "xfer",
                        "向涉诈账户转账", ""});
  IngestOne(w);
  StatusOr<WarningDetail> d = store_->GetWarning(w.id, Dispatcher());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->summary.level, WarningLevel::kRed);
  EXPECT_EQ(d->evidence.size(), 2u);
  EXPECT_EQ(d->timers.size(), 3u);  // the visit clock was added
  EXPECT_EQ(*store_->CountRows("warnings"), 1);
}

TEST_P(StoreTest, InvalidTransitionIsRefusedWithClearError) {
  model::WarningId id = IngestOne(MakeWarning(3, "+869515012345", WarningLevel::kOrange, "e1"));
  TransitionRequest req{
      .request_id = "r1", .warning = id, .to = WarningState::kClosed, .actor = Officer("640104")};
  StatusOr<TransitionRecord> r = store_->ApplyTransition(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("cannot go from 'dispatched' to 'closed'"));
  // Out of scope: another district's officer.
  req.to = WarningState::kAccepted;
  req.actor = Officer("640105");
  EXPECT_EQ(store_->ApplyTransition(req).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(*store_->CountRows("transitions"), 1);
}

TEST_P(StoreTest, TransitionsAreIdempotentByRequestId) {
  model::WarningId id = IngestOne(MakeWarning(4, "+869515012345", WarningLevel::kOrange, "e1"));
  TransitionRecord first = Move(id, WarningState::kAccepted, Officer("640104"), "accept-4");
  clock_.Advance(absl::Minutes(1));
  TransitionRecord again = Move(id, WarningState::kAccepted, Officer("640104"), "accept-4");
  EXPECT_FALSE(first.replayed);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(first.id, again.id);
  EXPECT_EQ(again.at, first.at);
  EXPECT_EQ(*store_->CountRows("transitions"), 2);
}

TEST_P(StoreTest, ConcurrentWritersAreGroupCommitted) {
  constexpr int kThreads = 4, kPerThread = 25;
  std::vector<workflow::RoutedWarning> batch;
  for (int i = 0; i < kThreads * kPerThread; ++i) {
    batch.push_back(*policy_->Intake(
        MakeWarning(100 + i, "+869515012345", WarningLevel::kYellow, StrCat("c", i)), {}));
  }
  ASSERT_TRUE(store_->Ingest(batch, System()).ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int64_t id = 100 + t * kPerThread + i;
        TransitionRequest req{.request_id = StrCat("acc-", id),
                              .warning = model::WarningId(id),
                              .to = WarningState::kAccepted,
                              .actor = Officer("640104")};
        if (!store_->ApplyTransition(req).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store_->CountRows("transitions"), 2 * kThreads * kPerThread);
  StatusOr<AuditVerification> v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST_P(StoreTest, AuditLogIsAppendOnlyAndVerifies) {
  model::WarningId id = IngestOne(MakeWarning(5, "+869515012345", WarningLevel::kRed, "e1"));
  Move(id, WarningState::kAccepted, Officer("640104"), "a5");
  ASSERT_TRUE(store_->GetWarning(id, Dispatcher()).ok());  // reads are audited too
  StatusOr<std::vector<AuditRow>> tail = store_->AuditTail(10);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 3u);
  EXPECT_EQ((*tail)[0].action, "read");
  EXPECT_EQ((*tail)[0].actor, "dispatcher");
  StatusOr<AuditVerification> v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->rows, 3);
}

TEST_P(StoreTest, PersonalDataMaskedForRolesThatDoNotNeedIt) {
  model::WarningId id = IngestOne(MakeWarning(6, "+869515012345", WarningLevel::kRed, "e1"));
  workflow::Actor analyst{
      .user = "li", .role = workflow::Role::kAnalyst, .unit = model::UnitCode("640100")};
  EXPECT_EQ(store_->GetWarning(id, analyst)->summary.subject, "+86951***2345");
  EXPECT_EQ(store_->GetWarning(id, Dispatcher())->summary.subject, "+869515012345");
  // Out of scope reads are refused.
  EXPECT_EQ(store_->GetWarning(id, Officer("640105")).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(StoreTest, ListPagesThroughASubtree) {
  std::vector<workflow::RoutedWarning> batch;
  for (int i = 0; i < 25; ++i) {
    model::Warning w = MakeWarning(200 + i, i % 2 ? "+869515012345" : "+8613895101234",
                                   WarningLevel::kOrange, StrCat("l", i));
    w.created_at += absl::Seconds(i);
    batch.push_back(*policy_->Intake(w, {}));
  }
  ASSERT_TRUE(store_->Ingest(batch, System()).ok());
  WarningFilter f;
  f.unit = model::UnitCode("640104");
  f.limit = 5;
  int total = 0;
  std::optional<std::pair<absl::Time, int64_t>> after;
  do {
    f.after = after;
    StatusOr<WarningPage> page = store_->ListWarnings(f, Officer("640104"));
    ASSERT_TRUE(page.ok()) << page.status();
    total += static_cast<int>(page->rows.size());
    for (const WarningSummary& s : page->rows) EXPECT_EQ(s.unit.value(), "640104");
    after = page->next;
  } while (after.has_value());
  EXPECT_EQ(total, 12);  // the odd ones are landlines of 兴庆区
  f.unit = model::UnitCode("640100");
  EXPECT_EQ(store_->ListWarnings(f, Officer("640104")).status().code(),
            absl::StatusCode::kPermissionDenied);
  f.limit = 100;
  f.after.reset();
  EXPECT_EQ(store_->ListWarnings(f, Dispatcher())->rows.size(), 25u);
}

TEST_P(StoreTest, StopPaymentLimitsAndIdempotency) {
  model::WarningId id = IngestOne(MakeWarning(7, "+869515012345", WarningLevel::kRed, "e1"));
  workflow::StopPaymentRequest req;
  req.warning = id;
  req.stop_bank = "中国工商银行";
  req.stop_account = "6222021234567890128";
  req.amount_requested.fen = 5'000'000;
  for (int i = 1; i <= 2; ++i) {
    req.request_no = StrCat("ZF-", i);
    ASSERT_TRUE(store_->RequestStopPayment(req, Officer("640104")).ok());
  }
  // Re-delivering the second request is not a third stop.
  ASSERT_TRUE(store_->RequestStopPayment(req, Officer("640104")).ok());
  req.request_no = "ZF-3";
  StatusOr<workflow::StopPaymentRequest> third = store_->RequestStopPayment(req, Officer("640104"));
  EXPECT_EQ(third.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(*store_->CountRows("stop_payments"), 2);
  StopPaymentUpdate u{.request_no = "ZF-1",
                      .stage = workflow::StopStage::kFeedback,
                      .result = workflow::StopResult::kSucceeded,
                      .amount_stopped = model::Money{4'000'000},
                      .stop_start = clock_.Now()};
  StatusOr<workflow::StopPaymentRequest> done = store_->UpdateStopPayment(u, Officer("640104"));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(*done->stop_end, clock_.Now() + absl::Hours(48));
  EXPECT_FALSE(workflow::StopExpired(*done, clock_.Now() + absl::Hours(47)));
  EXPECT_TRUE(workflow::StopExpired(*done, clock_.Now() + absl::Hours(48)));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
