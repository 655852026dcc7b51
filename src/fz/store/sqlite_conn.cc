// SQLite adapter for SqlConn: prepared statements cached per SQL text, $N rewritten to ?N.
#include <sqlite3.h>

#include <unordered_map>

#include "fz/common/str_cat.h"
#include "fz/store/sql_conn.h"

namespace fz::store {
namespace {

std::string RewriteParams(const std::string& sql) {
  std::string out = sql;
  for (char& c : out) {
    if (c == '$') c = '?';
  }
  return out;
}

class SqliteConn final : public SqlConn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
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
        sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(stmt, index);
      }
    }
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

StatusOr<std::unique_ptr<SqlConn>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return absl::UnavailableError(StrCat("sqlite: cannot open ", path, ": ", message));
  }
  sqlite3_busy_timeout(db, 10'000);
  auto conn = std::make_unique<SqliteConn>(db);
  // WAL: readers never block the writer; NORMAL: a commit is durable once the WAL is synced
  // at checkpoint, and survives a process crash (SIGKILL) immediately.
  FZ_RETURN_IF_ERROR(
      conn->ExecScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                       "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"));
  return std::unique_ptr<SqlConn>(std::move(conn));
}

}  // namespace fz::store
