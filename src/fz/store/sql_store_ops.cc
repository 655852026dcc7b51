// SqlStore: cases, dissuasion steps, SLA escalation ticks and stop-payments.
#include "fz/common/str_cat.h"
#include "fz/store/indicator_row.h"
#include "fz/store/sql_store.h"
#include "fz/store/sql_util.h"
#include "fz/store/warning_row.h"
#include "fz/workflow/lifecycle.h"

namespace fz::store {
namespace {

using workflow::StepKind;
using workflow::StepResult;
using workflow::WarningState;

std::string SuspectsText(const std::vector<workflow::SuspectIdentifier>& suspects) {
  std::string out;
  for (const auto& s : suspects) {
    if (!out.empty()) out += ';';
    out += StrCat(model::IndicatorKindName(s.kind), ":", s.value);
  }
  return out;
}

bool StepAllowed(workflow::Role role) {
  using workflow::Role;
  return role == Role::kSystem || role == Role::kOfficer || role == Role::kGridWorker ||
         role == Role::kSupervisor;
}

SqlValue OptUs(const std::optional<absl::Time>& t) {
  return t ? SqlValue(Us(*t)) : SqlValue(nullptr);
}

}  // namespace

Status OpenCase(TxContext& tx, const WarningCore& w, const TransitionRequest& req) {
  if (w.was_dissuaded) {
    FZ_RETURN_IF_ERROR(
        tx.conn().Exec("UPDATE warnings SET after_dissuasion = 1 WHERE id = $1", {w.id}).status());
    FZ_RETURN_IF_ERROR(tx.conn()
                           .Exec("UPDATE follow_ups SET done_at = COALESCE(done_at, $1), "
                                 "result = 'defrauded_after_dissuasion' WHERE warning_id = $2",
                                 {Us(tx.now()), w.id})
                           .status());
  }
  if (!req.case_draft) return absl::OkStatus();
  const workflow::CaseDraft& c = *req.case_draft;
  FZ_ASSIGN_OR_RETURN(
      std::optional<int64_t> case_id,
      tx.conn().InsertId(
          "INSERT INTO cases (warning_id, unit, unit_path, opened_at, victim_name, victim_phone, "
          "victim_id_no, loss_fen, fraud_type, after_dissuasion, suspects) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11) ON CONFLICT (warning_id) DO NOTHING",
          {w.id, w.unit, w.unit_path, Us(tx.now()), c.victim_name, c.victim_phone, c.victim_id_no,
           c.loss.fen, int64_t{c.fraud_type.id}, int64_t{w.was_dissuaded ? 1 : 0},
           SuspectsText(c.suspects)}));
  if (!case_id) return absl::OkStatus();  // the case was opened before
  std::string source = StrCat("case:", *case_id);
  for (const workflow::SuspectIdentifier& s : c.suspects) {
    FZ_RETURN_IF_ERROR(tx.conn()
                           .Exec("INSERT INTO pending_indicators (kind, value, fraud_type, source, "
                                 "status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5) "
                                 "ON CONFLICT DO NOTHING",
                                 {std::string(model::IndicatorKindName(s.kind)), s.value,
                                  int64_t{c.fraud_type.id}, source, Us(tx.now())})
                           .status());
  }
  return tx.Audit(req.actor, "open_case", source,
                  StrCat(WarningObject(w.id), " loss_fen=", c.loss.fen,
                         " suspects=", static_cast<int64_t>(c.suspects.size())));
}

StatusOr<StepOutcome> SqlStore::RecordStep(const StepRequest& req) {
  if (req.request_id.empty()) return absl::InvalidArgumentError("step: request_id is required");
  StepOutcome outcome;
  auto op = [&](TxContext& tx) -> Status {
    outcome = StepOutcome();
    int64_t id = req.warning.value();
    FZ_ASSIGN_OR_RETURN(WarningCore w, LoadWarningCore(tx.conn(), id));
    FZ_ASSIGN_OR_RETURN(SqlRows prior, tx.conn().Query("SELECT id FROM steps WHERE request_id = $1",
                                                       {req.request_id}));
    if (!prior.empty()) {
      outcome.id = prior[0].Int(0);
      outcome.replayed = true;
    } else {
      if (!StepAllowed(req.actor.role) || !workflow::InScope(req.actor, w.unit_path)) {
        return absl::PermissionDeniedError(StrCat("warning ", id, ": ", req.actor.user, " (",
                                                  workflow::RoleName(req.actor.role),
                                                  ") may not record steps here"));
      }
      if (w.state == WarningState::kClosed || w.state == WarningState::kNew) {
        return absl::FailedPreconditionError(StrCat("warning ", id, ": no steps in state '",
                                                    workflow::WarningStateName(w.state), "'"));
      }
      FZ_ASSIGN_OR_RETURN(
          std::optional<int64_t> inserted,
          tx.conn().InsertId("INSERT INTO steps (request_id, warning_id, kind, result, actor, "
                             "unit, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                             {req.request_id, id, std::string(workflow::StepKindName(req.kind)),
                              std::string(workflow::StepResultName(req.result)), req.actor.user,
                              w.unit, Us(tx.now()), req.note}));
      outcome.id = inserted.value_or(0);
      bool contact_step = req.kind == StepKind::kAiCall || req.kind == StepKind::kOfficerCall ||
                          req.kind == StepKind::kVisit;
      if (contact_step) FZ_RETURN_IF_ERROR(MarkFirstContact(tx, w));
      if (workflow::IsVisitDone({req.kind, req.result}) && !w.visited) {
        FZ_RETURN_IF_ERROR(
            tx.conn()
                .Exec("UPDATE warnings SET visited_at = $1, visit_bucket = $2 WHERE id = $3",
                      {Us(tx.now()), int64_t{DurationBucket(tx.now() - w.dispatched_at)}, id})
                .status());
        FZ_RETURN_IF_ERROR(MeetClocks(tx, id, {workflow::SlaClock::kVisit}));
        w.visited = true;
      }
      if (req.result == StepResult::kAlreadyTransferred && w.level != model::WarningLevel::kRed) {
        FZ_RETURN_IF_ERROR(RaiseLevel(tx, w, model::WarningLevel::kRed, config_.sla));
        w.level = model::WarningLevel::kRed;
        outcome.upgraded_to_red = true;
      }
      FZ_RETURN_IF_ERROR(
          tx.Audit(req.actor, "step", WarningObject(id),
                   StrCat(workflow::StepKindName(req.kind), "=",
                          workflow::StepResultName(req.result), " ", req.request_id)));
    }
    FZ_ASSIGN_OR_RETURN(std::vector<workflow::StepRecord> history, LoadStepHistory(tx.conn(), id));
    outcome.next =
        workflow::DecideNextStep(config_.PlanFor(w.level, model::FraudType{w.fraud_type}), history,
                                 config_.plans.ai_call_attempts);
    return absl::OkStatus();
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op));
  return outcome;
}

