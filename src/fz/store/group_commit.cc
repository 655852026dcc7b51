#include "fz/store/group_commit.h"

#include <time.h>

#include "fz/common/logging.h"
#include "fz/common/str_cat.h"
#include "fz/store/audit_chain.h"

namespace fz::store {
namespace {

int64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// How long the writer waits for the callers of its last group to queue again (Loop): far
// below a commit's cost on disk, and paid only when fewer come back.
constexpr absl::Duration kGather = absl::Microseconds(200);

}  // namespace

SqlConn& TxContext::conn() {
  if (batch_ != nullptr) {
    Status status = Flush();
    if (!status.ok() && flush_status_.ok()) flush_status_ = status;
  }
  return conn_;
}

Status TxContext::Flush() {
  if (batch_ == nullptr) return absl::OkStatus();
  std::unique_ptr<Batch> batch = std::move(batch_);
  return batch->Run(conn_);
}

std::optional<SqlRow> TxContext::TakePrefetched(int64_t id) {
  auto it = prefetched_.find(id);
  if (it == prefetched_.end()) return std::nullopt;
  SqlRow row = std::move(it->second);
  prefetched_.erase(it);
  return row;
}

Status TxContext::LoadHead() {
  FZ_ASSIGN_OR_RETURN(SqlRows rows,
                      conn_.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {}));
  if (rows.empty()) {
    seq_ = 0;
    head_ = GenesisHash();
  } else {
    seq_ = rows[0].Int(0);
    head_ = rows[0].Str(1);
  }
  return absl::OkStatus();
}

TxContext::PendingAudit TxContext::NextAudit(const workflow::Actor& actor, std::string_view action,
                                             std::string_view object,
                                             std::string_view detail) const {
  AuditEntry e;
  e.seq = seq_ + 1;
  e.at_us = absl::ToUnixMicros(now_);
  e.actor = actor.user;
  e.role = std::string(workflow::RoleName(actor.role));
  e.unit = actor.unit.value();
  e.action = std::string(action);
  e.object = std::string(object);
  e.detail = std::string(detail);
  std::string hash = ChainHash(head_, e);
  return {.params = {e.seq, e.at_us, e.actor, e.role, e.unit, e.action, e.object, e.detail, head_,
                     hash},
          .seq = e.seq,
          .hash = hash};
}

void TxContext::Appended(PendingAudit audit) {
  seq_ = audit.seq;
  head_ = std::move(audit.hash);
}

