// SqlStore::ApplyTransition: check the lifecycle, record the transition and apply its effects
// (re-route, clocks met, outcome, follow-up, case) in one transaction. A re-delivered request
// id answers the recorded transition and changes nothing.
#include <charconv>

#include "fz/common/str_cat.h"
#include "fz/store/sql_store.h"
#include "fz/store/sql_util.h"
#include "fz/store/warning_row.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

using workflow::WarningState;

// The recorded transition of `request_id`, or nullopt.
StatusOr<std::optional<TransitionRecord>> Recorded(SqlConn& conn, const std::string& request_id) {
  FZ_ASSIGN_OR_RETURN(SqlRows rows,
                      conn.Query("SELECT id, warning_id, from_state, to_state, at, unit, actor, "
                                 "role, note FROM transitions WHERE request_id = $1",
                                 {request_id}));
  if (rows.empty()) return std::optional<TransitionRecord>();
  const SqlRow& r = rows[0];
  TransitionRecord t;
  t.id = r.Int(0);
  t.request_id = request_id;
  t.warning = model::WarningId(r.Int(1));
  t.from = workflow::ParseWarningState(r.Str(2)).value_or(WarningState::kNew);
  t.to = workflow::ParseWarningState(r.Str(3)).value_or(WarningState::kNew);
  t.at = FromUs(r.Int(4));
  t.unit = model::UnitCode(r.Str(5));
  t.actor = r.Str(6);
  t.role = workflow::ParseRole(r.Str(7)).value_or(workflow::Role::kSystem);
  t.note = r.Str(8);
  t.replayed = true;
  return std::optional<TransitionRecord>(std::move(t));
}

// → dispatched: the new route, and the new unit's accept clock starts now.
Status Reroute(TxContext& tx, const WarningCore& w, const TransitionRequest& req,
               const workflow::SlaConfig& sla) {
  if (!req.reroute || req.reroute_path.empty()) {
    return absl::InvalidArgumentError(
        StrCat("warning ", w.id, ": a re-route needs the new unit and its path"));
  }
  if (!workflow::InScope(req.actor, req.reroute_path)) {
    return absl::PermissionDeniedError(StrCat("warning ", w.id, ": unit ",
                                              req.reroute->unit.value(), " is outside ",
                                              req.actor.user, "'s unit"));
  }
  FZ_RETURN_IF_ERROR(InsertRoute(tx, w.id, *req.reroute, req.reroute_path, req.actor));
  FZ_RETURN_IF_ERROR(RememberUnitPath(tx.conn(), req.reroute_path));
  FZ_RETURN_IF_ERROR(
      tx.conn()
          .Exec("UPDATE warnings SET unit = $1, unit_path = $2, queue = $3, target_city = $4, "
                "route_reason = $5 WHERE id = $6",
                {req.reroute->unit.value(), req.reroute_path,
                 std::string(workflow::RouteQueueName(req.reroute->queue)),
                 req.reroute->target_city, req.reroute->reason, w.id})
          .status());
  return UpsertTimer(tx.conn(), w.id,
                     workflow::StartClock(workflow::SlaClock::kAccept, sla.For(w.level).accept,
                                          tx.now(), sla.second_factor));
}

// The SET clause of the warning row's update for a transition. Parameters: $1 state, $2 now,
// $3 accepted (1/0), $4 first contact (1/0), $5 its bucket, $6 outcome or '', $7 dissuaded
// (1/0); `p` renumbers them from `first` on.
std::string WarningRowSet(int first) {
  auto p = [&](int n) { return StrCat("$", static_cast<int64_t>(first + n - 1)); };
  return StrCat("state = ", p(1), ", updated_at = ", p(2), ", accepted_at = CASE WHEN ", p(3),
                " = 1 AND accepted_at IS NULL THEN ", p(2),
                " ELSE accepted_at END, first_contact_bucket = CASE WHEN ", p(4),
                " = 1 AND first_contact_at IS NULL THEN ", p(5),
                " ELSE first_contact_bucket END, first_contact_at = CASE WHEN ", p(4),
                " = 1 AND first_contact_at IS NULL THEN ", p(2),
                " ELSE first_contact_at END, outcome = CASE WHEN ", p(6),
                " = '' THEN outcome ELSE ", p(6), " END, outcome_at = CASE WHEN ", p(6),
                " = '' THEN outcome_at ELSE ", p(2), " END, was_dissuaded = CASE WHEN ", p(7),
                " = 1 THEN 1 ELSE was_dissuaded END");
}

