// Warnings: the board's list, the detail page, and every workflow action on a warning.
#include "fz/api/api_state.h"
#include "fz/api/store_json.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"
#include "sodium.h"

namespace fz::api {
namespace {

StatusOr<model::FraudType> FraudTypeParam(State& s, std::string_view text, std::string_view field) {
  StatusOr<model::FraudType> t = s.types().Parse(text);
  if (!t.ok()) return absl::InvalidArgumentError(fz::StrCat(field, ": ", t.status().message()));
  return *t;
}

StatusOr<store::WarningFilter> FilterFrom(State& s, const http::Request& r) {
  store::WarningFilter f;
  if (auto v = r.Query("unit"); v && !v->empty()) f.unit = model::UnitCode(std::string(*v));
  if (auto v = r.Query("level"); v && !v->empty()) {
    f.level = model::ParseWarningLevel(*v);
    if (!f.level) return absl::InvalidArgumentError("level: one of red, orange, yellow");
  }
  if (auto v = r.Query("state"); v && !v->empty()) {
    f.state = workflow::ParseWarningState(*v);
    if (!f.state) return absl::InvalidArgumentError(fz::StrCat("state: unknown state '", *v, "'"));
  }
  if (auto v = r.Query("fraud_type"); v && !v->empty()) {
    FZ_ASSIGN_OR_RETURN(model::FraudType t, FraudTypeParam(s, *v, "fraud_type"));
    f.fraud_type = t.id;
  }
  FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> from, QueryTime(r, "from"));
  FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> to, QueryTime(r, "to"));
  if (from) f.from = *from;
  if (to) f.to = *to;
  if (auto v = r.Query("subject")) f.subject = std::string(*v);
  FZ_ASSIGN_OR_RETURN(f.limit, LimitParam(r));
  FZ_ASSIGN_OR_RETURN(f.after, CursorParam(r));
  return f;
}

