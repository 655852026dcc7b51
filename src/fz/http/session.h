// Internal to fz::http: one HTTP/1.1 connection, written once as a template over the stream
// type (beast::tcp_stream for HTTP, beast::ssl_stream<beast::tcp_stream> for HTTPS).
//
// Every member is touched only on the connection's strand (the stream's executor), except the
// entry points marked thread-safe, which post to it. One deadline timer bounds whatever the
// connection waits for: the TLS handshake, the first byte of a kept-alive request (idle_timeout),
// a whole request (read_timeout, then 408), a write (write_timeout) and the drain before close.
#pragma once

#include <utility>  // Before Asio (Boost 1.74 with C++20).

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/time/clock.h"
#include "boost/asio/ssl.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "fz/http/server_impl.h"
#include "fz/http/sse_channel.h"

namespace fz::http {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Builds the handler's view of a parsed request; false when the target has a bad escape.
bool ToRequest(bhttp::request<bhttp::string_body>& message, std::string remote_ip, Request* out,
               std::string* error);
// A status line and headers for an SSE response, without Content-Length.
std::string SseResponseHead(const Response& response);
// Maps a read error to the rejection it deserves; nullopt: close silently.
std::optional<Rejection> ClassifyReadError(const beast::error_code& ec);
std::chrono::steady_clock::duration ToChrono(absl::Duration d);

template <class Stream>
class Session final : public SessionBase,
                      public SseSink,
                      public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <class... StreamArgs>
  Session(Server::Impl& server, bool over_capacity, std::string remote_ip, StreamArgs&&... args)
      : server_(server),
        over_capacity_(over_capacity),
        remote_ip_(std::move(remote_ip)),
        stream_(std::forward<StreamArgs>(args)...),
        deadline_(stream_.get_executor()),
        keepalive_(stream_.get_executor()) {
    if (!over_capacity_) server_.metrics.ConnectionOpened();
  }

  ~Session() override {
    if (channel_ != nullptr) server_.metrics.SseClosed();
    server_.Unregister(this, !over_capacity_);
  }

