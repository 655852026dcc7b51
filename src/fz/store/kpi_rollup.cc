#include "fz/store/kpi_rollup.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/store/sql_util.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

// One fact of a warning row `r` ("new.", "old." or "w."): key, value, weight, and the
// condition under which the row has it.
struct FactSpec {
  const char* k;
  const char* v;  // SQL over the row; {r} is the row prefix
  const char* c;
  const char* when;  // "" = always
  const char* deps;  // the columns v, c and when read, besides unit_path and created_at
};

constexpr FactSpec kFacts[] = {
    {"n", "''", "1", "", ""},
    {"l", "CAST({r}level AS TEXT)", "1", "", "level"},
    {"s", "{r}source", "1", "", "source"},
    {"f", "CAST({r}fraud_type AS TEXT)", "1", "", "fraud_type"},
    {"t", "{r}state", "1", "", "state"},
    {"vr", "''", "{r}visit_required", "", "visit_required"},
    {"vd", "''", "CASE WHEN {r}visit_required = 1 AND {r}visited_at IS NOT NULL THEN 1 ELSE 0 END",
     "", "visit_required visited_at"},
    {"o", "{r}outcome", "1", "{r}outcome <> ''", "outcome"},
    {"od", "''", "CASE WHEN {r}overdue > 0 THEN 1 ELSE 0 END", "", "overdue"},
    {"e", "''", "{r}escalations", "", "escalations"},
    {"ad", "''", "{r}after_dissuasion", "", "after_dissuasion"},
    {"fc", "CAST({r}level AS TEXT) || ':' || CAST({r}first_contact_bucket AS TEXT)", "1",
     "{r}first_contact_bucket IS NOT NULL", "level first_contact_bucket"},
    {"vb", "CAST({r}level AS TEXT) || ':' || CAST({r}visit_bucket AS TEXT)", "1",
     "{r}visit_bucket IS NOT NULL", "level visit_bucket"},
};

// The columns whose change changes a warning's facts.
constexpr const char* kFactColumns[] = {"unit_path",
                                        "created_at",
                                        "level",
                                        "source",
                                        "fraud_type",
                                        "state",
                                        "visit_required",
                                        "visited_at",
                                        "outcome",
                                        "overdue",
                                        "escalations",
                                        "after_dissuasion",
                                        "first_contact_bucket",
                                        "visit_bucket"};

std::string Sub(std::string text, std::string_view row) {
  for (size_t pos = text.find("{r}"); pos != std::string::npos; pos = text.find("{r}", pos)) {
    text.replace(pos, 3, row);
    pos += row.size();
  }
  return text;
}

// In an UPDATE trigger, the condition under which fact `f` can differ between old and new
// ("" outside triggers): facts whose columns did not change are left out before the sums.
std::string ChangedFact(const FactSpec& f, std::string_view distinct) {
  if (distinct.empty()) return "";
  std::string cond = StrCat("(old.unit_path", distinct, "new.unit_path OR old.created_at", distinct,
                            "new.created_at");
  for (std::string_view deps = f.deps; !deps.empty();) {
    size_t space = deps.find(' ');
    std::string_view col = deps.substr(0, space);
    StrAppend(&cond, " OR old.", col, distinct, "new.", col);
    deps = space == std::string_view::npos ? "" : deps.substr(space + 1);
  }
  return cond + ")";
}

// The facts of row `row` with weights multiplied by `sign`, as UNION ALL of one SELECT each
// (no FROM in a trigger; " FROM warnings w" for the table). `distinct` (" IS NOT " or " IS
// DISTINCT FROM ") prunes the facts an UPDATE did not change.
std::string FactSql(const FactSpec& f, std::string_view row, std::string_view sign,
                    std::string_view from, std::string_view distinct = "") {
  const std::string day = StrCat("(", row, "created_at + ", kCityUtcOffsetUs, ") / ", kDayUs);
  std::string sql = StrCat("SELECT ", row, "unit_path AS p, ", day, " AS d, '", f.k, "' AS k, ",
                           Sub(f.v, row), " AS v, ", sign, " * (", Sub(f.c, row), ") AS c", from);
  std::string cond = Sub(f.when, row);
  std::string changed = ChangedFact(f, distinct);
  if (!changed.empty()) cond = cond.empty() ? changed : StrCat(cond, " AND ", changed);
  if (!cond.empty()) sql += StrCat(" WHERE ", cond);
  return sql;
}

