// ApiServer: `fanzha serve` — the HTTP API (docs/openapi.yaml) over the workflow store, the
// detection pipeline, accounts and the live push, on one http::Server.
//
//   api::ApiServer server(std::move(deps), options);
//   FZ_RETURN_IF_ERROR(server.Start());     // pipeline, spool watcher, HTTP
//   ... server.port() ...
//   server.Stop();                          // graceful: HTTP drains, pipeline flushes, checkpoint
//
// Every route but health/readiness authenticates (session token or API key), checks the role's
// permission (auth/permissions.h) and the unit jurisdiction, and audits what it changes and
// every unmasked read. Thread-safe after Start.
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "fz/api/live_hub.h"
#include "fz/api/pipeline.h"
#include "fz/auth/accounts.h"
#include "fz/common/metrics.h"
#include "fz/http/router.h"
#include "fz/http/server.h"
#include "fz/store/store.h"
#include "fz/workflow/workflow_config.h"

namespace fz::api {

struct ApiOptions {
  http::ServerOptions http;
  PipelineOptions pipeline;
  std::string rules_path;  // the rules file: reload reads it, a reload with a body rewrites it
  std::string spool_dir;   // carriers drop event files here; empty: no spool
  absl::Duration spool_poll = absl::Seconds(2);
  std::string quarantine_path;  // rejected records as JSONL; empty: count only
  size_t max_events_per_request = 50000;
  size_t live_ring = 100000;  // events kept for Last-Event-ID resume
  std::string web_root;       // built web console (web/dist) served at /; empty: none
};

struct ApiDeps {
  store::Store* store = nullptr;
  auth::Accounts* accounts = nullptr;
  const units::UnitTree* tree = nullptr;
  const workflow::WorkflowConfig* config = nullptr;
  const model::FraudTypeRegistry* types = nullptr;
  Clock* clock = nullptr;
  std::unique_ptr<intel::IntelStore> intel;
  std::shared_ptr<const detect::RuleSet> rules;
  detect::PeopleIndex* people = nullptr;                  // may be null; API edits add to it
  const workflow::SubjectDirectory* directory = nullptr;  // may be null
};

class ApiServer {
 public:
  ApiServer(ApiDeps deps, ApiOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  Status Start();
  void Stop();

  uint16_t port() const;
  const http::Router& router() const;
  MetricsRegistry& metrics();
  Pipeline& pipeline();
  LiveHub& hub();

  struct State;  // shared with the route files (api_state.h)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace fz::api
