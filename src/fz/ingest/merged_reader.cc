// ReadEventFilesMerged: parser workers fill per-file queues; the calling thread merges.
//
// Determinism: the merge decides only from the next unmerged row of every live file, and
// waits for a file's next batch (or its end) before deciding, so thread timing changes when
// batches arrive, never what is emitted.

#include "fz/ingest/merged_reader.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <queue>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/ingest/event_file_reader.h"

namespace fz::ingest {
namespace {

using Batch = std::vector<model::Event>;

// Merged batches on their way back to their file's reader. A batch is handed out as a
// shared_ptr whose deleter returns it here when its last holder drops it (by reference, a
// detector shard, possibly after the merge returned), with its events still constructed; the
// file's next batch is built into the same slots (batch_sink.h), so in the steady state no
// event is destroyed or allocated and no string buffer freed. Per file, because a slot is
// cheapest to reuse for a row of the same type. Once a file has ended (or the merge is over),
// its spares are freed and batches coming back are deleted by whoever drops them.
// Thread safety: all members are safe to call from any thread.
class BatchPool {
 public:
  explicit BatchPool(size_t files) : files_(files) {}

  // A spare batch of file `file`, or an empty one.
  Batch Take(size_t file) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    std::vector<Batch>& spares = files_[file].spares;
    if (spares.empty()) return Batch();
    Batch batch = std::move(spares.back());
    spares.pop_back();
    return batch;
  }

  // `batch` as a shared owner that gives it back to file `file` when the last copy is dropped.
  static std::shared_ptr<Batch> Lend(const std::shared_ptr<BatchPool>& pool, size_t file,
                                     Batch batch) {
    auto holder = std::make_unique<Batch>(std::move(batch));
    return std::shared_ptr<Batch>(holder.release(), Returner{pool, file});
  }

  // No more batches of `file` will be taken: frees its spares, and later returns.
  void Close(size_t file) ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<Batch> spares;
    {
      absl::MutexLock lock(&mu_);
      files_[file].closed = true;
      spares.swap(files_[file].spares);
    }
    // Destroyed here, without the lock.
  }

 private:
  struct FileSpares {
    std::vector<Batch> spares;
    bool closed = false;
  };
  struct Returner {
    std::shared_ptr<BatchPool> pool;
    size_t file;
    void operator()(Batch* batch) const {
      std::unique_ptr<Batch> owned(batch);
      pool->Return(file, std::move(*owned));
    }
  };

  void Return(size_t file, Batch&& batch) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      FileSpares& f = files_[file];
      if (!f.closed && batch.capacity() > 0) {
        f.spares.push_back(std::move(batch));
        return;
      }
    }
    Batch dropped = std::move(batch);  // destroyed here, without the lock
  }

  absl::Mutex mu_;
  std::vector<FileSpares> files_ ABSL_GUARDED_BY(mu_);
};

// A parsed batch with its events' times (the merge's keys) and ReadOptions::keys_of, which
// the parser thread recorded while each event was in its cache: the merge reads these dense
// arrays instead of every event's header (a miss per event on the merging core).
struct ParsedBatch {
  Batch events;
  BatchKeys keys;
};

// A file's parse-side state, guarded by Merger::mu_.
struct Source {
  std::deque<ParsedBatch> ready;      // parsed, not yet merged, in file order
  std::vector<BatchKeys> spare_keys;  // merged batches' key arrays, for the next batches
  bool reading = false;               // a worker holds this file's reader
  bool ended = false;                 // no batch will follow those in `ready`
  size_t peak = 0;                    // most batches ever in `ready`
  FileResult result;
};

// The merge's position in one file (merge thread only). The batch is shared so that the
// by-reference merge can hand it on as the owner of the events it points into; it came from
// BatchPool::Lend, so dropping the last copy gives it back to the file.
struct Cursor {
  std::shared_ptr<Batch> batch = std::make_shared<Batch>();
  BatchKeys keys;  // of `batch`
  size_t pos = 0;
  uint64_t owner_of = 0;  // the by-reference out batch (generation) that already owns `batch`
};

// Where the merged stream goes: exactly one of the two is set.
struct Sink {
  const BatchFn* on_batch = nullptr;
  const EventRefBatchFn* on_refs = nullptr;
};

