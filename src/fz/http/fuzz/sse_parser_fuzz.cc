// Fuzzes the SSE wire format both ways: parsing any bytes never crashes and gives the same
// events however the bytes are split across reads; a frame the server formats from any
// id/event/data parses back to the same event (line breaks in data become '\n').
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fz/http/sse_channel.h"
#include "fz/http/sse_parser.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

std::vector<fz::http::SseEvent> Parse(std::string_view bytes, size_t split) {
  fz::http::SseParser parser;
  std::vector<fz::http::SseEvent> events;
  auto collect = [&](const fz::http::SseEvent& e) {
    events.push_back(e);
    return true;
  };
  parser.Feed(bytes.substr(0, split), collect);
  parser.Feed(bytes.substr(split), collect);
  return events;
}

bool Same(const std::vector<fz::http::SseEvent>& a, const std::vector<fz::http::SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].event != b[i].event || a[i].data != b[i].data) return false;
  }
  return true;
}

std::string Normalized(std::string_view data) {
  std::string out;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\r') {
      out += '\n';
      if (i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else {
      out += data[i];
    }
  }
  return out;
}

std::string WithoutBreaks(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  Check(Same(Parse(raw, 0), Parse(raw, size / 2)));
  Check(Same(Parse(raw, 0), Parse(raw, size > 0 ? size - 1 : 0)));

  // id \x01 event \x01 data
  size_t first = raw.find('\x01');
  size_t second = first == std::string_view::npos ? first : raw.find('\x01', first + 1);
  if (second == std::string_view::npos) return 0;
  std::string_view id = raw.substr(0, first);
  std::string_view event = raw.substr(first + 1, second - first - 1);
  std::string_view body = raw.substr(second + 1);
  if (id.find('\0') != std::string_view::npos) return 0;  // Browsers ignore such ids too.
  std::string frame = fz::http::FormatSseFrame(id, event, body);
  std::vector<fz::http::SseEvent> events = Parse(frame, frame.size() / 3);
  Check(events.size() == 1);
  Check(events[0].id == WithoutBreaks(id));
  std::string name = WithoutBreaks(event);
  Check(events[0].event == (name.empty() ? "message" : name));
  Check(events[0].data == Normalized(body));
  return 0;
}
