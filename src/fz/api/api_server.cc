#include "fz/api/api_server.h"

#include <chrono>
#include <exception>
#include <filesystem>
#include <thread>

#include "absl/strings/match.h"
#include "fz/api/api_state.h"
#include "fz/api/static_files.h"
#include "fz/common/logging.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"

namespace fz::api {

State::State(ApiDeps d, ApiOptions o)
    : deps(std::move(d)), options(std::move(o)), hub(deps.tree, options.live_ring) {
  quarantine = options.quarantine_path.empty()
                   ? std::make_unique<ingest::Quarantine>()
                   : std::make_unique<ingest::Quarantine>(options.quarantine_path);
  rejected_records = metrics
                         .RegisterCounterFamily("fz_events_rejected_total",
                                                "Submitted records refused, by reason", {"reason"})
                         .value();
  policy =
      std::make_unique<workflow::RoutingPolicy>(deps.config->routing, *deps.tree, deps.directory);
}

StatusOr<auth::Principal> Authenticate(State& state, const http::Request& request) {
  std::string_view authz = request.Header("Authorization");
  if (absl::StartsWithIgnoreCase(AbslView(authz), "Bearer ")) {
    // A session token, or a machine account's API key sent the same way.
    StatusOr<auth::Principal> p = state.deps.accounts->Authenticate(authz.substr(7));
    if (p.ok() || p.status().code() != absl::StatusCode::kUnauthenticated) return p;
    return state.deps.accounts->AuthenticateApiKey(authz.substr(7));
  }
  if (std::string_view key = request.Header("X-Api-Key"); !key.empty()) {
    return state.deps.accounts->AuthenticateApiKey(key);
  }
  // EventSource cannot set headers: the stream alone takes the token from the query.
  if (request.path == "/api/stream") {
    if (std::optional<std::string_view> t = request.Query("access_token"); t && !t->empty()) {
      return state.deps.accounts->Authenticate(*t);
    }
  }
  return absl::UnauthenticatedError(
      "authentication required: Authorization: Bearer <token> or X-Api-Key: <key>");
}

http::Router::Handler Authed(State& state, auth::Permission permission, AuthedHandler handler) {
  return [&state, permission, handler = std::move(handler)](http::Request& request) {
    StatusOr<auth::Principal> who = Authenticate(state, request);
    if (!who.ok()) {
      http::Response r = ErrorResponse(who.status());
      if (r.status == 401) r.headers.push_back({"WWW-Authenticate", "Bearer"});
      return r;
    }
    if (!auth::Allows(who->role, permission)) {
      return ErrorResponse(
          absl::PermissionDeniedError(fz::StrCat("role '", workflow::RoleName(who->role),
                                                 "' may not ", auth::PermissionName(permission))));
    }
    try {
      return handler(request, *who);
    } catch (const nlohmann::json::exception& e) {
      return ErrorResponse(absl::InvalidArgumentError(fz::StrCat("body: ", e.what())));
    } catch (const std::exception& e) {
      fz::Logger("api")->error("{} {}: {}", request.method, request.path, e.what());
      return ErrorResponse(absl::InternalError(e.what()));
    }
  };
}

StatusOr<model::WarningId> WarningIdParam(const http::Request& request) {
  auto it = request.path_params.find("id");
  int64_t id = 0;
  if (it == request.path_params.end() || !fz::ParseDecimal(it->second, &id) || id <= 0) {
    return absl::InvalidArgumentError("id: must be a positive warning id");
  }
  return model::WarningId(id);
}

StatusOr<int> LimitParam(const http::Request& request, int default_limit) {
  FZ_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt(request, "limit"));
  if (!limit) return default_limit;
  if (*limit < 1 || *limit > 500) return absl::InvalidArgumentError("limit: must be 1..500");
  return static_cast<int>(*limit);
}

StatusOr<std::optional<store::PersonKey>> PersonCursorParam(const http::Request& request) {
  std::optional<std::string_view> v = request.Query("after");
  if (!v || v->empty()) return std::optional<store::PersonKey>();
  const size_t bar = v->rfind('|');
  if (bar == std::string_view::npos) {
    return absl::InvalidArgumentError("after: not a cursor from a previous page");
  }
  return std::optional<store::PersonKey>(
      store::PersonKey(std::string(v->substr(0, bar)), std::string(v->substr(bar + 1))));
}

