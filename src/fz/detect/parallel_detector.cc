// ParallelDetector: one Detector per worker thread, events routed by subject hash.
//
// Hand-off: a batch is not split into per-shard copies. The calling thread computes each
// event's shard once, lists each shard's positions, and queues the whole batch to every shard
// that owns one of its events; each shard walks its own list, in batch order, and the last one
// to finish frees the batch. Each event's shard comes from its KeysOf (the subject's hash and
// the event id's hash), which `fanzha detect` has the parser threads compute as they build
// each event (ingest::ReadOptions::keys_of): the calling thread, which also merges the input
// files, then routes a batch from a dense array without reading any event (reading them was a
// cache miss per event on that core, ~5% of a run's CPU). Without keys it computes them.
//
// Events were built on a parser thread's core, so their first touch on a shard is a cache
// miss (SubjectOf was ~4% of a whole run's CPU): the shard prefetches its events a few ahead.
// The router also keeps each subject's hash and event id's hash, so the shard can prefetch,
// further ahead, the slot of its subject table and the duplicate filter, then the subject's
// record (two dependent misses that were the next largest after the event's own).
#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "fz/detect/detector.h"
#include "fz/detect/detector_impl.h"

namespace fz::detect {
namespace {
// Batches queued per shard before Process() blocks: bounds memory when detection is slower
// than reading.
constexpr size_t kMaxQueuedBatches = 8;
// How far ahead (in its own events) a shard prefetches: enough to cover a miss to memory
// behind one event's rules, little enough that the lines are still cached when used. The
// subject table's index slot goes twice as far ahead, since the record's address depends on it.
constexpr size_t kPrefetchAhead = 4;
constexpr size_t kPrefetchIndexAhead = 2 * kPrefetchAhead;
// What the event points to (its SMS text, its other party's block of the intel phone filter)
// is read from the event, prefetched kPrefetchAhead events before: half way, it has arrived.
constexpr size_t kPrefetchDataAhead = kPrefetchAhead / 2;
// The intel filter blocks for a net event's domains, hashed from the text prefetched above.
constexpr size_t kPrefetchIntelAhead = kPrefetchDataAhead / 2;
static_assert(kPrefetchIntelAhead > 0);

// Every cache line of the event (header and body variant, a few hundred bytes; phones and ids
// live inside it, short-string optimised).
inline void PrefetchEvent(const model::Event* event) {
  const char* p = reinterpret_cast<const char*>(event);
  for (size_t off = 0; off < sizeof(model::Event); off += 64) __builtin_prefetch(p + off);
}
}  // namespace

// A batch shared by the shards that own its events. shared_ptr: every such shard holds it
// until it has processed its events; whichever finishes last frees it (and with it the
// events, owned here or by `owner`).
struct ParallelDetector::SharedBatch {
  std::vector<const model::Event*> refs;  // the batch, in order
  // owned[s]: the positions in `refs` of shard s's events, ascending. A shard walks only its
  // own list: testing every event's owner instead cost a branch mispredicted about every other
  // event (11% of a whole run's mispredictions with two shards).
  std::vector<std::vector<uint32_t>> owned;
  std::vector<model::EventKeys> keys;  // KeysOf(*refs[i])
  std::vector<model::Event> events;    // the events, when the batch owns them
  std::shared_ptr<const void> owner;   // else whatever keeps them alive
};

struct ParallelDetector::Impl {
  struct Shard {
    std::unique_ptr<Detector> detector;
    uint16_t index = 0;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::shared_ptr<const SharedBatch>> queue;  // guarded by mu
    bool busy = false;                                     // guarded by mu
    bool stop = false;                                     // guarded by mu
    std::thread thread;
  };

  std::vector<std::unique_ptr<Shard>> shards;