SqlParams WarningRowParams(TxContext& tx, const WarningCore& w, WarningState to,
                           WarningState final_state) {
  bool contact = to == WarningState::kContacting || to == WarningState::kDissuaded ||
                 to == WarningState::kDefrauded || to == WarningState::kUnreachable;
  std::string outcome = workflow::IsOutcome(to) ? std::string(workflow::WarningStateName(to)) : "";
  return {std::string(workflow::WarningStateName(final_state)), Us(tx.now()),
          int64_t{to == WarningState::kAccepted ? 1 : 0},       int64_t{contact ? 1 : 0},
          int64_t{DurationBucket(tx.now() - w.dispatched_at)},  outcome,
          int64_t{to == WarningState::kDissuaded ? 1 : 0}};
}

// One UPDATE of the warning row for every state (fewer round trips on PostgreSQL).
Status UpdateWarningRow(TxContext& tx, const WarningCore& w, WarningState to,
                        WarningState final_state) {
  SqlParams params = WarningRowParams(tx, w, to, final_state);
  params.emplace_back(w.id);
  static const std::string kSql =
      StrCat("UPDATE warnings SET ", WarningRowSet(1), " WHERE id = $8");
  return tx.conn().Exec(kSql, params).status();
}

std::string AuditDetail(const WarningCore& w, const TransitionRequest& req) {
  return StrCat(workflow::WarningStateName(w.state), "->", workflow::WarningStateName(req.to), " ",
                req.request_id, req.note.empty() ? "" : " ", req.note);
}

// PostgreSQL, a transition with no side effects beyond its own rows (not a re-route,
// dissuasion, case or follow-up close): the transition row, the clocks it meets, the warning
// row and the audit row in one statement, one round trip instead of four. Returns the
// transition id, or 0 when the request id was recorded before (nothing is written then).
SqlParams PlainParams(TxContext& tx, const WarningCore& w, const TransitionRequest& req,
                      const std::string& unit, TxContext::PendingAudit& audit) {
  std::string clocks;
  for (workflow::SlaClock c : ClocksStillRunning(w, workflow::ClocksMetBy(req.to))) {
    if (!clocks.empty()) clocks += ',';
    clocks += workflow::SlaClockName(c);
  }
  audit = tx.NextAudit(req.actor, "transition", WarningObject(w.id), AuditDetail(w, req));
  const TransitionEvidence& ev = req.evidence;
  SqlParams params = {req.request_id,
                      w.id,
                      std::string(workflow::WarningStateName(w.state)),
                      std::string(workflow::WarningStateName(req.to)),
                      req.actor.user,
                      std::string(workflow::RoleName(req.actor.role)),
                      unit,
                      Us(tx.now()),
                      req.note,
                      ev.call_result,
                      ev.visit_notes,
                      ev.gps_lat ? SqlValue(*ev.gps_lat) : SqlValue(nullptr),
                      ev.gps_lon ? SqlValue(*ev.gps_lon) : SqlValue(nullptr),
                      ev.photo_ref,
                      clocks};
  for (SqlValue& v : WarningRowParams(tx, w, req.to, req.to)) params.push_back(std::move(v));
  for (const SqlValue& v : audit.params) params.push_back(v);
  return params;
}

