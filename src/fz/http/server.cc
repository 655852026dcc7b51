#include "fz/http/server.h"

#include <utility>  // Before Asio (Boost 1.74 with C++20).

#include <fstream>

#include "fz/common/logging.h"
#include "fz/common/str_cat.h"
#include "fz/http/session.h"
#include "fz/http/url.h"

namespace fz::http {
namespace {

constexpr std::array<std::string_view, kRejectionCount> kRejectionNames = {
    "bad_request",  "timeout",     "body_too_large", "header_too_large",
    "rate_limited", "connections", "queue_full",     "stopping"};

Status CheckReadable(std::string_view what, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(StrCat(what, " ", path, ": cannot open the file"));
  return absl::OkStatus();
}

}  // namespace

// --- helpers shared with session.h ---------------------------------------------------------

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

bool ToRequest(bhttp::request<bhttp::string_body>& message, std::string remote_ip, Request* out,
               std::string* error) {
  out->method.assign(message.method_string().data(), message.method_string().size());
  out->target.assign(message.target().data(), message.target().size());
  StatusOr<DecodedTarget> target = DecodeTarget(out->target);
  if (!target.ok()) {
    *error = std::string(target.status().message());
    return false;
  }
  out->path = std::move(target->path);
  out->query = std::move(target->query);
  for (const auto& field : message) {
    out->headers.push_back({std::string(field.name_string().data(), field.name_string().size()),
                            std::string(field.value().data(), field.value().size())});
  }
  out->body = std::move(message.body());
  out->remote_ip = std::move(remote_ip);
  return true;
}

std::string SseResponseHead(const Response& response) {
  int status = response.status >= 200 && response.status <= 299 ? response.status : 200;
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  std::string head = StrCat("HTTP/1.1 ", status, " ", std::string(reason.data(), reason.size()),
                            "\r\nServer: fanzha\r\nContent-Type: text/event-stream\r\n",
                            "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n");
  for (const HeaderField& field : response.headers) {
    // A header value cannot end the head early: drop CR and LF.
    std::string value;
    for (char c : field.value) {
      if (c != '\r' && c != '\n') value.push_back(c);
    }
    StrAppend(&head, field.name, ": ", value, "\r\n");
  }
  head += "\r\n";
  return head;
}

std::optional<Rejection> ClassifyReadError(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return Rejection::kHeaderTooLarge;
  if (ec == bhttp::error::body_limit) return Rejection::kBodyTooLarge;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
    return Rejection::kBadRequest;
  }
  return std::nullopt;  // Reset, EOF, TLS failure: the client is gone.
}

// --- ServerMetrics -------------------------------------------------------------------------

ServerMetrics::ServerMetrics(MetricsRegistry* registry) {
  if (registry == nullptr) return;
  auto requests = registry->RegisterCounterFamily("fz_http_requests_total",
                                                  "HTTP responses sent, by status code", {"code"});
  if (requests.ok()) requests_ = *requests;
  auto seconds = registry->RegisterHistogram("fz_http_request_seconds",
                                             "Time from a complete request to its response",
                                             ExponentialBuckets(0.0005, 4, 10));
  if (seconds.ok()) request_seconds_ = *seconds;
  auto connections = registry->RegisterGauge("fz_http_connections", "Open HTTP connections");
  if (connections.ok()) connections_ = *connections;
  auto streams = registry->RegisterGauge("fz_sse_streams", "Open Server-Sent Events streams");
  if (streams.ok()) sse_streams_ = *streams;
  auto rejected = registry->RegisterCounterFamily(
      "fz_http_rejected_total", "Requests and connections refused by a limit", {"reason"});
  if (rejected.ok()) {
    for (int i = 0; i < kRejectionCount; ++i) {
      std::string_view reason = kRejectionNames[i];
      auto child = (*rejected)->WithLabels({&reason, 1});
      if (child.ok()) rejected_[i] = *child;
    }
  }
}

void ServerMetrics::CountRequest(int status, double seconds) {
  if (request_seconds_ != nullptr) request_seconds_->Observe(seconds);
  if (requests_ == nullptr || status < 0 || status >= static_cast<int>(by_status_.size())) return;
  Counter* counter = by_status_[status].load(std::memory_order_acquire);
  if (counter == nullptr) {
    std::string code = std::to_string(status);
    std::string_view label = code;
    auto child = requests_->WithLabels({&label, 1});
    if (!child.ok()) return;
    counter = *child;
    by_status_[status].store(counter, std::memory_order_release);
  }
  counter->Inc();
}

void ServerMetrics::CountRejected(Rejection reason) {
  Counter* counter = rejected_[static_cast<int>(reason)];
  if (counter != nullptr) counter->Inc();
}

// --- Server::Impl --------------------------------------------------------------------------

Server::Impl::Impl(ServerOptions options_in, Handler handler_in, MetricsRegistry* registry)
    : options(std::move(options_in)),
      handler(std::move(handler_in)),
      metrics(registry),
      rate_limiter(options.requests_per_second_per_client, options.burst_per_client,
                   options.clock != nullptr ? options.clock : DefaultClock()) {}

Status Server::Impl::LoadTls() {
  FZ_RETURN_IF_ERROR(CheckReadable("tls_cert_file", options.tls_cert_file));
  FZ_RETURN_IF_ERROR(CheckReadable("tls_key_file", options.tls_key_file));
  ssl_.emplace(net::ssl::context::tls_server);
  ssl_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                    net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                    net::ssl::context::no_tlsv1_1);
  beast::error_code ec;
  ssl_->use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        StrCat("tls_cert_file ", options.tls_cert_file, ": not a PEM certificate: ", ec.message()));
  }
  ssl_->use_private_key_file(options.tls_key_file, net::ssl::context::pem, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        StrCat("tls_key_file ", options.tls_key_file,
               ": not a PEM private key matching the certificate: ", ec.message()));
  }
  return absl::OkStatus();
}