std::string FactsSql(std::string_view row, std::string_view sign, std::string_view from,
                     std::string_view distinct = "") {
  std::string sql;
  for (const FactSpec& f : kFacts) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += FactSql(f, row, sign, from, distinct);
  }
  return sql;
}

// Adds `facts` (rows p, d, k, v, c) to every ancestor's row of kpi_daily.
std::string UpsertFacts(std::string_view facts) {
  return StrCat(
      "INSERT INTO kpi_daily (unit_path, day, k, v, n) SELECT a.ancestor, f.d, f.k, f.v, "
      "sum(f.c) FROM (",
      facts,
      ") f JOIN unit_ancestors a ON a.path = f.p WHERE true GROUP BY a.ancestor, f.d, f.k, f.v "
      "HAVING sum(f.c) <> 0 ON CONFLICT (unit_path, day, k, v) DO UPDATE SET n = kpi_daily.n + "
      "excluded.n");
}

std::string ChangedCondition(bool sqlite) {
  std::string sql;
  for (const char* col : kFactColumns) {
    if (!sql.empty()) sql += " OR ";
    sql += StrCat("old.", col, sqlite ? " IS NOT new." : " IS DISTINCT FROM new.", col);
  }
  return sql;
}

std::string ColumnList() {
  std::string out;
  for (const char* col : kFactColumns) {
    if (!out.empty()) out += ", ";
    out += col;
  }
  return out;
}

constexpr char kTables[] = R"SQL(
CREATE TABLE unit_ancestors (
  path {{CTEXT}} NOT NULL,
  ancestor {{CTEXT}} NOT NULL,
  PRIMARY KEY (path, ancestor)
){{WITHOUT_ROWID}};
INSERT INTO unit_ancestors (path, ancestor)
SELECT p.path, q.path FROM
  (SELECT path FROM unit_paths UNION SELECT DISTINCT unit_path FROM warnings) p
  JOIN unit_paths q ON q.path <= p.path AND substr(p.path, 1, length(q.path)) = q.path;
INSERT INTO unit_ancestors (path, ancestor)
SELECT DISTINCT unit_path, unit_path FROM warnings WHERE true ON CONFLICT DO NOTHING;
CREATE TABLE kpi_daily (
  unit_path {{CTEXT}} NOT NULL,
  day BIGINT NOT NULL,
  k TEXT NOT NULL,
  v TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (unit_path, day, k, v)
){{WITHOUT_ROWID}};
)SQL";

std::string SqliteTriggers() {
  const std::string check =
      "SELECT RAISE(ABORT, 'kpi_daily: unit path of the warning is not in unit_ancestors') "
      "WHERE NOT EXISTS (SELECT 1 FROM unit_ancestors WHERE path = new.unit_path);";
  return StrCat("CREATE TRIGGER kpi_daily_insert AFTER INSERT ON warnings BEGIN ", check, " ",
                UpsertFacts(FactsSql("new.", "1", "")), "; END;\n",
                "CREATE TRIGGER kpi_daily_update AFTER UPDATE OF ", ColumnList(),
                " ON warnings WHEN ", ChangedCondition(true), " BEGIN ", check, " ",
                UpsertFacts(StrCat(FactsSql("old.", "-1", "", " IS NOT "), " UNION ALL ",
                                   FactsSql("new.", "1", "", " IS NOT "))),
                "; END;\n", "CREATE TRIGGER kpi_daily_delete AFTER DELETE ON warnings BEGIN ",
                UpsertFacts(FactsSql("old.", "-1", "")), "; END;\n");
}

