#include "fz/store/migrations.h"

#include <algorithm>

#include "fz/common/str_cat.h"
#include "fz/store/kpi_rollup.h"

namespace fz::store {
namespace {

// Times are microseconds since the Unix epoch (BIGINT) in every table: exact, portable, and
// cheap to compare in both dialects.
constexpr char kSchema1[] = R"SQL(
CREATE TABLE warnings (
  id BIGINT PRIMARY KEY,
  subject TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  person_name TEXT NOT NULL DEFAULT '',
  level INTEGER NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  fraud_type INTEGER NOT NULL,
  source TEXT NOT NULL,
  rule_ids TEXT NOT NULL,
  state TEXT NOT NULL,
  unit TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  queue TEXT NOT NULL,
  target_city TEXT NOT NULL DEFAULT '',
  route_reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  dispatched_at BIGINT NOT NULL,
  accepted_at BIGINT,
  first_contact_at BIGINT,
  first_contact_bucket INTEGER,
  visit_required INTEGER NOT NULL DEFAULT 0,
  visited_at BIGINT,
  visit_bucket INTEGER,
  outcome TEXT NOT NULL DEFAULT '',
  outcome_at BIGINT,
  was_dissuaded INTEGER NOT NULL DEFAULT 0,
  after_dissuasion INTEGER NOT NULL DEFAULT 0,
  overdue INTEGER NOT NULL DEFAULT 0,
  escalations INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX warnings_unit_time ON warnings (unit_path, created_at);
CREATE INDEX warnings_time ON warnings (created_at);
CREATE INDEX warnings_subject ON warnings (subject);
CREATE TABLE evidence (
  warning_id BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  at BIGINT NOT NULL,
  rule_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  indicator TEXT NOT NULL,
  PRIMARY KEY (warning_id, event_id, rule_id)
);
CREATE TABLE ingested_events (
  event_id TEXT PRIMARY KEY,
  warning_id BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE TABLE routes (
  id {{ID}},
  warning_id BIGINT NOT NULL,
  unit TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  queue TEXT NOT NULL,
  target_city TEXT NOT NULL,
  basis TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX routes_warning ON routes (warning_id);
CREATE TABLE transitions (
  id {{ID}},
  request_id TEXT NOT NULL UNIQUE,
  warning_id BIGINT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  unit TEXT NOT NULL,
  at BIGINT NOT NULL,
  note TEXT NOT NULL,
  call_result TEXT NOT NULL,
  visit_notes TEXT NOT NULL,
  gps_lat DOUBLE PRECISION,
  gps_lon DOUBLE PRECISION,
  photo_ref TEXT NOT NULL
);
CREATE INDEX transitions_warning ON transitions (warning_id);
CREATE TABLE steps (
  id {{ID}},
  request_id TEXT NOT NULL UNIQUE,
  warning_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  actor TEXT NOT NULL,
  unit TEXT NOT NULL,
  at BIGINT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX steps_warning ON steps (warning_id);
CREATE TABLE sla_timers (
  warning_id BIGINT NOT NULL,
  clock TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  first_due BIGINT NOT NULL,
  second_due BIGINT NOT NULL,
  stage INTEGER NOT NULL,
  met_at BIGINT,
  next_due BIGINT,
  PRIMARY KEY (warning_id, clock)
);
CREATE INDEX sla_timers_due ON sla_timers (next_due);
CREATE TABLE escalations (
  id {{ID}},
  warning_id BIGINT NOT NULL,
  clock TEXT NOT NULL,
  stage INTEGER NOT NULL,
  target_unit TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  due BIGINT NOT NULL,
  at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  UNIQUE (warning_id, clock, stage)
);
CREATE TABLE stop_payments (
  id {{ID}},
  request_no TEXT NOT NULL UNIQUE,
  original_request_no TEXT NOT NULL,
  warning_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  unit TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  from_bank TEXT NOT NULL,
  from_name TEXT NOT NULL,
  from_account TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_requested BIGINT NOT NULL,
  transfer_time BIGINT NOT NULL,
  stop_bank TEXT NOT NULL,
  stop_account_name TEXT NOT NULL,
  stop_account TEXT NOT NULL,
  stop_account_type TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  feedback_deadline BIGINT NOT NULL,
  stop_start BIGINT,
  stop_end BIGINT,
  stage TEXT NOT NULL,
  result TEXT NOT NULL,
  error_code TEXT NOT NULL,
  balance BIGINT NOT NULL,
  amount_stopped BIGINT NOT NULL
);
CREATE INDEX stop_payments_account ON stop_payments (stop_account);
CREATE INDEX stop_payments_unit ON stop_payments (unit_path, requested_at);
CREATE TABLE cases (
  id {{ID}},
  warning_id BIGINT NOT NULL UNIQUE,
  unit TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  opened_at BIGINT NOT NULL,
  victim_name TEXT NOT NULL,
  victim_phone TEXT NOT NULL,
  victim_id_no TEXT NOT NULL,
  loss_fen BIGINT NOT NULL,
  fraud_type INTEGER NOT NULL,
  after_dissuasion INTEGER NOT NULL,
  suspects TEXT NOT NULL
);
CREATE INDEX cases_unit ON cases (unit_path, opened_at);
CREATE TABLE pending_indicators (
  id {{ID}},
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  fraud_type INTEGER NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, value, source)
);
CREATE TABLE follow_ups (
  warning_id BIGINT PRIMARY KEY,
  due_at BIGINT NOT NULL,
  done_at BIGINT,
  result TEXT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (due_at);
CREATE TABLE unit_paths (
  code TEXT PRIMARY KEY,
  path {{CTEXT}} NOT NULL
);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  unit TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)SQL";

// The audit log refuses UPDATE and DELETE; the hash chain catches edits made around this.
constexpr char kSqliteAppendOnly[] = R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL";

constexpr char kPostgresAppendOnly[] = R"SQL(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
)SQL";

// Lists (newest first) and KPIs (a period) walk warnings by time and test the unit path in
// the index. The index also carries every column the KPI query reads, so KPIs never touch the
// table (a covering index scan instead of one random row read per warning). Replaced by
// migration 12.
constexpr char kTimeFirstIndex[] = R"SQL(
CREATE INDEX warnings_time_kpi ON warnings (created_at, unit_path, level, source, fraud_type,
  state, first_contact_bucket, visit_bucket, visit_required, visited_at, outcome, overdue,
  escalations, after_dissuasion);
DROP INDEX warnings_time;
)SQL";

// Migration 12: the time-first index keeps only the columns a warning keeps for life (or
// changes rarely: a re-route, an upgrade). Migration 3 also carried every column the KPI
// query reads, state among them, so every transition deleted and re-inserted the warning's
// 14-column index entry on one more random page: on SQLite 4-5 us of the writer's ~60 us per
// transition and a tenth of the pages a group commit writes; on PostgreSQL it ruled out HOT
// updates. Lists still walk the index by time and test unit path, level, source and fraud
// type in it; a state filter and the KPIs of partial edge days (a few thousand warnings)
// read the rows.
constexpr char kLifetimeTimeIndex[] = R"SQL(
DROP INDEX warnings_time_kpi;
CREATE INDEX warnings_time ON warnings (created_at, unit_path, level, source, fraud_type);
)SQL";

// Intelligence and the high-risk people base for the API (issue 5), and the escalation list's
// time order. indicators.expires_at is never NULL: a value that never expires stores INT64_MAX.
// people.phones and people.tags are ",a,b," lists: one exact tag is the substring ",a,";
// phones are also indexed one per row in person_phones for the exact phone search (反查).
constexpr char kIntelAndPeople[] = R"SQL(
CREATE TABLE indicators (
  id {{ID}},
  kind TEXT NOT NULL,
  value {{CTEXT}} NOT NULL,
  fraud_type INTEGER NOT NULL,
  source TEXT NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  expires_at BIGINT NOT NULL,
  whitelisted INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (kind, value)
);
CREATE INDEX indicators_value ON indicators (value);
CREATE TABLE people (
  person_id {{CTEXT}} PRIMARY KEY,
  name TEXT NOT NULL,
  id_no TEXT NOT NULL,
  phones TEXT NOT NULL,
  address TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  tags TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX people_unit ON people (unit_path, person_id);
CREATE TABLE person_phones (
  phone TEXT NOT NULL,
  person_id TEXT NOT NULL,
  PRIMARY KEY (phone, person_id)
);
CREATE INDEX person_phones_person ON person_phones (person_id);
CREATE INDEX people_id_no ON people (id_no);
CREATE INDEX people_name ON people (name);
CREATE INDEX escalations_at ON escalations (at);
)SQL";

// Accounts (src/fz/auth, docs/security.md). Secrets are never stored: passwords as argon2id
// strings, session tokens and API keys as the hex SHA-256 of the value handed out once.
// Roles are stored by name (workflow::RoleName), like the actor role in transitions.
constexpr char kAccounts[] = R"SQL(
CREATE TABLE users (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  machine INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT NOT NULL DEFAULT '',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  remote_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_keys (
  key_sha256 TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id);
)SQL";

// 督办 reminders (催办), read by unit subtree (the 督办 screen) or by warning (its detail).
constexpr char kReminders[] = R"SQL(
CREATE TABLE reminders (
  id {{ID}},
  warning_id BIGINT NOT NULL,
  unit TEXT NOT NULL,
  unit_path {{CTEXT}} NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  actor_unit TEXT NOT NULL,
  at BIGINT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX reminders_unit_time ON reminders (unit_path, at);
CREATE INDEX reminders_warning ON reminders (warning_id);
)SQL";

std::string Replace(std::string text, std::string_view token, std::string_view with) {
  for (size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos)) {
    text.replace(pos, token.size(), with);
    pos += with.size();
  }
  return text;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "workflow schema", kSchema1, "", ""},
      {2, "append-only audit log", "", kSqliteAppendOnly, kPostgresAppendOnly},
      {3, "time-first covering index for lists and KPIs", kTimeFirstIndex, "", ""},
      {4, "accounts: users, sessions, api keys", kAccounts, "", ""},
      {5, "KPI daily rollup kept by triggers (kpi_rollup.h)", "",
       KpiRollupMigrationSql(Dialect::kSqlite), KpiRollupMigrationSql(Dialect::kPostgres)},
      {6, "intelligence indicators and high-risk people", kIntelAndPeople, "", ""},
      {7, "KPI deltas appended by triggers, folded by the writer (kpi_rollup.h)", "",
       KpiDeltaMigrationSql(Dialect::kSqlite), KpiDeltaMigrationSql(Dialect::kPostgres)},
      {8, "督办 reminders", kReminders, "", ""},
      {9, "SQLite: one KPI delta trigger per fact (kpi_rollup.h)", "",
       KpiSplitTriggersMigrationSql(Dialect::kSqlite),
       KpiSplitTriggersMigrationSql(Dialect::kPostgres)},
      {10, "PostgreSQL: KPI delta trigger joins old and new rows once (kpi_rollup.h)", "",
       KpiLateralDeltaMigrationSql(Dialect::kSqlite),
       KpiLateralDeltaMigrationSql(Dialect::kPostgres)},
      {11, "SQLite: KPI fold generation, so deltas can be summed beside the writer (kpi_folder.h)",
       "", KpiFoldStateMigrationSql(Dialect::kSqlite),
       KpiFoldStateMigrationSql(Dialect::kPostgres)},
      {12, "time-first index without the columns a transition changes", kLifetimeTimeIndex, "", ""},
  };
  return kMigrations;
}

