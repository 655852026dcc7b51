// DetectFilesPerShard: on each shard's thread, one EventFileReader per file (reading only the
// shard's rows), a k-way merge of their events by merge key, and the shard loop over runs of
// the merged events.
//
// Memory: per shard and file, a 1 MiB read buffer and one batch of events (reused). Events
// point into those batches, so a run of merged events is processed before any file's batch is
// refilled.

#include "fz/detect/file_pipeline.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <queue>
#include <utility>

#include "fz/detect/detector_impl.h"
#include "fz/detect/shard_loop.h"
#include "fz/ingest/decompress.h"
#include "fz/ingest/event_file_reader.h"

namespace fz::detect {
namespace {

// Events merged before the shard loop runs over them: long runs keep the loop's look-ahead
// busy; a file's batch refill flushes a run early.
constexpr size_t kRunLength = 1024;

uint32_t OwnerOf(std::string_view subject, uint32_t shards) { return ShardOf(subject, shards); }

// One shard's position in one file.
struct FileCursor {
  std::unique_ptr<ingest::EventFileReader> reader;
  std::vector<model::Event> batch;
  std::vector<absl::Time> order;  // merge keys of `batch`
  size_t pos = 0;
  ingest::FileResult result;
};

// The merged events of one shard, waiting for the shard loop.
class Run {
 public:
  Run(Detector::Impl& detector, uint32_t shard, uint32_t shards)
      : detector_(detector), shard_(shard), shards_(shards) {
    refs_.reserve(kRunLength);
    subjects_.reserve(kRunLength);
    id_hashes_.reserve(kRunLength);
  }

  void Add(const model::Event& event, const std::string& file) {
    SubjectRef subject = SubjectOf(event);
    // The reader kept this row because its subject, as EventBuilder::Route found it, is ours:
    // an event whose own subject is another shard's would split that subject's state.
    if (ShardOf(subject.hash, shards_) != shard_) {
      std::fprintf(stderr,
                   "fanzha: internal error: %s: event %s was routed to shard %u, but its subject "
                   "belongs to shard %u\n",
                   file.c_str(), event.header.id.value().c_str(), shard_,
                   ShardOf(subject.hash, shards_));
      std::abort();
    }
    refs_.push_back(&event);
    subjects_.push_back(subject);
    id_hashes_.push_back(EventIdHash(event.header.id.value()));
    if (refs_.size() >= kRunLength) Flush();
  }

  void Flush() {
    internal::ProcessRun(detector_, refs_.size(), refs_.data(), subjects_.data(), id_hashes_.data(),
                         [](size_t) { return true; });
    refs_.clear();
    subjects_.clear();
    id_hashes_.clear();
  }

