#include "fz/api/server_config.h"

#include "fz/common/str_cat.h"
#include "fz/common/strings.h"

namespace fz::api {

Status ParseListen(std::string_view listen, http::ServerOptions* out) {
  const size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      !fz::ParseDecimal(listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        fz::StrCat("listen: '", listen, "' is not host:port (e.g. 127.0.0.1:8080)"));
  }
  out->address = std::string(listen.substr(0, colon));
  out->port = static_cast<uint16_t>(port);
  return absl::OkStatus();
}

Status ApplyServerConfig(const Config& c, ServerConfig* out) {
  FZ_RETURN_IF_ERROR(c.CheckNoUnknownKeys(
      "server", {"listen", "io_threads", "worker_threads", "tls_cert", "tls_key"}));
  FZ_RETURN_IF_ERROR(c.CheckNoUnknownKeys(
      "limits", {"max_body_bytes", "max_header_bytes", "read_timeout", "idle_timeout",
                 "max_connections", "max_queued_requests", "requests_per_second_per_client",
                 "burst_per_client", "max_events_per_request", "sse_max_queued_frames"}));
  FZ_RETURN_IF_ERROR(c.CheckNoUnknownKeys(
      "accounts", {"max_failed_logins", "lockout", "session_ttl", "min_password_length"}));
  FZ_RETURN_IF_ERROR(c.CheckNoUnknownKeys(
      "pipeline", {"detector_threads", "max_batch_events", "max_queued_events", "tick_interval",
                   "checkpoint_interval", "warning_retention"}));
  http::ServerOptions& h = out->api.http;
  if (c.Has("server.listen")) {
    FZ_ASSIGN_OR_RETURN(std::string listen, c.GetString("server.listen"));
    FZ_RETURN_IF_ERROR(ParseListen(listen, &h));
  }
  FZ_ASSIGN_OR_RETURN(int64_t io, c.GetIntOr("server.io_threads", h.io_threads, 1, 64));
  FZ_ASSIGN_OR_RETURN(int64_t workers,
                      c.GetIntOr("server.worker_threads", h.worker_threads, 1, 256));
  h.io_threads = static_cast<int>(io);
  h.worker_threads = static_cast<int>(workers);
  FZ_ASSIGN_OR_RETURN(h.tls_cert_file, c.GetStringOr("server.tls_cert", h.tls_cert_file));
  FZ_ASSIGN_OR_RETURN(h.tls_key_file, c.GetStringOr("server.tls_key", h.tls_key_file));
  if (h.tls_cert_file.empty() != h.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        fz::StrCat(c.source_name(), ": server.tls_cert and server.tls_key go together"));
  }
  auto size = [&](std::string_view key, size_t* v, int64_t min, int64_t max) -> Status {
    FZ_ASSIGN_OR_RETURN(int64_t x, c.GetIntOr(key, static_cast<int64_t>(*v), min, max));
    *v = static_cast<size_t>(x);
    return absl::OkStatus();
  };
  FZ_RETURN_IF_ERROR(size("limits.max_body_bytes", &h.max_body_bytes, 1024, int64_t{1} << 30));
  FZ_RETURN_IF_ERROR(size("limits.max_header_bytes", &h.max_header_bytes, 1024, 1 << 20));
  FZ_RETURN_IF_ERROR(size("limits.max_queued_requests", &h.max_queued_requests, 1, 1 << 20));
  FZ_RETURN_IF_ERROR(size("limits.sse_max_queued_frames", &h.sse_max_queued_frames, 10, 1 << 22));
  FZ_RETURN_IF_ERROR(
      size("limits.max_events_per_request", &out->api.max_events_per_request, 1, 1 << 22));
  FZ_ASSIGN_OR_RETURN(int64_t conns,
                      c.GetIntOr("limits.max_connections", h.max_connections, 1, 1 << 20));
  h.max_connections = static_cast<int>(conns);
  FZ_ASSIGN_OR_RETURN(h.read_timeout, c.GetDurationOr("limits.read_timeout", h.read_timeout,
                                                      absl::Milliseconds(100)));
  FZ_ASSIGN_OR_RETURN(h.idle_timeout,
                      c.GetDurationOr("limits.idle_timeout", h.idle_timeout, absl::Seconds(1)));
  FZ_ASSIGN_OR_RETURN(h.requests_per_second_per_client,
                      c.GetDoubleOr("limits.requests_per_second_per_client",
                                    h.requests_per_second_per_client, 0, 1e9));
  FZ_ASSIGN_OR_RETURN(h.burst_per_client,
                      c.GetDoubleOr("limits.burst_per_client", h.burst_per_client, 0, 1e9));

  auth::AuthOptions& a = out->accounts;
  FZ_ASSIGN_OR_RETURN(int64_t failures,
                      c.GetIntOr("accounts.max_failed_logins", a.max_failed_logins, 1, 1000));
  a.max_failed_logins = static_cast<int>(failures);
  FZ_ASSIGN_OR_RETURN(a.lockout, c.GetDurationOr("accounts.lockout", a.lockout));
  FZ_ASSIGN_OR_RETURN(a.session_ttl,
                      c.GetDurationOr("accounts.session_ttl", a.session_ttl, absl::Minutes(1)));
  FZ_RETURN_IF_ERROR(size("accounts.min_password_length", &a.min_password_length, 8, 256));

  PipelineOptions& p = out->api.pipeline;
  FZ_ASSIGN_OR_RETURN(int64_t threads,
                      c.GetIntOr("pipeline.detector_threads", p.detector_threads, 1, 64));
  p.detector_threads = static_cast<int>(threads);
  FZ_RETURN_IF_ERROR(size("pipeline.max_batch_events", &p.max_batch_events, 1, 1 << 22));
  FZ_RETURN_IF_ERROR(size("pipeline.max_queued_events", &p.max_queued_events, 1, 1 << 26));
  FZ_ASSIGN_OR_RETURN(p.tick_interval, c.GetDurationOr("pipeline.tick_interval", p.tick_interval,
                                                       absl::Milliseconds(10)));
  FZ_ASSIGN_OR_RETURN(
      p.checkpoint_interval,
      c.GetDurationOr("pipeline.checkpoint_interval", p.checkpoint_interval, absl::Seconds(1)));
  FZ_ASSIGN_OR_RETURN(p.warning_retention, c.GetDurationOr("pipeline.warning_retention",
                                                           p.warning_retention, absl::Hours(1)));
  return absl::OkStatus();
}

}  // namespace fz::api