Status TxContext::Audit(const workflow::Actor& actor, std::string_view action,
                        std::string_view object, std::string_view detail) {
  PendingAudit audit = NextAudit(actor, action, object, detail);
  FZ_RETURN_IF_ERROR(conn()
                         .Exec("INSERT INTO audit_log (seq, at, actor, role, unit, action, object, "
                               "detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                               "$9, $10)",
                               audit.params)
                         .status());
  Appended(std::move(audit));
  return absl::OkStatus();
}

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqlConn> conn, Clock* clock, size_t max_group)
    : conn_(std::move(conn)), clock_(clock), max_group_(max_group) {
  thread_ = std::thread([this] { Loop(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

Status GroupCommitWriter::Run(Op op, int64_t warning, size_t weight) {
  auto pending = std::make_shared<Pending>();
  pending->op = std::move(op);
  pending->warning = warning;
  pending->weight = weight;
  return Enqueue(std::move(pending));
}

Status GroupCommitWriter::Enqueue(std::shared_ptr<Pending> pending) {
  std::future<Status> done = pending->done.get_future();
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return absl::UnavailableError("store is closing");
    queue_.push_back(pending);
  }
  Status status = done.get();
  // Our share of waking the group (Complete); the writer set `wakes` before waking us.
  for (const std::shared_ptr<Pending>& next : pending->wakes) next->done.set_value(next->result);
  return status;
}

void GroupCommitWriter::Complete(Group& group) {
  for (size_t i = 0; i < group.size(); ++i) {
    for (size_t child : {2 * i + 1, 2 * i + 2}) {
      if (child < group.size()) group[i]->wakes.push_back(group[child]);
    }
  }
  group[0]->done.set_value(group[0]->result);
}

Status GroupCommitWriter::RunExclusive(const std::function<Status(SqlConn&)>& fn) {
  // Runs on the writer thread, so the connection is never used by two threads at once.
  auto pending = std::make_shared<Pending>();
  pending->exclusive = fn;
  return Enqueue(std::move(pending));
}

Status GroupCommitWriter::Begin() {
  if (conn_->dialect() == Dialect::kSqlite) {
    // IMMEDIATE takes the write lock now, so the audit head read below cannot go stale.
    return conn_->ExecScript("BEGIN IMMEDIATE");
  }
  // One writer at a time across processes: the audit chain is a single sequence.
  return conn_->ExecScript("BEGIN; LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE");
}

void GroupCommitWriter::RunGroup(Group& group) {
  TxContext tx(*conn_, clock_->Now());
  std::vector<Status> results(group.size());
  Status status = Begin();
  if (status.ok()) status = tx.LoadHead();
  tx.set_batching(group.size() > 1);
  if (status.ok() && group.size() > 1 && prefetch_) {
    std::vector<int64_t> ids;
    for (const auto& pending : group) {
      if (pending->warning != 0) ids.push_back(pending->warning);
    }
    if (ids.size() > 1) {
      StatusOr<std::map<int64_t, SqlRow>> rows = prefetch_(*conn_, ids);
      if (rows.ok()) tx.SetPrefetched(*std::move(rows));
      status = rows.status();
    }
  }
  for (size_t i = 0; status.ok() && i < group.size(); ++i) {
    tx.set_now(clock_->Now());
    if (group[i]->warning == 0) tx.ClearPrefetched();
    results[i] = group[i]->op(tx);
    if (!results[i].ok()) status = results[i];
    if (status.ok()) status = tx.flush_status();
  }
  if (status.ok()) status = tx.Flush();
  if (status.ok()) status = conn_->ExecScript("COMMIT");
  if (status.ok()) {
    Complete(group);
    return;
  }
  (void)conn_->ExecScript("ROLLBACK");
  if (group.size() == 1) {
    group[0]->result = status;
    Complete(group);
    return;
  }
  // Something failed: run each alone so that only the failing ones fail.
  for (auto& pending : group) {
    Group one = {std::move(pending)};
    RunGroup(one);
  }
}

void GroupCommitWriter::SetUpkeep(std::function<Status(SqlConn&)> fn, size_t every_ops,
                                  bool in_transaction) {
  upkeep_ = std::move(fn);
  upkeep_every_ = every_ops;
  upkeep_in_transaction_ = in_transaction;
  ops_since_upkeep_ = every_ops;  // due at once (Loop runs it after the exclusive function)
}

void GroupCommitWriter::MaybeUpkeep(size_t ops) {
  ops_since_upkeep_ += ops;
  if (!upkeep_ || ops_since_upkeep_ < upkeep_every_) return;
  ops_since_upkeep_ = 0;
  if (!upkeep_in_transaction_) {
    Status status = upkeep_(*conn_);
    if (!status.ok()) Logger("store")->warn("store upkeep failed: {}", status.ToString());
    return;
  }
  Status status = Begin();
  if (status.ok()) status = upkeep_(*conn_);
  if (status.ok()) status = conn_->ExecScript("COMMIT");
  if (!status.ok()) {
    (void)conn_->ExecScript("ROLLBACK");
    Logger("store")->warn("store upkeep failed (retried later): {}", status.ToString());
  }
}

void GroupCommitWriter::Loop() {
  for (;;) {
    cpu_ns_.store(ThreadCpuNs(), std::memory_order_relaxed);
    Group group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &GroupCommitWriter::HasWork));
      // The callers of the last group were all woken at its commit and come back one by one;
      // starting on the first would commit a group of one and leave the rest for the next.
      // So wait briefly (bounded: a lone caller never waits) until as many are queued again.
      if (expected_group_ > 1 && queue_.size() < expected_group_) {
        mu_.AwaitWithTimeout(absl::Condition(this, &GroupCommitWriter::GroupFull), kGather);
      }
      if (queue_.empty()) return;  // stop_ and nothing left
      while (!queue_.empty() && group.size() < max_group_ && !queue_.front()->exclusive) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (group.empty()) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    {
      absl::MutexLock lock(&mu_);
      expected_group_ = group.size();
    }
    if (group.front()->exclusive) {
      group.front()->result = group.front()->exclusive(*conn_);
      Complete(group);
      MaybeUpkeep(0);
      continue;
    }
    size_t ops = 0;
    for (const auto& pending : group) ops += pending->weight;
    groups_.fetch_add(1, std::memory_order_relaxed);
    operations_.fetch_add(static_cast<int64_t>(group.size()), std::memory_order_relaxed);
    RunGroup(group);
    MaybeUpkeep(ops);
  }
}

}  // namespace fz::store
