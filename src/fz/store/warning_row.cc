#include "fz/store/warning_row.h"

#include "fz/common/str_cat.h"
#include "fz/store/sql_util.h"
#include "fz/workflow/mask.h"

namespace fz::store {

using workflow::WarningState;

Status InsertRoute(TxContext& tx, int64_t warning_id, const workflow::Route& route,
                   const std::string& unit_path, const Actor& actor) {
  return tx.conn()
      .Exec(
          "INSERT INTO routes (warning_id, unit, unit_path, queue, target_city, basis, reason, "
          "actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          {warning_id, route.unit.value(), unit_path,
           std::string(workflow::RouteQueueName(route.queue)), route.target_city,
           std::string(workflow::RouteBasisName(route.basis)), route.reason, actor.user,
           Us(tx.now())})
      .status();
}

Status InsertTransition(TxContext& tx, const std::string& request_id, int64_t warning_id,
                        WarningState from, WarningState to, const Actor& actor,
                        const std::string& unit, const std::string& note,
                        const TransitionEvidence& ev, int64_t* id) {
  SqlValue lat = ev.gps_lat ? SqlValue(*ev.gps_lat) : SqlValue(nullptr);
  SqlValue lon = ev.gps_lon ? SqlValue(*ev.gps_lon) : SqlValue(nullptr);
  FZ_ASSIGN_OR_RETURN(
      std::optional<int64_t> inserted,
      tx.conn().InsertId(
          "INSERT INTO transitions (request_id, warning_id, from_state, to_state, actor, role, "
          "unit, at, note, call_result, visit_notes, gps_lat, gps_lon, photo_ref) VALUES ($1, $2, "
          "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (request_id) DO "
          "NOTHING",
          {request_id, warning_id, std::string(workflow::WarningStateName(from)),
           std::string(workflow::WarningStateName(to)), actor.user,
           std::string(workflow::RoleName(actor.role)), unit, Us(tx.now()), note, ev.call_result,
           ev.visit_notes, lat, lon, ev.photo_ref}));
  if (id != nullptr) *id = inserted.value_or(0);
  return absl::OkStatus();
}

workflow::CaseRecord ReadCase(const SqlRow& r, bool clear) {
  workflow::CaseRecord c;
  c.id = model::CaseId(r.Int(0));
  c.warning = model::WarningId(r.Int(1));
  c.unit = model::UnitCode(r.Str(2));
  c.opened_at = FromUs(r.Int(3));
  c.details.victim_name = clear ? r.Str(4) : workflow::MaskName(r.Str(4));
  c.details.victim_phone = clear ? r.Str(5) : workflow::MaskPhone(r.Str(5));
  c.details.victim_id_no = clear ? r.Str(6) : workflow::MaskIdNo(r.Str(6));
  c.details.loss.fen = r.Int(7);
  c.details.fraud_type = model::FraudType{static_cast<uint16_t>(r.Int(8))};
  c.after_dissuasion = r.Int(9) != 0;
  return c;
}

std::string WarningObject(int64_t id) { return StrCat("warning:", id); }

Status RememberUnitPath(SqlConn& conn, const std::string& unit_path) {
  std::string sql = "INSERT INTO unit_paths (code, path) VALUES ";
  SqlParams params;
  for (size_t start = 1; start < unit_path.size();) {
    size_t end = unit_path.find('/', start);
    if (end == std::string::npos) break;
    if (!params.empty()) sql += ", ";
    sql += StrCat("($", static_cast<int64_t>(params.size() + 1), ", $",
                  static_cast<int64_t>(params.size() + 2), ")");
    params.emplace_back(unit_path.substr(start, end - start));
    params.emplace_back(unit_path.substr(0, end + 1));
    start = end + 1;
  }
  if (params.empty()) return absl::OkStatus();
  sql += " ON CONFLICT (code) DO NOTHING";
  FZ_RETURN_IF_ERROR(conn.Exec(sql, params).status());
  // The KPI rollup adds a warning to the row of every ancestor (kpi_rollup.h).
  std::string ancestors = "INSERT INTO unit_ancestors (path, ancestor) VALUES ";
  SqlParams paths = {unit_path};
  for (size_t i = 1; i < params.size(); i += 2) {
    if (paths.size() > 1) ancestors += ", ";
    ancestors += StrCat("($1, $", static_cast<int64_t>(paths.size() + 1), ")");
    paths.push_back(params[i]);
  }
  ancestors += " ON CONFLICT DO NOTHING";
  return conn.Exec(ancestors, paths).status();
}