namespace {

// Carriers' files go through the same pipeline as HTTP batches. A file is committed to done/
// only after all its events were stored; if the pipeline refused a batch (shutting down), the
// file stays in the spool and is read again (re-delivered ids are ignored).
Status StartSpool(State& s) {
  std::error_code ec;
  std::filesystem::create_directories(s.options.spool_dir, ec);
  if (ec)
    return absl::InternalError(fz::StrCat("--spool ", s.options.spool_dir, ": ", ec.message()));
  ingest::SpoolOptions spool_options;
  spool_options.read.fraud_types = s.deps.types;
  auto failed = std::make_shared<std::atomic<bool>>(false);
  spool_options.before_commit = [failed](const std::string& name, const ingest::FileStats&) {
    if (failed->exchange(false)) {
      return absl::UnavailableError(fz::StrCat(name, ": the pipeline refused events; kept"));
    }
    return absl::OkStatus();
  };
  FZ_ASSIGN_OR_RETURN(
      std::unique_ptr<ingest::SpoolDirectory> spool,
      ingest::SpoolDirectory::Open(s.options.spool_dir, spool_options, s.quarantine.get()));
  s.spool_thread =
      std::jthread([&s, failed, spool = std::shared_ptr<ingest::SpoolDirectory>(std::move(spool))](
                       std::stop_token stop) {
        while (!stop.stop_requested()) {
          StatusOr<ingest::SpoolStats> r = spool->Run(
              stop, s.options.spool_poll, [&s, failed](std::vector<model::Event>& batch) {
                std::vector<SubmittedEvent> events;
                events.reserve(batch.size());
                for (model::Event& e : batch) events.push_back({std::move(e), {}});
                StatusOr<SubmitResult> r = s.pipeline->Submit(std::move(events), /*wait=*/true);
                if (!r.ok()) failed->store(true);
              });
          if (!r.ok() && !stop.stop_requested()) {
            fz::Logger("spool")->error("spool: {}; retrying", r.status().ToString());
            std::this_thread::sleep_for(std::chrono::seconds(1));
          }
        }
      });
  return absl::OkStatus();
}

}  // namespace

ApiServer::ApiServer(ApiDeps deps, ApiOptions options)
    : state_(std::make_unique<State>(std::move(deps), std::move(options))) {
  State& s = *state_;
  PipelineDeps p;
  p.store = s.deps.store;
  p.tree = s.deps.tree;
  p.routing = &s.deps.config->routing;
  p.directory = s.deps.directory;
  p.people = s.deps.people;
  p.intel = std::move(s.deps.intel);
  p.rules = s.deps.rules;
  p.types = s.deps.types;
  p.hub = &s.hub;
  p.metrics = &s.metrics;
  p.clock = s.deps.clock;
  s.pipeline = std::make_unique<Pipeline>(std::move(p), s.options.pipeline);
  AddSystemRoutes(s, s.router);
  AddAuthRoutes(s, s.router);
  AddEventRoutes(s, s.router);
  AddWarningRoutes(s, s.router);
  AddMoneyRoutes(s, s.router);
  AddIntelRoutes(s, s.router);
  AddRulesRoutes(s, s.router);
  AddSupervisionRoutes(s, s.router);
}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Start() {
  State& s = *state_;
  FZ_RETURN_IF_ERROR(s.pipeline->Start());
  s.server = std::make_unique<http::Server>(
      s.options.http,
      [&s](http::Request& r) {
        if (!s.options.web_root.empty() && IsConsoleRequest(r)) {
          return ServeConsoleFile(s.options.web_root, r);
        }
        return s.router.Dispatch(r);
      },
      &s.metrics);
  if (Status st = s.server->Start(); !st.ok()) {
    s.pipeline->Stop();
    return st;
  }
  if (!s.options.spool_dir.empty()) FZ_RETURN_IF_ERROR(StartSpool(s));
  s.ready = true;
  return absl::OkStatus();
}

void ApiServer::Stop() {
  State& s = *state_;
  s.ready = false;
  if (s.spool_thread.joinable()) {
    s.spool_thread.request_stop();
    s.spool_thread.join();
  }
  s.hub.CloseAll();
  if (s.server) s.server->Stop(absl::Seconds(10));
  s.pipeline->Stop();
  (void)s.quarantine->Flush();
}

uint16_t ApiServer::port() const { return state_->server ? state_->server->port() : 0; }
const http::Router& ApiServer::router() const { return state_->router; }
MetricsRegistry& ApiServer::metrics() { return state_->metrics; }
Pipeline& ApiServer::pipeline() { return *state_->pipeline; }
LiveHub& ApiServer::hub() { return state_->hub; }

}  // namespace fz::api
