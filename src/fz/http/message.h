// Request and Response: what a handler sees and returns, independent of Boost.Beast so that the
// API layer and its tests never include Beast headers.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fz::http {

struct HeaderField {
  std::string name;
  std::string value;
};

struct Request {
  std::string method;  // "GET"
  std::string target;  // as sent: "/api/warnings?level=red&limit=50"
  std::string path;    // percent-decoded path without the query: "/api/warnings"
  std::multimap<std::string, std::string> query;  // percent-decoded ('+' is a space)
  std::vector<HeaderField> headers;
  std::string body;
  std::string remote_ip;                           // "127.0.0.1"
  std::map<std::string, std::string> path_params;  // filled by Router: "{id}" → "42"

  // Case-insensitive; "" when absent.
  std::string_view Header(std::string_view name) const;
  // The first value of a query parameter.
  std::optional<std::string_view> Query(std::string_view name) const;
};

// Thread-safe sink for one Server-Sent Events stream. The application keeps the shared_ptr and
// sends from any thread; the server writes frames in order.
class SseChannel {
 public:
  virtual ~SseChannel() = default;
  // Queues one event ("id: ...\nevent: ...\ndata: ...\n\n"; data lines split on '\n').
  // Returns false when the stream is closed or the client fell too far behind (then the
  // server closes it; the client resumes with Last-Event-ID).
  virtual bool Send(std::string_view id, std::string_view event, std::string_view data) = 0;
  // Queues "retry: ms" or a ": comment" line; same return value as Send.
  virtual bool SendRetry(int milliseconds) = 0;
  virtual bool closed() const = 0;
  virtual void Close() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<HeaderField> headers;
  // Set for a Server-Sent Events response: the server sends the status and headers with
  // Content-Type text/event-stream, then calls this once (on a worker) with the stream's
  // channel, then writes whatever the channel queues until the client or the channel closes.
  std::function<void(std::shared_ptr<SseChannel>)> sse;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body, std::string content_type);
  // {"error":{"code":"bad_request","message":"...","field":"level"}}; field omitted when empty.
  static Response Error(int status, std::string_view code, std::string_view message,
                        std::string_view field = "");
};

}  // namespace fz::http
