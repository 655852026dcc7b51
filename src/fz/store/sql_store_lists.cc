// SqlStore: the lists the HTTP API needs beside warnings (stop-payments, cases, escalations,
// the audit log) and RecordAudit. Scope and masking follow ListWarnings (sql_store_read.cc).
#include "fz/common/str_cat.h"
#include "fz/store/sql_list_util.h"
#include "fz/store/sql_store.h"
#include "fz/store/warning_row.h"
#include "fz/workflow/lifecycle.h"
#include "fz/workflow/mask.h"

namespace fz::store {
namespace {

// unit_path in [path, SubtreeEnd(path)) for a column that may be qualified ("e.unit_path").
std::string Subtree(SqlParams& p, std::string_view column, const std::string& path) {
  std::string from = Param(p, path);
  return StrCat(column, " >= ", from, " AND ", column, " < ", Param(p, SubtreeEnd(path)));
}

std::vector<workflow::SuspectIdentifier> ParseSuspects(std::string_view text) {
  std::vector<workflow::SuspectIdentifier> out;
  for (std::string_view item : SplitNonEmpty(text, ';')) {
    size_t colon = item.find(':');
    if (colon == std::string_view::npos) continue;
    std::optional<model::IndicatorKind> kind = model::ParseIndicatorKind(item.substr(0, colon));
    if (!kind) continue;
    out.push_back({*kind, std::string(item.substr(colon + 1))});
  }
  return out;
}

workflow::StopPaymentRequest ReadStopPayment(const SqlRow& r, bool clear) {
  workflow::StopPaymentRequest s;
  s.id = model::StopPaymentId(r.Int(0));
  s.request_no = r.Str(1);
  s.original_request_no = r.Str(2);
  s.warning = model::WarningId(r.Int(3));
  s.case_id = model::CaseId(r.Int(4));
  s.unit = model::UnitCode(r.Str(5));
  s.from_bank = r.Str(6);
  s.from_name = clear ? r.Str(7) : workflow::MaskName(r.Str(7));
  s.from_account = clear ? r.Str(8) : workflow::MaskAccount(r.Str(8));
  s.currency = r.Str(9);
  s.amount_requested.fen = r.Int(10);
  s.transfer_time = FromUs(r.Int(11));
  s.stop_bank = r.Str(12);
  s.stop_account_name = clear ? r.Str(13) : workflow::MaskName(r.Str(13));
  s.stop_account = clear ? r.Str(14) : workflow::MaskAccount(r.Str(14));
  s.stop_account_type = r.Str(15);
  s.requested_at = FromUs(r.Int(16));
  s.feedback_deadline = FromUs(r.Int(17));
  if (!r.IsNull(18)) s.stop_start = FromUs(r.Int(18));
  if (!r.IsNull(19)) s.stop_end = FromUs(r.Int(19));
  s.stage = workflow::ParseStopStage(r.Str(20)).value_or(workflow::StopStage::kInitial);
  s.result = workflow::ParseStopResult(r.Str(21)).value_or(workflow::StopResult::kInitial);
  s.error_code = r.Str(22);
  s.balance.fen = r.Int(23);
  s.amount_stopped.fen = r.Int(24);
  return s;
}

}  // namespace

Status SqlStore::RecordAudit(const Actor& actor, std::string_view action, std::string_view object,
                             std::string_view detail) {
  if (action.empty()) return absl::InvalidArgumentError("audit: action is required");
  return AuditRead(actor, action, object, detail);
}

// `q` with the period, keyset and page size of list filter `f` (every list filter has them).
template <typename Filter>
SqlStore::NewestFirstQuery PageOf(const Filter& f, SqlStore::NewestFirstQuery q) {
  q.from = f.from;
  q.to = f.to;
  q.after = f.after;
  q.limit = f.limit;
  return q;
}

Status SqlStore::ListNewestFirst(const NewestFirstQuery& q, const model::UnitCode& unit,
                                 const Actor& actor, const ListFilters& filters,
                                 const ListRowReader& read_row, std::optional<TimeKey>* next) {
  std::string path;
  size_t count = 0;
  {
    absl::MutexLock lock(&read_mu_);
    StatusOr<std::string> scope = ScopePath(unit, actor);
    if (absl::IsNotFound(scope.status())) return absl::OkStatus();  // no rows: an empty page
    FZ_RETURN_IF_ERROR(scope.status());
    path = *scope;
    // One statement at a time: each Param() numbers its placeholder in call order.
    SqlParams p;
    std::string sql = q.select;
    sql += Subtree(p, q.subtree_column, path);
    sql += filters(p, path);
    sql += PeriodCondition(p, q.time_column, q.from, q.to);
    sql += AfterCondition(p, q.time_column, q.id_column, q.after);
    const int limit = ClampLimit(q.limit, 1000);
    sql += StrCat(" ORDER BY ", q.time_column, " DESC, ", q.id_column, " DESC LIMIT ");
    sql += Param(p, int64_t{limit});
    FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, p));
    TimeKey last;
    for (const SqlRow& r : rows) last = read_row(r);
    count = rows.size();
    if (static_cast<int>(count) == limit) *next = last;
  }
  return AuditRead(actor, "list", StrCat(q.what, ":", workflow::UnitOfPath(path)),
                   StrCat("rows=", static_cast<int64_t>(count)));
}

