#include "fz/api/store_json.h"

#include "fz/api/json_util.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"
#include "fz/workflow/mask.h"

namespace fz::api {
namespace {

std::string Id(int64_t id) { return fz::StrCat(id); }

nlohmann::json PercentilesJson(const std::map<std::string, store::Percentiles>& m) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [level, p] : m) {
    out[level] = {{"count", p.count}, {"p50_s", p.p50_s}, {"p90_s", p.p90_s}, {"p99_s", p.p99_s}};
  }
  return out;
}

nlohmann::json ChangeJson(const store::Change& c) {
  std::optional<double> r = c.Ratio();
  return {{"current", c.current},
          {"previous", c.previous},
          {"ratio", r ? nlohmann::json(*r) : nlohmann::json(nullptr)}};
}

template <typename T>
nlohmann::json OptionalJson(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json FraudTypeJson(model::FraudType type, const model::FraudTypeRegistry& types) {
  const model::FraudTypeInfo& info = types.Info(type);
  return {{"code", info.code}, {"name", info.name_zh}};
}

nlohmann::json EvidenceJson(const model::Evidence& e) {
  return {{"event_id", e.event_id.value()},
          {"event_type", model::EventTypeName(e.event_type)},
          {"time", TimeText(e.time)},
          {"rule_id", e.rule_id},
          {"reason", e.reason},
          {"indicator", e.indicator}};
}

nlohmann::json LiveWarningJson(const workflow::RoutedWarning& rw, std::string_view kind,
                               const model::FraudTypeRegistry& types) {
  const model::Warning& w = rw.warning;
  const std::string_view subject_kind = model::SubjectKindName(w.subject_kind);
  return {
      {"kind", kind},
      {"id", Id(w.id.value())},
      {"level", model::WarningLevelName(w.level)},
      {"score", w.score},
      {"fraud_type", FraudTypeJson(w.fraud_type, types)},
      {"subject", workflow::MaskSubject(subject_kind, w.subject)},
      {"subject_kind", subject_kind},
      {"unit", rw.route.unit.value()},
      {"queue", workflow::RouteQueueName(rw.route.queue)},
      {"target_city", rw.route.target_city},
      {"route_reason", rw.route.reason},
      {"source", rw.source},
      {"created_at", TimeText(w.created_at)},
      {"reason", w.evidence.empty() ? std::string() : w.evidence.front().reason},
      // The event that opened or raised it: lets a sender measure event-to-push latency.
      {"trigger_event", w.evidence.empty() ? std::string() : w.evidence.back().event_id.value()}};
}

nlohmann::json EscalationJson(const store::EscalationRecord& e) {
  return {{"warning", Id(e.warning.value())},
          {"clock", workflow::SlaClockName(e.clock)},
          {"clock_zh", workflow::SlaClockNameZh(e.clock)},
          {"stage", e.stage},
          {"target", e.target.value()},
          {"due", TimeText(e.due)},
          {"at", TimeText(e.at)},
          {"reason", e.reason}};
}

nlohmann::json SummaryJson(const store::WarningSummary& w, const model::FraudTypeRegistry& types) {
  return {{"id", Id(w.id.value())},
          {"subject", w.subject},
          {"subject_kind", w.subject_kind},
          {"person_name", w.person_name},
          {"level", model::WarningLevelName(w.level)},
          {"score", w.score},
          {"fraud_type", FraudTypeJson(model::FraudType{w.fraud_type}, types)},
          {"source", w.source},
          {"state", workflow::WarningStateName(w.state)},
          {"state_zh", workflow::WarningStateNameZh(w.state)},
          {"unit", w.unit.value()},
          {"queue", workflow::RouteQueueName(w.queue)},
          {"target_city", w.target_city},
          {"route_reason", w.route_reason},
          {"created_at", TimeText(w.created_at)},
          {"escalations", w.escalations}};
}

nlohmann::json TransitionJson(const store::TransitionRecord& t) {
  return {{"id", Id(t.id)},
          {"request_id", t.request_id},
          {"warning", Id(t.warning.value())},
          {"from", workflow::WarningStateName(t.from)},
          {"to", workflow::WarningStateName(t.to)},
          {"actor", t.actor},
          {"role", workflow::RoleName(t.role)},
          {"unit", t.unit.value()},
          {"at", TimeText(t.at)},
          {"note", t.note},
          {"evidence",
           {{"call_result", t.evidence.call_result},
            {"visit_notes", t.evidence.visit_notes},
            {"gps_lat", OptionalJson(t.evidence.gps_lat)},
            {"gps_lon", OptionalJson(t.evidence.gps_lon)},
            {"photo_ref", t.evidence.photo_ref}}},
          {"replayed", t.replayed}};
}

nlohmann::json NextStepJson(const workflow::NextStep& n) {
  return {{"kind", n.kind ? nlohmann::json(workflow::StepKindName(*n.kind)) : nullptr},
          {"kind_zh", n.kind ? nlohmann::json(workflow::StepKindNameZh(*n.kind)) : nullptr},
          {"upgrade_to_red", n.upgrade_to_red},
          {"reason", n.reason}};
}

nlohmann::json DetailJson(const store::WarningDetail& d, const model::FraudTypeRegistry& types) {
  nlohmann::json out = SummaryJson(d.summary, types);
  out["rule_ids"] = d.rule_ids;
  nlohmann::json& evidence = out["evidence"] = nlohmann::json::array();
  for (const model::Evidence& e : d.evidence) evidence.push_back(EvidenceJson(e));
  nlohmann::json& routes = out["routes"] = nlohmann::json::array();
  for (const store::RouteRecord& r : d.routes) {
    routes.push_back({{"unit", r.unit.value()},
                      {"queue", workflow::RouteQueueName(r.queue)},
                      {"target_city", r.target_city},
                      {"basis", r.basis},
                      {"reason", r.reason},
                      {"actor", r.actor},
                      {"at", TimeText(r.at)}});
  }
  nlohmann::json& transitions = out["transitions"] = nlohmann::json::array();
  for (const store::TransitionRecord& t : d.transitions) transitions.push_back(TransitionJson(t));
  nlohmann::json& steps = out["steps"] = nlohmann::json::array();
  for (const store::StepRow& s : d.steps) {
    steps.push_back({{"request_id", s.request_id},
                     {"kind", workflow::StepKindName(s.kind)},
                     {"kind_zh", workflow::StepKindNameZh(s.kind)},
                     {"result", workflow::StepResultName(s.result)},
                     {"actor", s.actor},
                     {"at", TimeText(s.at)},
                     {"note", s.note}});
  }
  nlohmann::json& timers = out["timers"] = nlohmann::json::array();
  for (const workflow::SlaTimer& t : d.timers) {
    timers.push_back({{"clock", workflow::SlaClockName(t.clock)},
                      {"clock_zh", workflow::SlaClockNameZh(t.clock)},
                      {"started_at", TimeText(t.started_at)},
                      {"first_due", TimeText(t.first_due)},
                      {"second_due", TimeText(t.second_due)},
                      {"stage", t.stage},
                      {"met_at", TimeOrNull(t.met_at)}});
  }
  nlohmann::json& escalations = out["escalation_history"] = nlohmann::json::array();
  for (const store::EscalationRecord& e : d.escalations) escalations.push_back(EscalationJson(e));
  out["follow_up"] = d.follow_up ? FollowUpJson(*d.follow_up) : nlohmann::json(nullptr);
  out["case"] = d.case_record ? CaseJson(*d.case_record, types) : nlohmann::json(nullptr);
  out["next_step"] = NextStepJson(d.next_step);
  return out;
}

nlohmann::json StopPaymentJson(const workflow::StopPaymentRequest& s) {
  return {{"id", Id(s.id.value())},
          {"request_no", s.request_no},
          {"original_request_no", s.original_request_no},
          {"warning", s.warning.value() ? nlohmann::json(Id(s.warning.value())) : nullptr},
          {"case", s.case_id.value() ? nlohmann::json(Id(s.case_id.value())) : nullptr},
          {"unit", s.unit.value()},
          {"from_bank", s.from_bank},
          {"from_name", s.from_name},
          {"from_account", s.from_account},
          {"currency", s.currency},
          {"amount_requested_fen", s.amount_requested.fen},
          {"transfer_time", TimeText(s.transfer_time)},
          {"stop_bank", s.stop_bank},
          {"stop_account_name", s.stop_account_name},
          {"stop_account", s.stop_account},
          {"stop_account_type", s.stop_account_type},
          {"requested_at", TimeText(s.requested_at)},
          {"feedback_deadline", TimeText(s.feedback_deadline)},
          {"stop_start", TimeOrNull(s.stop_start)},
          {"stop_end", TimeOrNull(s.stop_end)},
          {"stage", workflow::StopStageName(s.stage)},
          {"result", workflow::StopResultName(s.result)},
          {"error_code", s.error_code},
          {"balance_fen", s.balance.fen},
          {"amount_stopped_fen", s.amount_stopped.fen}};
}

nlohmann::json CaseJson(const workflow::CaseRecord& c, const model::FraudTypeRegistry& types) {
  nlohmann::json suspects = nlohmann::json::array();
  for (const workflow::SuspectIdentifier& s : c.details.suspects) {
    suspects.push_back({{"kind", model::IndicatorKindName(s.kind)}, {"value", s.value}});
  }
  return {{"id", Id(c.id.value())},
          {"warning", Id(c.warning.value())},
          {"unit", c.unit.value()},
          {"opened_at", TimeText(c.opened_at)},
          {"after_dissuasion", c.after_dissuasion},
          {"victim_name", c.details.victim_name},
          {"victim_phone", c.details.victim_phone},
          {"victim_id_no", c.details.victim_id_no},
          {"loss_fen", c.details.loss.fen},
          {"fraud_type", FraudTypeJson(c.details.fraud_type, types)},
          {"suspects", suspects}};
}

nlohmann::json PendingJson(const workflow::PendingIndicator& p,
                           const model::FraudTypeRegistry& types) {
  static constexpr std::string_view kStatus[] = {"pending", "confirmed", "rejected"};
  return {{"id", Id(p.id)},
          {"kind", model::IndicatorKindName(p.identifier.kind)},
          {"value", p.identifier.value},
          {"fraud_type", FraudTypeJson(p.fraud_type, types)},
          {"source", p.source},
          {"status", kStatus[static_cast<int>(p.status)]},
          {"created_at", TimeText(p.created_at)}};
}

nlohmann::json FollowUpJson(const workflow::FollowUp& f) {
  return {{"warning", Id(f.warning.value())},
          {"due_at", TimeText(f.due_at)},
          {"done_at", TimeOrNull(f.done_at)},
          {"result", f.result}};
}

nlohmann::json KpisJson(const store::Kpis& k, const model::FraudTypeRegistry& types) {
  nlohmann::json by_type = nlohmann::json::array();
  for (const auto& [id, n] : k.by_fraud_type) {
    nlohmann::json t = FraudTypeJson(model::FraudType{id}, types);
    t["count"] = n;
    by_type.push_back(std::move(t));
  }
  return {{"warnings", k.warnings},
          {"by_level", k.by_level},
          {"by_source", k.by_source},
          {"by_fraud_type", by_type},
          {"by_state", k.by_state},
          {"visits_required", k.visits_required},
          {"visits_done", k.visits_done},
          {"visit_rate", OptionalJson(k.visit_rate)},
          {"dissuaded", k.dissuaded},
          {"defrauded", k.defrauded},
          {"unreachable", k.unreachable},
          {"dissuasion_rate", OptionalJson(k.dissuasion_rate)},
          {"first_contact", PercentilesJson(k.first_contact)},
          {"visit_time", PercentilesJson(k.visit_time)},
          {"overdue", k.overdue},
          {"escalations", k.escalations},
          {"stop_payment_accounts", k.stop_payment_accounts},
          {"stop_payment_requested_fen", k.stop_payment_requested_fen},
          {"stop_payment_stopped_fen", k.stop_payment_stopped_fen},
          {"cases_mom", ChangeJson(k.cases_mom)},
          {"cases_yoy", ChangeJson(k.cases_yoy)},
          {"losses_fen_mom", ChangeJson(k.losses_fen_mom)},
          {"losses_fen_yoy", ChangeJson(k.losses_fen_yoy)},
          {"defrauded_after_dissuasion", k.defrauded_after_dissuasion}};
}

nlohmann::json AuditRowJson(const store::AuditRow& r) {
  return {{"seq", r.seq},   {"at", TimeText(r.at)}, {"actor", r.actor},   {"role", r.role},
          {"unit", r.unit}, {"action", r.action},   {"object", r.object}, {"detail", r.detail}};
}

nlohmann::json UnitJson(const model::Unit& u) {
  return {{"code", u.code.value()},
          {"name", u.name},
          {"parent", u.parent.value()},
          {"level", model::UnitLevelName(u.level)},
          {"level_zh", model::UnitLevelNameZh(u.level)},
          {"division_code", u.division_code}};
}

}  // namespace fz::api
