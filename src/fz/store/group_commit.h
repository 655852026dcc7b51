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

#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>

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
  SqlConn& conn() { return conn_; }
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

 private:
  SqlConn& conn_;
  absl::Time now_;
  int64_t seq_ = 0;
  std::string head_;
};

class GroupCommitWriter {
 public:
  using Op = std::function<Status(TxContext&)>;

  // Takes the connection; `clock` gives each operation its "now".
  GroupCommitWriter(std::unique_ptr<SqlConn> conn, Clock* clock, size_t max_group = 512);
  ~GroupCommitWriter();  // finishes queued operations, then stops

  // Runs `op` in the next group; returns once that group committed (or `op` failed).
  Status Run(Op op);

  // Runs `fn` on the writer's connection outside any group (migrations at start-up).
  Status RunExclusive(const std::function<Status(SqlConn&)>& fn);

  // Runs `fn` in a transaction of its own after every `every_ops` operations (upkeep that is
  // cheaper in bulk, like folding the KPI deltas), between groups, so no caller waits inside
  // it. A failure is logged and retried at the next turn. Call on the writer thread, i.e.
  // from a RunExclusive function (so that it is set only once the schema supports it).
  void SetUpkeep(std::function<Status(SqlConn&)> fn, size_t every_ops);

 private:
  struct Pending {
    Op op;
    std::function<Status(SqlConn&)> exclusive;  // set: runs alone, outside any transaction
    std::promise<Status> done;
  };
  Status Enqueue(std::unique_ptr<Pending> pending);
  void Loop();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || !queue_.empty(); }
  bool GroupFull() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || queue_.size() >= expected_group_;
  }
  Status Begin();
  void RunGroup(std::vector<std::unique_ptr<Pending>>& group);
  void MaybeUpkeep(size_t ops);

  std::unique_ptr<SqlConn> conn_;
  Clock* clock_;
  size_t max_group_;
  absl::Mutex mu_;
  std::deque<std::unique_ptr<Pending>> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // The size of the last group: its callers are likely to come back together (see Loop).
  size_t expected_group_ ABSL_GUARDED_BY(mu_) = 1;
  // Writer thread only.
  std::function<Status(SqlConn&)> upkeep_;
  size_t upkeep_every_ = 0;
  size_t ops_since_upkeep_ = 0;
  std::thread thread_;
};

}  // namespace fz::store
