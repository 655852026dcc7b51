// KpiFolder: folds the KPI deltas into kpi_daily beside the writer, on a thread and
// connection of its own (ADR 0005), because the writer's time is what bounds the store's
// writes; the writer only kicks it every kFoldEveryOps operations.
//
// PostgreSQL: the fold is one statement (DELETE ... RETURNING feeding the upsert): it folds
// exactly the deltas it deletes whatever other sessions commit meanwhile, and takes no lock
// the writer's groups wait for. Run by the writer it cost ~100 ms per 1,024 transitions.
//
// SQLite has one write lock, so the folder splits the fold: it reads and sums the deltas up
// to the last one (rowid M) on its own snapshot, off the writer; then the writer, in one
// transaction, adds the sums to kpi_daily and deletes the deltas up to M. That is sound only
// if no other fold ran in between (its deletes would let new deltas reuse rowids up to M):
// every SQLite fold bumps kpi_fold_state.generation, and the writer applies the sums only if
// the generation is the one they were read with. Run by the writer, reading and joining the
// deltas was a quarter of its time in the transitions benchmark.
#pragma once

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/store/group_commit.h"
#include "fz/store/sql_conn.h"

namespace fz::store {

class KpiFolder {
 public:
  // `writer`: SQLite only, the store's writer, which applies the sums (it must outlive the
  // folder's thread: see Stop).
  explicit KpiFolder(std::unique_ptr<SqlConn> conn, GroupCommitWriter* writer = nullptr);
  ~KpiFolder();  // Stop()
  KpiFolder(const KpiFolder&) = delete;
  KpiFolder& operator=(const KpiFolder&) = delete;

  // Asks for a fold; returns at once. Kicks during a fold make one more fold after it.
  void Kick();

  // Finishes a running fold and stops the thread; a pending kick is dropped (the next open
  // folds it). Kick() stays harmless afterwards. Call before the writer stops.
  void Stop();

 private:
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || kicked_; }
  void Loop();
  Status FoldSqlite();

  std::unique_ptr<SqlConn> conn_;  // the folder thread's only
  GroupCommitWriter* writer_;      // SQLite
  absl::Mutex mu_;
  bool kicked_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace fz::store
