// KpiFolder: folds PostgreSQL's KPI deltas on a connection and thread of its own (ADR 0005).
//
// On PostgreSQL the fold is one statement (DELETE ... RETURNING feeding the upsert), so it
// folds exactly the deltas it deletes whatever other sessions commit meanwhile, and it takes
// no lock the writer's groups wait for. Run by the writer it cost the writer ~100 ms per
// 1,024 transitions (the server's upserts), the writer's time being what bounds the store's
// writes; here the writer only kicks it. SQLite folds in the writer: one write lock.
#pragma once

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/store/sql_conn.h"

namespace fz::store {

class KpiFolder {
 public:
  explicit KpiFolder(std::unique_ptr<SqlConn> conn);
  ~KpiFolder();  // finishes a running fold, drops a pending kick (the next open folds it)
  KpiFolder(const KpiFolder&) = delete;
  KpiFolder& operator=(const KpiFolder&) = delete;

  // Asks for a fold; returns at once. Kicks during a fold make one more fold after it.
  void Kick();

 private:
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || kicked_; }
  void Loop();

  std::unique_ptr<SqlConn> conn_;  // the folder thread's only
  absl::Mutex mu_;
  bool kicked_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace fz::store