// A request id when the client gave none: the action is then not retry-safe.
std::string NewRequestId() {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "api-";
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// Reading a warning outside one's jurisdiction answers 404: it does not reveal the warning.
Status HideForeign(Status s) {
  if (s.code() == absl::StatusCode::kPermissionDenied) {
    return absl::NotFoundError("warning not found");
  }
  return s;
}

StatusOr<workflow::CaseDraft> CaseFrom(State& s, const nlohmann::json& c) {
  workflow::CaseDraft d;
  FZ_ASSIGN_OR_RETURN(auto name, OptionalString(c, "victim_name"));
  FZ_ASSIGN_OR_RETURN(auto phone, OptionalString(c, "victim_phone"));
  FZ_ASSIGN_OR_RETURN(auto id_no, OptionalString(c, "victim_id_no"));
  FZ_ASSIGN_OR_RETURN(auto loss, OptionalInt(c, "loss_fen"));
  FZ_ASSIGN_OR_RETURN(auto type, OptionalString(c, "fraud_type"));
  d.victim_name = name.value_or("");
  d.victim_phone = phone.value_or("");
  d.victim_id_no = id_no.value_or("");
  if (loss && *loss < 0) return absl::InvalidArgumentError("case.loss_fen: must be >= 0");
  d.loss.fen = loss.value_or(0);
  if (type) {
    FZ_ASSIGN_OR_RETURN(d.fraud_type, FraudTypeParam(s, *type, "case.fraud_type"));
  }
  if (c.contains("suspects")) {
    if (!c["suspects"].is_array()) return absl::InvalidArgumentError("case.suspects: an array");
    for (const nlohmann::json& x : c["suspects"]) {
      FZ_ASSIGN_OR_RETURN(std::string kind, RequiredString(x, "kind"));
      FZ_ASSIGN_OR_RETURN(std::string value, RequiredString(x, "value"));
      std::optional<model::IndicatorKind> k = model::ParseIndicatorKind(kind);
      if (!k) return absl::InvalidArgumentError(fz::StrCat("case.suspects.kind: '", kind, "'"));
      d.suspects.push_back({*k, value});
    }
  }
  return d;
}

http::Response List(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<store::WarningFilter> f = FilterFrom(s, r);
  if (!f.ok()) return ErrorResponse(f.status());
  StatusOr<store::WarningPage> page = s.store().ListWarnings(*f, who.actor());
  if (!page.ok()) return ErrorResponse(page.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const store::WarningSummary& w : page->rows) rows.push_back(SummaryJson(w, s.types()));
  return JsonResponse(200,
                      {{"rows", std::move(rows)},
                       {"next", page->next ? nlohmann::json(CursorText(*page->next)) : nullptr}});
}

http::Response Detail(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<model::WarningId> id = WarningIdParam(r);
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<store::WarningDetail> d = s.store().GetWarning(*id, who.actor());
  if (!d.ok()) return ErrorResponse(HideForeign(d.status()));
  nlohmann::json out = DetailJson(*d, s.types());
  // The dissuasion plan (劝阻方案) the next step is chosen from, so the console can show
  // where the warning stands in it.
  nlohmann::json& plan = out["plan"] = nlohmann::json::array();
  if (s.deps.config != nullptr) {
    for (workflow::StepKind k :
         s.deps.config->PlanFor(d->summary.level, model::FraudType{d->summary.fraud_type})) {
      plan.push_back(
          {{"kind", workflow::StepKindName(k)}, {"kind_zh", workflow::StepKindNameZh(k)}});
    }
  }
  return JsonResponse(200, std::move(out));
}

StatusOr<store::TransitionRequest> TransitionFrom(State& s, const http::Request& r,
                                                  const auth::Principal& who) {
  FZ_ASSIGN_OR_RETURN(model::WarningId id, WarningIdParam(r));
  FZ_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(r.body));
  if (!body.is_object()) return absl::InvalidArgumentError("body: expected a JSON object");
  store::TransitionRequest t;
  t.warning = id;
  t.actor = who.actor();
  FZ_ASSIGN_OR_RETURN(auto request_id, OptionalString(body, "request_id"));
  t.request_id = request_id.value_or(NewRequestId());
  FZ_ASSIGN_OR_RETURN(std::string to, RequiredString(body, "to"));
  std::optional<workflow::WarningState> state = workflow::ParseWarningState(to);
  if (!state) return absl::InvalidArgumentError(fz::StrCat("to: unknown state '", to, "'"));
  t.to = *state;
  FZ_ASSIGN_OR_RETURN(auto note, OptionalString(body, "note"));
  t.note = note.value_or("");
  if (body.contains("evidence")) {
    const nlohmann::json& e = body["evidence"];
    if (!e.is_object()) return absl::InvalidArgumentError("evidence: expected an object");
    FZ_ASSIGN_OR_RETURN(auto call, OptionalString(e, "call_result"));
    FZ_ASSIGN_OR_RETURN(auto visit, OptionalString(e, "visit_notes"));
    FZ_ASSIGN_OR_RETURN(t.evidence.gps_lat, OptionalNumber(e, "gps_lat"));
    FZ_ASSIGN_OR_RETURN(t.evidence.gps_lon, OptionalNumber(e, "gps_lon"));
    FZ_ASSIGN_OR_RETURN(auto photo, OptionalString(e, "photo_ref"));
    t.evidence.call_result = call.value_or("");
    t.evidence.visit_notes = visit.value_or("");
    t.evidence.photo_ref = photo.value_or("");
    if (t.evidence.gps_lat && std::abs(*t.evidence.gps_lat) > 90) {
      return absl::InvalidArgumentError("evidence.gps_lat: must be within [-90, 90]");
    }
    if (t.evidence.gps_lon && std::abs(*t.evidence.gps_lon) > 180) {
      return absl::InvalidArgumentError("evidence.gps_lon: must be within [-180, 180]");
    }
  }
  FZ_ASSIGN_OR_RETURN(auto unit, OptionalString(body, "unit"));
  if (unit) {
    // A re-route is a dispatcher's or supervisor's decision.
    if (!auth::Allows(who.role, auth::Permission::kWarningDispatch)) {
      return absl::PermissionDeniedError(
          fz::StrCat("role '", workflow::RoleName(who.role), "' may not re-route warnings"));
    }
    FZ_ASSIGN_OR_RETURN(workflow::Route route, s.policy->Manual(model::UnitCode(*unit), t.note));
    FZ_ASSIGN_OR_RETURN(t.reroute_path, s.policy->PathOf(route.unit));
    t.reroute = std::move(route);
  }
  if (body.contains("case")) {
    if (!body["case"].is_object()) return absl::InvalidArgumentError("case: expected an object");
    FZ_ASSIGN_OR_RETURN(t.case_draft, CaseFrom(s, body["case"]));
  }
  return t;
}

http::Response Transition(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<store::TransitionRequest> t = TransitionFrom(s, r, who);
  if (!t.ok()) return ErrorResponse(t.status());
  StatusOr<store::TransitionRecord> rec = s.store().ApplyTransition(*t);
  if (!rec.ok()) return ErrorResponse(HideForeign(rec.status()));
  return JsonResponse(rec->replayed ? 200 : 201, TransitionJson(*rec));
}

