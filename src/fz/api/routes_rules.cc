// Rules (view, validate, hot reload), KPIs and the audit log.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/time/civil_time.h"
#include "fz/api/api_state.h"
#include "fz/api/store_json.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"

namespace fz::api {
namespace {

nlohmann::json RulesJson(State& s, const detect::RuleSet& rules) {
  nlohmann::json out = nlohmann::json::array();
  for (const detect::Rule& r : rules.rules()) {
    nlohmann::json on = nlohmann::json::array();
    for (int t = 0; t < 32; ++t) {
      if (r.on_types & (1u << t))
        on.push_back(model::EventTypeName(static_cast<model::EventType>(t)));
    }
    out.push_back(
        {{"id", r.id},
         {"on", std::move(on)},
         {"when", r.when},
         {"score", r.score},
         {"min_level", r.min_level ? nlohmann::json(model::WarningLevelName(*r.min_level))
                                   : nlohmann::json(r.min_level_from_event ? "event" : "")},
         {"reason", r.reason},
         {"cooldown_s", absl::ToInt64Seconds(r.cooldown)},
         {"line", r.line}});
  }
  (void)s;
  return out;
}

StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fz::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

http::Response GetRules(State& s, http::Request&, const auth::Principal&) {
  std::shared_ptr<const detect::RuleSet> rules = s.pipeline->rules();
  StatusOr<std::string> text =
      s.options.rules_path.empty() ? StatusOr<std::string>("") : ReadText(s.options.rules_path);
  return JsonResponse(200, {{"path", s.options.rules_path},
                            {"text", text.ok() ? *text : std::string()},
                            {"rules", RulesJson(s, *rules)}});
}

// Compiles TOML rules text; a bad file names its line and never half-loads (RuleSet::Parse).
http::Response Validate(State& s, http::Request& r, const auth::Principal&) {
  StatusOr<detect::RuleSet> rules = detect::RuleSet::Parse(r.body, "rules.toml", s.types());
  if (!rules.ok()) {
    return JsonResponse(200, {{"valid", false}, {"error", rules.status().message()}});
  }
  return JsonResponse(200, {{"valid", true}, {"rules", RulesJson(s, *rules)}});
}

// Reloads the rules file, or, with a body, validates it, writes it to the rules file
// atomically (a restart keeps it) and swaps it in between two batches: no event is dropped
// and every subject keeps its windows.
http::Response Reload(State& s, http::Request& r, const auth::Principal& who) {
  const bool from_body = !r.body.empty();
  StatusOr<std::string> text = from_body ? StatusOr<std::string>(r.body)
                               : s.options.rules_path.empty()
                                   ? absl::FailedPreconditionError("the server has no rules file")
                                   : ReadText(s.options.rules_path);
  if (!text.ok()) return ErrorResponse(text.status());
  StatusOr<detect::RuleSet> rules = detect::RuleSet::Parse(
      *text, s.options.rules_path.empty() ? "rules.toml" : s.options.rules_path, s.types());
  if (!rules.ok()) {
    return ErrorResponse(
        absl::InvalidArgumentError(fz::StrCat("rules: ", rules.status().message())));
  }
  const size_t count = rules->rules().size();
  if (from_body && !s.options.rules_path.empty()) {
    const std::string tmp = s.options.rules_path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << *text;
      if (!out.flush()) {
        return ErrorResponse(absl::InternalError(fz::StrCat(tmp, ": cannot write")));
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, s.options.rules_path, ec);
    if (ec)
      return ErrorResponse(
          absl::InternalError(fz::StrCat(s.options.rules_path, ": ", ec.message())));
  }
  Status swapped =
      s.pipeline->ReloadRules(std::make_shared<const detect::RuleSet>(std::move(*rules)));
  if (!swapped.ok()) return ErrorResponse(swapped);
  (void)s.store().RecordAudit(who.actor(), "rules_reload", "rules",
                              fz::StrCat(count, " rules", from_body ? " from request" : ""));
  return JsonResponse(200, {{"reloaded", true}, {"rules", count}});
}

// Defaults: this month so far, in China time.
http::Response Kpis(State& s, http::Request& r, const auth::Principal& who) {
  store::KpiQuery q;
  auto parse = [&]() -> Status {
    const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
    const absl::Time now = s.deps.clock->Now();
    const absl::CivilMonth month = absl::ToCivilMonth(now, china);
    FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> from, QueryTime(r, "from"));
    FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> to, QueryTime(r, "to"));
    q.from = from.value_or(absl::FromCivil(month, china));
    q.to = to.value_or(now);
    if (q.to <= q.from) return absl::InvalidArgumentError("to: must be after from");
    if (auto v = r.Query("unit"); v && !v->empty()) {
      q.unit = model::UnitCode(std::string(*v));
    } else {
      q.unit = who.unit;
    }
    return absl::OkStatus();
  };
  if (Status st = parse(); !st.ok()) return ErrorResponse(st);
  StatusOr<store::Kpis> k = s.store().ComputeKpis(q, who.actor());
  if (!k.ok()) return ErrorResponse(k.status());
  nlohmann::json out = KpisJson(*k, s.types());
  out["unit"] = q.unit.value();
  out["from"] = TimeText(q.from);
  out["to"] = TimeText(q.to);
  return JsonResponse(200, out);
}

