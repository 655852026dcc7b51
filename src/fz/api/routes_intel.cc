// Intelligence (情报库): indicators, the whitelist, analysts' review of pending indicators; and
// the high-risk people base (高危人群库). Changes are stored first, then applied to the
// detector's in-memory intelligence between batches, so the next event already sees them.
#include "absl/time/civil_time.h"
#include "fz/api/api_state.h"
#include "fz/api/store_json.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone.h"

namespace fz::api {
namespace {

// Prefixes a field error with the position of the element that caused it.
Status At(std::string_view base, size_t i, const Status& s) {
  return absl::Status(s.code(), fz::StrCat(base, "[", i, "].", s.message()));
}

StatusOr<model::IndicatorKind> KindOf(std::string_view text, std::string_view field) {
  std::optional<model::IndicatorKind> k = model::ParseIndicatorKind(text);
  if (!k) {
    return absl::InvalidArgumentError(fz::StrCat(field, ": unknown kind '", text,
                                                 "' (phone, domain, url, ip, account, app, imei)"));
  }
  return *k;
}

StatusOr<model::Indicator> IndicatorFrom(State& s, const nlohmann::json& j,
                                         const auth::Principal& who) {
  model::Indicator x;
  FZ_ASSIGN_OR_RETURN(std::string kind, RequiredString(j, "kind"));
  FZ_ASSIGN_OR_RETURN(x.kind, KindOf(kind, "kind"));
  FZ_ASSIGN_OR_RETURN(std::string value, RequiredString(j, "value"));
  StatusOr<std::string> canonical = intel::IntelStore::CanonicalValue(x.kind, value);
  if (!canonical.ok()) {
    return absl::InvalidArgumentError(fz::StrCat("value: ", canonical.status().message()));
  }
  x.value = *canonical;
  FZ_ASSIGN_OR_RETURN(auto type, OptionalString(j, "fraud_type"));
  if (type) {
    StatusOr<model::FraudType> t = s.types().Parse(*type);
    if (!t.ok())
      return absl::InvalidArgumentError(fz::StrCat("fraud_type: ", t.status().message()));
    x.fraud_type = *t;
  }
  FZ_ASSIGN_OR_RETURN(auto source, OptionalString(j, "source"));
  x.source = source.value_or(fz::StrCat("analyst:", who.user));
  FZ_ASSIGN_OR_RETURN(auto confidence, OptionalNumber(j, "confidence"));
  x.confidence = confidence.value_or(1.0);
  if (!(x.confidence >= 0 && x.confidence <= 1)) {
    return absl::InvalidArgumentError("confidence: must be within [0, 1]");
  }
  FZ_ASSIGN_OR_RETURN(auto expires, OptionalTime(j, "expires_at"));
  if (expires) x.expires_at = *expires;
  return x;
}

nlohmann::json IndicatorJson(State& s, const store::IndicatorRow& r) {
  const model::Indicator& x = r.indicator;
  return {{"id", fz::StrCat(x.id.value())},
          {"kind", model::IndicatorKindName(x.kind)},
          {"value", x.value},
          {"fraud_type", FraudTypeJson(x.fraud_type, s.types())},
          {"source", x.source},
          {"confidence", x.confidence},
          {"expires_at", x.expires_at == absl::InfiniteFuture()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json(TimeText(x.expires_at))},
          {"whitelisted", x.whitelisted},
          {"note", r.note},
          {"added_by", r.added_by},
          {"added_at", TimeText(r.added_at)},
          {"updated_at", TimeText(r.updated_at)}};
}

http::Response ListIntel(State& s, http::Request& r, const auth::Principal&) {
  store::IndicatorFilter f;
  auto parse = [&]() -> Status {
    if (auto v = r.Query("kind"); v && !v->empty()) {
      FZ_ASSIGN_OR_RETURN(f.kind, KindOf(*v, "kind"));
    }
    if (auto v = r.Query("q")) f.value_prefix = std::string(*v);
    if (auto v = r.Query("source")) f.source = std::string(*v);
    if (auto v = r.Query("fraud_type"); v && !v->empty()) {
      StatusOr<model::FraudType> t = s.types().Parse(*v);
      if (!t.ok()) return absl::InvalidArgumentError("fraud_type: unknown type");
      f.fraud_type = t->id;
    }
    f.include_expired = r.Query("include_expired") == std::optional<std::string_view>("true");
    f.include_whitelisted =
        r.Query("include_whitelisted") == std::optional<std::string_view>("true");
    FZ_ASSIGN_OR_RETURN(f.limit, LimitParam(r, 100));
    FZ_ASSIGN_OR_RETURN(f.after_id, QueryInt(r, "after"));
    return absl::OkStatus();
  };
  if (Status st = parse(); !st.ok()) return ErrorResponse(st);
  StatusOr<store::IndicatorPage> page = s.store().ListIndicators(f);
  if (!page.ok()) return ErrorResponse(page.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const store::IndicatorRow& x : page->rows) rows.push_back(IndicatorJson(s, x));
  return JsonResponse(200,
                      {{"rows", std::move(rows)},
                       {"next", page->next ? nlohmann::json(fz::StrCat(*page->next)) : nullptr}});
}

// POST /api/intel: one indicator object or an array of them (at most 10000).
http::Response AddIntel(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<nlohmann::json> body = ParseJsonBody(r.body);
  if (!body.ok()) return ErrorResponse(body.status());
  nlohmann::json items = body->is_array() ? *body : nlohmann::json::array({*body});
  if (items.size() > 10000) {
    return ErrorResponse(absl::InvalidArgumentError("body: at most 10000 indicators per request"));
  }
  std::vector<model::Indicator> indicators;
  for (size_t i = 0; i < items.size(); ++i) {
    StatusOr<model::Indicator> x = IndicatorFrom(s, items[i], who);
    if (!x.ok()) return ErrorResponse(body->is_array() ? At("", i, x.status()) : x.status());
    indicators.push_back(std::move(*x));
  }
  StatusOr<store::IndicatorUpsertResult> stored =
      s.store().UpsertIndicators(indicators, who.actor());
  if (!stored.ok()) return ErrorResponse(stored.status());
  Status applied = s.pipeline->RunExclusive([&](Pipeline::Mutable& m) -> Status {
    for (const model::Indicator& x : indicators) FZ_RETURN_IF_ERROR(m.intel.Add(x));
    return absl::OkStatus();
  });
  if (!applied.ok()) return ErrorResponse(applied);
  return JsonResponse(201, {{"inserted", stored->inserted},
                            {"updated", stored->updated},
                            {"unchanged", stored->unchanged}});
}

// POST /api/intel/expire and /api/intel/whitelist: {kind, value[, at | reason]}.
http::Response ChangeIntel(State& s, http::Request& r, const auth::Principal& who, bool whitelist) {
  auto run = [&]() -> StatusOr<store::IndicatorRow> {
    FZ_ASSIGN_OR_RETURN(nlohmann::json b, ParseJsonBody(r.body));
    FZ_ASSIGN_OR_RETURN(std::string kind_text, RequiredString(b, "kind"));
    FZ_ASSIGN_OR_RETURN(model::IndicatorKind kind, KindOf(kind_text, "kind"));
    FZ_ASSIGN_OR_RETURN(std::string raw, RequiredString(b, "value"));
    StatusOr<std::string> value = intel::IntelStore::CanonicalValue(kind, raw);
    if (!value.ok())
      return absl::InvalidArgumentError(fz::StrCat("value: ", value.status().message()));
    store::IndicatorRow row;
    if (whitelist) {
      FZ_ASSIGN_OR_RETURN(std::string reason, RequiredString(b, "reason"));
      FZ_ASSIGN_OR_RETURN(row, s.store().WhitelistIndicator(kind, *value, reason, who.actor()));
    } else {
      FZ_ASSIGN_OR_RETURN(auto at, OptionalTime(b, "at"));
      FZ_ASSIGN_OR_RETURN(row, s.store().ExpireIndicator(
                                   kind, *value, at.value_or(s.deps.clock->Now()), who.actor()));
    }
    FZ_RETURN_IF_ERROR(s.pipeline->RunExclusive([&](Pipeline::Mutable& m) {
      // The newest entry for a value wins: an expiry is the indicator re-added to end now.
      return whitelist ? m.intel.Whitelist(kind, *value) : m.intel.Add(row.indicator);
    }));
    return row;
  };
  StatusOr<store::IndicatorRow> row = run();
  if (!row.ok()) return ErrorResponse(row.status());
  return JsonResponse(200, IndicatorJson(s, *row));
}

http::Response Pending(State& s, http::Request&, const auth::Principal& who) {
  StatusOr<std::vector<workflow::PendingIndicator>> rows = s.store().PendingIndicators(who.actor());
  if (!rows.ok()) return ErrorResponse(rows.status());
  nlohmann::json out = nlohmann::json::array();
  for (const workflow::PendingIndicator& p : *rows) out.push_back(PendingJson(p, s.types()));
  return JsonResponse(200, {{"rows", std::move(out)}});
}

// An analyst's decision on a suspect identifier from a case. A confirmed one becomes an
// indicator (the store adds it) and is matched from the next event on.
http::Response Review(State& s, http::Request& r, const auth::Principal& who) {
  int64_t id = 0;
  if (!fz::ParseDecimal(r.path_params.at("id"), &id)) {
    return ErrorResponse(absl::InvalidArgumentError("id: not a pending indicator id"));
  }
  StatusOr<nlohmann::json> b = ParseJsonBody(r.body);
  if (!b.ok()) return ErrorResponse(b.status());
  StatusOr<std::optional<bool>> confirm = OptionalBool(*b, "confirm");
  if (!confirm.ok()) return ErrorResponse(confirm.status());
  if (!*confirm) return ErrorResponse(absl::InvalidArgumentError("confirm: required"));
  StatusOr<workflow::PendingIndicator> p =
      s.store().ReviewPendingIndicator(id, **confirm, who.actor());
  if (!p.ok()) return ErrorResponse(p.status());
  if (**confirm) {
    model::Indicator x;
    x.kind = p->identifier.kind;
    x.value = p->identifier.value;
    x.fraud_type = p->fraud_type;
    x.source = p->source;
    Status applied = s.pipeline->RunExclusive([&](Pipeline::Mutable& m) { return m.intel.Add(x); });
    if (!applied.ok()) return ErrorResponse(applied);
  }
  return JsonResponse(200, PendingJson(*p, s.types()));
}

nlohmann::json PersonJson(const store::PersonRow& r) {
  const model::Person& p = r.person;
  nlohmann::json phones = nlohmann::json::array();
  for (const model::PhoneNumber& n : p.phones) phones.push_back(n.value());
  return {{"id", p.id.value()},
          {"name", p.name},
          {"id_no", p.id_no},
          {"phones", phones},
          {"address", p.address},
          {"unit", p.unit.value()},
          {"tags", p.tags},
          {"updated_at", TimeText(r.updated_at)},
          {"updated_by", r.updated_by}};
}

StatusOr<model::Person> PersonFrom(const nlohmann::json& j, std::string id) {
  model::Person p;
  p.id = model::PersonId(std::move(id));
  FZ_ASSIGN_OR_RETURN(auto name, OptionalString(j, "name"));
  p.name = name.value_or("");
  FZ_ASSIGN_OR_RETURN(auto id_no, OptionalString(j, "id_no"));
  if (id_no && !id_no->empty()) {
    StatusOr<normalize::IdCardInfo> info = normalize::NormalizeIdCard(
        *id_no, absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600)));
    if (!info.ok())
      return absl::InvalidArgumentError(fz::StrCat("id_no: ", info.status().message()));
    p.id_no = info->number;
  }
  if (j.contains("phones")) {
    if (!j["phones"].is_array()) return absl::InvalidArgumentError("phones: an array of strings");
    for (size_t i = 0; i < j["phones"].size(); ++i) {
      const nlohmann::json& v = j["phones"][i];
      if (!v.is_string())
        return absl::InvalidArgumentError(fz::StrCat("phones[", i, "]: a string"));
      StatusOr<normalize::PhoneInfo> info = normalize::NormalizePhone(v.get<std::string>());
      if (!info.ok()) {
        return absl::InvalidArgumentError(fz::StrCat("phones[", i, "]: ", info.status().message()));
      }
      p.phones.emplace_back(info->canonical);
    }
  }
  if (p.phones.empty() && p.id_no.empty()) {
    return absl::InvalidArgumentError("phones: a person needs a phone or an id_no");
  }
  FZ_ASSIGN_OR_RETURN(auto address, OptionalString(j, "address"));
  p.address = address.value_or("");
  FZ_ASSIGN_OR_RETURN(std::string unit, RequiredString(j, "unit"));
  p.unit = model::UnitCode(unit);
  if (j.contains("tags")) {
    if (!j["tags"].is_array()) return absl::InvalidArgumentError("tags: an array of strings");
    for (const nlohmann::json& t : j["tags"]) {
      if (!t.is_string()) return absl::InvalidArgumentError("tags: an array of strings");
      p.tags.push_back(t.get<std::string>());
    }
  }
  return p;
}

