// EventFileReader: a ByteSource, a RecordScanner framing it, and the CSV or JSONL row reader,
// stepped until a batch is full.

#include "fz/ingest/event_file_reader.h"

#include <algorithm>
#include <utility>

#include "fz/common/str_cat.h"
#include "fz/ingest/batch_sink.h"
#include "fz/ingest/csv_reader.h"
#include "fz/ingest/decompress.h"
#include "fz/ingest/json_event.h"
#include "fz/ingest/record_scanner.h"
#include "fz/ingest/row_reader.h"
#include "fz/normalize/text.h"

namespace fz::ingest {
namespace {

using internal::BatchSink;

class JsonlRowReader final : public internal::RowReader {
 public:
  JsonlRowReader(RecordScanner* scanner, std::optional<model::EventType> default_type,
                 const ReadOptions& options)
      : scanner_(scanner), default_type_(default_type), parser_(options) {}

  StatusOr<bool> Step(BatchSink& sink) override {
    FZ_ASSIGN_OR_RETURN(bool more, scanner_->Next(&rec_));
    if (!more) return false;
    if (rec_.too_long) {
      sink.Reject(rec_.line, fz::StrCat("too_long: line exceeds ", kMaxRecordBytes, " bytes"),
                  rec_.text.substr(0, internal::kMaxQuarantinedTooLong));
      return true;
    }
    std::string_view line = normalize::TrimAscii(rec_.text);
    if (line.empty()) return true;
    Status s = parser_.Parse(line, default_type_, &sink.Start());
    if (s.ok()) {
      sink.Commit();
    } else {
      sink.Abort(rec_.line, std::string(s.message()), rec_.text);
    }
    return true;
  }

 private:
  RecordScanner* scanner_;
  std::optional<model::EventType> default_type_;
  JsonEventParser parser_;
  ScannedRecord rec_;
};

}  // namespace

struct EventFileReader::Impl {
  Impl(std::unique_ptr<ByteSource> source_in, EventFormat format,
       std::optional<model::EventType> default_type, const std::string& name,
       const ReadOptions& options, Quarantine& quarantine, size_t chunk_bytes)
      : source(std::move(source_in)),
        scanner(source.get(), /*csv_quotes=*/format == EventFormat::kCsv, chunk_bytes),
        sink(name, quarantine),
        batch_size(options.batch_size == 0 ? 1 : options.batch_size) {
    sink.set_keys_of(options.keys_of);
    keys_of = options.keys_of != nullptr;
    if (format == EventFormat::kCsv) {
      rows = NewCsvRowReader(&scanner, default_type, options);
    } else {
      rows = std::make_unique<JsonlRowReader>(&scanner, default_type, options);
    }
  }

  std::unique_ptr<ByteSource> source;
  RecordScanner scanner;
  BatchSink sink;
  std::unique_ptr<internal::RowReader> rows;
  size_t batch_size;
  bool keys_of = false;  // options.keys_of is set
  bool done = false;
  Status error;  // sticky once the file failed
};

EventFileReader::EventFileReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventFileReader::~EventFileReader() = default;

StatusOr<std::unique_ptr<EventFileReader>> EventFileReader::Open(const std::string& path,
                                                                 const ReadOptions& options,
                                                                 Quarantine& quarantine) {
  std::optional<EventFormat> format = EventFormatFromName(path);
  if (!format.has_value()) {
    return absl::InvalidArgumentError(fz::StrCat(
        path,
        ": not an event file name (expected .csv, .jsonl or .ndjson, optionally + .gz or "
        ".zst)"));
  }
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenByteSource(path));
  return std::unique_ptr<EventFileReader>(new EventFileReader(
      std::make_unique<Impl>(std::move(source), *format, EventTypeFromName(path), path, options,
                             quarantine, RecordScanner::kDefaultChunkBytes)));
}

std::unique_ptr<EventFileReader> EventFileReader::ForBuffer(
    std::string_view body, EventFormat format, std::optional<model::EventType> default_type,
    const std::string& source_name, const ReadOptions& options, Quarantine& quarantine) {
  // A small body needs no 1 MiB buffer.
  size_t chunk = std::min(RecordScanner::kDefaultChunkBytes, body.size() + 1);
  return std::unique_ptr<EventFileReader>(new EventFileReader(
      std::make_unique<Impl>(MemoryByteSource(body, Compression::kNone), format, default_type,
                             source_name, options, quarantine, chunk)));
}

StatusOr<size_t> EventFileReader::Next(std::vector<model::Event>* batch, BatchKeys* keys) {
  Impl& r = *impl_;
  if (!r.error.ok() || r.done) {
    batch->clear();
    if (keys != nullptr) *keys = BatchKeys();
    if (!r.error.ok()) return r.error;
    return 0;
  }
  // The events in *batch are not cleared but overwritten (batch_sink.h): a recycled batch
  // keeps its strings' buffers.
  batch->reserve(r.batch_size);  // no-op unless a consumer took the vector's storage
  r.sink.set_batch(batch, keys);
  if (keys != nullptr) {
    keys->times.reserve(r.batch_size);
    if (r.keys_of) keys->keys.reserve(r.batch_size);
  }
  while (r.sink.committed() < r.batch_size) {
    StatusOr<bool> more = r.rows->Step(r.sink);
    if (!more.ok()) {
      r.error = more.status();
      // What was read before the error is still delivered (as a file read in one go would
      // have delivered it); the error comes with the next call.
      if (r.sink.committed() > 0) break;
      batch->clear();
      if (keys != nullptr) *keys = BatchKeys();
      return r.error;
    }
    if (!*more) {
      r.done = true;
      break;
    }
  }
  r.sink.Finish();
  r.sink.stats().bytes = r.scanner.bytes_read();
  return batch->size();
}

FileStats EventFileReader::stats() const {
  FileStats stats = impl_->sink.stats();
  stats.bytes = impl_->scanner.bytes_read();
  return stats;
}

const std::string& EventFileReader::name() const { return impl_->sink.file(); }

}  // namespace fz::ingest
