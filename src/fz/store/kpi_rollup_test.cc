// The KPI rollup (kpi_rollup.h) against a computation from scratch, on SQLite and PostgreSQL:
// random warnings over several days and units walked through random transitions, steps,
// re-routes and escalations; afterwards the trigger-maintained kpi_daily must equal the one
// rebuilt from the warnings, and ComputeKpis (rollup + edges) must equal KPIs computed from
// the warnings alone, for day-aligned and unaligned periods, before and after the writer folds
// the deltas (migration 7).
#include <random>

#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"
#include "fz/store/migrations.h"
#include "fz/store/testing/store_fixture.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::WarningLevel;
using workflow::StepKind;
using workflow::StepResult;
using workflow::WarningState;

std::string Describe(const Percentiles& p) {
  return StrCat(p.count, "/", p.p50_s, "/", p.p90_s, "/", p.p99_s);
}

template <typename Map>
std::string DescribeMap(const Map& m) {
  std::string out;
  for (const auto& [key, value] : m) StrAppend(&out, key, "=", value, " ");
  return out;
}

std::string DescribePercentiles(const std::map<std::string, Percentiles>& m) {
  std::string out;
  for (const auto& [key, value] : m) StrAppend(&out, key, "=", Describe(value), " ");
  return out;
}

std::string Opt(const std::optional<double>& v) { return v ? StrCat(*v) : "none"; }

// Every warning KPI as one line, so that a mismatch shows what differs.
std::string Describe(const Kpis& k) {
  return StrCat("warnings=", k.warnings, " level{", DescribeMap(k.by_level), "} source{",
                DescribeMap(k.by_source), "} type{", DescribeMap(k.by_fraud_type), "} state{",
                DescribeMap(k.by_state), "} visits=", k.visits_required, "/", k.visits_done,
                " rate=", Opt(k.visit_rate), " outcomes=", k.dissuaded, "/", k.defrauded, "/",
                k.unreachable, " drate=", Opt(k.dissuasion_rate), " contact{",
                DescribePercentiles(k.first_contact), "} visit{", DescribePercentiles(k.visit_time),
                "} overdue=", k.overdue, " escalations=", k.escalations,
                " after=", k.defrauded_after_dissuasion);
}

class KpiRollupTest : public StoreTest {
 protected:
  StatusOr<std::unique_ptr<SqlConn>> Connect() {
    if (url_.rfind("sqlite:", 0) == 0) return OpenSqlite(url_.substr(7));
    return OpenPostgres(url_);
  }

