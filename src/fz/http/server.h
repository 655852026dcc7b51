// http::Server: an asynchronous HTTP/1.1 server on Boost.Beast for the fanzha API. Network I/O
// runs on a few I/O threads; handlers run on a worker pool (they may block on the store), so a
// slow query never stalls other connections. Limits bound every resource a client controls:
// body and header sizes (413/431), slow clients (408, then close), connections (503), request
// rate per client address (429 with Retry-After) and the handler queue (503). Server-Sent Events
// streams are responses whose body the application keeps feeding through an SseChannel.
//
//   http::Router router;
//   router.Add("GET", "/api/health", [](http::Request&) { return http::Response::Json(200, "{}");
//   }); http::Server server({.address = "127.0.0.1", .port = 0},
//                       [&](http::Request& r) { return router.Dispatch(r); }, &metrics);
//   FZ_RETURN_IF_ERROR(server.Start());
//   ... server.port() ...
//   server.Stop(absl::Seconds(10));  // graceful: stop accepting, finish in-flight, close streams
//
// TLS: set tls_cert_file and tls_key_file (PEM) and the server speaks HTTPS only.
// Thread-safety: Start/Stop from one thread; the handler is called concurrently from workers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "fz/common/clock.h"
#include "fz/common/metrics.h"
#include "fz/common/status.h"
#include "fz/http/message.h"

namespace fz::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; read it with Server::port()
  int io_threads = 1;
  int worker_threads = 4;              // handler threads
  size_t max_body_bytes = 8 << 20;     // larger bodies: 413, connection closed
  size_t max_header_bytes = 16 << 10;  // larger header block: 431
  // A request (headers and body) must arrive within this time, else 408 and close: bounds
  // slow-loris clients.
  absl::Duration read_timeout = absl::Seconds(10);
  absl::Duration idle_timeout = absl::Seconds(60);  // keep-alive connection with no request
  int max_connections = 2048;                       // beyond: 503 and close
  size_t max_queued_requests = 4096;                // handler queue full: 503
  // Token bucket per client address; 0 disables. Over the limit: 429 with Retry-After.
  double requests_per_second_per_client = 0;
  double burst_per_client = 0;
  // An SSE client that falls this many frames behind is disconnected (it resumes with
  // Last-Event-ID); a comment line keeps idle streams alive through proxies.
  size_t sse_max_queued_frames = 10000;
  absl::Duration sse_keepalive = absl::Seconds(15);
  std::string tls_cert_file;  // PEM; both set: HTTPS
  std::string tls_key_file;
  // A response (or SSE frame batch) must be written within this time, else the connection is
  // closed: bounds clients that stop reading.
  absl::Duration write_timeout = absl::Seconds(30);
  Clock* clock = nullptr;  // For the rate limiter; null: the real clock. Not owned.
};

using Handler = std::function<Response(Request&)>;

class Server {
 public:
  // `metrics` may be null. Registers fz_http_requests_total{code}, fz_http_request_seconds,
  // fz_http_connections, fz_http_rejected_total{reason}, fz_sse_streams.
  Server(ServerOptions options, Handler handler, MetricsRegistry* metrics);
  ~Server();  // Stop(absl::ZeroDuration()) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Errors name the address (in use, bad certificate, ...).
  Status Start();
  uint16_t port() const;  // the bound port, valid after Start
  // Stops accepting, lets in-flight requests finish for up to `grace`, closes SSE streams and
  // idle connections, joins every thread. Idempotent.
  void Stop(absl::Duration grace = absl::Seconds(10));

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fz::http