  void Start() {
    if constexpr (kTls) {
      Arm(server_.options.read_timeout, Phase::kHandshake);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->ReadRequest(/*first=*/true);
                              });
    } else {
      ReadRequest(/*first=*/true);
    }
  }

  void Shutdown() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // A request in flight finishes; its response says Connection: close.
      if (!self->in_flight_) self->Close();
    });
  }

  void CloseNow() override { Close(); }

  void OnSseQueued() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->PumpSse(); });
  }

  void OnSseClosed(bool overflow) override {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), overflow] {
      if (overflow) return self->Close();
      self->PumpSse();
    });
  }

 private:
  enum class Phase { kNone, kHandshake, kIdle, kReading, kWriting, kDraining };

  auto& Socket() { return beast::get_lowest_layer(stream_).socket(); }

  void Arm(absl::Duration timeout, Phase phase) {
    phase_ = phase;
    uint64_t generation = ++deadline_generation_;
    deadline_.expires_after(ToChrono(timeout));
    deadline_.async_wait([self = this->shared_from_this(), generation](beast::error_code ec) {
      if (ec || generation != self->deadline_generation_) return;
      self->OnDeadline();
    });
  }

  void Disarm() {
    phase_ = Phase::kNone;
    ++deadline_generation_;
    deadline_.cancel();
  }

  void OnDeadline() {
    if (phase_ == Phase::kReading) {
      // Cancel the read; its handler answers 408 (a half-sent request is a slow client).
      timed_out_ = true;
      beast::error_code ignored;
      Socket().cancel(ignored);
      return;
    }
    Close();
  }

  void ReadRequest(bool first) {
    if (closed_) return;
    if (server_.stopping() && !first) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(server_.options.max_body_bytes);
    if (first || buffer_.size() > 0) return ReadHeader();
    // Kept alive: wait idle_timeout for the first byte, then read_timeout for the request.
    Arm(server_.options.idle_timeout, Phase::kIdle);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    Arm(server_.options.read_timeout, Phase::kReading);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    auto length = parser_->content_length();  // boost::optional
    if (length && *length > server_.options.max_body_bytes) {
      return Reject(Rejection::kBodyTooLarge, 413, "body_too_large",
                    "request body exceeds the limit");
    }
    auto& header = parser_->get();
    auto expect = header[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue") && !over_capacity_) {
      // Clients like curl wait for this before sending a large body.
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue),
                              [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                if (ec) return self->Close();
                                self->ReadBody();
                              });
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnReadError(beast::error_code ec) {
    if (timed_out_) {
      return Reject(Rejection::kTimeout, 408, "request_timeout",
                    "the request did not arrive within the read timeout");
    }
    std::optional<Rejection> rejection = ClassifyReadError(ec);
    if (!rejection) return Close();
    switch (*rejection) {
      case Rejection::kBodyTooLarge:
        return Reject(*rejection, 413, "body_too_large", "request body exceeds the limit");
      case Rejection::kHeaderTooLarge:
        return Reject(*rejection, 431, "header_too_large",
                      "request header block exceeds the limit");
      default:
        return Reject(Rejection::kBadRequest, 400, "bad_request", ec.message());
    }
  }

  void OnBody(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    Disarm();
    started_ = absl::Now();
    if (over_capacity_) {  // Counted in fz_http_rejected_total when accepted.
      return Write(
          Response::Error(503, "too_many_connections", "the server has too many open connections"),
          /*keep_alive=*/false, /*drain=*/true);
    }
    if (server_.stopping()) {
      return Reject(Rejection::kStopping, 503, "shutting_down", "the server is shutting down");
    }
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    Request request;
    std::string error;
    if (!ToRequest(message, remote_ip_, &request, &error)) {
      return Reject(Rejection::kBadRequest, 400, "bad_request", error);
    }
    RateLimiter::Decision decision = server_.rate_limiter.Admit(remote_ip_);
    if (!decision.admitted) {
      server_.metrics.CountRejected(Rejection::kRateLimited);
      Response response = Response::Error(429, "rate_limited", "too many requests");
      response.headers.push_back({"Retry-After", std::to_string(decision.retry_after_seconds)});
      return Write(std::move(response), keep_alive_, /*drain=*/false);
    }
    in_flight_ = true;
    server_.BeginRequest();
    auto task = [self = this->shared_from_this(), request = std::move(request)]() mutable {
      Response response = self->CallHandler(request);
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->OnHandlerDone(std::move(response));
      });
    };
    if (!server_.workers->TrySubmit(std::move(task))) {
      EndRequest();
      server_.metrics.CountRejected(Rejection::kQueueFull);
      return Write(Response::Error(503, "overloaded", "the request queue is full"), keep_alive_,
                   /*drain=*/false);
    }
  }

  Response CallHandler(Request& request) {
    try {
      return server_.handler(request);
    } catch (const std::exception& e) {
      return Response::Error(500, "internal", e.what());
    } catch (...) {
      return Response::Error(500, "internal", "handler failed");
    }
  }

  void OnHandlerDone(Response response) {
    if (closed_) return EndRequest();
    if (response.sse) return StartSse(std::move(response));
    Write(std::move(response), keep_alive_ && !server_.stopping(), /*drain=*/false);
  }

  void EndRequest() {
    if (!in_flight_) return;
    in_flight_ = false;
    server_.EndRequest();
  }

  void Reject(Rejection reason, int status, std::string_view code, std::string_view message) {
    server_.metrics.CountRejected(reason);
    started_ = absl::Now();
    Write(Response::Error(status, code, message), /*keep_alive=*/false, /*drain=*/true);
  }

  void Write(Response response, bool keep_alive, bool drain) {
    if (response.status < 100 || response.status > 999) {
      response = Response::Error(500, "internal", "handler returned an invalid status");
    }
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    message->set(bhttp::field::server, "fanzha");
    message->set(bhttp::field::content_type, response.content_type);
    for (const HeaderField& field : response.headers) message->insert(field.name, field.value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive);
    message->prepare_payload();
    server_.metrics.CountRequest(response.status, absl::ToDoubleSeconds(absl::Now() - started_));
    Arm(server_.options.write_timeout, Phase::kWriting);
    bhttp::async_write(stream_, *message,
                       [self = this->shared_from_this(), message, keep_alive, drain](
                           beast::error_code ec, size_t) {
                         self->EndRequest();
                         if (ec) return self->Close();
                         if (drain) return self->DrainAndClose();
                         if (!keep_alive) return self->CloseGracefully();
                         self->ReadRequest(/*first=*/false);
                       });
  }

  // After an error response to a client that may still be sending (a 10 MB body against a
  // 413): stop sending, read and discard until the client closes, so that closing with unread
  // data does not reset the connection before the client has read the response.
  void DrainAndClose() {
    beast::error_code ignored;
    Socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    Arm(server_.options.read_timeout, Phase::kDraining);
    Drain();
  }

  void Drain() {
    Socket().async_read_some(net::buffer(scratch_),
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                               if (ec) return self->Close();
                               self->Drain();
                             });
  }

  void CloseGracefully() { DrainAndClose(); }

  void Close() {
    if (closed_) return;
    closed_ = true;
    Disarm();
    keepalive_.cancel();
    if (channel_ != nullptr) channel_->MarkClosed();
    beast::error_code ignored;
    Socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    Socket().close(ignored);
  }

  // --- Server-Sent Events -------------------------------------------------------------------

  void StartSse(Response response) {
    channel_ = std::make_shared<SseChannelImpl>(server_.options.sse_max_queued_frames,
                                                this->weak_from_this());
    server_.metrics.SseOpened();
    server_.metrics.CountRequest(response.status, absl::ToDoubleSeconds(absl::Now() - started_));
    sse_head_ = SseResponseHead(response);
    Arm(server_.options.write_timeout, Phase::kWriting);
    net::async_write(stream_, net::buffer(sse_head_),
                     [self = this->shared_from_this(), open = std::move(response.sse)](
                         beast::error_code ec, size_t) {
                       self->Disarm();
                       self->EndRequest();
                       if (ec) return self->Close();
                       self->WatchSseClient();
                       self->ArmKeepalive();
                       auto channel = self->channel_;
                       if (!self->server_.workers->TrySubmit([open, channel] { open(channel); })) {
                         self->server_.metrics.CountRejected(Rejection::kQueueFull);
                         self->Close();
                       }
                     });
  }

  // The client sends nothing after the request; a completed read means it closed or reset.
  void WatchSseClient() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->WatchSseClient();
                            });
  }

  void ArmKeepalive() {
    keepalive_.expires_after(ToChrono(server_.options.sse_keepalive));
    keepalive_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      self->channel_->SendComment("keepalive");
      self->ArmKeepalive();
    });
  }

  void PumpSse() {
    if (closed_ || sse_writing_ || channel_ == nullptr) return;
    std::deque<std::string> frames = channel_->TakeFrames();
    if (frames.empty()) {
      if (channel_->closed()) Close();  // The application closed it and everything is sent.
      return;
    }
    sse_out_.clear();
    for (const std::string& frame : frames) sse_out_ += frame;
    sse_writing_ = true;
    Arm(server_.options.write_timeout, Phase::kWriting);
    net::async_write(stream_, net::buffer(sse_out_),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->sse_writing_ = false;
                       self->Disarm();
                       if (ec) return self->Close();
                       self->PumpSse();
                     });
  }

  Server::Impl& server_;
  const bool over_capacity_;  // Past max_connections: answer the first request 503 and close.
  const std::string remote_ip_;
  Stream stream_;
  net::steady_timer deadline_;
  net::steady_timer keepalive_;
  uint64_t deadline_generation_ = 0;
  Phase phase_ = Phase::kNone;
  bool timed_out_ = false;
  bool closed_ = false;
  bool in_flight_ = false;
  bool keep_alive_ = false;
  absl::Time started_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::array<char, 4096> scratch_;
  std::shared_ptr<SseChannelImpl> channel_;
  std::string sse_head_;
  std::string sse_out_;
  bool sse_writing_ = false;
};

}  // namespace fz::http
