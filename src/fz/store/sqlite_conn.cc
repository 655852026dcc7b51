// SQLite adapter for SqlConn: prepared statements cached per SQL text, $N rewritten to ?N.
#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

#include "fz/common/str_cat.h"
#include "fz/store/sql_conn.h"
#include "fz/store/wal_write_buffer.h"

namespace fz::store {
namespace {

std::string RewriteParams(const std::string& sql) {
  std::string out = sql;
  for (char& c : out) {
    if (c == '$') c = '?';
  }
  return out;
}

// Copies the WAL back into the database file on its own thread and connection, so that the
// writer never waits for a checkpoint's fsyncs (on a disk they cost more than the commits).
// The background passes whenever kBackgroundPages frames wait to be copied. SQLite starts the
// WAL over only at a write that finds every frame copied, which a background pass never
// achieves under steady writes (frames keep arriving while it copies). So once the WAL is past
// kRestartPages the background passes after every commit, and the writer copies the rest
// itself as soon as a pass has left no more than kInlineRemainder frames (a short inline
// pass), and in any case past kInlinePages.
class Checkpointer {
 public:
  static constexpr int kBackgroundPages = 1000;  // SQLite's own auto-checkpoint size
  static constexpr int kRestartPages = 8'000;    // ~32 MB of WAL
  static constexpr int kInlineRemainder = 300;
  static constexpr int kInlinePages = 16'000;  // ~64 MB of WAL

  explicit Checkpointer(sqlite3* db) : db_(db), thread_([this] { Loop(); }) {}
  ~Checkpointer() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
    sqlite3_close_v2(db_);
  }

  // The writer's WAL hook, after each commit.
  void Committed(sqlite3* writer, int wal_pages) {
    int copied = copied_.load(std::memory_order_relaxed);
    // After a restart the background's count is of the old WAL: unknown until its next pass.
    if (copied > wal_pages) copied = 0;
    if (wal_pages >= kInlinePages ||
        (wal_pages >= kRestartPages && wal_pages - copied <= kInlineRemainder)) {
      (void)sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      copied_.store(0, std::memory_order_relaxed);
      return;
    }
    const int waiting = wal_pages - copied;
    if ((waiting >= kBackgroundPages ||
         (wal_pages >= kRestartPages && waiting > kInlineRemainder)) &&
        !requested_.exchange(true, std::memory_order_relaxed)) {
      absl::MutexLock lock(&mu_);
      due_ = true;
    }
  }

 private:
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || due_; }

  void Loop() {
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &Checkpointer::Ready));
        if (stop_) return;
        due_ = false;
      }
      requested_.store(false, std::memory_order_relaxed);
      // PASSIVE: never blocks the writer or readers; what it cannot copy now waits for the
      // next pass. Busy (another checkpoint running) is fine for the same reason.
      int log = 0, copied = 0;
      if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) ==
          SQLITE_OK) {
        copied_.store(copied, std::memory_order_relaxed);
      }
    }
  }

  sqlite3* db_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool due_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int> copied_{0};          // frames of the WAL the last background pass left copied
  std::atomic<bool> requested_{false};  // a pass is due or running: no need to take mu_
  std::thread thread_;
};

int OnWalCommit(void* checkpointer, sqlite3* db, const char* /*schema*/, int pages) {
  static_cast<Checkpointer*>(checkpointer)->Committed(db, pages);
  return SQLITE_OK;
}

