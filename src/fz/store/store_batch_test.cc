// Group commit with shared statements (ADR 0004), on SQLite and PostgreSQL: many callers move
// warnings at once while a second caller races each request with the same request id, so a
// group holds several transitions of one warning and replays of requests in it. On PostgreSQL
// the group's transitions share one prefetch and one batched statement; the results must be
// those of one-by-one application: every request recorded once, both callers answered with
// its id, states, KPIs and the audit chain exact.
#include <atomic>
#include <chrono>
#include <thread>

#include "fz/common/str_cat.h"
#include "fz/store/testing/store_fixture.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::WarningLevel;
using workflow::WarningState;

class StoreBatchTest : public StoreTest {};

TEST_P(StoreBatchTest, RacingReplaysAndRepeatedWarningsInOneGroupApplyOnce) {
  constexpr int kWarnings = 24, kRounds = 6, kWorkers = 8;
  std::vector<workflow::RoutedWarning> batch;
  for (int i = 0; i < kWarnings; ++i) {
    batch.push_back(*policy_->Intake(
        MakeWarning(300 + i, "+869515012345", WarningLevel::kOrange, StrCat("b", i)), {}));
  }
  ASSERT_TRUE(store_->Ingest(batch, System()).ok());
  for (int i = 0; i < kWarnings; ++i) {
    Move(model::WarningId(300 + i), WarningState::kAccepted, Officer("640104"), StrCat("acc", i));
  }
  // done[i] = rounds finished for warning i; a racer sends round r once round r-1 is done, so
  // both requests of a round are valid when sent and exactly one of them applies.
  std::vector<std::atomic<int>> done(kWarnings);
  struct Answer {
    int64_t id = -1;
    bool replayed = false;
    bool ok = false;
  };
  std::vector<Answer> answers[2];
  answers[0].resize(kWarnings * kRounds);
  answers[1].resize(kWarnings * kRounds);
  auto request = [&](int i, int r) {
    return TransitionRequest{
        .request_id = StrCat("w", i, "-r", r),
        .warning = model::WarningId(300 + i),
        .to = r % 2 == 0 ? WarningState::kContacting : WarningState::kUnreachable,
        .actor = Officer("640104")};
  };
  std::vector<std::thread> threads;
  for (int side = 0; side < 2; ++side) {
    for (int t = 0; t < kWorkers; ++t) {
      threads.emplace_back([&, side, t] {
        for (int r = 0; r < kRounds; ++r) {
          for (int i = t; i < kWarnings; i += kWorkers) {
            while (done[i].load() < r) std::this_thread::sleep_for(std::chrono::microseconds(50));
            StatusOr<TransitionRecord> got = store_->ApplyTransition(request(i, r));
            Answer& a = answers[side][i * kRounds + r];
            a.ok = got.ok();
            if (got.ok()) {
              a.id = got->id;
              a.replayed = got->replayed;
            }
            if (side == 0) done[i].store(r + 1);
          }
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < kWarnings * kRounds; ++k) {
    const Answer& a = answers[0][k];
    const Answer& b = answers[1][k];
    ASSERT_TRUE(a.ok && b.ok) << "request " << k;
    EXPECT_GT(a.id, 0) << "request " << k;
    EXPECT_EQ(a.id, b.id) << "request " << k;
    EXPECT_NE(a.replayed, b.replayed) << "request " << k;
  }
  // Per warning: the dispatch at ingest, the accept, the rounds.
  EXPECT_EQ(*store_->CountRows("transitions"), kWarnings * (2 + kRounds));
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640100"), absl::UnixEpoch(), absl::FromUnixSeconds(4'000'000'000)},
      Dispatcher());
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->by_state["unreachable"], kWarnings);
  EXPECT_EQ(k->unreachable, kWarnings);
  EXPECT_EQ(k->first_contact["orange"].count, kWarnings);
  StatusOr<AuditVerification> v = store_->VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok) << v->problem;
  for (int i = 0; i < kWarnings; ++i) {
    StatusOr<WarningDetail> w = store_->GetWarning(model::WarningId(300 + i), Dispatcher());
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ(w->transitions.size(), static_cast<size_t>(2 + kRounds)) << 300 + i;
    // The accept and first-contact clocks were met (by the accept and the first contact,
    // batched or not); none is still running.
    int met = 0;
    for (const workflow::SlaTimer& timer : w->timers) {
      if (timer.clock != workflow::SlaClock::kAccept &&
          timer.clock != workflow::SlaClock::kFirstContact) {
        continue;
      }
      EXPECT_TRUE(timer.met_at.has_value()) << 300 + i << " " << SlaClockName(timer.clock);
      ++met;
    }
    EXPECT_EQ(met, 2) << 300 + i;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreBatchTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
