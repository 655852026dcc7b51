// The server's settings file (config/server.toml): listen address, limits, TLS, accounts
// policy, pipeline. Every key is optional; a bad value fails start-up naming file:line:key.
//
//   [server]   listen = "127.0.0.1:8080"  io_threads  worker_threads  tls_cert  tls_key
//   [limits]   max_body_bytes  max_header_bytes  read_timeout  idle_timeout  max_connections
//              max_queued_requests  requests_per_second_per_client  burst_per_client
//              max_events_per_request  sse_max_queued_frames
//   [accounts] max_failed_logins  lockout  session_ttl  min_password_length
//   [pipeline] detector_threads  max_batch_events  max_queued_events  tick_interval
//              checkpoint_interval
#pragma once

#include <string>

#include "fz/api/api_server.h"
#include "fz/auth/accounts.h"
#include "fz/common/config.h"

namespace fz::api {

struct ServerConfig {
  ApiOptions api;
  auth::AuthOptions accounts;
};

// "host:port" → address and port.
Status ParseListen(std::string_view listen, http::ServerOptions* out);
// Reads `config` (may be empty: defaults) into `out`, keeping fields the file does not set.
Status ApplyServerConfig(const Config& config, ServerConfig* out);

}  // namespace fz::api
