// Detector: events in, warnings about potential victims out. For each event it finds the
// subject (the potential victim, subject.h), evaluates the compiled rules against intel hits,
// text patterns, the person record and the subject's windows, adds the fired rules' scores
// with exponential decay over event time, and opens or upgrades the subject's one open warning.
//
//   detect::Detector detector(rules, intel, &people);
//   for (const model::Event& e : events) detector.Process(e);
//   for (const model::Warning& w : detector.Warnings()) ...
//   FZ_RETURN_IF_ERROR(detector.SaveCheckpoint("state.ckpt"));  // restart keeps windows
//
// ParallelDetector runs N Detectors on N threads, events partitioned by subject hash, so a
// subject's events are always handled by one shard in arrival order and the output does not
// depend on the thread count.
//
// Warning ids are deterministic: a hash of the subject and the id of the event that opened the
// warning (positive int64), identical across runs, thread counts and restarts. Warnings()
// returns warnings ordered by (created_at, subject).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fz/common/status.h"
#include "fz/detect/people.h"
#include "fz/detect/rule_set.h"
#include "fz/detect/subject.h"
#include "fz/intel/intel_store.h"
#include "fz/model/event.h"
#include "fz/model/warning.h"

namespace fz::detect {

struct DetectorOptions {
  // Ids of state-changing events remembered for de-duplication (two rotating generations of
  // this many each). Events that change nothing need no memory: re-delivering them is a no-op.
  size_t dedup_capacity = 1 << 20;
  // At most this many evidence items per warning (the oldest are kept: they explain the
  // opening; later ones still update score, level and rules).
  size_t max_evidence = 64;
  // A subject whose warning saw no event for this long (event time) is forgotten, so a
  // long-running server does not keep every subject it ever warned about, and a signal after
  // that opens a new warning (the old one was worked to an outcome long ago). Infinite keeps
  // every warning, as a batch run over a fixed set of files wants.
  absl::Duration warning_retention = absl::InfiniteDuration();
};

struct DetectorStats {
  int64_t events = 0;      // events processed (including duplicates and no-subject events)
  int64_t duplicates = 0;  // re-delivered events ignored (by event id)
  int64_t no_subject = 0;  // events without a usable subject (counted, otherwise ignored)
  int64_t subjects = 0;    // subjects with state
  int64_t warnings_opened = 0;
  int64_t upgrades = 0;
  std::map<std::string, int64_t> rule_fires;  // rule id -> times fired
  // Open warnings by their current level, index static_cast<int>(WarningLevel) (1..3).
  std::array<int64_t, 4> warnings_by_level = {};

  void Merge(const DetectorStats& other);
};

class Detector {
 public:
  // `rules`, `intel` and `people` (optional) must outlive the detector and must not change
  // while it runs. Not thread-safe: one thread calls Process (see ParallelDetector).
  Detector(const RuleSet& rules, const intel::IntelStore& intel, const PeopleIndex* people,
           DetectorOptions options = {});
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  void Process(const model::Event& event);

  // Last state of every warning, ordered by (created_at, subject).
  std::vector<model::Warning> Warnings() const;
  // The same warnings without copies, valid until the next Process, Forget or LoadCheckpoint
  // (writing a run's warnings copied tens of MB of evidence only to free it again).
  std::vector<const model::Warning*> WarningRefs() const;
  // The warnings opened or changed (level, score, evidence, rules) since the last call, in
  // Warnings() order; the server stores and pushes just these after each batch.
  std::vector<model::Warning> TakeChangedWarnings();
  DetectorStats Stats() const;

  // Forgets, now, the subjects nothing can fire on any more: no warning and no event within the
  // longest window, or a warning idle for longer than warning_retention (Process also does
  // this every 2^20 events). Returns how many subjects were forgotten.
  int64_t Forget();

  // Per-subject windows, scores, recent rule firings, open warnings and the de-duplication
  // ids, as JSONL. Load replaces this detector's state; a file that does not parse is an error
  // naming its line, and leaves the state unchanged.
  Status SaveCheckpoint(const std::string& path) const;
  Status LoadCheckpoint(const std::string& path);

  struct Impl;  // internal (detector_impl.h)

 private:
  friend class ParallelDetector;
  std::unique_ptr<Impl> impl_;
};

class ParallelDetector {
 public:
  // `threads` >= 1 worker threads, each owning one Detector shard.
  ParallelDetector(const RuleSet& rules, const intel::IntelStore& intel, const PeopleIndex* people,
                   int threads, DetectorOptions options = {});
  ~ParallelDetector();  // finishes queued work
  ParallelDetector(const ParallelDetector&) = delete;
  ParallelDetector& operator=(const ParallelDetector&) = delete;

  // Hands a batch to the shards: the vector is taken (left empty) and shared by the shards
  // that own its events, without copies. Returns once the batch is queued; blocks while too
  // much work is queued. Call from one thread.
  void Process(std::vector<model::Event>&& batch);
  // The same for events owned elsewhere (ingest::ReadEventFilesMergedRefs: pointers into the
  // parsed batches, so the merge moves no Event): `owner` keeps them alive and unchanged until
  // every shard has processed them, and is released on whichever shard thread finishes last.
  void Process(std::vector<const model::Event*>&& events, std::shared_ptr<const void> owner);
  // The same with each event's KeysOf(*events[i]) computed already (by the reader, on the core
  // that parsed the event: ingest::ReadOptions::keys_of = &KeysOf): the calling thread then
  // routes the batch without reading a single event. Keys that are not KeysOf break results.
  void Process(std::vector<const model::Event*>&& events, std::shared_ptr<const void> owner,
               std::vector<model::EventKeys>&& keys);
  // Waits until every queued event has been processed.
  void Flush();

  // These flush first.
  std::vector<model::Warning> Warnings();
  std::vector<const model::Warning*> WarningRefs();  // as Detector::WarningRefs
  std::vector<model::Warning> TakeChangedWarnings();
  DetectorStats Stats();
  int64_t Forget();
  Status SaveCheckpoint(const std::string& path);
  Status LoadCheckpoint(const std::string& path);

  int threads() const;

 private:
  template <typename Take>
  std::vector<model::Warning> Gather(Take take);
  struct SharedBatch;
  void Dispatch(std::shared_ptr<SharedBatch> batch);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fz::detect
