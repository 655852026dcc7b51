// SqlStore: reads (lists, one warning in full, pending indicators, follow-ups, audit).
// Each read of warnings is audited with its actor.
#include <algorithm>

#include "absl/strings/str_split.h"
#include "fz/common/str_cat.h"
#include "fz/store/audit_chain.h"
#include "fz/store/sql_store.h"
#include "fz/store/sql_util.h"
#include "fz/store/warning_row.h"
#include "fz/workflow/lifecycle.h"
#include "fz/workflow/mask.h"

namespace fz::store {
namespace {

constexpr char kSummaryColumns[] =
    "id, subject, subject_kind, person_name, level, score, fraud_type, source, state, unit, "
    "queue, target_city, route_reason, created_at, escalations, unit_path";

WarningSummary ReadSummary(const SqlRow& r, const Actor& actor) {
  WarningSummary s;
  s.id = model::WarningId(r.Int(0));
  s.subject_kind = r.Str(2);
  bool clear = workflow::RoleSeesPersonalData(actor.role);
  s.subject = clear ? r.Str(1) : workflow::MaskSubject(s.subject_kind, r.Str(1));
  s.person_name = clear ? r.Str(3) : workflow::MaskName(r.Str(3));
  s.level = static_cast<model::WarningLevel>(r.Int(4));
  s.score = r.Double(5);
  s.fraud_type = static_cast<uint16_t>(r.Int(6));
  s.source = r.Str(7);
  s.state = workflow::ParseWarningState(r.Str(8)).value_or(workflow::WarningState::kNew);
  s.unit = model::UnitCode(r.Str(9));
  s.queue = workflow::ParseRouteQueue(r.Str(10)).value_or(workflow::RouteQueue::kUnit);
  s.target_city = r.Str(11);
  s.route_reason = r.Str(12);
  s.created_at = FromUs(r.Int(13));
  s.escalations = static_cast<int>(r.Int(14));
  return s;
}

std::string Param(SqlParams& params, SqlValue v) {
  params.push_back(std::move(v));
  return StrCat("$", static_cast<int64_t>(params.size()));
}

}  // namespace

StatusOr<std::string> SqlStore::ScopePath(const model::UnitCode& unit, const Actor& actor) {
  const model::UnitCode& code = unit.value().empty() ? actor.unit : unit;
  FZ_ASSIGN_OR_RETURN(
      SqlRows rows, reader_->Query("SELECT path FROM unit_paths WHERE code = $1", {code.value()}));
  if (rows.empty()) {
    // No warning ever reached this unit; the root's path is its own code.
    if (workflow::RoleIsCityWide(actor.role) && code == config_.routing.triage_unit) {
      return StrCat("/", code.value(), "/");
    }
    return absl::NotFoundError(StrCat("unit ", code.value(), " has no warnings"));
  }
  std::string path = rows[0].Str(0);
  if (!workflow::InScope(actor, path)) {
    return absl::PermissionDeniedError(
        StrCat("unit ", code.value(), " is outside ", actor.user, "'s unit ", actor.unit.value()));
  }
  return path;
}

StatusOr<WarningPage> SqlStore::ListWarnings(const WarningFilter& f, const Actor& actor) {
  WarningPage page;
  std::string path;
  {
    absl::MutexLock lock(&read_mu_);
    StatusOr<std::string> scope = ScopePath(f.unit, actor);
    if (absl::IsNotFound(scope.status())) return page;
    FZ_RETURN_IF_ERROR(scope.status());
    path = *scope;
    SqlParams p;
    std::string from = Param(p, path);
    std::string sql = StrCat(
        "SELECT ", kSummaryColumns, " FROM warnings WHERE ",
        SubtreeCondition(reader_->dialect() == Dialect::kSqlite, from, Param(p, SubtreeEnd(path))));
    if (f.level) sql += " AND level = " + Param(p, int64_t{static_cast<int>(*f.level)});
    if (f.state) {
      sql += " AND state = " + Param(p, std::string(workflow::WarningStateName(*f.state)));
    }
    if (f.fraud_type) sql += " AND fraud_type = " + Param(p, int64_t{*f.fraud_type});
    if (f.from != absl::InfinitePast()) sql += " AND created_at >= " + Param(p, Us(f.from));
    if (f.to != absl::InfiniteFuture()) sql += " AND created_at < " + Param(p, Us(f.to));
    if (!f.subject.empty()) sql += " AND subject = " + Param(p, f.subject);
    if (f.after) {
      std::string t = Param(p, Us(f.after->first));
      std::string t2 = Param(p, Us(f.after->first));
      // "<=" first gives the index a range bound; the OR only settles ties.
      sql += StrCat(" AND created_at <= ", t, " AND (created_at < ", t2, " OR id < ",
                    Param(p, f.after->second), ")");
    }
    int limit = std::clamp(f.limit, 1, 1000);
    sql += " ORDER BY created_at DESC, id DESC LIMIT " + Param(p, int64_t{limit});
    FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, p));
    for (const SqlRow& r : rows) page.rows.push_back(ReadSummary(r, actor));
    if (static_cast<int>(rows.size()) == limit) {
      page.next = std::make_pair(page.rows.back().created_at, page.rows.back().id.value());
    }
  }
  FZ_RETURN_IF_ERROR(AuditRead(actor, "list", StrCat("unit:", workflow::UnitOfPath(path)),
                               StrCat("rows=", static_cast<int64_t>(page.rows.size()))));
  return page;
}

