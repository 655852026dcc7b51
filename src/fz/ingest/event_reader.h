// Reading event files (docs/formats.md "Events"): CSV or JSONL, plain, .gz or .zst, into
// model::Event batches. Every phone field is normalized (fz/normalize fast path), timestamps
// parsed, required fields checked. A row that fails goes to the Quarantine with file, line,
// reason and raw text, and reading goes on.
//
//   Quarantine quarantine("bad.jsonl");                  // or Quarantine() to only count
//   FZ_ASSIGN_OR_RETURN(FileStats stats, ReadEventFile(path, options, quarantine,
//       [&](std::vector<model::Event>& batch) { for (auto& e : batch) detector.Process(e); }));
//
// Thread safety: ReadEventFile / ReadEventBuffer / ParseJsonEvent keep their parsers per call,
// so different files may be read on different threads at once (sharing one Quarantine and
// ReadOptions); `on_batch` runs on the reading thread. Formats, field rules and quarantine
// reason codes: docs/formats.md "Events".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "fz/common/status.h"
#include "fz/model/event.h"
#include "fz/model/fraud_type.h"

namespace fz::ingest {

// A row that could not be read, kept with what is needed to fix and replay it.
struct QuarantineRecord {
  std::string file;
  int64_t line = 0;    // 1-based physical line (CSV header is line 1)
  std::string reason;  // stable short code first, then detail: "bad_phone: callee '12ab'"
  std::string raw;     // the row as read (CSV record or JSON line)
};

// Collects rejected rows: appends them as JSONL to a file (if a path is given) and counts them
// per reason code (the text before the first ':'). Thread-safe.
class Quarantine {
 public:
  Quarantine();                                  // count only
  explicit Quarantine(const std::string& path);  // also append JSONL to `path`
  ~Quarantine();

  Status status() const;  // first error writing the file, if any
  void Add(QuarantineRecord record);
  int64_t total() const;
  std::map<std::string, int64_t> CountsByReason() const;
  // Writes buffered records to the file (they are also flushed every 256 records and on
  // destruction). Returns status().
  Status Flush();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct ReadOptions {
  const model::FraudTypeRegistry* fraud_types = nullptr;  // required for directive/report rows
  size_t batch_size = 4096;
  // Optional: called on each event as it is committed, its value kept in BatchKeys::keys
  // (EventFileReader::Next) and handed on with merged events by reference (EventRefBatch).
  model::EventKeys (*keys_of)(const model::Event& event) = nullptr;
};

// What a reader records about each committed event, in batch order, while the event is still
// in the parsing core's cache (EventFileReader::Next): the merge orders files by `times`
// instead of reading every event's header on another core.
struct BatchKeys {
  std::vector<absl::Time> times;       // header.time of each event
  std::vector<model::EventKeys> keys;  // ReadOptions::keys_of of each event, when set
};

struct FileStats {
  int64_t rows = 0;         // data rows seen (excluding header, blank lines)
  int64_t events = 0;       // rows turned into events
  int64_t quarantined = 0;  // rows sent to the quarantine
  int64_t bytes = 0;        // uncompressed bytes read
};

using BatchFn = std::function<void(std::vector<model::Event>& batch)>;

// Reads one file, format from its name: *.csv, *.jsonl or *.ndjson, each optionally + .gz or
// .zst. Calls `on_batch` with up to options.batch_size events at a time (the callee may move
// out of the vector). Returns an error only for a file that cannot be opened or decoded, or
// a CSV without a usable header; bad rows are quarantined.
StatusOr<FileStats> ReadEventFile(const std::string& path, const ReadOptions& options,
                                  Quarantine& quarantine, const BatchFn& on_batch);

enum class EventFormat { kCsv, kJsonl };

// From the file name: "*.csv[.gz|.zst]" -> kCsv, "*.jsonl" / "*.ndjson" [+ .gz|.zst] -> kJsonl.
std::optional<EventFormat> EventFormatFromName(std::string_view path);

// The event type a file name starts with: the type's name, optionally followed by 's', then a
// character that is not a letter ("call_20261126.csv", "sms-0930.csv.gz", "transfers.jsonl").
// Only the base name counts. nullopt when the name starts with no type.
std::optional<model::EventType> EventTypeFromName(std::string_view path);

// ReadEventFile over an in-memory, already decoded file body (fuzzers, HTTP ingest, tests).
// `source_name` is used in quarantine records and errors; `default_type` applies to rows
// without a type (as the type from a file name does).
StatusOr<FileStats> ReadEventBuffer(std::string_view body, EventFormat format,
                                    std::optional<model::EventType> default_type,
                                    const std::string& source_name, const ReadOptions& options,
                                    Quarantine& quarantine, const BatchFn& on_batch);

// Parses one JSON object (one JSONL line) into an event. Used by the file reader, the HTTP
// ingest API and the rule scenario tests. The error message starts with the reason code.
StatusOr<model::Event> ParseJsonEvent(std::string_view json, const ReadOptions& options);

// Timestamps: ISO 8601 with offset ("2026-11-26T09:30:00+08:00", "...Z", fractional seconds
// allowed) or epoch milliseconds ("1795656600000").
StatusOr<absl::Time> ParseTimestamp(std::string_view text);

}  // namespace fz::ingest