http::Response ListPeople(State& s, http::Request& r, const auth::Principal& who) {
  store::PeopleFilter f;
  if (auto v = r.Query("unit"); v && !v->empty()) f.unit = model::UnitCode(std::string(*v));
  if (auto v = r.Query("tag")) f.tag = std::string(*v);
  if (auto v = r.Query("name")) f.name = std::string(*v);
  if (auto v = r.Query("id_no")) f.id_no = std::string(*v);
  if (auto v = r.Query("phone"); v && !v->empty()) {
    StatusOr<normalize::PhoneInfo> info = normalize::NormalizePhone(*v);
    if (!info.ok())
      return ErrorResponse(
          absl::InvalidArgumentError(fz::StrCat("phone: ", info.status().message())));
    f.phone = info->canonical;
  }
  StatusOr<int> limit = LimitParam(r);
  if (!limit.ok()) return ErrorResponse(limit.status());
  f.limit = *limit;
  StatusOr<std::optional<store::PersonKey>> after = PersonCursorParam(r);  // unit order
  if (!after.ok()) return ErrorResponse(after.status());
  f.after = *after;
  StatusOr<store::PeoplePage> page = s.store().ListPeople(f, who.actor());
  if (!page.ok()) return ErrorResponse(page.status());
  nlohmann::json rows = nlohmann::json::array();
  for (const store::PersonRow& p : page->rows) rows.push_back(PersonJson(p));
  return JsonResponse(
      200,
      {{"rows", std::move(rows)},
       {"next", page->next ? nlohmann::json(fz::StrCat(page->next->first, "|", page->next->second))
                           : nullptr}});
}

