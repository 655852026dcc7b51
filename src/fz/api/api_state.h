// Internal to fz/api: what every route handler reaches, and the wrapper that authenticates,
// authorizes and maps errors for each route. Route files add their routes with
// Add*Routes(state, router).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "fz/api/api_server.h"
#include "fz/api/json_util.h"
#include "fz/auth/permissions.h"
#include "fz/ingest/event_reader.h"
#include "fz/ingest/spool.h"

namespace fz::api {

struct ApiServer::State {
  ApiDeps deps;
  ApiOptions options;
  MetricsRegistry metrics;
  LiveHub hub;
  std::unique_ptr<Pipeline> pipeline;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<ingest::Quarantine> quarantine;
  CounterFamily* rejected_records = nullptr;  // fz_events_rejected_total{reason}
  Histogram* route_seconds = nullptr;
  std::unique_ptr<workflow::RoutingPolicy> policy;  // manual re-routes
  std::atomic<bool> ready{false};
  std::jthread spool_thread;

  State(ApiDeps d, ApiOptions o);
  store::Store& store() { return *deps.store; }
  const model::FraudTypeRegistry& types() { return *deps.types; }
};

using State = ApiServer::State;
using AuthedHandler = std::function<http::Response(http::Request&, const auth::Principal&)>;

// Authenticates (Authorization: Bearer TOKEN, X-Api-Key: KEY, or ?access_token= for the
// event stream, which browsers open without headers), checks `permission`, runs `handler`
// and turns a thrown JSON type error or exception into a 400/500 answer.
http::Router::Handler Authed(State& state, auth::Permission permission, AuthedHandler handler);
StatusOr<auth::Principal> Authenticate(State& state, const http::Request& request);

// A warning id from the path ("{id}"); InvalidArgument naming the parameter.
StatusOr<model::WarningId> WarningIdParam(const http::Request& request);
// Page size from ?limit= (default 50, at most 500).
StatusOr<int> LimitParam(const http::Request& request, int default_limit = 50);
// The people-page cursor from ?after= ("unit_path|person_id"), nullopt when absent.
StatusOr<std::optional<store::PersonKey>> PersonCursorParam(const http::Request& request);

// A route function fn(state, request, principal) as an AuthedHandler bound to `state`.
using StateHandler = http::Response (*)(State&, http::Request&, const auth::Principal&);
inline AuthedHandler Bind(State& state, StateHandler fn) {
  return [&state, fn](http::Request& r, const auth::Principal& p) { return fn(state, r, p); };
}

void AddSystemRoutes(State& state, http::Router& router);       // health, ready, metrics, units
void AddAuthRoutes(State& state, http::Router& router);         // login, logout, me, users
void AddEventRoutes(State& state, http::Router& router);        // ingest, stream
void AddWarningRoutes(State& state, http::Router& router);      // list, detail, actions
void AddMoneyRoutes(State& state, http::Router& router);        // stop-payments, cases
void AddIntelRoutes(State& state, http::Router& router);        // intel, pending, people
void AddRulesRoutes(State& state, http::Router& router);        // rules, kpis, audit
void AddSupervisionRoutes(State& state, http::Router& router);  // reminders, outreach, backtest

}  // namespace fz::api