  // The deltas not folded yet once the fold that is due has run. Both stores fold on a thread
  // of their own (kpi_folder.h): wait until nothing is left, for at most a minute.
  int64_t UnfoldedAfterFold(SqlConn& conn) {
    EXPECT_TRUE(store_->RecordAudit(Dispatcher(), "read", "warning:1", "").ok());
    int64_t left = -1;
    for (int i = 0; i < 6000; ++i) {
      StatusOr<SqlRows> rows = conn.Query("SELECT count(*) FROM kpi_delta", {});
      left = rows.ok() ? rows->front().Int(0) : -1;
      if (left == 0) break;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return left;
  }

  // Random warnings over `days` days at several units, then random work on them.
  void Populate(uint32_t seed, int warnings, int actions) {
    std::mt19937 rng(seed);
    const std::vector<std::string> phones = {"+869515012345", "+8613895101234", "+8613995200000",
                                             "+8618695300001"};
    const absl::Time start = clock_.Now() - absl::Hours(24 * 5);
    for (int i = 1; i <= warnings; ++i) {
      auto level = static_cast<WarningLevel>(1 + rng() % 3);
      model::Warning w = MakeWarning(i, phones[rng() % phones.size()], level, StrCat("e", i));
      w.created_at = start + absl::Seconds(static_cast<int64_t>(rng() % (5 * 86400)));
      w.fraud_type = model::FraudType{static_cast<uint16_t>(rng() % 4)};
      w.evidence[0].event_type = rng() % 2 ? model::EventType::kCall : model::EventType::kSms;
      StatusOr<workflow::RoutedWarning> routed =
          policy_->Intake(w, {.cell_id = rng() % 3 == 0 ? "cell-station" : ""});
      ASSERT_TRUE(routed.ok()) << routed.status();
      ASSERT_TRUE(store_->Ingest({*routed}, System()).ok());
    }
    const WarningState targets[] = {
        WarningState::kAccepted,  WarningState::kContacting,  WarningState::kDissuaded,
        WarningState::kDefrauded, WarningState::kUnreachable, WarningState::kFalseAlarm,
        WarningState::kClosed,    WarningState::kDispatched,  WarningState::kHandedOver};
    const std::string units[] = {"640104001", "640105", "640104"};
    for (int a = 0; a < actions; ++a) {
      clock_.Advance(absl::Seconds(1 + rng() % 900));
      auto id = model::WarningId(1 + static_cast<int64_t>(rng() % warnings));
      int what = static_cast<int>(rng() % 10);
      if (what < 6) {
        TransitionRequest req{.request_id = StrCat("t", a),
                              .warning = id,
                              .to = targets[rng() % std::size(targets)],
                              .actor = Dispatcher()};
        if (req.to == WarningState::kDispatched) {
          const std::string& unit = units[rng() % std::size(units)];
          req.reroute = *policy_->Manual(model::UnitCode(unit), "改派");
          req.reroute_path = *policy_->PathOf(model::UnitCode(unit));
        }
        (void)store_->ApplyTransition(req);  // invalid moves are refused: fine
      } else if (what < 9) {
        const StepKind kinds[] = {StepKind::kAiCall, StepKind::kOfficerCall, StepKind::kVisit};
        const StepResult results[] = {StepResult::kReached, StepResult::kNoAnswer,
                                      StepResult::kAlreadyTransferred};
        (void)store_->RecordStep({.request_id = StrCat("s", a),
                                  .warning = id,
                                  .kind = kinds[rng() % 3],
                                  .result = results[rng() % 3],
                                  .actor = System()});
      } else {
        ASSERT_TRUE(store_->Tick(clock_.Now()).ok());
      }
    }
  }
};

TEST_P(KpiRollupTest, MaintainedRollupEqualsRebuiltAndKpisEqualFromScratch) {
  ASSERT_NO_FATAL_FAILURE(Populate(GetParam() == Backend::kSqlite ? 7 : 8, 120, 900));
  StatusOr<std::unique_ptr<SqlConn>> conn = Connect();
  ASSERT_TRUE(conn.ok()) << conn.status();
  // ~1,020 write operations: fewer than kFoldEveryOps, so part of the rollup is still deltas.
  StatusOr<SqlRows> unfolded = (*conn)->Query("SELECT count(*) FROM kpi_delta", {});
  ASSERT_TRUE(unfolded.ok()) << unfolded.status();
  EXPECT_GT(unfolded->front().Int(0), 0);
  StatusOr<SqlRows> kept = (*conn)->Query(MaintainedRollupSql(), {});
  ASSERT_TRUE(kept.ok()) << kept.status();
  StatusOr<SqlRows> rebuilt = (*conn)->Query(RollupFromScratchSql(), {});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  ASSERT_GT(kept->size(), 100u);
  ASSERT_EQ(kept->size(), rebuilt->size());
  int with_buckets = 0;
  for (size_t i = 0; i < kept->size(); ++i) {
    for (size_t c = 0; c < 5; ++c) {
      ASSERT_EQ((*kept)[i].Str(c), (*rebuilt)[i].Str(c)) << "row " << i << " column " << c;
    }
    with_buckets += (*kept)[i].Str(2) == "fc" || (*kept)[i].Str(2) == "vb";
  }
  EXPECT_GT(with_buckets, 0);

  // Day-aligned periods read only the rollup; the others read their edges from warnings.
  const absl::Time midnight = absl::FromUnixSeconds(((1'780'000'000 + 8 * 3600) / 86400) * 86400 -
                                                    8 * 3600);  // a city midnight
  const std::vector<std::pair<absl::Time, absl::Time>> periods = {
      {midnight - absl::Hours(24 * 5), midnight + absl::Hours(24)},
      {midnight - absl::Hours(24 * 3), midnight - absl::Hours(24)},
      {midnight - absl::Hours(24 * 4) + absl::Minutes(77), midnight - absl::Hours(5)},
      {midnight - absl::Hours(30), midnight - absl::Hours(20)},
      {absl::UnixEpoch(), absl::FromUnixSeconds(4'000'000'000)}};
  int nonempty = 0;
  for (const std::string unit : {"640100", "640104", "640104001", "640105"}) {
    StatusOr<std::string> path = policy_->PathOf(model::UnitCode(unit));
    ASSERT_TRUE(path.ok());
    for (const auto& [from, to] : periods) {
      StatusOr<Kpis> got = store_->ComputeKpis({model::UnitCode(unit), from, to}, Dispatcher());
      ASSERT_TRUE(got.ok()) << got.status();
      KpiTally tally;
      ASSERT_TRUE(
          TallyWarnings(**conn, *path, absl::ToUnixMicros(from), absl::ToUnixMicros(to), tally)
              .ok());
      Kpis want;
      KpisFromTally(tally, want);
      EXPECT_EQ(Describe(*got), Describe(want)) << unit << " " << from << " .. " << to;
      nonempty += want.warnings > 0;
    }
  }
  EXPECT_GT(nonempty, 10);

  // Enough further writes make the writer fold the deltas: kpi_daily alone is then the rollup.
  for (size_t i = 0; i < kFoldEveryOps; ++i) {
    ASSERT_TRUE(store_->RecordAudit(Dispatcher(), "read", "warning:1", "").ok());
  }
  EXPECT_EQ(UnfoldedAfterFold(**conn), 0);
  StatusOr<SqlRows> folded = (*conn)->Query(
      "SELECT unit_path, day, k, v, n FROM kpi_daily WHERE n <> 0 ORDER BY 1, 2, 3, 4", {});
  ASSERT_TRUE(folded.ok()) << folded.status();
  ASSERT_EQ(folded->size(), rebuilt->size());
  for (size_t i = 0; i < folded->size(); ++i) {
    for (size_t c = 0; c < 5; ++c) {
      ASSERT_EQ((*folded)[i].Str(c), (*rebuilt)[i].Str(c)) << "row " << i << " column " << c;
    }
  }
}

TEST_P(KpiRollupTest, MigrationBuildsTheRollupOfExistingWarnings) {
  ASSERT_NO_FATAL_FAILURE(Populate(3, 40, 200));
  StatusOr<std::unique_ptr<SqlConn>> conn = Connect();
  ASSERT_TRUE(conn.ok()) << conn.status();
  // Undo migrations 5, 7, 9 and 10 and run them again over the warnings that are there now: 5
  // builds kpi_daily and its upserting triggers, 7 replaces those, 9 splits SQLite's update
  // trigger, 10 rewrites PostgreSQL's (the upgrade of a database made before 7).
  const bool sqlite = (*conn)->dialect() == Dialect::kSqlite;
  if (sqlite) {
    StatusOr<SqlRows> triggers = (*conn)->Query(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kpi_delta_%'", {});
    ASSERT_TRUE(triggers.ok()) << triggers.status();
    ASSERT_GT(triggers->size(), 3u);  // insert, delete, update and one per fact
    for (const SqlRow& t : *triggers) {
      ASSERT_TRUE((*conn)->ExecScript(StrCat("DROP TRIGGER ", t.Str(0))).ok());
    }
  } else {
    ASSERT_TRUE((*conn)->ExecScript("DROP FUNCTION kpi_delta_apply() CASCADE;").ok());
  }
  ASSERT_TRUE((*conn)
                  ->ExecScript("DROP TABLE kpi_daily; DROP TABLE unit_ancestors; DROP TABLE "
                               "kpi_delta; DELETE FROM schema_migrations WHERE version IN (5, 7, "
                               "9, 10)")
                  .ok());
  ASSERT_TRUE(ApplyMigrations(**conn, 0).ok());
  StatusOr<SqlRows> kept = (*conn)->Query(MaintainedRollupSql(), {});
  StatusOr<SqlRows> rebuilt = (*conn)->Query(RollupFromScratchSql(), {});
  ASSERT_TRUE(kept.ok() && rebuilt.ok());
  ASSERT_GT(kept->size(), 50u);
  ASSERT_EQ(kept->size(), rebuilt->size());
  for (size_t i = 0; i < kept->size(); ++i) {
    EXPECT_EQ((*kept)[i].Str(4), (*rebuilt)[i].Str(4)) << "row " << i;
  }
  // The triggers are back: a new warning is counted.
  IngestOne(MakeWarning(41, "+869515012345", WarningLevel::kRed, "e41"));
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640100"), absl::UnixEpoch(), absl::FromUnixSeconds(4'000'000'000)},
      Dispatcher());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->warnings, 41);
  EXPECT_EQ(k->by_level["red"],
            (*conn)->Query("SELECT count(*) FROM warnings WHERE level = 3", {})->front().Int(0));
}

// A batch of warnings leaves as many deltas as that many transitions: one large ingest is
// folded at once, not after kFoldEveryOps more operations; and deltas another process left
// (a bulk load, a crash before the fold) are folded when a store opens the database.
TEST_P(KpiRollupTest, LargeBatchesAndLeftoverDeltasAreFolded) {
  StatusOr<std::unique_ptr<SqlConn>> conn = Connect();
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto unfolded = [&] {
    StatusOr<SqlRows> rows = (*conn)->Query("SELECT count(*) FROM kpi_delta", {});
    return rows.ok() ? rows->front().Int(0) : int64_t{-1};
  };
  ASSERT_EQ(UnfoldedAfterFold(**conn), 0);  // the fold at opening
  std::vector<workflow::RoutedWarning> batch;
  for (size_t i = 1; i <= kFoldEveryOps; ++i) {
    StatusOr<workflow::RoutedWarning> routed =
        policy_->Intake(MakeWarning(static_cast<int64_t>(i), "+869515012345", WarningLevel::kOrange,
                                    StrCat("bulk", i)),
                        {});
    ASSERT_TRUE(routed.ok()) << routed.status();
    batch.push_back(*std::move(routed));
  }
  ASSERT_TRUE(store_->Ingest(batch, System()).ok());
  EXPECT_EQ(UnfoldedAfterFold(**conn), 0);

  // Another writer's change, not folded by it: the triggers append its deltas.
  ASSERT_TRUE((*conn)->ExecScript("UPDATE warnings SET state = 'accepted' WHERE id <= 10").ok());
  EXPECT_GT(unfolded(), 0);
  Reopen();  // a restart: `fanzha serve` and `ingest` migrate (nothing to do) on opening
  ASSERT_TRUE(store_->Migrate().ok());
  EXPECT_EQ(UnfoldedAfterFold(**conn), 0);
  StatusOr<Kpis> k = store_->ComputeKpis(
      {model::UnitCode("640100"), absl::UnixEpoch(), absl::FromUnixSeconds(4'000'000'000)},
      Dispatcher());
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->warnings, static_cast<int64_t>(kFoldEveryOps));
  EXPECT_EQ(k->by_state["accepted"], 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, KpiRollupTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace fz::store::testing
