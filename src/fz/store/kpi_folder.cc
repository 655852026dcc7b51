#include "fz/store/kpi_folder.h"

#include "fz/common/logging.h"
#include "fz/store/kpi_rollup.h"

namespace fz::store {

KpiFolder::KpiFolder(std::unique_ptr<SqlConn> conn)
    : conn_(std::move(conn)), thread_([this] { Loop(); }) {}

KpiFolder::~KpiFolder() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
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
    // One statement, its own transaction. A failure (e.g. a deadlock with another process's
    // fold) leaves the deltas where reads still count them; the next kick folds them.
    Status status = conn_->ExecScript(fold);
    if (!status.ok())
      Logger("store")->warn("KPI fold failed (retried later): {}", status.ToString());
  }
}

}  // namespace fz::store