StatusOr<std::vector<EscalationRecord>> SqlStore::Tick(absl::Time now) {
  std::vector<EscalationRecord> raised;
  auto op = [&](TxContext& tx) -> Status {
    raised.clear();
    FZ_ASSIGN_OR_RETURN(
        SqlRows due,
        tx.conn().Query("SELECT t.warning_id, t.clock, t.started_at, t.first_due, t.second_due, "
                        "t.stage, w.unit_path FROM sla_timers t JOIN warnings w ON "
                        "w.id = t.warning_id WHERE t.next_due <= $1 ORDER BY t.next_due LIMIT 5000",
                        {Us(now)}));
    Actor system = workflow::SystemActor(config_.routing.triage_unit);
    for (const SqlRow& r : due) {
      workflow::SlaTimer t;
      int64_t id = r.Int(0);
      t.clock = workflow::ParseSlaClock(r.Str(1)).value_or(workflow::SlaClock::kAccept);
      t.started_at = FromUs(r.Int(2));
      t.first_due = FromUs(r.Int(3));
      t.second_due = FromUs(r.Int(4));
      t.stage = static_cast<int>(r.Int(5));
      const std::string& path = r.Str(6);
      while (std::optional<workflow::Escalation> e = workflow::NextEscalation(t, now, path)) {
        FZ_ASSIGN_OR_RETURN(
            int64_t added,
            tx.conn().Exec("INSERT INTO escalations (warning_id, clock, stage, target_unit, "
                           "unit_path, due, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                           "ON CONFLICT DO NOTHING",
                           {id, std::string(workflow::SlaClockName(e->clock)), int64_t{e->stage},
                            e->target.value(), path, Us(e->due), Us(now), e->reason}));
        if (added == 0) continue;
        FZ_RETURN_IF_ERROR(tx.conn()
                               .Exec("UPDATE warnings SET escalations = escalations + 1, "
                                     "overdue = CASE WHEN $1 = 1 THEN overdue + 1 ELSE overdue "
                                     "END WHERE id = $2",
                                     {int64_t{e->stage}, id})
                               .status());
        FZ_RETURN_IF_ERROR(tx.Audit(system, "escalate", WarningObject(id),
                                    StrCat(workflow::SlaClockName(e->clock), " stage ", e->stage,
                                           " -> ", e->target.value())));
        raised.push_back(
            {model::WarningId(id), e->clock, e->stage, e->target, e->due, now, e->reason});
      }
      FZ_RETURN_IF_ERROR(UpsertTimer(tx.conn(), id, t));
    }
    return absl::OkStatus();
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op));
  return raised;
}

