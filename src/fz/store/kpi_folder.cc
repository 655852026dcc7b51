#include "fz/store/kpi_folder.h"

#include "fz/common/logging.h"
#include "fz/store/kpi_rollup.h"

namespace fz::store {

KpiFolder::KpiFolder(std::unique_ptr<SqlConn> conn, GroupCommitWriter* writer)
    : conn_(std::move(conn)), writer_(writer), thread_([this] { Loop(); }) {}

KpiFolder::~KpiFolder() { Stop(); }

void KpiFolder::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void KpiFolder::Kick() {
  absl::MutexLock lock(&mu_);
  kicked_ = true;
}

void KpiFolder::Loop() {
  const std::string fold = FoldKpiDeltasSql(conn_->dialect());
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &KpiFolder::Ready));
      if (stop_) return;
      kicked_ = false;
    }
    // A failure (e.g. a deadlock with another process's fold) leaves the deltas where reads
    // still count them; the next kick folds them.
    Status status = conn_->dialect() == Dialect::kSqlite ? FoldSqlite() : conn_->ExecScript(fold);
    if (!status.ok()) {
      Logger("store")->warn("KPI fold failed (retried later): {}", status.ToString());
    }
  }
}

Status KpiFolder::FoldSqlite() {
  // One read transaction: the generation, the last delta and the sums are of one snapshot.
  FZ_RETURN_IF_ERROR(conn_->ExecScript("BEGIN"));
  StatusOr<SqlRows> state = conn_->Query(
      "SELECT (SELECT generation FROM kpi_fold_state), (SELECT max(rowid) FROM kpi_delta)", {});
  StatusOr<SqlRows> sums;
  if (state.ok() && !state->front().IsNull(1)) {
    sums = conn_->Query(KpiDeltaSumsSql(), {state->front().Int(1)});
  }
  (void)conn_->ExecScript("COMMIT");
  FZ_RETURN_IF_ERROR(state.status());
  if (state->front().IsNull(1)) return absl::OkStatus();  // nothing to fold
  FZ_RETURN_IF_ERROR(sums.status());
  const int64_t generation = state->front().Int(0);
  const int64_t last = state->front().Int(1);
  return writer_->RunExclusive([&](SqlConn& conn) -> Status {
    FZ_RETURN_IF_ERROR(conn.ExecScript("BEGIN IMMEDIATE"));
    Status status = ApplyKpiDeltaSums(conn, *sums, generation, last);
    if (status.ok()) status = conn.ExecScript("COMMIT");
    if (!status.ok()) (void)conn.ExecScript("ROLLBACK");
    return status;
  });
}

}  // namespace fz::store