std::string PostgresTriggers() {
  return StrCat(
      "CREATE FUNCTION kpi_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
      "IF TG_OP <> 'DELETE' AND NOT EXISTS (SELECT 1 FROM unit_ancestors WHERE path = "
      "new.unit_path) THEN RAISE EXCEPTION 'kpi_daily: unit path % of warning % is not in "
      "unit_ancestors', new.unit_path, new.id; END IF;\n"
      "IF TG_OP = 'INSERT' THEN ",
      UpsertFacts(FactsSql("new.", "1", "")), ";\nELSIF TG_OP = 'UPDATE' THEN ",
      UpsertFacts(StrCat(FactsSql("old.", "-1", "", " IS DISTINCT FROM "), " UNION ALL ",
                         FactsSql("new.", "1", "", " IS DISTINCT FROM "))),
      ";\nELSE ", UpsertFacts(FactsSql("old.", "-1", "")),
      ";\nEND IF;\nRETURN NULL;\nEND $$;\n"
      "CREATE TRIGGER kpi_daily_insert AFTER INSERT OR DELETE ON warnings FOR EACH ROW "
      "EXECUTE FUNCTION kpi_daily_apply();\n"
      "CREATE TRIGGER kpi_daily_update AFTER UPDATE OF ",
      ColumnList(), " ON warnings FOR EACH ROW WHEN (", ChangedCondition(false),
      ") EXECUTE FUNCTION kpi_daily_apply();\n");
}

// The facts of every warning, summed per leaf path first (few rows) and then per ancestor.
std::string FactsOfTable() {
  return StrCat("SELECT p, d, k, v, sum(c) AS c FROM (", FactsSql("w.", "1", " FROM warnings w"),
                ") x GROUP BY p, d, k, v");
}

// Migration 7: the triggers append each change's facts, unsummed, to kpi_delta (leaf unit
// path, day, fact, weight) instead of upserting ~6 ancestor rows of kpi_daily per change; the
// writer folds the deltas into kpi_daily every few hundred operations (FoldKpiDeltasSql), and
// reads add the deltas not folded yet. An append touches the table's last page only, where
// the upserts touched three random pages per change (ADR 0004).
constexpr char kDeltaTable[] = R"SQL(
CREATE TABLE kpi_delta (
  unit_path {{CTEXT}} NOT NULL,
  day BIGINT NOT NULL,
  k TEXT NOT NULL,
  v TEXT NOT NULL,
  c BIGINT NOT NULL
);
)SQL";

std::string AppendFacts(std::string_view facts) {
  return StrCat("INSERT INTO kpi_delta (unit_path, day, k, v, c) SELECT p, d, k, v, c FROM (",
                facts, ") f WHERE c <> 0");
}

std::string SqliteDeltaTriggers() {
  const std::string check =
      "SELECT RAISE(ABORT, 'kpi_daily: unit path of the warning is not in unit_ancestors') "
      "WHERE NOT EXISTS (SELECT 1 FROM unit_ancestors WHERE path = new.unit_path);";
  return StrCat(
      "DROP TRIGGER kpi_daily_insert; DROP TRIGGER kpi_daily_update; DROP TRIGGER "
      "kpi_daily_delete;\n",
      kDeltaTable, "CREATE TRIGGER kpi_delta_insert AFTER INSERT ON warnings BEGIN ", check, " ",
      AppendFacts(FactsSql("new.", "1", "")), "; END;\n",
      "CREATE TRIGGER kpi_delta_update AFTER UPDATE OF ", ColumnList(), " ON warnings WHEN ",
      ChangedCondition(true), " BEGIN ", check, " ",
      AppendFacts(StrCat(FactsSql("old.", "-1", "", " IS NOT "), " UNION ALL ",
                         FactsSql("new.", "1", "", " IS NOT "))),
      "; END;\n", "CREATE TRIGGER kpi_delta_delete AFTER DELETE ON warnings BEGIN ",
      AppendFacts(FactsSql("old.", "-1", "")), "; END;\n");
}

