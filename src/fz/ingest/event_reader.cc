// ReadEventFile / ReadEventBuffer: picks the format and type from the file name, frames the
// decoded stream into records (RecordScanner) and hands them to the CSV or JSONL row loop.

#include "fz/ingest/event_reader.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "fz/common/str_cat.h"
#include "fz/ingest/batch_sink.h"
#include "fz/ingest/csv_reader.h"
#include "fz/ingest/decompress.h"
#include "fz/ingest/json_event.h"
#include "fz/ingest/record_scanner.h"
#include "fz/normalize/text.h"

namespace fz::ingest {
namespace {

using internal::BatchSink;

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view WithoutCompression(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  if (name.ends_with(".zst")) name.remove_suffix(4);
  return name;
}

Status ReadJsonlEvents(RecordScanner& scanner, std::optional<model::EventType> default_type,
                       const ReadOptions& options, BatchSink& sink) {
  JsonEventParser parser(options);
  ScannedRecord rec;
  for (;;) {
    FZ_ASSIGN_OR_RETURN(bool more, scanner.Next(&rec));
    if (!more) break;
    if (rec.too_long) {
      sink.Reject(rec.line, fz::StrCat("too_long: line exceeds ", kMaxRecordBytes, " bytes"),
                  rec.text.substr(0, internal::kMaxQuarantinedTooLong));
      continue;
    }
    std::string_view line = normalize::TrimAscii(rec.text);
    if (line.empty()) continue;
    Status s = parser.Parse(line, default_type, &sink.Start());
    if (s.ok()) {
      sink.Commit();
    } else {
      sink.Abort(rec.line, std::string(s.message()), rec.text);
    }
  }
  sink.Flush();
  return absl::OkStatus();
}

StatusOr<FileStats> ReadStream(ByteSource& source, EventFormat format,
                               std::optional<model::EventType> default_type,
                               const std::string& name, const ReadOptions& options,
                               Quarantine& quarantine, const BatchFn& on_batch,
                               size_t chunk_bytes = RecordScanner::kDefaultChunkBytes) {
  BatchSink sink(name, options, quarantine, on_batch);
  RecordScanner scanner(&source, /*csv_quotes=*/format == EventFormat::kCsv, chunk_bytes);
  if (format == EventFormat::kCsv) {
    FZ_RETURN_IF_ERROR(ReadCsvEvents(scanner, default_type, options, sink));
  } else {
    FZ_RETURN_IF_ERROR(ReadJsonlEvents(scanner, default_type, options, sink));
  }
  sink.stats().bytes = scanner.bytes_read();
  return sink.stats();
}

}  // namespace

std::optional<EventFormat> EventFormatFromName(std::string_view path) {
  std::string_view name = WithoutCompression(BaseName(path));
  if (name.ends_with(".csv")) return EventFormat::kCsv;
  if (name.ends_with(".jsonl") || name.ends_with(".ndjson")) return EventFormat::kJsonl;
  return std::nullopt;
}

std::optional<model::EventType> EventTypeFromName(std::string_view path) {
  std::string_view name = BaseName(path);
  for (int i = 0; i <= static_cast<int>(model::EventType::kReport); ++i) {
    auto type = static_cast<model::EventType>(i);
    std::string_view type_name = model::EventTypeName(type);
    if (!name.starts_with(type_name)) continue;
    std::string_view rest = name.substr(type_name.size());
    if (rest.starts_with('s')) rest.remove_prefix(1);
    if (rest.empty() || !std::isalpha(static_cast<unsigned char>(rest.front()))) return type;
  }
  return std::nullopt;
}

StatusOr<FileStats> ReadEventFile(const std::string& path, const ReadOptions& options,
                                  Quarantine& quarantine, const BatchFn& on_batch) {
  std::optional<EventFormat> format = EventFormatFromName(path);
  if (!format.has_value()) {
    return absl::InvalidArgumentError(fz::StrCat(
        path,
        ": not an event file name (expected .csv, .jsonl or .ndjson, optionally + .gz or "
        ".zst)"));
  }
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenByteSource(path));
  return ReadStream(*source, *format, EventTypeFromName(path), path, options, quarantine, on_batch);
}

StatusOr<FileStats> ReadEventBuffer(std::string_view body, EventFormat format,
                                    std::optional<model::EventType> default_type,
                                    const std::string& source_name, const ReadOptions& options,
                                    Quarantine& quarantine, const BatchFn& on_batch) {
  std::unique_ptr<ByteSource> source = MemoryByteSource(body, Compression::kNone);
  size_t chunk = std::min(RecordScanner::kDefaultChunkBytes, body.size() + 1);
  return ReadStream(*source, format, default_type, source_name, options, quarantine, on_batch,
                    chunk);
}

}  // namespace fz::ingest
