// Emergency stop-payments (紧急止付), cases (案件) and escalations (督办).
#include "fz/api/api_state.h"
#include "fz/api/store_json.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"

namespace fz::api {
namespace {

// unit, from, to, limit, after: the part every time-ordered list shares.
template <typename Filter>
Status CommonFilter(const http::Request& r, Filter* f) {
  if (auto v = r.Query("unit"); v && !v->empty()) f->unit = model::UnitCode(std::string(*v));
  FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> from, QueryTime(r, "from"));
  FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> to, QueryTime(r, "to"));
  if (from) f->from = *from;
  if (to) f->to = *to;
  FZ_ASSIGN_OR_RETURN(f->limit, LimitParam(r));
  FZ_ASSIGN_OR_RETURN(f->after, CursorParam(r));
  return absl::OkStatus();
}

template <typename Page, typename RowFn>
http::Response PageResponse(const StatusOr<Page>& page, RowFn row) {
  if (!page.ok()) return ErrorResponse(page.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& x : page->rows) rows.push_back(row(x));
  return JsonResponse(200,
                      {{"rows", std::move(rows)},
                       {"next", page->next ? nlohmann::json(CursorText(*page->next)) : nullptr}});
}

StatusOr<int64_t> MoneyField(const nlohmann::json& body, std::string_view field, bool required) {
  FZ_ASSIGN_OR_RETURN(std::optional<int64_t> v, OptionalInt(body, field));
  if (!v && required) return absl::InvalidArgumentError(fz::StrCat(field, ": required"));
  if (v && *v < 0) return absl::InvalidArgumentError(fz::StrCat(field, ": must be >= 0 (fen)"));
  return v.value_or(0);
}

StatusOr<workflow::StopPaymentRequest> StopFrom(State& s, const http::Request& r,
                                                const auth::Principal& who) {
  FZ_ASSIGN_OR_RETURN(nlohmann::json b, ParseJsonBody(r.body));
  if (!b.is_object()) return absl::InvalidArgumentError("body: expected a JSON object");
  workflow::StopPaymentRequest q;
  FZ_ASSIGN_OR_RETURN(q.request_no, RequiredString(b, "request_no"));
  FZ_ASSIGN_OR_RETURN(auto original, OptionalString(b, "original_request_no"));
  q.original_request_no = original.value_or("");
  FZ_ASSIGN_OR_RETURN(auto warning, OptionalInt(b, "warning"));
  FZ_ASSIGN_OR_RETURN(auto case_id, OptionalInt(b, "case"));
  q.warning = model::WarningId(warning.value_or(0));
  q.case_id = model::CaseId(case_id.value_or(0));
  FZ_ASSIGN_OR_RETURN(auto unit, OptionalString(b, "unit"));
  q.unit = unit ? model::UnitCode(*unit) : who.unit;
  for (auto [field, out] : {std::pair{"from_bank", &q.from_bank},
                            {"from_name", &q.from_name},
                            {"from_account", &q.from_account},
                            {"stop_bank", &q.stop_bank},
                            {"stop_account_name", &q.stop_account_name},
                            {"stop_account_type", &q.stop_account_type}}) {
    FZ_ASSIGN_OR_RETURN(auto v, OptionalString(b, field));
    *out = v.value_or("");
  }
  FZ_ASSIGN_OR_RETURN(q.stop_account, RequiredString(b, "stop_account"));
  FZ_ASSIGN_OR_RETURN(q.amount_requested.fen, MoneyField(b, "amount_requested_fen", true));
  FZ_ASSIGN_OR_RETURN(auto transfer_time, OptionalTime(b, "transfer_time"));
  if (transfer_time) q.transfer_time = *transfer_time;
  q.requested_at = s.deps.clock->Now();
  return q;
}

http::Response CreateStop(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<workflow::StopPaymentRequest> q = StopFrom(s, r, who);
  if (!q.ok()) return ErrorResponse(q.status());
  StatusOr<workflow::StopPaymentRequest> out = s.store().RequestStopPayment(*q, who.actor());
  if (!out.ok()) return ErrorResponse(out.status());
  return JsonResponse(201, StopPaymentJson(*out));
}

