// JSON object -> Event, with simdjson On-Demand: one parser and one padded buffer reused for
// every line, so parsing a JSONL file allocates nothing per line beyond the Event's strings.
//
//   JsonEventParser parser(options);
//   model::Event event;
//   Status s = parser.Parse(line, /*default_type=*/std::nullopt, &event);
//
// Field names and values as docs/formats.md "Events": strings, or numbers for ts (epoch ms),
// duration_s, amount and loss (numbers are read from their JSON text, never through a double,
// so 1999.5 is exactly 199950 fen); arrays for the list fields; null counts as absent; unknown
// keys are ignored. Not thread-safe: one parser per thread.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "fz/common/status.h"
#include "fz/ingest/event_reader.h"
#include "fz/model/event.h"

namespace fz::ingest {

class JsonEventParser {
 public:
  explicit JsonEventParser(const ReadOptions& options);
  ~JsonEventParser();
  JsonEventParser(const JsonEventParser&) = delete;
  JsonEventParser& operator=(const JsonEventParser&) = delete;

  // Parses one JSON object. `default_type` applies when the object has no "type" (a JSONL
  // file named after its type). Errors start with the reason code: bad_json, missing_field,
  // bad_timestamp, bad_phone, ... (docs/formats.md).
  Status Parse(std::string_view json, std::optional<model::EventType> default_type,
               model::Event* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fz::ingest