// Migration 9 (SQLite): the UPDATE trigger of migration 7 evaluated all 13 facts twice on
// every change (~8 µs of the writer per transition, a tenth of it). Now a change of unit or
// creation time (re-route, rare) runs the whole set, and otherwise one small trigger per fact
// fires only when that fact's columns changed: a state change appends two rows.
std::string SqliteSplitUpdateTriggers() {
  const std::string check =
      "SELECT RAISE(ABORT, 'kpi_daily: unit path of the warning is not in unit_ancestors') "
      "WHERE NOT EXISTS (SELECT 1 FROM unit_ancestors WHERE path = new.unit_path);";
  const std::string place_or_time_changed =
      "old.unit_path IS NOT new.unit_path OR old.created_at IS NOT new.created_at";
  std::string sql = StrCat(
      "DROP TRIGGER kpi_delta_update;\n"
      "CREATE TRIGGER kpi_delta_update AFTER UPDATE OF unit_path, created_at ON warnings WHEN ",
      place_or_time_changed, " BEGIN ", check, " ",
      AppendFacts(StrCat(FactsSql("old.", "-1", ""), " UNION ALL ", FactsSql("new.", "1", ""))),
      "; END;\n");
  for (const FactSpec& f : kFacts) {
    if (std::string_view(f.deps).empty()) continue;  // changes only with place or time
    std::string columns, changed;
    for (std::string_view deps = f.deps; !deps.empty();) {
      size_t space = deps.find(' ');
      std::string_view col = deps.substr(0, space);
      StrAppend(&columns, columns.empty() ? "" : ", ", col);
      StrAppend(&changed, changed.empty() ? "" : " OR ", "old.", col, " IS NOT new.", col);
      deps = space == std::string_view::npos ? "" : deps.substr(space + 1);
    }
    StrAppend(&sql, "CREATE TRIGGER kpi_delta_update_", f.k, " AFTER UPDATE OF ", columns,
              " ON warnings WHEN NOT (", place_or_time_changed, ") AND (", changed, ") BEGIN ",
              AppendFacts(
                  StrCat(FactSql(f, "old.", "-1", ""), " UNION ALL ", FactSql(f, "new.", "1", ""))),
              "; END;\n");
  }
  return sql;
}

// Facts over transition tables: rows "old."/"new." become o_/n_ (statement triggers have no
// OLD/NEW records; PL/pgSQL would take "new.x" for its own variable).
std::string OverTransitionTables(std::string sql) {
  for (const auto& [from, to] : {std::pair{"old.", "o_."}, std::pair{"new.", "n_."}}) {
    for (size_t pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos)) {
      sql.replace(pos, 4, to);
    }
  }
  return sql;
}

// PostgreSQL's kpi_delta_apply(): `create` is "CREATE" or "CREATE OR REPLACE", `update` the
// statement of its UPDATE branch.
std::string PostgresDeltaFunction(std::string_view create, std::string_view update) {
  return StrCat(
      create,
      " FUNCTION kpi_delta_apply() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "DECLARE bad record;\nBEGIN\n"
      "IF TG_OP <> 'DELETE' THEN SELECT n_.id, n_.unit_path INTO bad FROM n_rows n_ WHERE NOT "
      "EXISTS (SELECT 1 FROM unit_ancestors a WHERE a.path = n_.unit_path) LIMIT 1;\n"
      "IF FOUND THEN RAISE EXCEPTION 'kpi_daily: unit path % of warning % is not in "
      "unit_ancestors', bad.unit_path, bad.id; END IF;\nEND IF;\n"
      "IF TG_OP = 'INSERT' THEN ",
      OverTransitionTables(AppendFacts(FactsSql("new.", "1", " FROM n_rows n_"))),
      ";\nELSIF TG_OP = 'UPDATE' THEN ", update, ";\nELSE ",
      OverTransitionTables(AppendFacts(FactsSql("old.", "-1", " FROM o_rows o_"))),
      ";\nEND IF;\nRETURN NULL;\nEND $$;\n");
}

// PostgreSQL: statement triggers over transition tables, so one call appends the facts of
// every row a statement changed (a batch of transitions is one UPDATE); row triggers paid a
// PL/pgSQL call and an executor start per row (ADR 0004).
std::string PostgresDeltaTriggers() {
  const std::string join = " FROM o_rows o_ JOIN n_rows n_ ON o_.id = n_.id";
  return StrCat(
      "DROP TRIGGER kpi_daily_insert ON warnings; DROP TRIGGER kpi_daily_update ON warnings; "
      "DROP FUNCTION kpi_daily_apply();\n",
      kDeltaTable,
      PostgresDeltaFunction(
          "CREATE", OverTransitionTables(AppendFacts(
                        StrCat(FactsSql("old.", "-1", join, " IS DISTINCT FROM "), " UNION ALL ",
                               FactsSql("new.", "1", join, " IS DISTINCT FROM "))))),
      "CREATE TRIGGER kpi_delta_insert AFTER INSERT ON warnings REFERENCING NEW TABLE AS n_rows "
      "FOR EACH STATEMENT EXECUTE FUNCTION kpi_delta_apply();\n"
      "CREATE TRIGGER kpi_delta_update AFTER UPDATE ON warnings REFERENCING OLD TABLE AS o_rows "
      "NEW TABLE AS n_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_delta_apply();\n"
      "CREATE TRIGGER kpi_delta_delete AFTER DELETE ON warnings REFERENCING OLD TABLE AS o_rows "
      "FOR EACH STATEMENT EXECUTE FUNCTION kpi_delta_apply();\n");
}