Status Server::Impl::Start() {
  if (started_) return absl::FailedPreconditionError("http server already started");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError("set both tls_cert_file and tls_key_file, or neither");
  }
  if (!options.tls_cert_file.empty()) FZ_RETURN_IF_ERROR(LoadTls());
  std::string where = StrCat(options.address, ":", static_cast<int>(options.port));
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return absl::InvalidArgumentError(StrCat("listen address ", where, ": ", ec.message()));
  int io_threads = std::max(1, options.io_threads);
  ioc_ = std::make_unique<net::io_context>(io_threads);
  acceptor_ = std::make_unique<net::ip::tcp::acceptor>(net::make_strand(*ioc_));
  net::ip::tcp::endpoint endpoint(address, options.port);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    ioc_.reset();
    return absl::UnavailableError(StrCat("cannot listen on ", where, ": ", ec.message()));
  }
  port = acceptor_->local_endpoint().port();
  accept_backoff_ = std::make_unique<net::steady_timer>(acceptor_->get_executor());
  workers = std::make_unique<WorkerPool>(options.worker_threads, options.max_queued_requests);
  started_ = true;
  work_.emplace(ioc_->get_executor());
  Accept();
  for (int i = 0; i < io_threads; ++i) io_threads_.emplace_back([this] { ioc_->run(); });
  return absl::OkStatus();
}

void Server::Impl::Accept() {
  acceptor_->async_accept(net::make_strand(*ioc_),
                          [this](beast::error_code ec, net::ip::tcp::socket socket) {
                            if (ec == net::error::operation_aborted || stopping()) return;
                            if (!ec) {
                              OnAccept(std::move(socket));
                              return Accept();
                            }
                            // Out of descriptors (EMFILE) or similar: retrying at once would
                            // spin; connections closing meanwhile free descriptors.
                            accept_backoff_->expires_after(std::chrono::milliseconds(50));
                            accept_backoff_->async_wait([this](beast::error_code wait_ec) {
                              if (!wait_ec && !stopping()) Accept();
                            });
                          });
}

void Server::Impl::OnAccept(net::ip::tcp::socket socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;  // Reset before we got to it.
  // Answers and pushed events are small writes: with Nagle's algorithm a second write waits
  // for the peer's (delayed, ~40 ms) ACK of the first, which would dominate push latency.
  socket.set_option(net::ip::tcp::no_delay(true), ec);
  std::string remote_ip = endpoint.address().to_string();
  bool over_capacity;
  {
    absl::MutexLock lock(&mu_);
    over_capacity = counted_connections_ >= options.max_connections;
    if (over_capacity && refusing_connections_ >= kMaxRefusingConnections) {
      // A flood: answering each 503 would hold a descriptor per attacker for read_timeout.
      metrics.CountRejected(Rejection::kConnections);
      return;  // The socket closes here.
    }
    ++(over_capacity ? refusing_connections_ : counted_connections_);
  }
  if (over_capacity) metrics.CountRejected(Rejection::kConnections);
  std::shared_ptr<SessionBase> session;
  if (ssl_) {
    auto tls = std::make_shared<Session<TlsStream>>(*this, over_capacity, std::move(remote_ip),
                                                    std::move(socket), *ssl_);
    Register(tls.get(), tls);
    tls->Start();
  } else {
    auto plain = std::make_shared<Session<PlainStream>>(*this, over_capacity, std::move(remote_ip),
                                                        std::move(socket));
    Register(plain.get(), plain);
    plain->Start();
  }
}

void Server::Impl::Register(SessionBase* session, std::weak_ptr<SessionBase> weak) {
  absl::MutexLock lock(&mu_);
  sessions_.emplace(session, std::move(weak));
}

void Server::Impl::Unregister(SessionBase* session, bool counted) {
  if (counted) metrics.ConnectionClosed();
  absl::MutexLock lock(&mu_);
  sessions_.erase(session);
  --(counted ? counted_connections_ : refusing_connections_);
}

void Server::Impl::BeginRequest() {
  absl::MutexLock lock(&mu_);
  ++in_flight_;
}

void Server::Impl::EndRequest() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

void Server::Impl::Stop(absl::Duration grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  stopping_.store(true, std::memory_order_release);
  net::post(acceptor_->get_executor(), [this] {
    beast::error_code ignored;
    acceptor_->close(ignored);
    accept_backoff_->cancel();
  });
  std::vector<std::shared_ptr<SessionBase>> sessions;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  // Idle keep-alive connections and SSE streams close now; requests in flight finish.
  for (auto& session : sessions) session->Shutdown();
  sessions.clear();
  {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &Impl::NoRequestInFlight), grace);
  }
  workers->Stop();
  work_.reset();
  ioc_->stop();
  for (std::thread& thread : io_threads_) thread.join();
  io_threads_.clear();
  // Shutdown() requests the I/O threads did not get to: close those connections here, which
  // also marks their SSE channels closed before the io_context goes away.
  {
    absl::MutexLock lock(&mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  for (auto& session : sessions) session->CloseNow();
  sessions.clear();
  accept_backoff_.reset();
  acceptor_.reset();
  ioc_.reset();  // Destroys the handlers still queued, and with them the last sessions.
}

// --- Server --------------------------------------------------------------------------------

Server::Server(ServerOptions options, Handler handler, MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), metrics)) {}

Server::~Server() { Stop(absl::ZeroDuration()); }

Status Server::Start() { return impl_->Start(); }

uint16_t Server::port() const { return impl_->port; }

void Server::Stop(absl::Duration grace) { impl_->Stop(grace); }

}  // namespace fz::http
