// Incremental parser for the text/event-stream wire format (the WHATWG "event stream
// interpretation"): "field: value" lines, ':' comments, multi-line data, events ended by a blank
// line; CRLF, LF or CR line ends, possibly split across reads. Used by ReadSse and tests.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "fz/http/client.h"

namespace fz::http {

class SseParser {
 public:
  using OnEvent = std::function<bool(const SseEvent&)>;

  // Feeds bytes as they arrive; calls on_event per complete event. Returns false as soon as
  // on_event does (the rest of `bytes` is not parsed).
  bool Feed(std::string_view bytes, const OnEvent& on_event);

  // The last "retry:" value in milliseconds, -1 when none came.
  int retry_ms() const { return retry_ms_; }

 private:
  bool ProcessLine(std::string_view line, const OnEvent& on_event);

  std::string line_;
  bool after_cr_ = false;  // a CR ended the last line: a following LF belongs to it
  std::string data_;
  std::string event_;
  std::string last_event_id_;  // persists across events, as in browsers
  bool has_data_ = false;
  int retry_ms_ = -1;
};

}  // namespace fz::http
