// File names (format, type) and ReadEventFile / ReadEventBuffer: a loop over EventFileReader
// (event_file_reader.cc), which frames the decoded stream and runs the CSV or JSONL rows.

#include "fz/ingest/event_reader.h"

#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fz/ingest/event_file_reader.h"

namespace fz::ingest {
namespace {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view WithoutCompression(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  if (name.ends_with(".zst")) name.remove_suffix(4);
  return name;
}

// Delivers every batch of `reader` to `on_batch`, then the file's counters.
StatusOr<FileStats> Drain(EventFileReader& reader, const BatchFn& on_batch) {
  std::vector<model::Event> batch;
  for (;;) {
    FZ_ASSIGN_OR_RETURN(size_t n, reader.Next(&batch));
    if (n == 0) break;
    on_batch(batch);
  }
  return reader.stats();
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
  FZ_ASSIGN_OR_RETURN(std::unique_ptr<EventFileReader> reader,
                      EventFileReader::Open(path, options, quarantine));
  return Drain(*reader, on_batch);
}

StatusOr<FileStats> ReadEventBuffer(std::string_view body, EventFormat format,
                                    std::optional<model::EventType> default_type,
                                    const std::string& source_name, const ReadOptions& options,
                                    Quarantine& quarantine, const BatchFn& on_batch) {
  std::unique_ptr<EventFileReader> reader =
      EventFileReader::ForBuffer(body, format, default_type, source_name, options, quarantine);
  return Drain(*reader, on_batch);
}

}  // namespace fz::ingest