class Merger {
 public:
  Merger(const std::vector<std::string>& files, const MergeOptions& options, Quarantine& quarantine)
      : options_(options),
        quarantine_(quarantine),
        readers_(files.size()),
        pool_(std::make_shared<BatchPool>(files.size())),
        sources_(files.size()) {
    for (size_t i = 0; i < files.size(); ++i) sources_[i].result.path = files[i];
  }
  // Batches still held downstream are deleted when dropped instead of going back.
  ~Merger() {
    for (size_t i = 0; i < readers_.size(); ++i) pool_->Close(i);
  }

  MergedReadResult Run(const Sink& sink);

 private:
  // The next event's sort key: time, then the file's place in the argument list.
  // As one 128-bit integer, so that comparing two keys is a subtract with borrow: comparing
  // the time's two parts, then the file, took a branch that events of the same second in
  // several files mispredicted (0.8 per event). The parts of absl::Time's representation
  // (whole seconds, then quarter nanoseconds) come from absl::time_internal, as absl's own
  // inline comparisons get them; a file index fits the low 32 bits.
  __extension__ typedef __int128 Key;
  static Key KeyOf(absl::Time time, size_t file) {
    const absl::Duration d = absl::time_internal::ToUnixDuration(time);
    return (static_cast<Key>(absl::time_internal::GetRepHi(d)) << 64) |
           (static_cast<Key>(absl::time_internal::GetRepLo(d)) << 32) | static_cast<Key>(file);
  }
  static size_t FileOf(Key key) { return static_cast<size_t>(key & 0xFFFFFFFF); }

  void Work() ABSL_LOCKS_EXCLUDED(mu_);
  // The file a free worker should parse next, or -1: the one the merge waits for first,
  // then the one with the fewest batches ready (ties: earlier file).
  int PickLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads one batch of file `i` (opening it on first use); called without the lock by the
  // worker that set sources_[i].reading.
  StatusOr<size_t> ReadBatch(size_t i, ParsedBatch* batch) ABSL_LOCKS_EXCLUDED(mu_);
  // Replaces `cursor`'s exhausted batch with file i's next one; false when the file ended.
  bool Advance(size_t i, Cursor* cursor) ABSL_LOCKS_EXCLUDED(mu_);
  void Emit(Cursor& cursor, size_t end, const BatchFn& on_batch);
  void EmitRefs(Cursor& cursor, size_t end, const EventRefBatchFn& on_refs);
  void FlushRefs(const EventRefBatchFn& on_refs);

  const MergeOptions& options_;
  Quarantine& quarantine_;
  // readers_[i] belongs to the worker holding sources_[i].reading (and is null before the
  // file is opened and after it ended), so it needs no lock.
  std::vector<std::unique_ptr<EventFileReader>> readers_;
  // Shared with every batch handed out (see BatchPool).
  std::shared_ptr<BatchPool> pool_;
  Batch out_;  // merge thread only
  // By-reference output (merge thread only); refs_generation_ counts the batches handed on.
  EventRefBatch refs_;
  uint64_t refs_generation_ = 1;

  absl::Mutex mu_;
  absl::CondVar work_cv_;   // workers: a file became readable, or stop
  absl::CondVar ready_cv_;  // merge: a batch arrived or a file ended
  std::vector<Source> sources_ ABSL_GUARDED_BY(mu_);
  int merge_waits_on_ ABSL_GUARDED_BY(mu_) = -1;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
};