http::Response Step(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<model::WarningId> id = WarningIdParam(r);
  if (!id.ok()) return ErrorResponse(id.status());
  auto parse = [&]() -> StatusOr<store::StepRequest> {
    FZ_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(r.body));
    store::StepRequest q;
    q.warning = *id;
    q.actor = who.actor();
    FZ_ASSIGN_OR_RETURN(auto request_id, OptionalString(body, "request_id"));
    q.request_id = request_id.value_or(NewRequestId());
    FZ_ASSIGN_OR_RETURN(std::string kind, RequiredString(body, "kind"));
    std::optional<workflow::StepKind> k = workflow::ParseStepKind(kind);
    if (!k) return absl::InvalidArgumentError(fz::StrCat("kind: unknown step '", kind, "'"));
    q.kind = *k;
    FZ_ASSIGN_OR_RETURN(std::string result, RequiredString(body, "result"));
    std::optional<workflow::StepResult> res = workflow::ParseStepResult(result);
    if (!res) {
      return absl::InvalidArgumentError(fz::StrCat("result: unknown result '", result, "'"));
    }
    q.result = *res;
    FZ_ASSIGN_OR_RETURN(auto note, OptionalString(body, "note"));
    q.note = note.value_or("");
    return q;
  };
  StatusOr<store::StepRequest> q = parse();
  if (!q.ok()) return ErrorResponse(q.status());
  StatusOr<store::StepOutcome> out = s.store().RecordStep(*q);
  if (!out.ok()) return ErrorResponse(HideForeign(out.status()));
  return JsonResponse(out->replayed ? 200 : 201, {{"id", fz::StrCat(out->id)},
                                                  {"replayed", out->replayed},
                                                  {"upgraded_to_red", out->upgraded_to_red},
                                                  {"next_step", NextStepJson(out->next)}});
}

// Dispatchers accept many warnings at once from the board.
http::Response BulkAccept(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<nlohmann::json> body = ParseJsonBody(r.body);
  if (!body.ok()) return ErrorResponse(body.status());
  if (!body->contains("ids") || !(*body)["ids"].is_array() || (*body)["ids"].size() > 500) {
    return ErrorResponse(absl::InvalidArgumentError("ids: an array of at most 500 warning ids"));
  }
  StatusOr<std::optional<std::string>> prefix = OptionalString(*body, "request_id");
  if (!prefix.ok()) return ErrorResponse(prefix.status());
  const std::string base = prefix->value_or(NewRequestId());
  nlohmann::json results = nlohmann::json::array();
  for (const nlohmann::json& v : (*body)["ids"]) {
    int64_t id = 0;
    if (!(v.is_number_integer() && (id = v.get<int64_t>()) > 0) &&
        !(v.is_string() && fz::ParseDecimal(v.get<std::string>(), &id) && id > 0)) {
      results.push_back({{"id", v}, {"status", 400}, {"error", "ids: not a warning id"}});
      continue;
    }
    store::TransitionRequest t;
    t.request_id = fz::StrCat(base, ":", id);
    t.warning = model::WarningId(id);
    t.to = workflow::WarningState::kAccepted;
    t.actor = who.actor();
    t.note = "批量签收";
    StatusOr<store::TransitionRecord> rec = s.store().ApplyTransition(t);
    Status st = HideForeign(rec.status());
    results.push_back({{"id", fz::StrCat(id)},
                       {"status", st.ok() ? 200 : HttpStatusFor(st)},
                       {"error", st.ok() ? std::string() : std::string(st.message())}});
  }
  return JsonResponse(200, {{"results", std::move(results)}});
}

http::Response FollowUps(State& s, http::Request&, const auth::Principal& who) {
  StatusOr<std::vector<workflow::FollowUp>> due =
      s.store().DueFollowUps(s.deps.clock->Now(), who.actor());
  if (!due.ok()) return ErrorResponse(due.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const workflow::FollowUp& f : *due) rows.push_back(FollowUpJson(f));
  return JsonResponse(200, {{"rows", std::move(rows)}});
}

}  // namespace

void AddWarningRoutes(State& s, http::Router& router) {
  using P = auth::Permission;
  router.Add("GET", "/api/warnings", Authed(s, P::kWarningRead, Bind(s, List)));
  router.Add("POST", "/api/warnings/bulk-accept",
             Authed(s, P::kWarningDispatch, Bind(s, BulkAccept)));
  router.Add("GET", "/api/warnings/{id}", Authed(s, P::kWarningRead, Bind(s, Detail)));
  router.Add("POST", "/api/warnings/{id}/transitions",
             Authed(s, P::kWarningWork, Bind(s, Transition)));
  router.Add("POST", "/api/warnings/{id}/steps", Authed(s, P::kWarningWork, Bind(s, Step)));
  router.Add("GET", "/api/follow-ups", Authed(s, P::kWarningRead, Bind(s, FollowUps)));
}

}  // namespace fz::api