StatusOr<workflow::StopPaymentRequest> SqlStore::RequestStopPayment(
    const workflow::StopPaymentRequest& request, const Actor& actor) {
  workflow::StopPaymentRequest out = request;
  auto op = [&](TxContext& tx) -> Status {
    out = request;
    FZ_ASSIGN_OR_RETURN(SqlRows prior,
                        tx.conn().Query("SELECT id, requested_at, feedback_deadline FROM "
                                        "stop_payments WHERE request_no = $1",
                                        {request.request_no}));
    if (!prior.empty()) {
      out.id = model::StopPaymentId(prior[0].Int(0));
      out.requested_at = FromUs(prior[0].Int(1));
      out.feedback_deadline = FromUs(prior[0].Int(2));
      return absl::OkStatus();
    }
    FZ_ASSIGN_OR_RETURN(SqlRows count,
                        tx.conn().Query("SELECT count(*) FROM stop_payments WHERE stop_account = "
                                        "$1 AND result <> 'failed'",
                                        {request.stop_account}));
    FZ_RETURN_IF_ERROR(workflow::CheckNewStop(request, count[0].Int(0), config_.stop_payment));
    std::string unit = request.unit.value();
    std::string path;
    if (request.warning.value() != 0) {
      FZ_ASSIGN_OR_RETURN(WarningCore w, LoadWarningCore(tx.conn(), request.warning.value()));
      if (!workflow::InScope(actor, w.unit_path)) {
        return absl::PermissionDeniedError(StrCat("stop-payment ", request.request_no,
                                                  ": warning outside ", actor.user, "'s unit"));
      }
      unit = w.unit;
      path = w.unit_path;
    }
    if (path.empty()) {
      // Linked to a case only: the requesting unit's registered path keeps it listable.
      FZ_ASSIGN_OR_RETURN(SqlRows paths,
                          tx.conn().Query("SELECT path FROM unit_paths WHERE code = $1", {unit}));
      if (!paths.empty()) path = paths[0].Str(0);
    }
    out.unit = model::UnitCode(unit);
    out.requested_at = tx.now();
    out.feedback_deadline = tx.now() + config_.stop_payment.feedback_within;
    FZ_ASSIGN_OR_RETURN(
        std::optional<int64_t> inserted,
        tx.conn().InsertId(
            "INSERT INTO stop_payments (request_no, original_request_no, warning_id, case_id, "
            "unit, unit_path, from_bank, from_name, from_account, currency, amount_requested, "
            "transfer_time, stop_bank, stop_account_name, stop_account, stop_account_type, "
            "requested_at, feedback_deadline, stage, result, error_code, balance, amount_stopped) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
            "$18, 'initial', 'initial', '', 0, 0)",
            {request.request_no, request.original_request_no, request.warning.value(),
             request.case_id.value(), unit, path, request.from_bank, request.from_name,
             request.from_account, request.currency, request.amount_requested.fen,
             Us(request.transfer_time), request.stop_bank, request.stop_account_name,
             request.stop_account, request.stop_account_type, Us(out.requested_at),
             Us(out.feedback_deadline)}));
    out.id = model::StopPaymentId(inserted.value_or(0));
    return tx.Audit(actor, "stop_payment", StrCat("stop_payment:", request.request_no),
                    StrCat("amount_fen=", request.amount_requested.fen));
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op));
  return out;
}

