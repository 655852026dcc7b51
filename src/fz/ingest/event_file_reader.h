// Pull-style reading of one event file: each Next() call reads up to one batch and returns,
// so the caller decides when (and on which thread) to read on. ReadEventFile is a loop over
// it; the merged reader (merged_reader.h) keeps one per input file and reads ahead only a
// few batches of each.
//
//   FZ_ASSIGN_OR_RETURN(auto reader, EventFileReader::Open(path, options, quarantine));
//   std::vector<model::Event> batch;
//   for (;;) {
//     FZ_ASSIGN_OR_RETURN(size_t n, reader->Next(&batch));
//     if (n == 0) break;                   // end of file
//     ... batch holds n events in file order ...
//   }
//   FileStats stats = reader->stats();
//
// Same formats, normalization, quarantine reasons and errors as ReadEventFile. Memory is
// constant per reader (a 1 MiB read buffer plus decoder state), whatever the file size.
// Thread safety: one thread at a time per reader; different readers may run on different
// threads at once (sharing ReadOptions and a Quarantine).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/ingest/event_reader.h"
#include "fz/model/event.h"

namespace fz::ingest {

class EventFileReader {
 public:
  // Opens `path` (format, compression and default type from its name, as ReadEventFile).
  // Fails for a name that is not an event file or a file that cannot be opened; a bad CSV
  // header fails the first Next().
  static StatusOr<std::unique_ptr<EventFileReader>> Open(const std::string& path,
                                                         const ReadOptions& options,
                                                         Quarantine& quarantine);
  // Over an in-memory, decoded body (not owned; must outlive the reader).
  static std::unique_ptr<EventFileReader> ForBuffer(std::string_view body, EventFormat format,
                                                    std::optional<model::EventType> default_type,
                                                    const std::string& source_name,
                                                    const ReadOptions& options,
                                                    Quarantine& quarantine);
  ~EventFileReader();
  EventFileReader(const EventFileReader&) = delete;
  EventFileReader& operator=(const EventFileReader&) = delete;

  // Replaces the contents of `*batch` with the next events, at most options.batch_size, in
  // file order. The events already in `*batch` are overwritten in place rather than
  // destroyed, so passing the same batch back in saves their strings' allocations.
  // Returns how many; 0 only at the end of the file. An error (decoding, CSV header) ends the
  // file: events of earlier calls stay delivered, and later calls return the same error.
  // With `keys`, also fills it with each event's time and options.keys_of (BatchKeys).
  StatusOr<size_t> Next(std::vector<model::Event>* batch, BatchKeys* keys = nullptr);

  // Counters so far (complete once Next() returned 0).
  FileStats stats() const;
  const std::string& name() const;

 private:
  struct Impl;
  explicit EventFileReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fz::ingest
