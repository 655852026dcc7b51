// Internal to fz::http: the state a Server shares with its connections (session.h). Not part
// of the API; only server.cc and session.h include it.
#pragma once

#include <utility>  // Before Asio (Boost 1.74 with C++20).

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "fz/common/metrics.h"
#include "fz/http/rate_limiter.h"
#include "fz/http/server.h"
#include "fz/http/worker_pool.h"

namespace fz::http {

// Why a request or connection was refused: the `reason` label of fz_http_rejected_total.
enum class Rejection {
  kBadRequest,      // 400: unparsable request or target
  kTimeout,         // 408: request not complete within read_timeout
  kBodyTooLarge,    // 413
  kHeaderTooLarge,  // 431
  kRateLimited,     // 429
  kConnections,     // 503: max_connections reached
  kQueueFull,       // 503: handler queue full
  kStopping,        // 503: the server is shutting down
};
inline constexpr int kRejectionCount = 8;

// The metric children, looked up once at construction so that the request path never locks.
// Every pointer is null when the server was given no registry.
class ServerMetrics {
 public:
  explicit ServerMetrics(MetricsRegistry* registry);
  void CountRequest(int status, double seconds);
  void CountRejected(Rejection reason);
  void ConnectionOpened() { Add(connections_, 1); }
  void ConnectionClosed() { Add(connections_, -1); }
  void SseOpened() { Add(sse_streams_, 1); }
  void SseClosed() { Add(sse_streams_, -1); }

 private:
  static void Add(Gauge* gauge, double delta) {
    if (gauge != nullptr) gauge->Add(delta);
  }

  CounterFamily* requests_ = nullptr;
  Histogram* request_seconds_ = nullptr;
  Gauge* connections_ = nullptr;
  Gauge* sse_streams_ = nullptr;
  std::array<Counter*, kRejectionCount> rejected_{};
  std::array<std::atomic<Counter*>, 1000> by_status_{};
};

// A connection as the server sees it, whatever its stream type.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Thread-safe: closes the connection now if no request is in flight, else after its response.
  virtual void Shutdown() = 0;
  // Closes at once, from the thread that stopped the I/O threads (nothing else runs then).
  virtual void CloseNow() = 0;
};

struct Server::Impl {
  Impl(ServerOptions options, Handler handler, MetricsRegistry* registry);

  Status Start();
  void Stop(absl::Duration grace);

  // Called by sessions (any thread).
  void Register(SessionBase* session, std::weak_ptr<SessionBase> weak);
  void Unregister(SessionBase* session, bool counted);
  void BeginRequest();
  void EndRequest();
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  const ServerOptions options;
  const Handler handler;
  ServerMetrics metrics;
  RateLimiter rate_limiter;
  std::unique_ptr<WorkerPool> workers;
  uint16_t port = 0;

 private:
  Status LoadTls();
  void Accept();
  void OnAccept(boost::asio::ip::tcp::socket socket);
  bool NoRequestInFlight() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  std::atomic<bool> stopping_{false};
  bool started_ = false;
  bool stopped_ = false;
  std::vector<std::thread> io_threads_;

  absl::Mutex mu_;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions_ ABSL_GUARDED_BY(mu_);
  int counted_connections_ ABSL_GUARDED_BY(mu_) = 0;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;

  // Destroyed first (declared last), and explicitly in Stop(): pending handlers own sessions,
  // whose destructors still reach the members above.
  std::optional<boost::asio::ssl::context> ssl_;
  std::unique_ptr<boost::asio::io_context> ioc_;
  // Keeps the I/O threads running while no socket operation is pending (every connection
  // waiting for its handler, the acceptor closed): the handlers still post their responses.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace fz::http