http::Response GetPerson(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<store::PersonRow> p =
      s.store().GetPerson(model::PersonId(r.path_params.at("id")), who.actor());
  if (!p.ok()) return ErrorResponse(p.status());
  return JsonResponse(200, PersonJson(*p));
}

http::Response PutPerson(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<nlohmann::json> b = ParseJsonBody(r.body);
  if (!b.ok()) return ErrorResponse(b.status());
  StatusOr<model::Person> p = PersonFrom(*b, r.path_params.at("id"));
  if (!p.ok()) return ErrorResponse(p.status());
  StatusOr<store::PeopleUpsertResult> out = s.store().UpsertPeople({*p}, who.actor());
  if (!out.ok()) return ErrorResponse(out.status());
  // Routing and detection see the change from the next event on.
  Status applied = s.pipeline->RunExclusive([&](Pipeline::Mutable& m) {
    if (m.people != nullptr) m.people->Add(*p);
    return absl::OkStatus();
  });
  if (!applied.ok()) return ErrorResponse(applied);
  return JsonResponse(
      out->inserted ? 201 : 200,
      {{"inserted", out->inserted}, {"updated", out->updated}, {"unchanged", out->unchanged}});
}

http::Response DeletePerson(State& s, http::Request& r, const auth::Principal& who) {
  StatusOr<bool> gone =
      s.store().DeletePerson(model::PersonId(r.path_params.at("id")), who.actor());
  if (!gone.ok()) return ErrorResponse(gone.status());
  // From the next event on, rules and routing no longer know the person.
  Status applied = s.pipeline->RunExclusive([&](Pipeline::Mutable& m) {
    if (m.people != nullptr) m.people->Remove(model::PersonId(r.path_params.at("id")));
    return absl::OkStatus();
  });
  if (!applied.ok()) return ErrorResponse(applied);
  return JsonResponse(200, {{"deleted", *gone}});
}

}  // namespace

