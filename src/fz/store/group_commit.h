// GroupCommitWriter: the one thread that writes. Callers hand it an operation and block; the
// thread runs every operation queued meanwhile inside one transaction and commits once, so
// many concurrent callers cost one commit (SQLite WAL sync, PostgreSQL round trip + flush).
// If any operation of a group fails, the group is rolled back and each operation is re-run
// in a transaction of its own, so one bad request never fails its neighbours.
//
// Operations must only touch the database through the TxContext and must be safe to re-run
// (they are: each reads what it needs inside the transaction). The audit chain head is read
// inside each transaction, so several processes writing one database keep one chain.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/common/clock.h"
#include "fz/common/status.h"
#include "fz/store/sql_conn.h"
#include "fz/workflow/state.h"

namespace fz::store {

class TxContext {
 public:
  TxContext(SqlConn& conn, absl::Time now) : conn_(conn), now_(now) {}
  // The connection, after running the pending batch (below) so that every statement sees the
  // effects of the operations before it; a failed batch fails the group (flush_status()).
  SqlConn& conn();
  absl::Time now() const { return now_; }
  void set_now(absl::Time now) { now_ = now; }

  // Appends one audit row in this transaction.
  Status Audit(const workflow::Actor& actor, std::string_view action, std::string_view object,
               std::string_view detail);

  // The audit row Audit() would append, for an operation that inserts it as part of a larger
  // statement (kAuditInsert's parameters); call Appended() once the row is in.
  struct PendingAudit {
    SqlParams params;
    int64_t seq = 0;
    std::string hash;
  };
  PendingAudit NextAudit(const workflow::Actor& actor, std::string_view action,
                         std::string_view object, std::string_view detail) const;
  void Appended(PendingAudit audit);

  // Loads the chain head (called by the writer at the start of each transaction).
  Status LoadHead();

  // PostgreSQL pays a round trip per statement (libpqxx 6.4 has no pipelining), so a group's
  // operations may share statements (ADR 0004):
  //
  // A statement that several operations add their rows to; it runs once, before the next
  // statement of any operation (conn()) or the commit. Offered only in groups of more than
  // one operation (batching()), so the one-by-one re-run after a failure never batches, and
  // a batch that fails (e.g. a replayed request id) fails the group into that re-run.
  class Batch {
   public:
    virtual ~Batch() = default;
    virtual Status Run(SqlConn& conn) = 0;
  };
  bool batching() const { return batching_; }
  void set_batching(bool on) { batching_ = on; }
  Batch* batch() { return batch_.get(); }
  void set_batch(std::unique_ptr<Batch> batch) { batch_ = std::move(batch); }
  Status Flush();
  const Status& flush_status() const { return flush_status_; }
  //
  // Rows the writer read for the whole group before its operations ran (warning cores, by
  // id): an operation takes its warning's row once; the writer drops them all before any
  // operation that did not name its warning, since that one may change any warning.
  void SetPrefetched(std::map<int64_t, SqlRow> rows) { prefetched_ = std::move(rows); }
  void ClearPrefetched() { prefetched_.clear(); }
  std::optional<SqlRow> TakePrefetched(int64_t id);

 private:
  SqlConn& conn_;
  absl::Time now_;
  int64_t seq_ = 0;
  std::string head_;
  bool batching_ = false;
  std::unique_ptr<Batch> batch_;
  Status flush_status_;
  std::map<int64_t, SqlRow> prefetched_;
};

class GroupCommitWriter {
 public:
  using Op = std::function<Status(TxContext&)>;

  // Takes the connection; `clock` gives each operation its "now".
  GroupCommitWriter(std::unique_ptr<SqlConn> conn, Clock* clock, size_t max_group = 512);
  ~GroupCommitWriter();  // finishes queued operations, then stops

  // Reads rows for a group's operations in one statement, given the warnings they name.
  using Prefetch =
      std::function<StatusOr<std::map<int64_t, SqlRow>>(SqlConn&, const std::vector<int64_t>&)>;

  // Runs `op` in the next group; returns once that group committed (or `op` failed).
  // `warning` (0 = none or several) names the one warning `op` changes, for the prefetch.
  // `weight` is how many operations `op` counts as for the upkeep's cadence (a batch of
  // warnings leaves as many KPI deltas to fold as that many transitions).
  Status Run(Op op, int64_t warning = 0, size_t weight = 1);

  // Sets the prefetch used for groups in which several operations name their warning (set
  // before the first Run).
  void SetPrefetch(Prefetch prefetch) { prefetch_ = std::move(prefetch); }

  // Groups committed (or failed) so far and the operations in them.
  int64_t groups() const { return groups_.load(std::memory_order_relaxed); }
  int64_t operations() const { return operations_.load(std::memory_order_relaxed); }
  // CPU time of the writer thread so far: what bounds the store's write rate.
  int64_t cpu_ns() const { return cpu_ns_.load(std::memory_order_relaxed); }

  // Runs `fn` on the writer's connection outside any group (migrations at start-up).
  Status RunExclusive(const std::function<Status(SqlConn&)>& fn);

  // Runs `fn` in a transaction of its own after every `every_ops` operations (upkeep that is
  // cheaper in bulk, like folding the KPI deltas), between groups, so no caller waits inside
  // it, and once right after the RunExclusive function that sets it (what an earlier process
  // or a bulk load left is folded at start-up). A failure is logged and retried at the next
  // turn. Call on the writer thread, i.e. from a RunExclusive function (so that it is set only
  // once the schema supports it).
  // `in_transaction` false: `fn` runs bare (it only hands the work to another thread).
  void SetUpkeep(std::function<Status(SqlConn&)> fn, size_t every_ops, bool in_transaction = true);

 private:
  struct Pending {
    Op op;
    std::function<Status(SqlConn&)> exclusive;  // set: runs alone, outside any transaction
    int64_t warning = 0;
    size_t weight = 1;
    Status result;  // set by the writer before `done`
    // The callers this one wakes once it is woken itself (Complete).
    std::vector<std::shared_ptr<Pending>> wakes;
    std::promise<Status> done;
  };
  using Group = std::vector<std::shared_ptr<Pending>>;
  Status Enqueue(std::shared_ptr<Pending> pending);
  // Hands every operation of `group` its result. Waking a thread costs the waker several
  // microseconds of kernel time, and the writer is the store's bottleneck: so the writer wakes
  // the first caller only, and the woken callers wake the rest as a binary tree, on the other
  // cores.
  static void Complete(Group& group);
  void Loop();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || !queue_.empty(); }
  bool GroupFull() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || queue_.size() >= expected_group_;
  }
  Status Begin();
  void RunGroup(Group& group);
  void MaybeUpkeep(size_t ops);

  std::unique_ptr<SqlConn> conn_;
  Clock* clock_;
  size_t max_group_;
  absl::Mutex mu_;
  std::deque<std::shared_ptr<Pending>> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // The size of the last group: its callers are likely to come back together (see Loop).
  size_t expected_group_ ABSL_GUARDED_BY(mu_) = 1;
  Prefetch prefetch_;
  // Writer thread only.
  std::function<Status(SqlConn&)> upkeep_;
  size_t upkeep_every_ = 0;
  bool upkeep_in_transaction_ = true;
  size_t ops_since_upkeep_ = 0;
  std::atomic<int64_t> groups_{0};
  std::atomic<int64_t> operations_{0};
  std::atomic<int64_t> cpu_ns_{0};
  std::thread thread_;
};

}  // namespace fz::store