class SqliteConn final : public SqlConn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_wal_hook(db_, nullptr, nullptr);
    checkpointer_.reset();
    sqlite3_close_v2(db_);
  }

  // Hands checkpoints to a background thread with its own connection `other`.
  void CheckpointInBackground(sqlite3* other) {
    checkpointer_ = std::make_unique<Checkpointer>(other);
    sqlite3_wal_hook(db_, &OnWalCommit, checkpointer_.get());
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err != nullptr ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Error(message);
    }
    return absl::OkStatus();
  }

  StatusOr<SqlRows> Query(const std::string& sql, const SqlParams& params) override {
    FZ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    SqlRows rows;
    int rc;
    int cols = sqlite3_column_count(stmt);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::optional<std::string>> row(cols);
      for (int i = 0; i < cols; ++i) {
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) continue;
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row[i] = std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt, i));
      }
      rows.emplace_back(std::move(row));
    }
    Status status = rc == SQLITE_DONE ? absl::OkStatus() : Error(sqlite3_errmsg(db_));
    sqlite3_reset(stmt);
    FZ_RETURN_IF_ERROR(status);
    return rows;
  }

  StatusOr<int64_t> Exec(const std::string& sql, const SqlParams& params) override {
    FZ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    Status status = rc == SQLITE_DONE ? absl::OkStatus() : Error(sqlite3_errmsg(db_));
    sqlite3_reset(stmt);
    FZ_RETURN_IF_ERROR(status);
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  StatusOr<std::optional<int64_t>> InsertId(const std::string& sql,
                                            const SqlParams& params) override {
    FZ_ASSIGN_OR_RETURN(int64_t changed, Exec(sql, params));
    if (changed == 0) return std::optional<int64_t>();
    return std::optional<int64_t>(sqlite3_last_insert_rowid(db_));
  }

 private:
  Status Error(std::string_view message) {
    int code = sqlite3_extended_errcode(db_);
    std::string text = StrCat("sqlite: ", message);
    if ((code & 0xff) == SQLITE_CONSTRAINT) return absl::AlreadyExistsError(text);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
      return absl::UnavailableError(text);
    }
    return absl::InternalError(text);
  }

  StatusOr<sqlite3_stmt*> Prepare(const std::string& sql, const SqlParams& params) {
    sqlite3_stmt*& stmt = cache_[sql];
    if (stmt == nullptr) {
      std::string text = RewriteParams(sql);
      if (sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                             SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        stmt = nullptr;
        cache_.erase(sql);
        return Error(StrCat(sqlite3_errmsg(db_), " in: ", sql));
      }
    }
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const SqlValue& v = params[i];
      if (std::holds_alternative<int64_t>(v)) {
        sqlite3_bind_int64(stmt, index, std::get<int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        sqlite3_bind_double(stmt, index, std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const std::string& s = std::get<std::string>(v);
        // STATIC: `params` outlives the statement's steps (Query/Exec step and reset it before
        // returning), so SQLite need not copy every text parameter.
        sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_null(stmt, index);
      }
    }
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

// Process-wide settings, before SQLite initializes (a later call is refused and harmless).
// Memory statistics take a global mutex on every allocation SQLite makes: a few percent of
// each statement, for counters nothing reads.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

StatusOr<sqlite3*> OpenHandle(const std::string& path, const char* vfs = nullptr) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return absl::UnavailableError(StrCat("sqlite: cannot open ", path, ": ", message));
  }
  sqlite3_busy_timeout(db, 10'000);
  return db;
}

StatusOr<std::unique_ptr<SqliteConn>> OpenConn(const std::string& path, const char* vfs) {
  FZ_ASSIGN_OR_RETURN(sqlite3 * db, OpenHandle(path, vfs));
  auto conn = std::make_unique<SqliteConn>(db);
  // WAL: readers never block the writer; NORMAL: a commit is durable once the WAL is synced
  // at checkpoint, and survives a process crash (SIGKILL) immediately.
  FZ_RETURN_IF_ERROR(
      conn->ExecScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                       "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"));
  return conn;
}

}  // namespace

StatusOr<std::unique_ptr<SqlConn>> OpenSqlite(const std::string& path) {
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> conn, OpenConn(path, nullptr));
  return std::unique_ptr<SqlConn>(std::move(conn));
}

StatusOr<std::unique_ptr<SqlConn>> OpenSqliteWriter(const std::string& path) {
  // The writer's WAL frames reach the file in one write per commit (wal_write_buffer.h).
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> conn, OpenConn(path, WalGatheringVfs()));
  FZ_ASSIGN_OR_RETURN(sqlite3 * checkpoint_db, OpenHandle(path));
  // A connection learns that the database is in WAL mode when it first reads it; until then
  // sqlite3_wal_checkpoint_v2 does nothing and answers SQLITE_OK (log and copied -1).
  char* err = nullptr;
  if (sqlite3_exec(checkpoint_db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &err) !=
      SQLITE_OK) {
    std::string message = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    sqlite3_close_v2(checkpoint_db);
    return absl::UnavailableError(StrCat("sqlite: cannot read ", path, ": ", message));
  }
  conn->CheckpointInBackground(checkpoint_db);
  return std::unique_ptr<SqlConn>(std::move(conn));
}

}  // namespace fz::store