void AddIntelRoutes(State& s, http::Router& router) {
  using P = auth::Permission;
  router.Add("GET", "/api/intel", Authed(s, P::kIntelRead, Bind(s, ListIntel)));
  router.Add("POST", "/api/intel", Authed(s, P::kIntelWrite, Bind(s, AddIntel)));
  router.Add("POST", "/api/intel/expire",
             Authed(s, P::kIntelWrite, [&s](http::Request& r, const auth::Principal& p) {
               return ChangeIntel(s, r, p, false);
             }));
  router.Add("POST", "/api/intel/whitelist",
             Authed(s, P::kIntelWrite, [&s](http::Request& r, const auth::Principal& p) {
               return ChangeIntel(s, r, p, true);
             }));
  router.Add("GET", "/api/intel/pending", Authed(s, P::kIntelReview, Bind(s, Pending)));
  router.Add("POST", "/api/intel/pending/{id}/review", Authed(s, P::kIntelReview, Bind(s, Review)));
  router.Add("GET", "/api/people", Authed(s, P::kPeopleRead, Bind(s, ListPeople)));
  router.Add("GET", "/api/people/{id}", Authed(s, P::kPeopleRead, Bind(s, GetPerson)));
  router.Add("PUT", "/api/people/{id}", Authed(s, P::kPeopleWrite, Bind(s, PutPerson)));
  router.Add("DELETE", "/api/people/{id}", Authed(s, P::kPeopleWrite, Bind(s, DeletePerson)));
}

}  // namespace fz::api
