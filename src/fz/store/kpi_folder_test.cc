// SQLite's split fold (kpi_folder.h): sums read on a snapshot are applied by the writer only
// if no other fold ran since. Another fold empties kpi_delta, and the deltas that follow
// reuse its rowids, so stale sums applied "up to rowid M" would count the old deltas twice
// and drop new ones unfolded.
#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"
#include "fz/store/testing/store_fixture.h"
#include "gtest/gtest.h"

namespace fz::store::testing {
namespace {

using model::WarningLevel;

class KpiFolderTest : public StoreTest {
 protected:
  // kpi_daily plus the unfolded deltas, against the rollup rebuilt from the warnings.
  static bool RollupIsExact(SqlConn& conn) {
    StatusOr<SqlRows> kept = conn.Query(MaintainedRollupSql(), {});
    StatusOr<SqlRows> rebuilt = conn.Query(RollupFromScratchSql(), {});
    EXPECT_TRUE(kept.ok() && rebuilt.ok());
    if (!kept.ok() || !rebuilt.ok() || kept->size() != rebuilt->size()) return false;
    for (size_t i = 0; i < kept->size(); ++i) {
      for (size_t c = 0; c < 5; ++c) {
        if ((*kept)[i].Str(c) != (*rebuilt)[i].Str(c)) return false;
      }
    }
    return true;
  }

  // 12 warnings, then the store closed (its folder could fold at any time) and the warnings
  // accepted around it, which leaves their deltas in kpi_delta. Returns a connection.
  StatusOr<std::unique_ptr<SqlConn>> WarningsWithDeltas(WarningLevel level) {
    for (int i = 1; i <= 12; ++i) {
      IngestOne(MakeWarning(i, "+869515012345", level, StrCat("e", i)));
    }
    store_.reset();
    FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> conn, OpenSqlite(url_.substr(7)));
    FZ_RETURN_IF_ERROR(conn->ExecScript("UPDATE warnings SET state = 'accepted'"));
    return conn;
  }

  // WarningsWithDeltas, then their sums read as the folder reads them.
  void SumsOfFreshDeltas(WarningLevel level, std::unique_ptr<SqlConn>& conn, int64_t& generation,
                         int64_t& last, SqlRows& sums) {
    StatusOr<std::unique_ptr<SqlConn>> opened = WarningsWithDeltas(level);
    ASSERT_TRUE(opened.ok()) << opened.status();
    conn = *std::move(opened);
    ASSERT_NO_FATAL_FAILURE(ReadSums(*conn, generation, last, sums));
    ASSERT_FALSE(sums.empty());
  }

  // Sums as the folder reads them: (generation, last delta's rowid, sums).
  static void ReadSums(SqlConn& conn, int64_t& generation, int64_t& last, SqlRows& sums) {
    ASSERT_TRUE(conn.ExecScript("BEGIN").ok());
    StatusOr<SqlRows> state = conn.Query(
        "SELECT (SELECT generation FROM kpi_fold_state), (SELECT max(rowid) FROM kpi_delta)", {});
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_FALSE(state->front().IsNull(1));
    generation = state->front().Int(0);
    last = state->front().Int(1);
    StatusOr<SqlRows> rows = conn.Query(KpiDeltaSumsSql(), {last});
    ASSERT_TRUE(rows.ok()) << rows.status();
    sums = *std::move(rows);
    ASSERT_TRUE(conn.ExecScript("COMMIT").ok());
  }

  static void Apply(SqlConn& conn, const SqlRows& sums, int64_t generation, int64_t last) {
    ASSERT_TRUE(conn.ExecScript("BEGIN IMMEDIATE").ok());
    Status status = ApplyKpiDeltaSums(conn, sums, generation, last);
    ASSERT_TRUE(status.ok()) << status;
    ASSERT_TRUE(conn.ExecScript("COMMIT").ok());
  }
};

TEST_P(KpiFolderTest, SumsReadBeforeAnotherFoldAreNotApplied) {
  std::unique_ptr<SqlConn> conn;
  int64_t generation = 0, last = 0;
  SqlRows sums;
  ASSERT_NO_FATAL_FAILURE(SumsOfFreshDeltas(WarningLevel::kOrange, conn, generation, last, sums));

  // Another process folds everything; then new deltas take rowids from 1 again.
  ASSERT_TRUE(
      conn->ExecScript(StrCat("BEGIN IMMEDIATE; ", FoldKpiDeltasSql(Dialect::kSqlite), " COMMIT;"))
          .ok());
  ASSERT_TRUE(conn->ExecScript("UPDATE warnings SET state = 'contacting'").ok());
  StatusOr<SqlRows> reused = conn->Query("SELECT min(rowid) FROM kpi_delta", {});
  ASSERT_TRUE(reused.ok()) << reused.status();
  ASSERT_LE(reused->front().Int(0), last);  // the hazard is there

  Apply(*conn, sums, generation, last);  // stale: must change nothing
  EXPECT_TRUE(RollupIsExact(*conn));

  // The check is what saves it: the same sums applied as if current break the rollup.
  StatusOr<SqlRows> now = conn->Query("SELECT generation FROM kpi_fold_state", {});
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_GT(now->front().Int(0), generation);
  Apply(*conn, sums, now->front().Int(0), last);
  EXPECT_FALSE(RollupIsExact(*conn));
}

TEST_P(KpiFolderTest, CurrentSumsFoldExactly) {
  std::unique_ptr<SqlConn> conn;
  int64_t generation = 0, last = 0;
  SqlRows sums;
  ASSERT_NO_FATAL_FAILURE(SumsOfFreshDeltas(WarningLevel::kRed, conn, generation, last, sums));
  // Deltas that arrive after the sums were read stay for the next fold.
  ASSERT_TRUE(conn->ExecScript("UPDATE warnings SET state = 'contacting' WHERE id = 1").ok());
  Apply(*conn, sums, generation, last);
  StatusOr<SqlRows> left = conn->Query("SELECT count(*), min(rowid) FROM kpi_delta", {});
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_GT(left->front().Int(0), 0);
  EXPECT_GT(left->front().Int(1), last);
  EXPECT_TRUE(RollupIsExact(*conn));
}

// SQLite only: PostgreSQL folds in one statement (kpi_folder.h).
INSTANTIATE_TEST_SUITE_P(Sqlite, KpiFolderTest, ::testing::Values(Backend::kSqlite), BackendName);

}  // namespace
}  // namespace fz::store::testing