namespace {

constexpr char kCoreColumns[] =
    "state, unit, unit_path, level, fraud_type, dispatched_at, was_dissuaded, first_contact_at, "
    "visited_at";

// The warning core in `r`'s columns from `first` on (kCoreColumns).
StatusOr<WarningCore> ParseWarningCore(const SqlRow& r, size_t first, int64_t id) {
  WarningCore w;
  w.id = id;
  std::optional<workflow::WarningState> state = workflow::ParseWarningState(r.Str(first));
  if (!state) {
    return absl::DataLossError(StrCat("warning ", id, ": bad state '", r.Str(first), "'"));
  }
  w.state = *state;
  w.unit = r.Str(first + 1);
  w.unit_path = r.Str(first + 2);
  w.level = static_cast<model::WarningLevel>(r.Int(first + 3));
  w.fraud_type = static_cast<uint16_t>(r.Int(first + 4));
  w.dispatched_at = FromUs(r.Int(first + 5));
  w.was_dissuaded = r.Int(first + 6) != 0;
  w.first_contact_done = !r.IsNull(first + 7);
  w.visited = !r.IsNull(first + 8);
  return w;
}

}  // namespace

StatusOr<WarningCore> LoadWarningCore(SqlConn& conn, int64_t id) {
  static const std::string kSql = StrCat("SELECT ", kCoreColumns, " FROM warnings WHERE id = $1");
  FZ_ASSIGN_OR_RETURN(SqlRows rows, conn.Query(kSql, {id}));
  if (rows.empty()) return absl::NotFoundError(StrCat("warning ", id, " not found"));
  return ParseWarningCore(rows[0], 0, id);
}

StatusOr<WarningCore> LoadWarningCore(TxContext& tx, int64_t id) {
  if (std::optional<SqlRow> row = tx.TakePrefetched(id)) return ParseWarningCore(*row, 1, id);
  return LoadWarningCore(tx.conn(), id);
}

StatusOr<std::map<int64_t, SqlRow>> PrefetchWarningCores(SqlConn& conn,
                                                         const std::vector<int64_t>& ids) {
  static const std::string kSql =
      StrCat("SELECT id, ", kCoreColumns, " FROM warnings WHERE id = ANY ($1::bigint[])");
  std::string array = "{";
  for (int64_t id : ids) StrAppend(&array, array.size() > 1 ? "," : "", id);
  array += "}";
  FZ_ASSIGN_OR_RETURN(SqlRows rows, conn.Query(kSql, {array}));
  std::map<int64_t, SqlRow> out;
  for (SqlRow& r : rows) {
    int64_t id = r.Int(0);
    out.emplace(id, std::move(r));
  }
  return out;
}

StatusOr<std::vector<workflow::SlaTimer>> LoadTimers(SqlConn& conn, int64_t warning_id) {
  FZ_ASSIGN_OR_RETURN(SqlRows rows,
                      conn.Query("SELECT clock, started_at, first_due, second_due, stage, met_at "
                                 "FROM sla_timers WHERE warning_id = $1 ORDER BY first_due",
                                 {warning_id}));
  std::vector<workflow::SlaTimer> out;
  for (const SqlRow& r : rows) {
    workflow::SlaTimer t;
    t.clock = workflow::ParseSlaClock(r.Str(0)).value_or(workflow::SlaClock::kAccept);
    t.started_at = FromUs(r.Int(1));
    t.first_due = FromUs(r.Int(2));
    t.second_due = FromUs(r.Int(3));
    t.stage = static_cast<int>(r.Int(4));
    if (!r.IsNull(5)) t.met_at = FromUs(r.Int(5));
    out.push_back(t);
  }
  return out;
}

