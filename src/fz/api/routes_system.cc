// Health, readiness, Prometheus metrics and the unit tree.
#include "fz/api/api_state.h"
#include "fz/api/store_json.h"

namespace fz::api {
namespace {

http::Response Ready(State& s) {
  // Ready = the pipeline runs and the database answers with the schema this binary expects.
  StatusOr<store::SchemaStatus> schema = s.store().CheckSchema();
  nlohmann::json body = {
      {"pipeline", s.ready.load()}, {"database", schema.ok()}, {"backend", s.store().backend()}};
  if (!schema.ok()) body["error"] = schema.status().message();
  const bool ok = s.ready && schema.ok() && schema->pending.empty();
  body["status"] = ok ? "ready" : "not_ready";
  return JsonResponse(ok ? 200 : 503, body);
}

http::Response Metrics(State& s) {
  static constexpr std::string_view kHelp = "Consoles connected to the live stream";
  if (auto g = s.metrics.RegisterGauge("fz_live_subscribers", kHelp); g.ok()) {
    (*g)->Set(static_cast<double>(s.hub.subscribers()));
  }
  return http::Response::Text(200, s.metrics.RenderPrometheus(),
                              "text/plain; version=0.0.4; charset=utf-8");
}

// City-wide roles see the whole tree; others their own unit, its ancestors (for breadcrumbs)
// and its subtree.
http::Response Units(State& s, const auth::Principal& who) {
  nlohmann::json rows = nlohmann::json::array();
  const units::UnitTree& tree = *s.deps.tree;
  for (const model::Unit& u : tree.units()) {
    const bool visible = workflow::RoleIsCityWide(who.role) || tree.Contains(who.unit, u.code) ||
                         tree.Contains(u.code, who.unit);
    if (visible) rows.push_back(UnitJson(u));
  }
  return JsonResponse(200, {{"rows", std::move(rows)}});
}

}  // namespace

void AddSystemRoutes(State& s, http::Router& router) {
  router.Add("GET", "/api/health",
             [](http::Request&) { return http::Response::Json(200, R"({"status":"ok"})"); });
  router.Add("GET", "/api/ready", [&s](http::Request&) { return Ready(s); });
  router.Add("GET", "/metrics",
             Authed(s, auth::Permission::kMetrics,
                    [&s](http::Request&, const auth::Principal&) { return Metrics(s); }));
  router.Add("GET", "/api/units",
             Authed(s, auth::Permission::kUnitsRead,
                    [&s](http::Request&, const auth::Principal& p) { return Units(s, p); }));
}

}  // namespace fz::api
