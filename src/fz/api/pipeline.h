// Pipeline: the server's one ordered path from accepted events to stored, routed, pushed
// warnings. HTTP ingest and the spool directory submit batches; one pipeline thread groups
// whatever is queued, journals it, runs the detector shards, routes the warnings that changed,
// stores them in one commit and publishes new and upgraded ones to the LiveHub. The same thread
// runs the SLA timer (Store::Tick → overdue/escalated pushes), detector checkpoints, rule
// reloads and intelligence edits, between batches, so none of them races the detector and no
// event is dropped while rules change.
//
// Durability: a submission is acknowledged after its events are in the journal (fdatasync'd)
// and processed. On start the journal written since the last checkpoint is replayed into the
// detector (re-delivered ids are ignored; the store is idempotent), so a crash loses no
// accepted event. A checkpoint (every checkpoint_interval) saves the detector's windows and
// truncates the journal.
//
// Thread-safety: Submit, RunExclusive and ReloadRules may be called from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "fz/api/live_hub.h"
#include "fz/common/clock.h"
#include "fz/common/metrics.h"
#include "fz/common/status.h"
#include "fz/detect/detector.h"
#include "fz/detect/people.h"
#include "fz/detect/rule_set.h"
#include "fz/intel/intel_store.h"
#include "fz/model/event.h"
#include "fz/store/store.h"
#include "fz/workflow/routing.h"

namespace fz::api {

struct PipelineOptions {
  int detector_threads = 2;
  size_t max_batch_events = 20000;    // events grouped into one detector pass and store commit
  size_t max_queued_events = 200000;  // beyond: Submit answers Unavailable (503, retry later)
  absl::Duration tick_interval = absl::Seconds(1);  // SLA timers
  // Journal and checkpoint directory; empty keeps detector state in memory only.
  std::string state_dir;
  absl::Duration checkpoint_interval = absl::Minutes(5);
  // The detector forgets a warned subject after this long without an event (checked at each
  // checkpoint), so memory does not grow with every warning ever opened.
  absl::Duration warning_retention = absl::Hours(24 * 30);
  // The latest events kept in memory for rule backtests (POST /api/rules/backtest); a copy of
  // each event, so this bounds both the memory and a backtest's run time. 0: none kept.
  size_t backtest_events = 20000;
};

struct PipelineDeps {
  store::Store* store = nullptr;
  const units::UnitTree* tree = nullptr;
  const workflow::RoutingConfig* routing = nullptr;
  const workflow::SubjectDirectory* directory = nullptr;  // may be null
  detect::PeopleIndex* people = nullptr;                  // may be null; edited between batches
  std::unique_ptr<intel::IntelStore> intel;
  std::shared_ptr<const detect::RuleSet> rules;
  const model::FraudTypeRegistry* types = nullptr;
  LiveHub* hub = nullptr;
  MetricsRegistry* metrics = nullptr;  // may be null
  Clock* clock = nullptr;
};

// One accepted event as submitted: the parsed event and its JSON text (for the journal).
struct SubmittedEvent {
  model::Event event;
  std::string json;  // empty: not journaled (spool files are their own journal)
};

struct SubmitResult {
  std::vector<bool> duplicate;  // per submitted event: its id was seen before
  int64_t warnings_changed = 0;
};

struct PipelineStats {
  int64_t events = 0;
  int64_t duplicates = 0;
  int64_t batches = 0;
  int64_t warnings_new = 0;
  int64_t warnings_upgraded = 0;
  int64_t escalations = 0;
  int64_t queued_events = 0;
  int64_t store_retries = 0;
  int64_t journal_replayed = 0;
};

// Event ids recently accepted, in two rotating generations of `capacity` each, so that the
// per-record answer can say "duplicate" without unbounded memory.
class RecentIds {
 public:
  explicit RecentIds(size_t capacity) : capacity_(capacity) {}
  // False when the id was seen recently.
  bool Insert(std::string_view id);

 private:
  size_t capacity_;
  absl::flat_hash_set<std::string> current_, previous_;
};

class Pipeline {
 public:
  Pipeline(PipelineDeps deps, PipelineOptions options);
  ~Pipeline();  // Stop()
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Loads the checkpoint, replays the journal, starts the thread.
  Status Start();
  // Finishes queued submissions, writes a checkpoint, stops the thread. Idempotent.
  void Stop();

  // Blocks until the events are journaled, detected, and their warnings stored. When the queue
  // is full: Unavailable, or with `wait` (spool files) waits for room.
  StatusOr<SubmitResult> Submit(std::vector<SubmittedEvent> events, bool wait = false);
  // What may change between batches: the detector reads both while it runs.
  struct Mutable {
    intel::IntelStore& intel;
    detect::PeopleIndex* people;                    // null when the server has no people base
    const std::deque<model::Event>& recent_events;  // oldest first, at most backtest_events
  };
  // Runs `fn` on the pipeline thread between batches (the detector idle), e.g. an intel edit.
  Status RunExclusive(std::function<Status(Mutable&)> fn);
  // Swaps the rules between batches, keeping every subject's windows (through a checkpoint).
  Status ReloadRules(std::shared_ptr<const detect::RuleSet> rules);
  std::shared_ptr<const detect::RuleSet> rules() const;

  PipelineStats stats() const;

 private:
  struct Job;
  struct Metrics;
  void Loop();
  void ProcessBatch(std::vector<std::shared_ptr<Job>>& jobs);
  Status StoreChanged();
  void TickTimers();
  Status Checkpoint();
  Status Journal(const std::vector<std::shared_ptr<Job>>& jobs);
  Status ReplayJournal();
  std::unique_ptr<detect::ParallelDetector> MakeDetector() const;

  PipelineDeps deps_;
  const PipelineOptions options_;
  std::unique_ptr<Metrics> metrics_;
  workflow::RoutingPolicy policy_;
  std::unique_ptr<detect::ParallelDetector> detector_;  // pipeline thread only
  std::vector<workflow::RoutedWarning> unstored_;       // pipeline thread only
  // The level each warning was last pushed at (new vs upgraded), and when; pipeline thread only.
  struct PushedLevel {
    model::WarningLevel level;
    absl::Time at;
  };
  absl::flat_hash_map<int64_t, PushedLevel> pushed_levels_;
  RecentIds seen_ids_{1 << 20};             // pipeline thread only
  std::deque<model::Event> recent_events_;  // pipeline thread only
  int journal_fd_ = -1;
  absl::Time next_tick_, next_checkpoint_;

  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<Job>> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_events_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  PipelineStats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace fz::api