StatusOr<WarningDetail> SqlStore::GetWarning(model::WarningId warning_id, const Actor& actor) {
  WarningDetail d;
  int64_t id = warning_id.value();
  {
    absl::MutexLock lock(&read_mu_);
    SqlConn& c = *reader_;
    FZ_ASSIGN_OR_RETURN(SqlRows rows, c.Query(StrCat("SELECT ", kSummaryColumns,
                                                     ", rule_ids FROM warnings WHERE id = $1"),
                                              {id}));
    if (rows.empty()) return absl::NotFoundError(StrCat("warning ", id, " not found"));
    if (!workflow::InScope(actor, rows[0].Str(15))) {
      return absl::PermissionDeniedError(
          StrCat("warning ", id, " is outside ", actor.user, "'s unit ", actor.unit.value()));
    }
    d.summary = ReadSummary(rows[0], actor);
    d.rule_ids = absl::StrSplit(rows[0].Str(16), ',', absl::SkipEmpty());
    FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT event_id, event_type, at, rule_id, reason, indicator "
                                      "FROM evidence WHERE warning_id = $1 ORDER BY at, event_id",
                                      {id}));
    for (const SqlRow& r : rows) {
      model::Evidence e;
      e.event_id = model::EventId(r.Str(0));
      e.event_type = model::ParseEventType(r.Str(1)).value_or(model::EventType::kCall);
      e.time = FromUs(r.Int(2));
      e.rule_id = r.Str(3);
      e.reason = r.Str(4);
      e.indicator = r.Str(5);
      d.evidence.push_back(std::move(e));
    }
    FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT unit, unit_path, queue, target_city, basis, reason, "
                                      "actor, at FROM routes WHERE warning_id = $1 ORDER BY id",
                                      {id}));
    for (const SqlRow& r : rows) {
      d.routes.push_back({model::UnitCode(r.Str(0)), r.Str(1),
                          workflow::ParseRouteQueue(r.Str(2)).value_or(workflow::RouteQueue::kUnit),
                          r.Str(3), r.Str(4), r.Str(5), r.Str(6), FromUs(r.Int(7))});
    }
    FZ_ASSIGN_OR_RETURN(rows,
                        c.Query("SELECT id, request_id, from_state, to_state, actor, role, "
                                "unit, at, note, call_result, visit_notes, gps_lat, gps_lon, "
                                "photo_ref FROM transitions WHERE warning_id = $1 ORDER BY id",
                                {id}));
    for (const SqlRow& r : rows) {
      TransitionRecord t;
      t.id = r.Int(0);
      t.request_id = r.Str(1);
      t.warning = warning_id;
      t.from = workflow::ParseWarningState(r.Str(2)).value_or(workflow::WarningState::kNew);
      t.to = workflow::ParseWarningState(r.Str(3)).value_or(workflow::WarningState::kNew);
      t.actor = r.Str(4);
      t.role = workflow::ParseRole(r.Str(5)).value_or(workflow::Role::kSystem);
      t.unit = model::UnitCode(r.Str(6));
      t.at = FromUs(r.Int(7));
      t.note = r.Str(8);
      t.evidence.call_result = r.Str(9);
      t.evidence.visit_notes = r.Str(10);
      if (!r.IsNull(11)) t.evidence.gps_lat = r.Double(11);
      if (!r.IsNull(12)) t.evidence.gps_lon = r.Double(12);
      t.evidence.photo_ref = r.Str(13);
      d.transitions.push_back(std::move(t));
    }
    FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT request_id, kind, result, actor, at, note FROM steps "
                                      "WHERE warning_id = $1 ORDER BY at, id",
                                      {id}));
    std::vector<workflow::StepRecord> history;
    for (const SqlRow& r : rows) {
      StepRow s{r.Str(0),
                workflow::ParseStepKind(r.Str(1)).value_or(workflow::StepKind::kAiCall),
                workflow::ParseStepResult(r.Str(2)).value_or(workflow::StepResult::kDone),
                r.Str(3),
                FromUs(r.Int(4)),
                r.Str(5)};
      history.push_back({s.kind, s.result});
      d.steps.push_back(std::move(s));
    }
    FZ_ASSIGN_OR_RETURN(d.timers, LoadTimers(c, id));
    FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT clock, stage, target_unit, due, at, reason FROM "
                                      "escalations WHERE warning_id = $1 ORDER BY id",
                                      {id}));
    for (const SqlRow& r : rows) {
      d.escalations.push_back(
          {warning_id, workflow::ParseSlaClock(r.Str(0)).value_or(workflow::SlaClock::kAccept),
           static_cast<int>(r.Int(1)), model::UnitCode(r.Str(2)), FromUs(r.Int(3)),
           FromUs(r.Int(4)), r.Str(5)});
    }
    FZ_ASSIGN_OR_RETURN(rows, c.Query("SELECT due_at, done_at, result FROM follow_ups WHERE "
                                      "warning_id = $1",
                                      {id}));
    if (!rows.empty()) {
      workflow::FollowUp f{warning_id, FromUs(rows[0].Int(0)), std::nullopt, rows[0].Str(2)};
      if (!rows[0].IsNull(1)) f.done_at = FromUs(rows[0].Int(1));
      d.follow_up = f;
    }
    FZ_ASSIGN_OR_RETURN(
        rows, c.Query(StrCat("SELECT ", kCaseColumns, " FROM cases WHERE warning_id = $1"), {id}));
    if (!rows.empty()) {
      d.case_record = ReadCase(rows[0], workflow::RoleSeesPersonalData(actor.role));
    }
    d.next_step = workflow::DecideNextStep(
        config_.PlanFor(d.summary.level, model::FraudType{d.summary.fraud_type}), history,
        config_.plans.ai_call_attempts);
  }
  FZ_RETURN_IF_ERROR(AuditRead(actor, "read", WarningObject(id), ""));
  return d;
}

