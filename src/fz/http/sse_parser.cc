#include "fz/http/sse_parser.h"

#include <charconv>

namespace fz::http {

bool SseParser::Feed(std::string_view bytes, const OnEvent& on_event) {
  for (char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      std::string line;
      line.swap(line_);
      if (!ProcessLine(line, on_event)) return false;
    } else {
      line_.push_back(c);
    }
  }
  return true;
}

bool SseParser::ProcessLine(std::string_view line, const OnEvent& on_event) {
  if (line.empty()) {
    // Dispatch: an event without data lines is discarded, as a browser does.
    bool keep_going = true;
    if (has_data_) {
      SseEvent event{last_event_id_, event_.empty() ? "message" : event_, data_};
      keep_going = on_event(event);
    }
    data_.clear();
    event_.clear();
    has_data_ = false;
    return keep_going;
  }
  if (line.front() == ':') return true;  // comment (keepalive)
  size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_event_id_.assign(value);
  } else if (field == "retry") {
    int ms = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc() && end == value.data() + value.size() && ms >= 0) retry_ms_ = ms;
  }
  return true;  // Unknown fields are ignored.
}

}  // namespace fz::http
