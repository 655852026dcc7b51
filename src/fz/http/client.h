// A small blocking HTTP/1.1 client (Boost.Beast) for the load generator, `fanzha feed` and the
// integration tests: keep-alive requests and an SSE reader. Plain HTTP to loopback or a LAN
// address; TLS optional (no certificate verification when insecure is set, for tests).
//
//   http::Client client("127.0.0.1", port);
//   FZ_ASSIGN_OR_RETURN(http::ClientResponse r,
//                       client.Send("POST", "/api/events", body, {{"Authorization", "Bearer t"}}));
//
// Not thread-safe: one Client per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/http/message.h"

namespace fz::http {

struct ClientResponse {
  int status = 0;
  std::vector<HeaderField> headers;
  std::string body;
  std::string_view Header(std::string_view name) const;  // case-insensitive, "" when absent
};

struct ClientOptions {
  absl::Duration timeout = absl::Seconds(30);
  bool tls = false;
  bool tls_insecure = false;  // skip certificate verification (tests with a self-signed cert)
};

class Client {
 public:
  Client(std::string host, uint16_t port, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects on first use and reconnects once if a kept-alive connection was closed.
  StatusOr<ClientResponse> Send(std::string_view method, std::string_view target,
                                std::string_view body = "",
                                const std::vector<HeaderField>& headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct SseEvent {
  std::string id;
  std::string event;  // "message" when the frame names none
  std::string data;   // data lines joined with '\n'
};

// Opens GET `target` with Accept: text/event-stream and calls on_event for each event until it
// returns false, the server closes, `timeout` passes without a byte, or `until` is reached
// (keepalive comments reset the idle timeout but never reach on_event, so a listener that must
// stop at a set time needs `until`; reaching it returns OK). Returns the HTTP status error for
// a non-200 answer.
Status ReadSse(const std::string& host, uint16_t port, std::string_view target,
               const std::vector<HeaderField>& headers,
               const std::function<bool(const SseEvent&)>& on_event,
               absl::Duration timeout = absl::Seconds(30),
               absl::Time until = absl::InfiniteFuture());

}  // namespace fz::http