StatusOr<std::vector<workflow::PendingIndicator>> SqlStore::PendingIndicators(const Actor& actor) {
  std::vector<workflow::PendingIndicator> out;
  {
    absl::MutexLock lock(&read_mu_);
    FZ_ASSIGN_OR_RETURN(SqlRows rows,
                        reader_->Query("SELECT id, kind, value, fraud_type, source, created_at "
                                       "FROM pending_indicators WHERE status = 'pending' "
                                       "ORDER BY id",
                                       {}));
    for (const SqlRow& r : rows) {
      workflow::PendingIndicator p;
      p.id = r.Int(0);
      p.identifier.kind =
          model::ParseIndicatorKind(r.Str(1)).value_or(model::IndicatorKind::kPhone);
      p.identifier.value = r.Str(2);
      p.fraud_type = model::FraudType{static_cast<uint16_t>(r.Int(3))};
      p.source = r.Str(4);
      p.created_at = FromUs(r.Int(5));
      out.push_back(std::move(p));
    }
  }
  FZ_RETURN_IF_ERROR(AuditRead(actor, "list", "pending_indicators",
                               StrCat("rows=", static_cast<int64_t>(out.size()))));
  return out;
}

StatusOr<std::vector<workflow::FollowUp>> SqlStore::DueFollowUps(absl::Time now,
                                                                 const Actor& actor) {
  std::vector<workflow::FollowUp> out;
  {
    absl::MutexLock lock(&read_mu_);
    FZ_ASSIGN_OR_RETURN(SqlRows rows,
                        reader_->Query("SELECT f.warning_id, f.due_at, w.unit_path FROM follow_ups "
                                       "f JOIN warnings w ON w.id = f.warning_id WHERE f.done_at "
                                       "IS NULL AND f.due_at <= $1 ORDER BY f.due_at",
                                       {Us(now)}));
    for (const SqlRow& r : rows) {
      if (!workflow::InScope(actor, r.Str(2))) continue;
      out.push_back({model::WarningId(r.Int(0)), FromUs(r.Int(1)), std::nullopt, ""});
    }
  }
  FZ_RETURN_IF_ERROR(
      AuditRead(actor, "list", "follow_ups", StrCat("rows=", static_cast<int64_t>(out.size()))));
  return out;
}