Status UpsertTimer(SqlConn& conn, int64_t warning_id, const workflow::SlaTimer& t) {
  absl::Time next = t.NextDue();
  SqlValue next_due = next == absl::InfiniteFuture() ? SqlValue(nullptr) : SqlValue(Us(next));
  SqlValue met = t.met_at ? SqlValue(Us(*t.met_at)) : SqlValue(nullptr);
  return conn
      .Exec(
          "INSERT INTO sla_timers (warning_id, clock, started_at, first_due, second_due, stage, "
          "met_at, next_due) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "ON CONFLICT (warning_id, clock) DO UPDATE SET started_at = excluded.started_at, "
          "first_due = excluded.first_due, second_due = excluded.second_due, "
          "stage = excluded.stage, met_at = excluded.met_at, next_due = excluded.next_due",
          {warning_id, std::string(workflow::SlaClockName(t.clock)), Us(t.started_at),
           Us(t.first_due), Us(t.second_due), int64_t{t.stage}, met, next_due})
      .status();
}

Status MeetClocks(TxContext& tx, int64_t warning_id,
                  const std::vector<workflow::SlaClock>& clocks) {
  if (clocks.empty()) return absl::OkStatus();
  // One statement for all of them (one round trip on PostgreSQL).
  std::string sql =
      "UPDATE sla_timers SET met_at = $1, next_due = NULL WHERE warning_id = $2 AND met_at IS "
      "NULL AND clock IN (";
  SqlParams params = {Us(tx.now()), warning_id};
  for (workflow::SlaClock clock : clocks) {
    if (params.size() > 2) sql += ", ";
    sql += StrCat("$", static_cast<int64_t>(params.size() + 1));
    params.emplace_back(std::string(workflow::SlaClockName(clock)));
  }
  return tx.conn().Exec(sql + ")", params).status();
}

std::vector<workflow::SlaClock> ClocksStillRunning(const WarningCore& w,
                                                   std::vector<workflow::SlaClock> clocks) {
  const bool waiting =
      w.state == workflow::WarningState::kNew || w.state == workflow::WarningState::kDispatched;
  std::erase_if(clocks, [&](workflow::SlaClock c) {
    return (c == workflow::SlaClock::kAccept && !waiting) ||
           (c == workflow::SlaClock::kFirstContact && w.first_contact_done);
  });
  return clocks;
}

StatusOr<std::vector<workflow::StepRecord>> LoadStepHistory(SqlConn& conn, int64_t warning_id) {
  FZ_ASSIGN_OR_RETURN(
      SqlRows rows,
      conn.Query("SELECT kind, result FROM steps WHERE warning_id = $1 ORDER BY at, id",
                 {warning_id}));
  std::vector<workflow::StepRecord> out;
  for (const SqlRow& r : rows) {
    std::optional<workflow::StepKind> kind = workflow::ParseStepKind(r.Str(0));
    std::optional<workflow::StepResult> result = workflow::ParseStepResult(r.Str(1));
    if (kind && result) out.push_back({*kind, *result});
  }
  return out;
}

Status RaiseLevel(TxContext& tx, const WarningCore& w, model::WarningLevel level,
                  const workflow::SlaConfig& sla) {
  if (level <= w.level) return absl::OkStatus();
  bool visit_required = sla.For(level).visit_required;
  FZ_RETURN_IF_ERROR(
      tx.conn()
          .Exec("UPDATE warnings SET level = $1, visit_required = CASE WHEN $2 = 1 THEN 1 ELSE "
                "visit_required END, updated_at = $3 WHERE id = $4",
                {int64_t{static_cast<int>(level)}, int64_t{visit_required ? 1 : 0}, Us(tx.now()),
                 w.id})
          .status());
  FZ_ASSIGN_OR_RETURN(std::vector<workflow::SlaTimer> timers, LoadTimers(tx.conn(), w.id));
  for (workflow::SlaTimer& t : workflow::AdjustForLevel(timers, level, sla)) {
    if (t.clock == workflow::SlaClock::kVisit && w.visited) t.met_at = tx.now();
    FZ_RETURN_IF_ERROR(UpsertTimer(tx.conn(), w.id, t));
  }
  return absl::OkStatus();
}

Status MarkFirstContact(TxContext& tx, const WarningCore& w) {
  if (!w.first_contact_done) {
    FZ_RETURN_IF_ERROR(
        tx.conn()
            .Exec("UPDATE warnings SET first_contact_at = $1, first_contact_bucket = $2 "
                  "WHERE id = $3 AND first_contact_at IS NULL",
                  {Us(tx.now()), int64_t{DurationBucket(tx.now() - w.dispatched_at)}, w.id})
            .status());
  }
  return MeetClocks(tx, w.id, {workflow::SlaClock::kFirstContact});
}

}  // namespace fz::store
