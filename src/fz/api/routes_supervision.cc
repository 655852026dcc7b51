// 督办 reminders (催办), the high-risk base's outreach list (走访名单) and rule backtests over
// the server's recent events: the supervision and analysis views of the console (issue 6).
#include <optional>

#include "fz/api/api_state.h"
#include "fz/api/store_json.h"
#include "fz/common/str_cat.h"
#include "fz/detect/backtest.h"
#include "fz/workflow/mask.h"

namespace fz::api {
namespace {

using auth::Permission;

nlohmann::json ReminderJson(const store::Reminder& m) {
  return {{"id", fz::StrCat(m.id)},
          {"warning", fz::StrCat(m.warning.value())},
          {"unit", m.unit.value()},
          {"actor", m.actor},
          {"role", workflow::RoleName(m.role)},
          {"actor_unit", m.actor_unit.value()},
          {"at", TimeText(m.at)},
          {"message", m.message}};
}

// A supervisor chases the unit that holds a warning: stored with its audit row, then pushed
// to that unit's consoles (and the supervisor's own) as a "reminder" event.
http::Response SendReminder(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<model::WarningId> id = WarningIdParam(r);
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<nlohmann::json> body = ParseJsonBody(r.body);
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> message = RequiredString(*body, "message");
  if (!message.ok()) return ErrorResponse(message.status());
  StatusOr<store::Reminder> sent = s.store().SendReminder({*id, *message}, who.actor());
  if (!sent.ok()) {
    // As for every warning read: a warning outside the sender's subtree does not exist.
    if (absl::IsPermissionDenied(sent.status())) {
      return ErrorResponse(absl::NotFoundError("warning not found"));
    }
    return ErrorResponse(sent.status());
  }
  nlohmann::json out = ReminderJson(*sent);
  // The live event names the warning (its list row) and carries the reminder itself.
  nlohmann::json live = out;
  live["id"] = out["warning"];
  live["reminder"] = out["id"];
  s.hub.Publish("reminder", sent->unit, {},
                live.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return JsonResponse(201, out);
}

http::Response ListReminders(State& s, http::Request& r, const auth::Principal& who) {
  store::ReminderFilter f;
  if (auto v = r.Query("unit"); v && !v->empty()) f.unit = model::UnitCode(std::string(*v));
  StatusOr<std::optional<int64_t>> warning = QueryInt(r, "warning");
  if (!warning.ok()) return ErrorResponse(warning.status());
  if (*warning) f.warning = model::WarningId(**warning);
  StatusOr<int> limit = LimitParam(r);
  if (!limit.ok()) return ErrorResponse(limit.status());
  f.limit = *limit;
  StatusOr<std::optional<TimeCursor>> after = CursorParam(r);
  if (!after.ok()) return ErrorResponse(after.status());
  f.after = *after;
  StatusOr<store::ReminderPage> page = s.store().ListReminders(f, who.actor());
  if (!page.ok()) return ErrorResponse(page.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const store::Reminder& m : page->rows) rows.push_back(ReminderJson(m));
  return JsonResponse(200,
                      {{"rows", std::move(rows)},
                       {"next", page->next ? nlohmann::json(CursorText(*page->next)) : nullptr}});
}

// CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& i : items) fz::StrAppend(&out, out.empty() ? "" : sep, i);
  return out;
}

std::string TimeOrEmpty(const std::optional<absl::Time>& t) { return t ? TimeText(*t) : ""; }

nlohmann::json OutreachJson(const store::OutreachRow& o) {
  const model::Person& p = o.person.person;
  std::vector<std::string> phones;
  for (const model::PhoneNumber& n : p.phones) phones.push_back(n.value());
  return {{"id", p.id.value()},
          {"name", p.name},
          {"phones", phones},
          {"address", p.address},
          {"unit", p.unit.value()},
          {"tags", p.tags},
          {"warnings", o.warnings},
          {"last_warned", TimeOrNull(o.last_warned)},
          {"last_reached", TimeOrNull(o.last_reached)},
          {"last_visited", TimeOrNull(o.last_visited)}};
}

std::string OutreachCsvLine(const store::OutreachRow& o) {
  const model::Person& p = o.person.person;
  std::vector<std::string> phones;
  for (const model::PhoneNumber& n : p.phones) phones.push_back(n.value());
  std::vector<std::string> fields = {p.id.value(),
                                     p.name,
                                     Join(phones, ";"),
                                     p.address,
                                     p.unit.value(),
                                     Join(p.tags, ";"),
                                     fz::StrCat(o.warnings),
                                     TimeOrEmpty(o.last_warned),
                                     TimeOrEmpty(o.last_reached),
                                     TimeOrEmpty(o.last_visited)};
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i)
    fz::StrAppend(&line, i ? "," : "", CsvField(fields[i]));
  return line + "\r\n";
}

// The outreach list of a unit subtree: JSON pages, or with ?format=csv the whole list (at most
// kMaxExportRows) as a UTF-8 CSV with a byte-order mark, which Excel needs to read Chinese.
http::Response ListOutreach(State& s, http::Request& r, const auth::Principal& who) {
  constexpr size_t kMaxExportRows = 50000;
  store::PeopleFilter f;
  if (auto v = r.Query("unit"); v && !v->empty()) f.unit = model::UnitCode(std::string(*v));
  if (auto v = r.Query("tag")) f.tag = std::string(*v);
  StatusOr<int> limit = LimitParam(r);
  if (!limit.ok()) return ErrorResponse(limit.status());
  f.limit = *limit;
  StatusOr<std::optional<store::PersonKey>> after = PersonCursorParam(r);
  if (!after.ok()) return ErrorResponse(after.status());
  f.after = *after;
  const bool csv = r.Query("format").value_or("") == "csv";
  if (!csv) {
    StatusOr<store::OutreachPage> page = s.store().ListOutreach(f, who.actor());
    if (!page.ok()) return ErrorResponse(page.status());
    nlohmann::json rows = nlohmann::json::array();
    for (const store::OutreachRow& o : page->rows) rows.push_back(OutreachJson(o));
    return JsonResponse(200, {{"rows", std::move(rows)},
                              {"next", page->next ? nlohmann::json(fz::StrCat(
                                                        page->next->first, "|", page->next->second))
                                                  : nullptr}});
  }
  std::string out =
      "\xEF\xBB\xBFperson_id,name,phones,address,unit_code,tags,warnings,last_warned,"
      "last_reached,last_visited\r\n";
  f.limit = 1000;
  size_t n = 0;
  while (n < kMaxExportRows) {
    StatusOr<store::OutreachPage> page = s.store().ListOutreach(f, who.actor());
    if (!page.ok()) return ErrorResponse(page.status());
    for (const store::OutreachRow& o : page->rows) out += OutreachCsvLine(o);
    n += page->rows.size();
    if (!page->next) break;
    f.after = page->next;
  }
  http::Response res = http::Response::Text(200, std::move(out), "text/csv; charset=utf-8");
  res.headers.push_back({"Content-Disposition", "attachment; filename=\"outreach.csv\""});
  return res;
}

nlohmann::json BacktestWarningJson(const model::Warning& w, bool clear) {
  const std::string kind(model::SubjectKindName(w.subject_kind));
  return {{"subject", clear ? w.subject : workflow::MaskSubject(kind, w.subject)},
          {"level", model::WarningLevelName(w.level)},
          {"rule_ids", w.rule_ids},
          {"reason", w.evidence.empty() ? std::string() : w.evidence.back().reason}};
}

// Runs the candidate rules (the body, TOML) and the rules in force side by side over the
// server's most recent events, between two batches (the detector's inputs do not move while
// it runs; ingestion waits for it, so the window is bounded by backtest_events).
http::Response Backtest(State& s, http::Request& r, const auth::Principal& who) {
  constexpr size_t kListed = 50;
  StatusOr<detect::RuleSet> candidate = detect::RuleSet::Parse(r.body, "rules.toml", s.types());
  if (!candidate.ok()) {
    return ErrorResponse(
        absl::InvalidArgumentError(fz::StrCat("rules: ", candidate.status().message())));
  }
  std::shared_ptr<const detect::RuleSet> baseline = s.pipeline->rules();
  std::optional<detect::BacktestResult> result;
  int64_t events = 0;
  const absl::Time start = absl::Now();
  Status ran = s.pipeline->RunExclusive([&](Pipeline::Mutable& m) -> Status {
    detect::Backtest bt(*baseline, *candidate, m.intel, m.people);
    for (const model::Event& e : m.recent_events) bt.Process(e);
    events = static_cast<int64_t>(m.recent_events.size());
    result = bt.Finish();
    return absl::OkStatus();
  });
  if (!ran.ok()) return ErrorResponse(ran);
  const bool clear = workflow::RoleSeesPersonalData(who.role);
  nlohmann::json rules = nlohmann::json::array();
  for (const detect::RuleDelta& d : result->rules) {
    rules.push_back({{"rule_id", d.rule_id},
                     {"baseline_warnings", d.baseline_warnings},
                     {"candidate_warnings", d.candidate_warnings},
                     {"baseline_fires", d.baseline_fires},
                     {"candidate_fires", d.candidate_fires},
                     {"delta", d.delta()}});
  }
  auto listed = [&](const std::vector<model::Warning>& ws) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < ws.size() && i < kListed; ++i) {
      out.push_back(BacktestWarningJson(ws[i], clear));
    }
    return out;
  };
  (void)s.store().RecordAudit(who.actor(), "rules_backtest", "rules",
                              fz::StrCat(events, " events, ", candidate->rules().size(), " rules"));
  return JsonResponse(200, {{"events", events},
                            {"seconds", absl::ToDoubleSeconds(absl::Now() - start)},
                            {"added", result->added.size()},
                            {"removed", result->removed.size()},
                            {"level_changed", result->level_changed.size()},
                            {"unchanged", result->unchanged},
                            {"rules", std::move(rules)},
                            {"added_list", listed(result->added)},
                            {"removed_list", listed(result->removed)}});
}

}  // namespace

void AddSupervisionRoutes(State& s, http::Router& router) {
  using P = Permission;
  router.Add("POST", "/api/warnings/{id}/reminders",
             Authed(s, P::kSupervise, Bind(s, SendReminder)));
  router.Add("GET", "/api/reminders", Authed(s, P::kWarningRead, Bind(s, ListReminders)));
  router.Add("GET", "/api/outreach", Authed(s, P::kPeopleRead, Bind(s, ListOutreach)));
  router.Add("POST", "/api/rules/backtest", Authed(s, P::kRulesWrite, Bind(s, Backtest)));
}

}  // namespace fz::api