std::string MigrationSql(const Migration& m, Dialect dialect) {
  std::string sql = m.sql + (dialect == Dialect::kSqlite ? m.sqlite_sql : m.postgres_sql);
  bool sqlite = dialect == Dialect::kSqlite;
  sql = Replace(std::move(sql), "{{ID}}", sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY");
  // Unit paths are compared as byte strings (subtree = range), whatever the database locale.
  return Replace(std::move(sql), "{{CTEXT}}", sqlite ? "TEXT" : "TEXT COLLATE \"C\"");
}

StatusOr<std::vector<int>> AppliedVersions(SqlConn& conn) {
  FZ_RETURN_IF_ERROR(
      conn.ExecScript("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
  FZ_ASSIGN_OR_RETURN(SqlRows rows,
                      conn.Query("SELECT version FROM schema_migrations ORDER BY version", {}));
  std::vector<int> out;
  for (const SqlRow& r : rows) out.push_back(static_cast<int>(r.Int(0)));
  return out;
}

Status ApplyMigrations(SqlConn& conn, int64_t now_us) {
  FZ_ASSIGN_OR_RETURN(std::vector<int> applied, AppliedVersions(conn));
  for (const Migration& m : Migrations()) {
    if (std::find(applied.begin(), applied.end(), m.version) != applied.end()) continue;
    FZ_RETURN_IF_ERROR(conn.ExecScript("BEGIN"));
    Status s = conn.ExecScript(MigrationSql(m, conn.dialect()));
    if (s.ok()) {
      s = conn.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    {int64_t{m.version}, m.name, now_us})
              .status();
    }
    if (!s.ok()) {
      (void)conn.ExecScript("ROLLBACK");
      return absl::Status(s.code(),
                          StrCat("migration ", m.version, " (", m.name, "): ", s.message()));
    }
    FZ_RETURN_IF_ERROR(conn.ExecScript("COMMIT"));
  }
  return absl::OkStatus();
}

}  // namespace fz::store