StatusOr<int64_t> ApplyPlainFolded(TxContext& tx, const WarningCore& w,
                                   const TransitionRequest& req, const std::string& unit) {
  TxContext::PendingAudit audit;
  SqlParams params = PlainParams(tx, w, req, unit, audit);
  static const std::string kSql = StrCat(
      "WITH t AS (INSERT INTO transitions (request_id, warning_id, from_state, to_state, actor, "
      "role, unit, at, note, call_result, visit_notes, gps_lat, gps_lon, photo_ref) VALUES ($1, "
      "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (request_id) DO "
      "NOTHING RETURNING id), "
      "c AS (UPDATE sla_timers SET met_at = $8, next_due = NULL WHERE warning_id = $2 AND clock = "
      "ANY (string_to_array($15, ',')) AND met_at IS NULL AND EXISTS (SELECT 1 FROM t)), "
      "u AS (UPDATE warnings SET ",
      WarningRowSet(16),
      " WHERE id = $2 AND EXISTS (SELECT 1 FROM t)), "
      "a AS (INSERT INTO audit_log (seq, at, actor, role, unit, action, object, detail, "
      "prev_hash, hash) SELECT $23::bigint, $24::bigint, $25::text, $26::text, $27::text, "
      "$28::text, $29::text, $30::text, $31::text, $32::text WHERE EXISTS (SELECT 1 FROM t)) "
      "SELECT id FROM t");
  FZ_ASSIGN_OR_RETURN(SqlRows rows, tx.conn().Query(kSql, params));
  if (rows.empty()) return int64_t{0};
  tx.Appended(std::move(audit));
  return rows[0].Int(0);
}

// PostgreSQL, plain transitions of one group (TxContext::Batch): the statement of
// ApplyPlainFolded for all of them at once, their parameters passed as arrays (unnest), so a
// group of N costs one round trip instead of N. The group's operations name distinct
// warnings by then (a second transition of the same warning reads it through conn(), which
// runs the batch first). A request id recorded before makes the INSERT fail, and the group
// re-runs one by one, where the replay is answered.
class PlainTransitionBatch final : public TxContext::Batch {
 public:
  static constexpr int kColumns = 32;  // PlainParams

  void Add(SqlParams params, int64_t* id) {
    request_ids_.push_back(std::get<std::string>(params[0]));
    for (int c = 0; c < kColumns; ++c) columns_[c].push_back(std::move(params[c]));
    ids_.push_back(id);
  }

  Status Run(SqlConn& conn) override {
    SqlParams arrays;
    for (const std::vector<SqlValue>& column : columns_) arrays.emplace_back(PgArray(column));
    FZ_ASSIGN_OR_RETURN(SqlRows rows, conn.Query(Sql(), arrays));
    if (rows.size() != ids_.size()) {
      return absl::AbortedError(
          StrCat("transition batch: ", rows.size(), " of ", ids_.size(), " transitions recorded"));
    }
    for (const SqlRow& r : rows) {
      for (size_t i = 0; i < request_ids_.size(); ++i) {
        if (request_ids_[i] == r.Str(0)) *ids_[i] = r.Int(1);
      }
    }
    return absl::OkStatus();
  }

 private:
  // A PostgreSQL array literal: every text element quoted, NULL unquoted.
  static std::string PgArray(const std::vector<SqlValue>& values) {
    std::string out = "{";
    for (const SqlValue& v : values) {
      if (out.size() > 1) out += ',';
      if (std::holds_alternative<int64_t>(v)) {
        StrAppend(&out, std::get<int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::get<double>(v));
        out.append(buf, end);
      } else if (std::holds_alternative<std::string>(v)) {
        out += '"';
        for (char ch : std::get<std::string>(v)) {
          if (ch == '"' || ch == '\\') out += '\\';
          out += ch;
        }
        out += '"';
      } else {
        out += "NULL";
      }
    }
    return out + "}";
  }

