#include "fz/http/client.h"

#include <utility>  // Before Asio (Boost 1.74 with C++20).

#include <strings.h>
#include <optional>

#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "fz/common/str_cat.h"
#include "fz/http/sse_parser.h"

namespace fz::http {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

// Runs one asynchronous operation to completion on `ioc`; the stream's expiry bounds it.
template <class Start>
beast::error_code Run(net::io_context& ioc, Start start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

Status ErrorFrom(std::string_view what, const std::string& where, const beast::error_code& ec) {
  std::string message = StrCat(what, " ", where, ": ", ec.message());
  if (ec == beast::error::timeout) return absl::DeadlineExceededError(message);
  return absl::UnavailableError(message);
}

// A connection the server may have closed while it sat idle: retry once on a new one.
bool IsStale(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::ssl::error::stream_truncated;
}

Status StatusFromHttp(int status, std::string_view body) {
  std::string message = StrCat("HTTP ", status, ": ", body.substr(0, 500));
  switch (status) {
    case 400:
      return absl::InvalidArgumentError(message);
    case 401:
      return absl::UnauthenticatedError(message);
    case 403:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    case 429:
      return absl::ResourceExhaustedError(message);
    case 503:
      return absl::UnavailableError(message);
    default:
      return absl::UnknownError(message);
  }
}

StatusOr<tcp::resolver::results_type> Resolve(net::io_context& ioc, const std::string& host,
                                              uint16_t port) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return ErrorFrom("resolve", host, ec);
  return results;
}

}  // namespace

std::string_view ClientResponse::Header(std::string_view name) const {
  for (const HeaderField& field : headers) {
    if (field.name.size() == name.size() &&
        strncasecmp(field.name.data(), name.data(), name.size()) == 0) {
      return field.value;
    }
  }
  return {};
}

struct Client::Impl {
  std::string host;
  uint16_t port;
  ClientOptions options;
  std::string where;
  net::io_context ioc;
  std::optional<net::ssl::context> ssl;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  void Disconnect() {
    if (!plain && !tls) return;
    beast::error_code ignored;
    Lowest().socket().close(ignored);
    plain.reset();
    tls.reset();
    buffer.clear();
  }

  Status Connect() {
    FZ_ASSIGN_OR_RETURN(auto endpoints, Resolve(ioc, host, port));
    if (options.tls) {
      if (!ssl) {
        ssl.emplace(net::ssl::context::tls_client);
        if (options.tls_insecure) {
          ssl->set_verify_mode(net::ssl::verify_none);
        } else {
          ssl->set_default_verify_paths();
          ssl->set_verify_mode(net::ssl::verify_peer);
        }
      }
      tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *ssl);
      if (!options.tls_insecure) tls->set_verify_callback(net::ssl::host_name_verification(host));
      SSL_set_tlsext_host_name(tls->native_handle(), host.c_str());
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    Lowest().expires_after(ToChrono(options.timeout));
    beast::error_code ec =
        Run(ioc, [&](auto handler) { Lowest().async_connect(endpoints, std::move(handler)); });
    // Requests are written as header then body: without no_delay the body waits for the
    // server's delayed ACK (~40 ms).
    if (!ec) Lowest().socket().set_option(tcp::no_delay(true), ec);
    if (!ec && tls) {
      Lowest().expires_after(ToChrono(options.timeout));
      ec = Run(ioc, [&](auto handler) {
        tls->async_handshake(net::ssl::stream_base::client, std::move(handler));
      });
    }
    if (ec) {
      Disconnect();
      return ErrorFrom("connect", where, ec);
    }
    return absl::OkStatus();
  }

  template <class Stream>
  beast::error_code Exchange(Stream& stream, bhttp::request<bhttp::string_body>& request,
                             ClientResponse* out) {
    Lowest().expires_after(ToChrono(options.timeout));
    beast::error_code ec =
        Run(ioc, [&](auto handler) { bhttp::async_write(stream, request, std::move(handler)); });
    if (ec) return ec;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(1 << 20);
    parser.body_limit(boost::none);
    Lowest().expires_after(ToChrono(options.timeout));
    ec = Run(ioc,
             [&](auto handler) { bhttp::async_read(stream, buffer, parser, std::move(handler)); });
    if (ec) return ec;
    auto& message = parser.get();
    out->status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      out->headers.push_back({std::string(field.name_string().data(), field.name_string().size()),
                              std::string(field.value().data(), field.value().size())});
    }
    out->body = std::move(message.body());
    if (!message.keep_alive()) Disconnect();
    return {};
  }
};