  static void Run(Shard* shard) {
    std::unique_lock<std::mutex> lock(shard->mu);
    for (;;) {
      shard->cv.wait(lock, [&] { return shard->stop || !shard->queue.empty(); });
      if (shard->queue.empty()) return;  // stop requested and nothing left
      std::shared_ptr<const SharedBatch> batch = std::move(shard->queue.front());
      shard->queue.pop_front();
      shard->busy = true;
      lock.unlock();
      shard->cv.notify_all();  // room in the queue
      const std::vector<uint32_t>& mine = batch->owned[shard->index];
      const size_t n = mine.size();
      const uint32_t* pos = mine.data();
      const model::Event* const* refs = batch->refs.data();
      const model::EventKeys* keys = batch->keys.data();
      Detector::Impl& detector = *shard->detector->impl_;
      for (size_t i = 0; i < n; ++i) {
        if (const size_t j = i + kPrefetchIndexAhead; j < n) {
          detector.PrefetchIndex(keys[pos[j]].route);
          detector.PrefetchSeenId(keys[pos[j]].id);
        }
        if (const size_t j = i + kPrefetchAhead; j < n) {
          PrefetchEvent(refs[pos[j]]);
          detector.PrefetchState(keys[pos[j]].route);
        }
        if (const size_t j = i + kPrefetchDataAhead; j < n) {
          detector.PrefetchEventData(*refs[pos[j]]);
        }
        if (const size_t j = i + kPrefetchIntelAhead; j < n) {
          detector.PrefetchEventIntel(*refs[pos[j]]);
        }
        const uint32_t k = pos[i];
        // The subject's id is a view into the event, prefetched kPrefetchAhead events ago.
        detector.Process(*refs[k], SubjectOf(*refs[k], keys[k].route), keys[k].id);
      }
      batch.reset();  // frees the events here if this shard was the last to need them
      lock.lock();
      shard->busy = false;
      shard->cv.notify_all();
    }
  }