// Migration 10 (PostgreSQL): migration 7's UPDATE branch joined the old and new rows once per
// fact, 26 joins that the planner runs as nested loops over the transition tables (it cannot
// estimate their size): 1.6 ms for a batch of 16 transitions, n² in the batch. Now the rows
// are joined once and each changed pair yields its facts through LATERAL.
std::string PostgresLateralUpdateFunction() {
  return PostgresDeltaFunction(
      "CREATE OR REPLACE",
      OverTransitionTables(StrCat(
          "INSERT INTO kpi_delta (unit_path, day, k, v, c) SELECT f.p, f.d, f.k, f.v, f.c FROM "
          "o_rows o_ JOIN n_rows n_ ON o_.id = n_.id CROSS JOIN LATERAL (",
          FactsSql("old.", "-1", "", " IS DISTINCT FROM "), " UNION ALL ",
          FactsSql("new.", "1", "", " IS DISTINCT FROM "), ") f WHERE (", ChangedCondition(false),
          ") AND f.c <> 0")));
}

// The deltas of kpi_delta summed per ancestor row, as (unit_path, day, k, v, n).
constexpr char kDeltasPerAncestor[] =
    "SELECT a.ancestor AS unit_path, f.day, f.k, f.v, sum(f.c) AS n FROM {from} f JOIN "
    "unit_ancestors a ON a.path = f.unit_path WHERE true GROUP BY a.ancestor, f.day, f.k, f.v "
    "HAVING sum(f.c) <> 0";

std::string DeltasPerAncestor(std::string_view from) {
  std::string sql = kDeltasPerAncestor;
  sql.replace(sql.find("{from}"), 6, from);
  return sql;
}

}  // namespace

std::string KpiDeltaMigrationSql(Dialect dialect) {
  return dialect == Dialect::kSqlite ? SqliteDeltaTriggers() : PostgresDeltaTriggers();
}

std::string KpiSplitTriggersMigrationSql(Dialect dialect) {
  // PostgreSQL's statement triggers run once per statement already (migration 7).
  return dialect == Dialect::kSqlite ? SqliteSplitUpdateTriggers() : "SELECT 1;";
}

std::string KpiLateralDeltaMigrationSql(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "SELECT 1;" : PostgresLateralUpdateFunction();
}

std::string KpiFoldStateMigrationSql(Dialect dialect) {
  return dialect == Dialect::kSqlite
             ? "CREATE TABLE kpi_fold_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation "
               "INTEGER NOT NULL);\nINSERT INTO kpi_fold_state (id, generation) VALUES (1, 0);\n"
             : "SELECT 1;";
}

const std::string& KpiDeltaSumsSql() {
  // Grouped per ancestor row: in key order, and each kpi_daily row is upserted once.
  static const std::string kSql =
      "SELECT a.ancestor, f.day, f.k, f.v, sum(f.c) FROM kpi_delta f JOIN unit_ancestors a ON "
      "a.path = f.unit_path WHERE f.rowid <= $1 GROUP BY a.ancestor, f.day, f.k, f.v HAVING "
      "sum(f.c) <> 0";
  return kSql;
}