Client::Client(std::string host, uint16_t port, ClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->options = options;
  impl_->where = StrCat(impl_->host, ":", static_cast<int>(port));
}

Client::~Client() { impl_->Disconnect(); }

StatusOr<ClientResponse> Client::Send(std::string_view method, std::string_view target,
                                      std::string_view body,
                                      const std::vector<HeaderField>& headers) {
  bhttp::request<bhttp::string_body> request;
  request.version(11);
  request.method_string({method.data(), method.size()});
  request.target({target.data(), target.size()});
  request.set(bhttp::field::host, impl_->host);
  request.set(bhttp::field::user_agent, "fanzha");
  for (const HeaderField& field : headers) request.insert(field.name, field.value);
  request.body().assign(body.data(), body.size());
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request.prepare_payload();
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = impl_->plain || impl_->tls;
    if (!reused) FZ_RETURN_IF_ERROR(impl_->Connect());
    ClientResponse response;
    beast::error_code ec = impl_->tls ? impl_->Exchange(*impl_->tls, request, &response)
                                      : impl_->Exchange(*impl_->plain, request, &response);
    if (!ec) return response;
    impl_->Disconnect();
    if (!(reused && IsStale(ec))) return ErrorFrom(StrCat(method, " ", target), impl_->where, ec);
  }
  return absl::UnavailableError(StrCat(method, " ", target, " ", impl_->where, ": failed twice"));
}

Status ReadSse(const std::string& host, uint16_t port, std::string_view target,
               const std::vector<HeaderField>& headers,
               const std::function<bool(const SseEvent&)>& on_event, absl::Duration timeout,
               absl::Time until) {
  std::string where = StrCat(host, ":", static_cast<int>(port));
  net::io_context ioc;
  FZ_ASSIGN_OR_RETURN(auto endpoints, Resolve(ioc, host, port));
  beast::tcp_stream stream(ioc);
  stream.expires_after(ToChrono(timeout));
  beast::error_code ec =
      Run(ioc, [&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
  if (ec) return ErrorFrom("connect", where, ec);
  stream.socket().set_option(tcp::no_delay(true), ec);
  if (ec) return ErrorFrom("connect", where, ec);

  bhttp::request<bhttp::empty_body> request(bhttp::verb::get, {target.data(), target.size()}, 11);
  request.set(bhttp::field::host, host);
  request.set(bhttp::field::accept, "text/event-stream");
  request.set(bhttp::field::cache_control, "no-cache");
  for (const HeaderField& field : headers) request.insert(field.name, field.value);
  stream.expires_after(ToChrono(timeout));
  ec = Run(ioc, [&](auto handler) { bhttp::async_write(stream, request, std::move(handler)); });
  if (ec) return ErrorFrom("GET", where, ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1 << 20);
  stream.expires_after(ToChrono(timeout));
  ec = Run(ioc, [&](auto handler) {
    bhttp::async_read_header(stream, buffer, parser, std::move(handler));
  });
  if (ec) return ErrorFrom("GET", where, ec);
  int status = static_cast<int>(parser.get().result_int());
  if (status != 200) {
    stream.expires_after(ToChrono(timeout));
    Run(ioc, [&](auto handler) { bhttp::async_read(stream, buffer, parser, std::move(handler)); });
    return StatusFromHttp(status, parser.get().body());
  }
  // The stream's body runs until the connection closes: read it raw.
  SseParser sse;
  while (true) {
    auto data = buffer.data();
    std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    bool keep_going = sse.Feed(bytes, on_event);
    buffer.consume(buffer.size());
    if (!keep_going) break;
    const absl::Time now = absl::Now();
    if (now >= until) break;
    stream.expires_after(ToChrono(std::min(timeout, until - now)));
    size_t n = 0;
    ec = net::error::would_block;
    stream.async_read_some(buffer.prepare(16 << 10), [&](beast::error_code e, size_t bytes) {
      ec = e;
      n = bytes;
    });
    ioc.restart();
    ioc.run();
    buffer.commit(n);
    if (ec == net::error::eof) break;
    if (ec == beast::error::timeout && absl::Now() >= until) break;
    if (ec) return ErrorFrom("reading events from", where, ec);
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return absl::OkStatus();
}

}  // namespace fz::http