  static const std::string& Sql() {
    static const std::string kSql =
        "WITH i AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], "
        "$5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], "
        "$12::float8[], $13::float8[], $14::text[], $15::text[], $16::text[], $17::bigint[], "
        "$18::bigint[], $19::bigint[], $20::bigint[], $21::text[], $22::bigint[], $23::bigint[], "
        "$24::bigint[], $25::text[], $26::text[], $27::text[], $28::text[], $29::text[], "
        "$30::text[], $31::text[], $32::text[]) AS x(request_id, warning_id, from_state, "
        "to_state, actor, role, unit, at, note, call_result, visit_notes, gps_lat, gps_lon, "
        "photo_ref, clocks, new_state, now_us, accepted, contact, bucket, new_outcome, "
        "dissuaded, seq, a_at, a_actor, a_role, a_unit, a_action, a_object, a_detail, prev_hash, "
        "hash)), "
        "t AS (INSERT INTO transitions (request_id, warning_id, from_state, to_state, actor, "
        "role, unit, at, note, call_result, visit_notes, gps_lat, gps_lon, photo_ref) SELECT "
        "request_id, warning_id, from_state, to_state, actor, role, unit, at, note, call_result, "
        "visit_notes, gps_lat, gps_lon, photo_ref FROM i ORDER BY seq RETURNING request_id, id), "
        "c AS (UPDATE sla_timers s SET met_at = m.at, next_due = NULL FROM (SELECT warning_id, "
        "at, unnest(string_to_array(clocks, ',')) AS clock FROM i WHERE clocks <> '') m WHERE "
        "s.warning_id = m.warning_id AND s.clock = m.clock AND s.met_at IS NULL), "
        "u AS (UPDATE warnings w SET state = i.new_state, updated_at = i.now_us, accepted_at = "
        "CASE WHEN i.accepted = 1 AND w.accepted_at IS NULL THEN i.now_us ELSE w.accepted_at "
        "END, first_contact_bucket = CASE WHEN i.contact = 1 AND w.first_contact_at IS NULL "
        "THEN i.bucket ELSE w.first_contact_bucket END, first_contact_at = CASE WHEN i.contact "
        "= 1 AND w.first_contact_at IS NULL THEN i.now_us ELSE w.first_contact_at END, outcome "
        "= CASE WHEN i.new_outcome = '' THEN w.outcome ELSE i.new_outcome END, outcome_at = "
        "CASE WHEN i.new_outcome = '' THEN w.outcome_at ELSE i.now_us END, was_dissuaded = CASE "
        "WHEN i.dissuaded = 1 THEN 1 ELSE w.was_dissuaded END FROM i WHERE w.id = "
        "i.warning_id), "
        "a AS (INSERT INTO audit_log (seq, at, actor, role, unit, action, object, detail, "
        "prev_hash, hash) SELECT seq, a_at, a_actor, a_role, a_unit, a_action, a_object, "
        "a_detail, prev_hash, hash FROM i) "
        "SELECT request_id, id FROM t";
    return kSql;
  }

  std::vector<SqlValue> columns_[kColumns];
  std::vector<std::string> request_ids_;
  std::vector<int64_t*> ids_;
};

// Adds a plain transition to the group's batch; `*id` gets its id when the batch runs.
void BatchPlain(TxContext& tx, const WarningCore& w, const TransitionRequest& req,
                const std::string& unit, int64_t* id) {
  auto* batch = dynamic_cast<PlainTransitionBatch*>(tx.batch());
  if (batch == nullptr) {
    // Another kind of batch would have run at conn(); none is pending here.
    auto fresh = std::make_unique<PlainTransitionBatch>();
    batch = fresh.get();
    tx.set_batch(std::move(fresh));
  }
  TxContext::PendingAudit audit;
  batch->Add(PlainParams(tx, w, req, unit, audit), id);
  tx.Appended(std::move(audit));
}

}  // namespace