// The bank's answers move a request through its stages (DOMAIN.md 止付状态).
http::Response UpdateStop(State& s, http::Request& r, const auth::Principal& who) {
  auto parse = [&]() -> StatusOr<store::StopPaymentUpdate> {
    FZ_ASSIGN_OR_RETURN(nlohmann::json b, ParseJsonBody(r.body));
    store::StopPaymentUpdate u;
    u.request_no = r.path_params.at("request_no");
    FZ_ASSIGN_OR_RETURN(std::string stage, RequiredString(b, "stage"));
    std::optional<workflow::StopStage> st = workflow::ParseStopStage(stage);
    if (!st) return absl::InvalidArgumentError(fz::StrCat("stage: unknown stage '", stage, "'"));
    u.stage = *st;
    FZ_ASSIGN_OR_RETURN(auto result, OptionalString(b, "result"));
    if (result) {
      std::optional<workflow::StopResult> res = workflow::ParseStopResult(*result);
      if (!res) {
        return absl::InvalidArgumentError(fz::StrCat("result: unknown result '", *result, "'"));
      }
      u.result = *res;
    }
    FZ_ASSIGN_OR_RETURN(auto error_code, OptionalString(b, "error_code"));
    u.error_code = error_code.value_or("");
    FZ_ASSIGN_OR_RETURN(auto balance, OptionalInt(b, "balance_fen"));
    FZ_ASSIGN_OR_RETURN(auto stopped, OptionalInt(b, "amount_stopped_fen"));
    if (balance) u.balance = model::Money{*balance};
    if (stopped) u.amount_stopped = model::Money{*stopped};
    FZ_ASSIGN_OR_RETURN(u.stop_start, OptionalTime(b, "stop_start"));
    return u;
  };
  StatusOr<store::StopPaymentUpdate> u = parse();
  if (!u.ok()) return ErrorResponse(u.status());
  StatusOr<workflow::StopPaymentRequest> out = s.store().UpdateStopPayment(*u, who.actor());
  if (!out.ok()) return ErrorResponse(out.status());
  return JsonResponse(200, StopPaymentJson(*out));
}

http::Response ListStops(State& s, http::Request& r, const auth::Principal& who) {
  store::StopPaymentFilter f;
  if (Status st = CommonFilter(r, &f); !st.ok()) return ErrorResponse(st);
  if (auto v = r.Query("stage"); v && !v->empty()) {
    f.stage = workflow::ParseStopStage(*v);
    if (!f.stage) return ErrorResponse(absl::InvalidArgumentError("stage: unknown stage"));
  }
  if (auto v = r.Query("result"); v && !v->empty()) {
    f.result = workflow::ParseStopResult(*v);
    if (!f.result) return ErrorResponse(absl::InvalidArgumentError("result: unknown result"));
  }
  if (auto v = r.Query("account")) f.account = std::string(*v);
  return PageResponse(s.store().ListStopPayments(f, who.actor()),
                      [](const workflow::StopPaymentRequest& x) { return StopPaymentJson(x); });
}

http::Response ListCases(State& s, http::Request& r, const auth::Principal& who) {
  store::CaseFilter f;
  if (Status st = CommonFilter(r, &f); !st.ok()) return ErrorResponse(st);
  if (auto v = r.Query("fraud_type"); v && !v->empty()) {
    StatusOr<model::FraudType> t = s.types().Parse(*v);
    if (!t.ok()) return ErrorResponse(absl::InvalidArgumentError("fraud_type: unknown type"));
    f.fraud_type = t->id;
  }
  return PageResponse(s.store().ListCases(f, who.actor()),
                      [&s](const workflow::CaseRecord& c) { return CaseJson(c, s.types()); });
}

http::Response ListEscalations(State& s, http::Request& r, const auth::Principal& who) {
  store::EscalationFilter f;
  if (Status st = CommonFilter(r, &f); !st.ok()) return ErrorResponse(st);
  if (auto v = r.Query("open_only"); v && *v == "false") f.open_only = false;
  return PageResponse(s.store().ListEscalations(f, who.actor()),
                      [](const store::EscalationRow& e) -> nlohmann::json {
                        return {{"id", fz::StrCat(e.id)},
                                {"warning", fz::StrCat(e.warning.value())},
                                {"clock", workflow::SlaClockName(e.clock)},
                                {"clock_zh", workflow::SlaClockNameZh(e.clock)},
                                {"stage", e.stage},
                                {"target", e.target.value()},
                                {"warning_unit", e.warning_unit.value()},
                                {"due", TimeText(e.due)},
                                {"at", TimeText(e.at)},
                                {"reason", e.reason},
                                {"level", model::WarningLevelName(e.level)},
                                {"state", workflow::WarningStateName(e.state)}};
                      });
}

}  // namespace

void AddMoneyRoutes(State& s, http::Router& router) {
  using P = auth::Permission;
  router.Add("GET", "/api/stop-payments", Authed(s, P::kStopPayment, Bind(s, ListStops)));
  router.Add("POST", "/api/stop-payments", Authed(s, P::kStopPayment, Bind(s, CreateStop)));
  router.Add("POST", "/api/stop-payments/{request_no}/updates",
             Authed(s, P::kStopPayment, Bind(s, UpdateStop)));
  router.Add("GET", "/api/cases", Authed(s, P::kCaseRead, Bind(s, ListCases)));
  router.Add("GET", "/api/escalations", Authed(s, P::kSupervise, Bind(s, ListEscalations)));
}

}  // namespace fz::api