Status ApplyKpiDeltaSums(SqlConn& conn, const SqlRows& sums, int64_t generation, int64_t last) {
  FZ_ASSIGN_OR_RETURN(SqlRows state, conn.Query("SELECT generation FROM kpi_fold_state", {}));
  if (state.empty() || state.front().Int(0) != generation) {
    return absl::OkStatus();  // another fold ran since the sums were read: they are stale
  }
  // Many rows per statement: one row per statement cost ~4 us, most of it the statement's
  // own overhead (bind, step, reset) rather than the upsert. The sums are grouped by key, so
  // no statement meets a row twice.
  constexpr size_t kRowsPerStatement = 64;
  for (size_t first = 0; first < sums.size(); first += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, sums.size() - first);
    std::string sql = "INSERT INTO kpi_daily (unit_path, day, k, v, n) VALUES ";
    SqlParams params;
    params.reserve(5 * n);
    for (size_t i = 0; i < n; ++i) {
      const SqlRow& r = sums[first + i];
      const int64_t p = static_cast<int64_t>(5 * i);
      StrAppend(&sql, i == 0 ? "" : ", ", "($", p + 1, ", $", p + 2, ", $", p + 3, ", $", p + 4,
                ", $", p + 5, ")");
      params.insert(params.end(), {r.Str(0), r.Int(1), r.Str(2), r.Str(3), r.Int(4)});
    }
    sql += " ON CONFLICT (unit_path, day, k, v) DO UPDATE SET n = kpi_daily.n + excluded.n";
    FZ_RETURN_IF_ERROR(conn.Exec(sql, params).status());
  }
  FZ_RETURN_IF_ERROR(conn.Exec("DELETE FROM kpi_delta WHERE rowid <= $1", {last}).status());
  return conn.Exec("UPDATE kpi_fold_state SET generation = generation + 1", {}).status();
}

std::string FoldKpiDeltasSql(Dialect dialect) {
  const std::string upsert =
      " ON CONFLICT (unit_path, day, k, v) DO UPDATE SET n = kpi_daily.n + excluded.n";
  if (dialect == Dialect::kSqlite) {
    // The writer's transaction holds SQLite's write lock: no delta can arrive in between.
    // Each delta is added to its ancestors' rows as it is read: SQLite's upsert may meet the
    // same row again within the statement, and summing first (GROUP BY) cost more in its
    // temporary B-tree than the upserts it saved (16.2 vs 9.7 ms of CPU for 2,560 deltas of
    // the transitions benchmark). PostgreSQL refuses to update a row twice in one statement.
    return StrCat(
        "INSERT INTO kpi_daily (unit_path, day, k, v, n) SELECT a.ancestor, f.day, f.k, f.v, "
        "f.c FROM kpi_delta f JOIN unit_ancestors a ON a.path = f.unit_path WHERE true",
        upsert, "; DELETE FROM kpi_delta; UPDATE kpi_fold_state SET generation = generation + 1;");
  }
  // One statement: exactly the rows it deletes are folded, whatever other sessions commit
  // (it runs beside the writer: kpi_folder.h). In key order, so that two processes' folds
  // take their row locks in the same order and never deadlock.
  return StrCat(
      "WITH moved AS (DELETE FROM kpi_delta RETURNING unit_path, day, k, v, c) INSERT INTO "
      "kpi_daily (unit_path, day, k, v, n) ",
      DeltasPerAncestor("moved"), " ORDER BY 1, 2, 3, 4", upsert);
}

std::string MaintainedRollupSql() {
  return StrCat(
      "SELECT unit_path, day, k, v, sum(n) FROM (SELECT unit_path, day, k, v, n FROM kpi_daily "
      "UNION ALL ",
      DeltasPerAncestor("kpi_delta"),
      ") x GROUP BY unit_path, day, k, v HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4");
}

std::string KpiRollupMigrationSql(Dialect dialect) {
  bool sqlite = dialect == Dialect::kSqlite;
  std::string tables = kTables;
  const std::string token = "{{WITHOUT_ROWID}}";
  for (size_t pos = tables.find(token); pos != std::string::npos; pos = tables.find(token)) {
    tables.replace(pos, token.size(), sqlite ? " WITHOUT ROWID" : "");
  }
  return StrCat(tables, UpsertFacts(StrCat("SELECT * FROM (", FactsOfTable(), ") leaf WHERE true")),
                ";\n", sqlite ? SqliteTriggers() : PostgresTriggers());
}

std::string RollupFromScratchSql() {
  return StrCat("SELECT a.ancestor, f.d, f.k, f.v, sum(f.c) FROM (", FactsOfTable(),
                ") f JOIN unit_ancestors a ON a.path = f.p GROUP BY a.ancestor, f.d, f.k, f.v "
                "HAVING sum(f.c) <> 0 ORDER BY 1, 2, 3, 4");
}

}  // namespace fz::store