 private:
  Detector::Impl& detector_;
  uint32_t shard_;
  uint32_t shards_;
  std::vector<const model::Event*> refs_;
  std::vector<SubjectRef> subjects_;
  std::vector<uint64_t> id_hashes_;
};

// Reads file `i`'s next batch of this shard's events into `cursor` (opening the file on first
// use); false at its end or error, which are kept in cursor.result.
bool Refill(FileCursor& cursor, const ingest::ReadOptions& read, ingest::Quarantine& quarantine) {
  cursor.pos = 0;
  cursor.batch.clear();
  cursor.order.clear();
  if (cursor.reader == nullptr) {
    StatusOr<std::unique_ptr<ingest::EventFileReader>> opened =
        ingest::EventFileReader::Open(cursor.result.path, read, quarantine);
    if (!opened.ok()) {
      cursor.result.status = opened.status();
      return false;
    }
    cursor.reader = *std::move(opened);
  }
  StatusOr<size_t> got = cursor.reader->Next(&cursor.batch, &cursor.order);
  if (got.ok() && *got > 0) return true;
  if (!got.ok()) cursor.result.status = got.status();
  cursor.result.stats = cursor.reader->stats();
  cursor.reader.reset();  // closes the file and frees its buffer now
  return false;
}

// The whole pipeline of one shard; fills `results` (one per file).
void RunShard(Detector::Impl& detector, uint32_t shard, uint32_t shards,
              const std::vector<std::string>& files, const ingest::MergeOptions& options,
              ingest::Quarantine& quarantine, std::vector<ingest::FileResult>* results) {
  ingest::ReadOptions read = options.read;
  read.shard = ingest::RowShard{.index = shard, .count = shards, .owner = &OwnerOf};
  std::vector<FileCursor> cursors(files.size());
  // As ingest's merge: the file with the smallest next merge key, ties to the earlier file.
  struct Key {
    absl::Time time;
    size_t file;
    bool operator<(const Key& o) const { return time != o.time ? time < o.time : file < o.file; }
    bool operator>(const Key& o) const { return o < *this; }
  };
  std::priority_queue<Key, std::vector<Key>, std::greater<>> heap;
  for (size_t i = 0; i < files.size(); ++i) {
    cursors[i].result.path = files[i];
    if (Refill(cursors[i], read, quarantine)) heap.push({cursors[i].order.front(), i});
  }
  Run run(detector, shard, shards);
  while (!heap.empty()) {
    const size_t i = heap.top().file;
    heap.pop();
    FileCursor& c = cursors[i];
    // The run of file i that comes before every other file's next event.
    size_t end = c.pos + 1;
    if (heap.empty()) {
      end = c.order.size();
    } else {
      const Key bound = heap.top();
      while (end < c.order.size() && Key{c.order[end], i} < bound) ++end;
    }
    for (; c.pos < end; ++c.pos) run.Add(c.batch[c.pos], c.result.path);
    if (c.pos == c.batch.size()) {
      run.Flush();  // the run points into c.batch
      if (!Refill(c, read, quarantine)) continue;
    }
    heap.push({c.order[c.pos], i});
  }
  run.Flush();
  for (FileCursor& c : cursors) results->push_back(std::move(c.result));
}

}  // namespace

bool CanDetectFilesPerShard(const std::vector<std::string>& files) {
  for (const std::string& path : files) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) return false;
    if (ingest::CompressionFromName(path) != ingest::Compression::kNone) return false;
  }
  return true;
}

ingest::MergedReadResult DetectFilesPerShard(ParallelDetector& detector,
                                             const std::vector<std::string>& files,
                                             const ingest::MergeOptions& options,
                                             ingest::Quarantine& quarantine) {
  const auto shards = static_cast<uint32_t>(detector.threads());
  std::vector<std::vector<ingest::FileResult>> per_shard(shards);
  detector.RunOnShards([&](int shard, Detector::Impl& impl) {
    RunShard(impl, static_cast<uint32_t>(shard), shards, files, options, quarantine,
             &per_shard[static_cast<size_t>(shard)]);
  });
  // Every shard counted the rows it built or quarantined; shard 0 also the rows nobody owns,
  // and it alone counts a file's bytes (every shard read all of them).
  ingest::MergedReadResult result;
  for (size_t f = 0; f < files.size(); ++f) {
    ingest::FileResult file = per_shard[0][f];
    for (uint32_t s = 1; s < shards; ++s) {
      const ingest::FileResult& other = per_shard[s][f];
      if (file.status.ok() && !other.status.ok()) file.status = other.status;
      file.stats.rows += other.stats.rows;
      file.stats.events += other.stats.events;
      file.stats.quarantined += other.stats.quarantined;
    }
    if (file.status.ok()) {
      result.total.rows += file.stats.rows;
      result.total.events += file.stats.events;
      result.total.quarantined += file.stats.quarantined;
      result.total.bytes += file.stats.bytes;
    } else {
      ++result.failed_files;
    }
    if (options.on_file_done) options.on_file_done(file);
    result.files.push_back(std::move(file));
  }
  return result;
}

}  // namespace fz::detect