int Merger::PickLocked() {
  const size_t cap = std::max<size_t>(1, options_.read_ahead_batches);
  int best = -1;
  for (size_t i = 0; i < sources_.size(); ++i) {
    const Source& s = sources_[i];
    if (s.reading || s.ended || s.ready.size() >= cap) continue;
    if (static_cast<int>(i) == merge_waits_on_) return static_cast<int>(i);
    if (best < 0 || s.ready.size() < sources_[static_cast<size_t>(best)].ready.size()) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

StatusOr<size_t> Merger::ReadBatch(size_t i, ParsedBatch* batch) {
  std::unique_ptr<EventFileReader>& reader = readers_[i];
  if (reader == nullptr) {
    std::string path;
    {
      absl::MutexLock lock(&mu_);
      path = sources_[i].result.path;
    }
    FZ_ASSIGN_OR_RETURN(reader, EventFileReader::Open(path, options_.read, quarantine_));
  }
  return reader->Next(&batch->events, &batch->keys);
}

void Merger::Work() {
  mu_.Lock();
  for (;;) {
    const int pick = PickLocked();
    if (pick < 0) {
      if (stop_) break;
      work_cv_.Wait(&mu_);
      continue;
    }
    const auto i = static_cast<size_t>(pick);
    sources_[i].reading = true;
    ParsedBatch batch;
    if (!sources_[i].spare_keys.empty()) {
      batch.keys = std::move(sources_[i].spare_keys.back());
      sources_[i].spare_keys.pop_back();
    }
    mu_.Unlock();
    batch.events = pool_->Take(i);
    StatusOr<size_t> n = ReadBatch(i, &batch);
    std::optional<FileStats> final_stats;
    if ((!n.ok() || *n == 0) && readers_[i] != nullptr) {
      final_stats = readers_[i]->stats();
      readers_[i].reset();  // closes the file and frees its buffers now
    }
    mu_.Lock();
    Source& s = sources_[i];
    s.reading = false;
    if (n.ok() && *n > 0) {
      s.ready.push_back(std::move(batch));
      s.peak = std::max(s.peak, s.ready.size());
    } else {
      s.ended = true;
      if (!n.ok()) s.result.status = n.status();
      if (final_stats) s.result.stats = *final_stats;
    }
    ready_cv_.SignalAll();
    work_cv_.SignalAll();
  }
  mu_.Unlock();
}

bool Merger::Advance(size_t i, Cursor* cursor) {
  // Goes back to the file now unless it was handed on by reference (then when its last
  // owner drops it).
  cursor->batch.reset();
  cursor->pos = 0;
  cursor->owner_of = 0;
  std::optional<ParsedBatch> next;
  {
    absl::MutexLock lock(&mu_);
    Source& s = sources_[i];
    if (cursor->keys.times.capacity() > 0) s.spare_keys.push_back(std::move(cursor->keys));
    cursor->keys = BatchKeys();
    merge_waits_on_ = static_cast<int>(i);
    work_cv_.SignalAll();
    while (s.ready.empty() && !s.ended) ready_cv_.Wait(&mu_);
    merge_waits_on_ = -1;
    if (!s.ready.empty()) {
      next = std::move(s.ready.front());
      s.ready.pop_front();
      work_cv_.SignalAll();  // room in the queue
    }
  }
  if (!next.has_value()) {
    cursor->batch = std::make_shared<Batch>();
    pool_->Close(i);  // no reader will take a spare of this file again
    return false;
  }
  cursor->keys = std::move(next->keys);
  cursor->batch = BatchPool::Lend(pool_, i, std::move(next->events));
  return true;
}

// Hands cursor.batch[pos, end) on: the whole batch as it is when nothing is pending and the
// run is the entire batch (files that do not overlap in time, a single file), else moved
// event by event into out_.
void Merger::Emit(Cursor& cursor, size_t end, const BatchFn& on_batch) {
  const size_t batch_size = std::max<size_t>(1, options_.read.batch_size);
  Batch& batch = *cursor.batch;
  if (cursor.pos == 0 && end == batch.size() && out_.empty()) {
    on_batch(batch);
    cursor.pos = batch.size();  // the callee may have moved the events out and cleared it
    return;
  }
  for (; cursor.pos < end; ++cursor.pos) {
    out_.push_back(std::move(batch[cursor.pos]));
    if (out_.size() >= batch_size) {
      on_batch(out_);
      out_.clear();
      out_.reserve(batch_size);  // the callee may have taken the vector's storage
    }
  }
}

// Points at cursor.batch[pos, end), cutting out batches at the same sizes as Emit; the
// cursor's batch joins the owners of every out batch that points into it.
void Merger::EmitRefs(Cursor& cursor, size_t end, const EventRefBatchFn& on_refs) {
  const size_t batch_size = std::max<size_t>(1, options_.read.batch_size);
  while (cursor.pos < end) {
    if (cursor.owner_of != refs_generation_) {
      refs_.owners.push_back(cursor.batch);
      cursor.owner_of = refs_generation_;
    }
    const size_t take = std::min(end - cursor.pos, batch_size - refs_.events.size());
    const model::Event* first = cursor.batch->data() + cursor.pos;
    if (cursor.keys.keys.empty()) {
      for (size_t k = 0; k < take; ++k) refs_.events.push_back(first + k);
    } else {
      // One loop for both: each loop's exit is a mispredicted branch per run of a file.
      const model::EventKeys* keys = cursor.keys.keys.data() + cursor.pos;
      for (size_t k = 0; k < take; ++k) {
        refs_.events.push_back(first + k);
        refs_.keys.push_back(keys[k]);
      }
    }
    cursor.pos += take;
    if (refs_.events.size() >= batch_size) FlushRefs(on_refs);
  }
}

void Merger::FlushRefs(const EventRefBatchFn& on_refs) {
  on_refs(refs_);
  refs_.events.clear();  // the callee may have moved the vectors out
  refs_.owners.clear();
  refs_.keys.clear();
  refs_.events.reserve(std::max<size_t>(1, options_.read.batch_size));
  if (options_.read.keys_of != nullptr) {
    refs_.keys.reserve(std::max<size_t>(1, options_.read.batch_size));
  }
  ++refs_generation_;
}

MergedReadResult Merger::Run(const Sink& sink) {
  const size_t n = readers_.size();
  const int threads = static_cast<int>(std::min<size_t>(n, std::max(1, options_.threads)));
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) workers.emplace_back(&Merger::Work, this);

  MergedReadResult result;
  if (sink.on_refs != nullptr) {
    refs_.events.reserve(std::max<size_t>(1, options_.read.batch_size));
    if (options_.read.keys_of != nullptr) {
      refs_.keys.reserve(std::max<size_t>(1, options_.read.batch_size));
    }
  } else {
    out_.reserve(std::max<size_t>(1, options_.read.batch_size));
  }
  auto file_done = [&](size_t i) {
    if (!options_.on_file_done) return;
    FileResult done;
    {
      absl::MutexLock lock(&mu_);
      done = sources_[i].result;
    }
    options_.on_file_done(done);
  };
  // Min-heap of the live files by their next event.
  std::priority_queue<Key, std::vector<Key>, std::greater<>> heap;
  std::vector<Cursor> cursors(n);
  for (size_t i = 0; i < n; ++i) {
    if (Advance(i, &cursors[i])) {
      heap.push(KeyOf(cursors[i].keys.times.front(), i));
    } else {
      file_done(i);
    }
  }
  while (!heap.empty()) {
    const size_t i = FileOf(heap.top());
    heap.pop();
    Cursor& c = cursors[i];
    // Take the run of file i that comes before every other file's next event.
    size_t end = c.pos + 1;
    const std::vector<absl::Time>& times = c.keys.times;
    if (heap.empty()) {
      end = times.size();
    } else {
      const Key bound = heap.top();
      while (end < times.size() && KeyOf(times[end], i) < bound) ++end;
    }
    if (sink.on_refs != nullptr) {
      EmitRefs(c, end, *sink.on_refs);
    } else {
      Emit(c, end, *sink.on_batch);
    }
    if (c.pos == c.batch->size() && !Advance(i, &c)) {
      file_done(i);
      continue;
    }
    heap.push(KeyOf(c.keys.times[c.pos], i));
  }
  if (!out_.empty()) {
    (*sink.on_batch)(out_);
    out_.clear();
  }
  if (!refs_.events.empty()) FlushRefs(*sink.on_refs);

  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    work_cv_.SignalAll();
  }
  for (std::thread& t : workers) t.join();

  absl::MutexLock lock(&mu_);
  for (Source& s : sources_) {
    result.peak_read_ahead = std::max(result.peak_read_ahead, s.peak);
    if (s.result.status.ok()) {
      result.total.rows += s.result.stats.rows;
      result.total.events += s.result.stats.events;
      result.total.quarantined += s.result.stats.quarantined;
      result.total.bytes += s.result.stats.bytes;
    } else {
      ++result.failed_files;
    }
    result.files.push_back(std::move(s.result));
  }
  return result;
}

}  // namespace

MergedReadResult ReadEventFilesMerged(const std::vector<std::string>& files,
                                      const MergeOptions& options, Quarantine& quarantine,
                                      const BatchFn& on_batch) {
  Merger merger(files, options, quarantine);
  return merger.Run(Sink{.on_batch = &on_batch});
}

MergedReadResult ReadEventFilesMergedRefs(const std::vector<std::string>& files,
                                          const MergeOptions& options, Quarantine& quarantine,
                                          const EventRefBatchFn& on_refs) {
  Merger merger(files, options, quarantine);
  return merger.Run(Sink{.on_refs = &on_refs});
}

}  // namespace fz::ingest
