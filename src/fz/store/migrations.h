// Numbered schema migrations, shared by SQLite and PostgreSQL. Each is applied once, in its
// own transaction, and recorded in schema_migrations (version, name, applied_at). Tokens in
// the SQL: {{ID}} is an auto-increment primary key, {{CTEXT}} text compared bytewise.
#pragma once

#include <string>
#include <vector>

#include "fz/common/status.h"
#include "fz/store/sql_conn.h"

namespace fz::store {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;  // both dialects
  std::string sqlite_sql;
  std::string postgres_sql;
};

const std::vector<Migration>& Migrations();

// The SQL of `m` for `dialect`, tokens replaced.
std::string MigrationSql(const Migration& m, Dialect dialect);

// Applies what is pending. `now_us` is recorded as applied_at.
Status ApplyMigrations(SqlConn& conn, int64_t now_us);

// Versions applied, ascending (empty when schema_migrations does not exist).
StatusOr<std::vector<int>> AppliedVersions(SqlConn& conn);

}  // namespace fz::store