StatusOr<workflow::StopPaymentRequest> SqlStore::UpdateStopPayment(const StopPaymentUpdate& u,
                                                                   const Actor& actor) {
  workflow::StopPaymentRequest out;
  auto op = [&](TxContext& tx) -> Status {
    std::optional<absl::Time> end;
    if (u.stop_start) end = workflow::StopEnd(*u.stop_start, config_.stop_payment);
    FZ_ASSIGN_OR_RETURN(
        SqlRows rows,
        tx.conn().Query(
            "UPDATE stop_payments SET stage = $1, result = $2, error_code = $3, "
            "balance = COALESCE($4, balance), amount_stopped = COALESCE($5, amount_stopped), "
            "stop_start = COALESCE($6, stop_start), stop_end = COALESCE($7, stop_end) "
            "WHERE request_no = $8 RETURNING id, stop_account, amount_requested, amount_stopped, "
            "stop_start, stop_end, warning_id",
            {std::string(workflow::StopStageName(u.stage)),
             std::string(workflow::StopResultName(u.result)), u.error_code,
             u.balance ? SqlValue(u.balance->fen) : SqlValue(nullptr),
             u.amount_stopped ? SqlValue(u.amount_stopped->fen) : SqlValue(nullptr),
             OptUs(u.stop_start), OptUs(end), u.request_no}));
    if (rows.empty()) {
      return absl::NotFoundError(StrCat("stop-payment ", u.request_no, " not found"));
    }
    out.id = model::StopPaymentId(rows[0].Int(0));
    out.request_no = u.request_no;
    out.stop_account = rows[0].Str(1);
    out.amount_requested.fen = rows[0].Int(2);
    out.amount_stopped.fen = rows[0].Int(3);
    if (!rows[0].IsNull(4)) out.stop_start = FromUs(rows[0].Int(4));
    if (!rows[0].IsNull(5)) out.stop_end = FromUs(rows[0].Int(5));
    out.warning = model::WarningId(rows[0].Int(6));
    out.stage = u.stage;
    out.result = u.result;
    return tx.Audit(
        actor, "stop_payment_update", StrCat("stop_payment:", u.request_no),
        StrCat(workflow::StopStageName(u.stage), "/", workflow::StopResultName(u.result)));
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op));
  return out;
}

StatusOr<workflow::PendingIndicator> SqlStore::ReviewPendingIndicator(int64_t id, bool confirm,
                                                                      const Actor& actor) {
  if (actor.role != workflow::Role::kAnalyst && actor.role != workflow::Role::kDispatcher) {
    return absl::PermissionDeniedError(StrCat("pending indicator ", id, ": role '",
                                              workflow::RoleName(actor.role),
                                              "' may not confirm intelligence"));
  }
  const std::string wanted = confirm ? "confirmed" : "rejected";
  workflow::PendingIndicator out;
  auto op = [&](TxContext& tx) -> Status {
    FZ_ASSIGN_OR_RETURN(SqlRows rows,
                        tx.conn().Query("SELECT kind, value, fraud_type, source, status, "
                                        "created_at FROM pending_indicators WHERE id = $1",
                                        {id}));
    if (rows.empty()) return absl::NotFoundError(StrCat("pending indicator ", id, " not found"));
    const SqlRow& r = rows[0];
    out.id = id;
    out.identifier.kind =
        model::ParseIndicatorKind(r.Str(0)).value_or(model::IndicatorKind::kPhone);
    out.identifier.value = r.Str(1);
    out.fraud_type = model::FraudType{static_cast<uint16_t>(r.Int(2))};
    out.source = r.Str(3);
    out.created_at = FromUs(r.Int(5));
    out.status = confirm ? workflow::PendingStatus::kConfirmed : workflow::PendingStatus::kRejected;
    if (r.Str(4) == wanted) return absl::OkStatus();  // re-delivered decision
    if (r.Str(4) != "pending") {
      return absl::FailedPreconditionError(
          StrCat("pending indicator ", id, " was already ", r.Str(4)));
    }
    FZ_RETURN_IF_ERROR(
        tx.conn()
            .Exec("UPDATE pending_indicators SET status = $1 WHERE id = $2", {wanted, id})
            .status());
    if (confirm) {
      // A confirmed suspect identifier becomes intelligence in the same transaction.
      model::Indicator indicator{.kind = out.identifier.kind,
                                 .value = out.identifier.value,
                                 .fraud_type = out.fraud_type,
                                 .source = out.source};
      FZ_ASSIGN_OR_RETURN(indicator,
                          CanonicalIndicator(indicator, StrCat("pending indicator ", id)));
      IndicatorUpsertResult upserted;
      FZ_RETURN_IF_ERROR(UpsertIndicatorRows(tx, {indicator}, actor.user, &upserted));
    }
    return tx.Audit(actor, wanted, StrCat("pending_indicator:", id),
                    StrCat(r.Str(0), ":", r.Str(1), " from ", r.Str(3)));
  };
  FZ_RETURN_IF_ERROR(writer_.Run(op));
  return out;
}

}  // namespace fz::store