StatusOr<StopPaymentPage> SqlStore::ListStopPayments(const StopPaymentFilter& f,
                                                     const Actor& actor) {
  StopPaymentPage page;
  const bool clear = workflow::RoleSeesPersonalData(actor.role);
  auto filters = [&](SqlParams& p, const std::string&) {
    std::string sql;
    if (f.stage) sql += " AND stage = " + Param(p, std::string(workflow::StopStageName(*f.stage)));
    if (f.result) {
      sql += " AND result = " + Param(p, std::string(workflow::StopResultName(*f.result)));
    }
    if (!f.account.empty()) {
      std::string a = Param(p, f.account);
      sql += StrCat(" AND (stop_account = ", a, " OR from_account = ", a, ")");
    }
    return sql;
  };
  auto read = [&](const SqlRow& r) {
    page.rows.push_back(ReadStopPayment(r, clear));
    return TimeKey(page.rows.back().requested_at, page.rows.back().id.value());
  };
  FZ_RETURN_IF_ERROR(ListNewestFirst(
      PageOf(
          f,
          {.select =
               "SELECT id, request_no, original_request_no, warning_id, case_id, unit, from_bank, "
               "from_name, from_account, currency, amount_requested, transfer_time, stop_bank, "
               "stop_account_name, stop_account, stop_account_type, requested_at, "
               "feedback_deadline, "
               "stop_start, stop_end, stage, result, error_code, balance, amount_stopped "
               "FROM stop_payments WHERE ",
           .subtree_column = "unit_path",
           .time_column = "requested_at",
           .id_column = "id",
           .what = "stop_payments"}),
      f.unit, actor, filters, read, &page.next));
  return page;
}

StatusOr<CasePage> SqlStore::ListCases(const CaseFilter& f, const Actor& actor) {
  CasePage page;
  const bool clear = workflow::RoleSeesPersonalData(actor.role);
  auto filters = [&](SqlParams& p, const std::string&) {
    return f.fraud_type ? " AND fraud_type = " + Param(p, int64_t{*f.fraud_type}) : "";
  };
  auto read = [&](const SqlRow& r) {
    workflow::CaseRecord c = ReadCase(r, clear);  // kCaseColumns, then suspects
    c.details.suspects = ParseSuspects(r.Str(10));
    page.rows.push_back(std::move(c));
    return TimeKey(page.rows.back().opened_at, page.rows.back().id.value());
  };
  FZ_RETURN_IF_ERROR(ListNewestFirst(
      PageOf(f, {.select = StrCat("SELECT ", kCaseColumns, ", suspects FROM cases WHERE "),
                 .subtree_column = "unit_path",
                 .time_column = "opened_at",
                 .id_column = "id",
                 .what = "cases"}),
      f.unit, actor, filters, read, &page.next));
  return page;
}

StatusOr<EscalationPage> SqlStore::ListEscalations(const EscalationFilter& f, const Actor& actor) {
  EscalationPage page;
  // The target is an ancestor of (or is) the warning's unit, so it lies in the subtree of
  // `path` when the warning does and the target is the subtree's root or appears on the
  // warning's path below it.
  auto filters = [&](SqlParams& p, const std::string& path) {
    std::string root = Param(p, std::string(workflow::UnitOfPath(path)));
    std::string sql = StrCat(" AND (e.target_unit = ", root, " OR substr(e.unit_path, ",
                             Param(p, static_cast<int64_t>(path.size())),
                             ") LIKE ('%/' || e.target_unit || '/%'))");
    if (f.open_only) sql += " AND w.outcome = '' AND w.state <> 'closed'";
    return sql;
  };
  auto read = [&](const SqlRow& r) {
    EscalationRow e;
    e.id = r.Int(0);
    e.warning = model::WarningId(r.Int(1));
    e.clock = workflow::ParseSlaClock(r.Str(2)).value_or(workflow::SlaClock::kAccept);
    e.stage = static_cast<int>(r.Int(3));
    e.target = model::UnitCode(r.Str(4));
    e.due = FromUs(r.Int(5));
    e.at = FromUs(r.Int(6));
    e.reason = r.Str(7);
    e.warning_unit = model::UnitCode(r.Str(8));
    e.level = static_cast<model::WarningLevel>(r.Int(9));
    e.state = workflow::ParseWarningState(r.Str(10)).value_or(workflow::WarningState::kNew);
    page.rows.push_back(std::move(e));
    return TimeKey(page.rows.back().at, page.rows.back().id);
  };
  FZ_RETURN_IF_ERROR(ListNewestFirst(
      PageOf(f,
             {.select =
                  "SELECT e.id, e.warning_id, e.clock, e.stage, e.target_unit, e.due, e.at, "
                  "e.reason, w.unit, w.level, w.state FROM escalations e JOIN warnings w ON w.id "
                  "= e.warning_id WHERE ",
              .subtree_column = "e.unit_path",
              .time_column = "e.at",
              .id_column = "e.id",
              .what = "escalations"}),
      f.unit, actor, filters, read, &page.next));
  return page;
}

StatusOr<std::vector<AuditRow>> SqlStore::QueryAudit(const AuditFilter& f) {
  SqlParams p;
  std::string sql =
      "SELECT seq, at, actor, role, unit, action, object, detail FROM audit_log WHERE 1 = 1";
  if (!f.actor.empty()) sql += " AND actor = " + Param(p, f.actor);
  if (!f.action.empty()) sql += " AND action = " + Param(p, f.action);
  sql += PrefixCondition(p, "object", f.object_prefix);
  sql += PeriodCondition(p, "at", f.from, f.to);
  if (f.before_seq) sql += " AND seq < " + Param(p, *f.before_seq);
  sql += " ORDER BY seq DESC LIMIT " + Param(p, int64_t{ClampLimit(f.limit, 1000)});
  absl::MutexLock lock(&read_mu_);
  FZ_ASSIGN_OR_RETURN(SqlRows rows, reader_->Query(sql, p));
  std::vector<AuditRow> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    out.push_back(
        {r.Int(0), FromUs(r.Int(1)), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6), r.Str(7)});
  }
  return out;
}

}  // namespace fz::store