http::Response Audit(State& s, http::Request& r, const auth::Principal& who) {
  store::AuditFilter f;
  auto parse = [&]() -> Status {
    if (auto v = r.Query("actor")) f.actor = std::string(*v);
    if (auto v = r.Query("action")) f.action = std::string(*v);
    if (auto v = r.Query("object")) f.object_prefix = std::string(*v);
    FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> from, QueryTime(r, "from"));
    FZ_ASSIGN_OR_RETURN(std::optional<absl::Time> to, QueryTime(r, "to"));
    if (from) f.from = *from;
    if (to) f.to = *to;
    FZ_ASSIGN_OR_RETURN(f.limit, LimitParam(r, 100));
    FZ_ASSIGN_OR_RETURN(f.before_seq, QueryInt(r, "before"));
    return absl::OkStatus();
  };
  if (Status st = parse(); !st.ok()) return ErrorResponse(st);
  StatusOr<std::vector<store::AuditRow>> rows = s.store().QueryAudit(f);
  if (!rows.ok()) return ErrorResponse(rows.status());
  // Reading the audit log is itself on the record.
  (void)s.store().RecordAudit(who.actor(), "audit_read", "audit", r.target);
  nlohmann::json out = nlohmann::json::array();
  for (const store::AuditRow& a : *rows) out.push_back(AuditRowJson(a));
  const bool full = static_cast<int>(rows->size()) == f.limit;
  return JsonResponse(200,
                      {{"rows", std::move(out)},
                       {"next", full ? nlohmann::json(fz::StrCat(rows->back().seq)) : nullptr}});
}

http::Response VerifyAudit(State& s, http::Request&, const auth::Principal&) {
  StatusOr<store::AuditVerification> v = s.store().VerifyAudit();
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(200, {{"rows", v->rows},
                            {"ok", v->ok},
                            {"first_bad_seq", v->first_bad_seq},
                            {"problem", v->problem}});
}

}  // namespace

void AddRulesRoutes(State& s, http::Router& router) {
  using P = auth::Permission;
  router.Add("GET", "/api/rules", Authed(s, P::kRulesRead, Bind(s, GetRules)));
  router.Add("POST", "/api/rules/validate", Authed(s, P::kRulesRead, Bind(s, Validate)));
  router.Add("POST", "/api/rules/reload", Authed(s, P::kRulesWrite, Bind(s, Reload)));
  router.Add("GET", "/api/kpis", Authed(s, P::kKpiRead, Bind(s, Kpis)));
  router.Add("GET", "/api/audit", Authed(s, P::kAuditRead, Bind(s, Audit)));
  router.Add("GET", "/api/audit/verify", Authed(s, P::kAuditRead, Bind(s, VerifyAudit)));
}

}  // namespace fz::api