StatusOr<AuditVerification> SqlStore::VerifyAudit() {
  AuditVerification v;
  absl::MutexLock lock(&read_mu_);
  std::string prev = GenesisHash();
  int64_t expected = 1;
  for (;;) {
    FZ_ASSIGN_OR_RETURN(
        SqlRows rows,
        reader_->Query("SELECT seq, at, actor, role, unit, action, object, detail, prev_hash, "
                       "hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 10000",
                       {expected}));
    if (rows.empty()) break;
    for (const SqlRow& r : rows) {
      AuditEntry e{r.Int(0), r.Int(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6), r.Str(7)};
      std::string problem;
      if (e.seq != expected) {
        problem = StrCat("seq ", expected, " is missing (next is ", e.seq, ")");
      } else if (r.Str(8) != prev) {
        problem = StrCat("seq ", e.seq, ": prev_hash does not match the row before");
      } else if (ChainHash(prev, e) != r.Str(9)) {
        problem = StrCat("seq ", e.seq, ": hash mismatch (row changed)");
      }
      if (!problem.empty()) {
        v.ok = false;
        v.first_bad_seq = expected;
        v.problem = problem;
        return v;
      }
      prev = r.Str(9);
      ++expected;
      ++v.rows;
    }
  }
  return v;
}

StatusOr<std::vector<AuditRow>> SqlStore::AuditTail(int64_t limit) {
  absl::MutexLock lock(&read_mu_);
  FZ_ASSIGN_OR_RETURN(SqlRows rows,
                      reader_->Query("SELECT seq, at, actor, role, unit, action, object, detail "
                                     "FROM audit_log ORDER BY seq DESC LIMIT $1",
                                     {limit}));
  std::vector<AuditRow> out;
  for (const SqlRow& r : rows) {
    out.push_back(
        {r.Int(0), FromUs(r.Int(1)), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6), r.Str(7)});
  }
  return out;
}

StatusOr<int64_t> SqlStore::CountRows(std::string_view table) {
  static const std::vector<std::string_view> kTables = {
      "warnings",   "evidence",           "ingested_events",
      "routes",     "transitions",        "steps",
      "sla_timers", "escalations",        "stop_payments",
      "cases",      "pending_indicators", "follow_ups",
      "audit_log",  "schema_migrations",  "indicators",
      "people",     "person_phones",      "users",
      "sessions",   "api_keys",           "unit_paths"};
  if (std::find(kTables.begin(), kTables.end(), table) == kTables.end()) {
    return absl::InvalidArgumentError(StrCat("unknown table '", table, "'"));
  }
  absl::MutexLock lock(&read_mu_);
  FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(StrCat("SELECT count(*) FROM ", table), {}));
  return rows[0].Int(0);
}

}  // namespace fz::store