StatusOr<TransitionRecord> SqlStore::ApplyTransition(const TransitionRequest& req) {
  if (req.request_id.empty()) {
    return absl::InvalidArgumentError("transition: request_id is required");
  }
  TransitionRecord record;
  const bool postgres = backend_ == "postgresql";
  auto op = [&](TxContext& tx) -> Status {
    int64_t id = req.warning.value();
    FZ_ASSIGN_OR_RETURN(WarningCore w, LoadWarningCore(tx, id));
    Status allowed =
        workflow::CheckTransition(req.warning, w.state, req.to, req.actor, w.unit_path);
    if (!allowed.ok()) {
      // A re-delivered request is refused by the state it already caused: answer it instead.
      FZ_ASSIGN_OR_RETURN(std::optional<TransitionRecord> prior,
                          Recorded(tx.conn(), req.request_id));
      if (prior) {
        record = *prior;
        return absl::OkStatus();
      }
      return allowed;
    }
    std::string unit =
        req.to == WarningState::kDispatched && req.reroute ? req.reroute->unit.value() : w.unit;
    const bool plain = req.to != WarningState::kDispatched && req.to != WarningState::kDissuaded &&
                       req.to != WarningState::kDefrauded &&
                       !(req.to == WarningState::kClosed && w.state == WarningState::kFollowUp);
    const bool folded = plain && postgres;
    // What the caller gets back once the transition row has its id.
    auto recorded = [&](int64_t transition_id) {
      return TransitionRecord{.id = transition_id,
                              .request_id = req.request_id,
                              .warning = req.warning,
                              .from = w.state,
                              .to = req.to,
                              .actor = req.actor.user,
                              .role = req.actor.role,
                              .unit = model::UnitCode(unit),
                              .at = tx.now(),
                              .note = req.note,
                              .evidence = req.evidence};
    };
    if (folded && tx.batching()) {
      record = recorded(0);
      BatchPlain(tx, w, req, unit, &record.id);
      return absl::OkStatus();
    }
    if (folded) {
      FZ_ASSIGN_OR_RETURN(record.id, ApplyPlainFolded(tx, w, req, unit));
    } else {
      FZ_RETURN_IF_ERROR(InsertTransition(tx, req.request_id, id, w.state, req.to, req.actor, unit,
                                          req.note, req.evidence, &record.id));
    }
    if (record.id == 0) {
      FZ_ASSIGN_OR_RETURN(std::optional<TransitionRecord> prior,
                          Recorded(tx.conn(), req.request_id));
      if (prior) record = *prior;
      return absl::OkStatus();
    }
    record = recorded(record.id);
    if (folded) return absl::OkStatus();
    if (req.to == WarningState::kDispatched) FZ_RETURN_IF_ERROR(Reroute(tx, w, req, config_.sla));
    std::vector<workflow::SlaClock> met = ClocksStillRunning(w, workflow::ClocksMetBy(req.to));
    if (!met.empty()) FZ_RETURN_IF_ERROR(MeetClocks(tx, id, met));
    WarningState final_state = req.to;
    if (req.to == WarningState::kDissuaded) {
      // Dissuasion always schedules the return visit (回访).
      final_state = WarningState::kFollowUp;
      FZ_RETURN_IF_ERROR(InsertTransition(
          tx, req.request_id + ":follow_up", id, WarningState::kDissuaded, WarningState::kFollowUp,
          workflow::SystemActor(config_.routing.triage_unit), unit, "自动安排回访", {}, nullptr));
      FZ_RETURN_IF_ERROR(tx.conn()
                             .Exec("INSERT INTO follow_ups (warning_id, due_at, result) VALUES "
                                   "($1, $2, '') ON CONFLICT DO NOTHING",
                                   {id, Us(tx.now() + config_.follow_up_after)})
                             .status());
    }
    if (req.to == WarningState::kClosed && w.state == WarningState::kFollowUp) {
      FZ_RETURN_IF_ERROR(tx.conn()
                             .Exec("UPDATE follow_ups SET done_at = $1, result = 'ok' "
                                   "WHERE warning_id = $2",
                                   {Us(tx.now()), id})
                             .status());
    }
    if (req.to == WarningState::kDefrauded) FZ_RETURN_IF_ERROR(OpenCase(tx, w, req));
    FZ_RETURN_IF_ERROR(UpdateWarningRow(tx, w, req.to, final_state));
    return tx.Audit(req.actor, "transition", WarningObject(id), AuditDetail(w, req));
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op, req.warning.value()));
  return record;
}

}  // namespace fz::store