  void Flush() {
    for (auto& shard : shards) {
      std::unique_lock<std::mutex> lock(shard->mu);
      shard->cv.wait(lock, [&] { return shard->queue.empty() && !shard->busy; });
    }
  }
};

ParallelDetector::ParallelDetector(const RuleSet& rules, const intel::IntelStore& intel,
                                   const PeopleIndex* people, int threads, DetectorOptions options)
    : impl_(std::make_unique<Impl>()) {
  threads = std::clamp(threads, 1, 1024);
  for (int i = 0; i < threads; ++i) {
    auto shard = std::make_unique<Impl::Shard>();
    shard->index = static_cast<uint16_t>(i);
    shard->detector = std::make_unique<Detector>(rules, intel, people, options);
    impl_->shards.push_back(std::move(shard));
  }
  for (auto& shard : impl_->shards) shard->thread = std::thread(&Impl::Run, shard.get());
}

ParallelDetector::~ParallelDetector() {
  for (auto& shard : impl_->shards) {
    {
      std::lock_guard<std::mutex> lock(shard->mu);
      shard->stop = true;
    }
    shard->cv.notify_all();
  }
  for (auto& shard : impl_->shards) shard->thread.join();
}

void ParallelDetector::Process(std::vector<model::Event>&& batch) {
  if (batch.empty()) return;
  auto shared = std::make_shared<SharedBatch>();
  shared->events = std::move(batch);
  batch = std::vector<model::Event>();
  shared->refs.reserve(shared->events.size());
  for (const model::Event& e : shared->events) shared->refs.push_back(&e);
  Dispatch(std::move(shared));
}

void ParallelDetector::Process(std::vector<const model::Event*>&& events,
                               std::shared_ptr<const void> owner) {
  if (events.empty()) return;
  auto shared = std::make_shared<SharedBatch>();
  shared->refs = std::move(events);
  events = std::vector<const model::Event*>();
  shared->owner = std::move(owner);
  Dispatch(std::move(shared));
}

void ParallelDetector::Process(std::vector<const model::Event*>&& events,
                               std::shared_ptr<const void> owner,
                               std::vector<model::EventKeys>&& keys) {
  if (events.empty()) return;
  auto shared = std::make_shared<SharedBatch>();
  shared->refs = std::move(events);
  events = std::vector<const model::Event*>();
  shared->keys = std::move(keys);
  keys = std::vector<model::EventKeys>();
  shared->owner = std::move(owner);
  Dispatch(std::move(shared));
}

void ParallelDetector::Dispatch(std::shared_ptr<SharedBatch> shared) {
  const auto n = static_cast<uint32_t>(impl_->shards.size());
  const size_t size = shared->refs.size();
  if (shared->keys.size() != size) {
    // No reader computed the keys: read every event here.
    shared->keys.resize(size);
    const model::Event* const* refs = shared->refs.data();
    for (size_t i = 0; i < size; ++i) {
      if (i + 2 * kPrefetchAhead < size) PrefetchEvent(refs[i + 2 * kPrefetchAhead]);
      shared->keys[i] = KeysOf(*refs[i]);
    }
  }
  shared->owned.resize(n);
  for (std::vector<uint32_t>& mine : shared->owned) mine.reserve(size / n + size / (4 * n) + 1);
  const model::EventKeys* keys = shared->keys.data();
  for (size_t i = 0; i < size; ++i) {
    const uint32_t s = n == 1 ? 0 : ShardOf(keys[i].route, n);
    shared->owned[s].push_back(static_cast<uint32_t>(i));
  }
  std::shared_ptr<const SharedBatch> frozen = std::move(shared);
  for (uint32_t i = 0; i < n; ++i) {
    if (frozen->owned[i].empty()) continue;
    Impl::Shard& shard = *impl_->shards[i];
    {
      std::unique_lock<std::mutex> lock(shard.mu);
      shard.cv.wait(lock, [&] { return shard.queue.size() < kMaxQueuedBatches; });
      shard.queue.push_back(frozen);
    }
    shard.cv.notify_all();
  }
}

void ParallelDetector::Flush() { impl_->Flush(); }

// Each shard's warnings (`take` reads one shard's Detector), merged in Warnings() order.
template <typename Take>
std::vector<model::Warning> ParallelDetector::Gather(Take take) {
  Flush();
  std::vector<model::Warning> out;
  for (auto& shard : impl_->shards) {
    std::vector<model::Warning> part = take(*shard->detector);
    out.insert(out.end(), std::make_move_iterator(part.begin()),
               std::make_move_iterator(part.end()));
  }
  std::sort(out.begin(), out.end(), WarningOrder{});
  return out;
}

std::vector<model::Warning> ParallelDetector::Warnings() {
  return Gather([](Detector& d) { return d.Warnings(); });
}

std::vector<const model::Warning*> ParallelDetector::WarningRefs() {
  Flush();
  std::vector<const model::Warning*> out;
  for (auto& shard : impl_->shards) {
    const std::vector<const model::Warning*> part = shard->detector->WarningRefs();
    out.insert(out.end(), part.begin(), part.end());
  }
  std::sort(out.begin(), out.end(), WarningOrder{});
  return out;
}

std::vector<model::Warning> ParallelDetector::TakeChangedWarnings() {
  return Gather([](Detector& d) { return d.TakeChangedWarnings(); });
}

DetectorStats ParallelDetector::Stats() {
  Flush();
  DetectorStats total;
  for (auto& shard : impl_->shards) total.Merge(shard->detector->Stats());
  return total;
}

int64_t ParallelDetector::Forget() {
  Flush();
  // Idle is measured against the newest event of any shard, as one Detector would: a shard
  // whose own subjects went quiet has an older watermark, and would otherwise keep them (the
  // result depended on which shard a subject hashed to).
  int64_t watermark = 0;
  for (auto& shard : impl_->shards) {
    watermark = std::max(watermark, shard->detector->impl_->watermark_ms);
  }
  for (auto& shard : impl_->shards) shard->detector->impl_->watermark_ms = watermark;
  int64_t forgotten = 0;
  for (auto& shard : impl_->shards) forgotten += shard->detector->Forget();
  return forgotten;
}

Status ParallelDetector::SaveCheckpoint(const std::string& path) {
  Flush();
  std::vector<const Detector::Impl*> impls;
  for (auto& shard : impl_->shards) impls.push_back(shard->detector->impl_.get());
  return SaveShardedCheckpoint(path, impls);
}

Status ParallelDetector::LoadCheckpoint(const std::string& path) {
  Flush();
  const auto n = static_cast<uint32_t>(impl_->shards.size());
  for (uint32_t i = 0; i < n; ++i) {
    FZ_RETURN_IF_ERROR(impl_->shards[i]->detector->impl_->LoadCheckpoint(path, i, n));
  }
  return absl::OkStatus();
}

int ParallelDetector::threads() const { return static_cast<int>(impl_->shards.size()); }

}  // namespace fz::detect
