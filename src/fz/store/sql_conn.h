// SqlConn: the little a SqlStore needs from a database connection, so that SQLite and
// PostgreSQL share one schema and one set of queries. Parameters are written $1, $2, ... in
// every dialect (the SQLite adapter rewrites them to ?1, ?2). Results come back as text.
//
//   FZ_ASSIGN_OR_RETURN(SqlRows rows, conn.Query("SELECT state FROM warnings WHERE id = $1",
//                                                {SqlValue(int64_t{42})}));
//
// Not thread-safe: one connection per thread (the writer thread owns its own).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fz/common/status.h"

namespace fz::store {

enum class Dialect { kSqlite, kPostgres };

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

class SqlRow {
 public:
  explicit SqlRow(std::vector<std::optional<std::string>> cols) : cols_(std::move(cols)) {}
  bool IsNull(size_t i) const { return !cols_[i].has_value(); }
  const std::string& Str(size_t i) const;  // "" for NULL
  int64_t Int(size_t i) const;             // 0 for NULL
  double Double(size_t i) const;           // 0 for NULL
  std::optional<int64_t> OptInt(size_t i) const;
  size_t size() const { return cols_.size(); }

 private:
  std::vector<std::optional<std::string>> cols_;
};
using SqlRows = std::vector<SqlRow>;

class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual Dialect dialect() const = 0;
  // Several statements without parameters (migrations, BEGIN/COMMIT).
  virtual Status ExecScript(std::string_view sql) = 0;
  // One statement; returns the rows it yields (RETURNING included).
  virtual StatusOr<SqlRows> Query(const std::string& sql, const SqlParams& params) = 0;
  // One statement; returns the number of rows changed.
  virtual StatusOr<int64_t> Exec(const std::string& sql, const SqlParams& params) = 0;
  // One INSERT of one row (without RETURNING) into a table keyed by `id`: the new row's id,
  // or nullopt when the insert did nothing (ON CONFLICT ... DO NOTHING). SQLite answers from
  // the connection (its RETURNING gathers rows in a temporary table first: ~2-4 us a row);
  // PostgreSQL appends RETURNING id.
  virtual StatusOr<std::optional<int64_t>> InsertId(const std::string& sql,
                                                    const SqlParams& params) = 0;
};

// Opens a SQLite database file (created if missing) in WAL mode with synchronous=NORMAL.
StatusOr<std::unique_ptr<SqlConn>> OpenSqlite(const std::string& path);
// The same for the one writing connection: WAL checkpoints run on a background thread with a
// connection of their own, so commits never wait for a checkpoint's fsyncs.
StatusOr<std::unique_ptr<SqlConn>> OpenSqliteWriter(const std::string& path);
// Opens a PostgreSQL connection ("postgresql://..." or a libpq keyword string).
StatusOr<std::unique_ptr<SqlConn>> OpenPostgres(const std::string& url);
// One connection for a database URL as OpenStore takes it: "sqlite:PATH" (a file, not
// :memory:) or "postgresql://..." / "postgres://...". Other modules that keep their own
// connection to the store's database (auth) open it here, so the URL rules live in one place.
StatusOr<std::unique_ptr<SqlConn>> OpenSqlUrl(std::string_view url);

}  // namespace fz::store
