#include "fz/api/pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fz/api/store_json.h"
#include "fz/common/logging.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/json_event.h"

namespace fz::api {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  static std::shared_ptr<spdlog::logger> logger = fz::Logger("pipeline");
  return logger;
}

}  // namespace

struct Pipeline::Job {
  std::vector<SubmittedEvent> events;
  std::function<Status(Mutable&)> exclusive;
  std::shared_ptr<const detect::RuleSet> new_rules;
  std::promise<StatusOr<SubmitResult>> submitted;
  std::promise<Status> done;
  absl::Time queued_at = absl::Now();
  bool is_events() const { return !exclusive && !new_rules; }
};

struct Pipeline::Metrics {
  Counter* events = nullptr;
  Counter* duplicates = nullptr;
  Counter* upgrades = nullptr;
  CounterFamily* warnings = nullptr;
  CounterFamily* escalations = nullptr;
  Gauge* queued = nullptr;
  Histogram* batch_seconds = nullptr;
  Histogram* batch_events = nullptr;
  Histogram* arrival_to_push = nullptr;

  explicit Metrics(MetricsRegistry* r) {
    if (r == nullptr) return;
    events = r->RegisterCounter("fz_events_total", "Events accepted by the pipeline").value();
    duplicates =
        r->RegisterCounter("fz_events_duplicate_total", "Events whose id was seen before (ignored)")
            .value();
    upgrades = r->RegisterCounter("fz_warning_upgrades_total", "Warnings raised to a higher level")
                   .value();
    warnings =
        r->RegisterCounterFamily("fz_warnings_total", "New warnings by level", {"level"}).value();
    escalations = r->RegisterCounterFamily("fz_sla_escalations_total",
                                           "SLA breaches: stage 1 to the parent unit (overdue), "
                                           "stage 2 to the city (escalated)",
                                           {"stage"})
                      .value();
    queued =
        r->RegisterGauge("fz_pipeline_queued_events", "Events waiting for the pipeline").value();
    batch_seconds =
        r->RegisterHistogram("fz_pipeline_batch_seconds",
                             "Journal + detect + store + push time of one batch",
                             {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5})
            .value();
    arrival_to_push =
        r->RegisterHistogram("fz_pipeline_arrival_to_push_seconds",
                             "From a batch's arrival at the server to its warnings stored and "
                             "pushed (batches that changed warnings)",
                             {0.001, 0.0025, 0.005, 0.01, 0.025, 0.035, 0.05, 0.1, 0.25, 1})
            .value();
    batch_events = r->RegisterHistogram("fz_pipeline_batch_events", "Events per batch",
                                        {1, 10, 100, 1000, 10000, 100000})
                       .value();
  }
};

bool RecentIds::Insert(std::string_view id) {
  const absl::string_view key(id.data(), id.size());
  if (current_.contains(key) || previous_.contains(key)) return false;
  if (current_.size() >= capacity_) {
    previous_ = std::move(current_);
    current_.clear();
  }
  current_.emplace(key);
  return true;
}

Pipeline::Pipeline(PipelineDeps deps, PipelineOptions options)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      metrics_(std::make_unique<Metrics>(deps_.metrics)),
      policy_(*deps_.routing, *deps_.tree, deps_.directory) {}

Pipeline::~Pipeline() { Stop(); }

std::unique_ptr<detect::ParallelDetector> Pipeline::MakeDetector() const {
  detect::DetectorOptions options;
  options.warning_retention = options_.warning_retention;
  return std::make_unique<detect::ParallelDetector>(
      *deps_.rules, *deps_.intel, deps_.people, std::max(1, options_.detector_threads), options);
}

Status Pipeline::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (running_) return absl::OkStatus();
  }
  detector_ = MakeDetector();
  if (!options_.state_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options_.state_dir, ec);
    if (ec) return absl::InternalError(fz::StrCat(options_.state_dir, ": ", ec.message()));
    const std::string ckpt = options_.state_dir + "/detector.ckpt";
    if (std::filesystem::exists(ckpt)) FZ_RETURN_IF_ERROR(detector_->LoadCheckpoint(ckpt));
    FZ_RETURN_IF_ERROR(ReplayJournal());
    const std::string journal = options_.state_dir + "/events.journal";
    journal_fd_ = ::open(journal.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (journal_fd_ < 0) {
      return absl::InternalError(fz::StrCat(journal, ": ", std::strerror(errno)));
    }
  }
  const absl::Time now = deps_.clock->Now();
  next_tick_ = now;
  next_checkpoint_ = now + options_.checkpoint_interval;
  absl::MutexLock lock(&mu_);
  stopping_ = false;
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void Pipeline::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (!running_) return;
    stopping_ = true;
  }
  thread_.join();
  if (Status s = StoreChanged(); !s.ok())
    Log()->error("pipeline: storing warnings: {}", s.ToString());
  if (!options_.state_dir.empty()) {
    if (Status s = Checkpoint(); !s.ok()) Log()->error("pipeline: checkpoint: {}", s.ToString());
  }
  if (journal_fd_ >= 0) ::close(journal_fd_);
  journal_fd_ = -1;
  absl::MutexLock lock(&mu_);
  running_ = false;
}

StatusOr<SubmitResult> Pipeline::Submit(std::vector<SubmittedEvent> events, bool wait) {
  auto job = std::make_shared<Job>();
  job->events = std::move(events);
  std::future<StatusOr<SubmitResult>> f = job->submitted.get_future();
  {
    absl::MutexLock lock(&mu_);
    if (wait) {
      auto room = [&] {
        mu_.AssertHeld();  // Await calls it with mu_ held
        return stopping_ || queued_events_ == 0 ||
               queued_events_ + job->events.size() <= options_.max_queued_events;
      };
      mu_.Await(absl::Condition(&room));
    }
    if (!running_ || stopping_) return absl::UnavailableError("the pipeline is not running");
    if (queued_events_ + job->events.size() > options_.max_queued_events && queued_events_ > 0) {
      return absl::UnavailableError(
          fz::StrCat("ingest queue full (", queued_events_, " events waiting); retry later"));
    }
    queued_events_ += job->events.size();
    if (metrics_->queued) metrics_->queued->Set(static_cast<double>(queued_events_));
    queue_.push_back(std::move(job));
  }
  return f.get();
}

Status Pipeline::RunExclusive(std::function<Status(Mutable&)> fn) {
  auto job = std::make_shared<Job>();
  job->exclusive = std::move(fn);
  std::future<Status> f = job->done.get_future();
  {
    absl::MutexLock lock(&mu_);
    if (!running_ || stopping_) return absl::UnavailableError("the pipeline is not running");
    queue_.push_back(std::move(job));
  }
  return f.get();
}

Status Pipeline::ReloadRules(std::shared_ptr<const detect::RuleSet> rules) {
  auto job = std::make_shared<Job>();
  job->new_rules = std::move(rules);
  std::future<Status> f = job->done.get_future();
  {
    absl::MutexLock lock(&mu_);
    if (!running_ || stopping_) return absl::UnavailableError("the pipeline is not running");
    queue_.push_back(std::move(job));
  }
  return f.get();
}

std::shared_ptr<const detect::RuleSet> Pipeline::rules() const {
  absl::MutexLock lock(&mu_);
  return deps_.rules;
}

PipelineStats Pipeline::stats() const {
  absl::MutexLock lock(&mu_);
  PipelineStats s = stats_;
  s.queued_events = static_cast<int64_t>(queued_events_);
  return s;
}

void Pipeline::Loop() {
  for (;;) {
    std::vector<std::shared_ptr<Job>> jobs;
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this] {
        mu_.AssertHeld();  // Await calls it with mu_ held
        return !queue_.empty() || stopping_;
      };
      const absl::Duration wait = std::max(absl::ZeroDuration(), next_tick_ - deps_.clock->Now());
      mu_.AwaitWithTimeout(absl::Condition(&ready), std::min(wait, absl::Milliseconds(200)));
      jobs.swap(queue_);
      stopping = stopping_;
    }
    // Consecutive event jobs go through the detector and the store together.
    std::vector<std::shared_ptr<Job>> group;
    size_t group_events = 0;
    auto flush_group = [&] {
      if (!group.empty()) ProcessBatch(group);
      group.clear();
      group_events = 0;
    };
    for (std::shared_ptr<Job>& job : jobs) {
      if (job->is_events()) {
        if (group_events + job->events.size() > options_.max_batch_events) flush_group();
        group_events += job->events.size();
        group.push_back(std::move(job));
        continue;
      }
      flush_group();
      detector_->Flush();
      if (job->new_rules) {
        // Windows survive the swap: they travel through a checkpoint keyed by rule id.
        const std::string path =
            fz::StrCat(options_.state_dir.empty() ? std::filesystem::temp_directory_path().string()
                                                  : options_.state_dir,
                       "/reload-", ::getpid(), ".ckpt");
        Status s = detector_->SaveCheckpoint(path);
        if (s.ok()) {
          std::shared_ptr<const detect::RuleSet> old;
          {
            absl::MutexLock lock(&mu_);
            old = std::exchange(deps_.rules, job->new_rules);
          }
          auto fresh = MakeDetector();
          s = fresh->LoadCheckpoint(path);
          if (s.ok()) {
            detector_ = std::move(fresh);
          } else {
            absl::MutexLock lock(&mu_);
            deps_.rules = std::move(old);
          }
        }
        std::error_code ec;
        std::filesystem::remove(path, ec);
        job->done.set_value(s);
      } else {
        Mutable m{*deps_.intel, deps_.people, recent_events_};
        job->done.set_value(job->exclusive(m));
      }
    }
    flush_group();
    if (deps_.clock->Now() >= next_tick_) TickTimers();
    if (deps_.clock->Now() >= next_checkpoint_) {
      // Forgotten before the checkpoint, so a restart does not bring idle subjects back.
      const int64_t forgotten = detector_->Forget();
      // The detector forgets idle warnings by event time; their pushed levels go by the clock.
      const absl::Time stale = deps_.clock->Now() - options_.warning_retention - absl::Hours(24);
      const size_t before = pushed_levels_.size();
      absl::erase_if(pushed_levels_, [&](const auto& e) { return e.second.at < stale; });
      if (forgotten > 0 || pushed_levels_.size() < before) {
        Log()->info("pipeline: forgot {} idle subjects and {} pushed warnings", forgotten,
                    before - pushed_levels_.size());
      }
      if (!options_.state_dir.empty()) {
        if (Status s = Checkpoint(); !s.ok()) {
          Log()->error("pipeline: checkpoint: {}", s.ToString());
        }
      }
      next_checkpoint_ = deps_.clock->Now() + options_.checkpoint_interval;
    }
    if (stopping) {
      absl::MutexLock lock(&mu_);
      if (queue_.empty()) return;
    }
  }
}

void Pipeline::ProcessBatch(std::vector<std::shared_ptr<Job>>& jobs) {
  const absl::Time start = absl::Now();
  size_t n = 0;
  for (const auto& job : jobs) n += job->events.size();
  Status journaled = Journal(jobs);
  if (!journaled.ok()) {
    Log()->error("pipeline: journal: {}", journaled.ToString());
    for (auto& job : jobs) job->submitted.set_value(absl::UnavailableError(journaled.message()));
    absl::MutexLock lock(&mu_);
    queued_events_ -= n;
    return;
  }
  std::vector<model::Event> events;
  events.reserve(n);
  std::vector<SubmitResult> results(jobs.size());
  int64_t duplicates = 0;
  for (size_t j = 0; j < jobs.size(); ++j) {
    for (SubmittedEvent& e : jobs[j]->events) {
      // The detector ignores re-delivered ids; the per-record answer reports them.
      const bool dup = !seen_ids_.Insert(e.event.header.id.value());
      results[j].duplicate.push_back(dup);
      duplicates += dup;
      if (!dup && options_.backtest_events > 0) {
        if (recent_events_.size() >= options_.backtest_events) recent_events_.pop_front();
        recent_events_.push_back(e.event);
      }
      events.push_back(std::move(e.event));
    }
  }
  detector_->Process(std::move(events));
  std::vector<model::Warning> changed = detector_->TakeChangedWarnings();
  for (model::Warning& w : changed) {
    StatusOr<workflow::RoutedWarning> routed = policy_.Intake(std::move(w), {});
    if (!routed.ok()) {
      Log()->error("pipeline: routing warning: {}", routed.status().ToString());
      continue;
    }
    unstored_.push_back(std::move(*routed));
  }
  const int64_t changed_count = static_cast<int64_t>(unstored_.size());
  if (Status s = StoreChanged(); !s.ok()) {
    // Accepted events are journaled and processed; the warnings stay queued and are stored
    // on the next batch or tick, so the submitter's answer does not depend on it.
    Log()->error("pipeline: storing warnings (will retry): {}", s.ToString());
  } else if (changed_count > 0 && metrics_->arrival_to_push) {
    const absl::Time pushed = absl::Now();
    for (const auto& job : jobs) {
      metrics_->arrival_to_push->Observe(absl::ToDoubleSeconds(pushed - job->queued_at));
    }
  }
  for (size_t j = 0; j < jobs.size(); ++j) {
    results[j].warnings_changed = changed_count;
    jobs[j]->submitted.set_value(std::move(results[j]));
  }
  if (metrics_->events) {
    metrics_->events->Inc(n);
    metrics_->duplicates->Inc(static_cast<uint64_t>(duplicates));
    metrics_->batch_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
    metrics_->batch_events->Observe(static_cast<double>(n));
  }
  absl::MutexLock lock(&mu_);
  queued_events_ -= n;
  if (metrics_->queued) metrics_->queued->Set(static_cast<double>(queued_events_));
  stats_.events += static_cast<int64_t>(n);
  stats_.duplicates += duplicates;
  ++stats_.batches;
}

Status Pipeline::StoreChanged() {
  if (unstored_.empty()) return absl::OkStatus();
  StatusOr<store::IngestResult> r =
      deps_.store->Ingest(unstored_, workflow::SystemActor(deps_.tree->Root()->code));
  if (!r.ok()) {
    absl::MutexLock lock(&mu_);
    ++stats_.store_retries;
    return r.status();
  }
  int64_t fresh = 0, upgraded = 0;
  for (const workflow::RoutedWarning& rw : unstored_) {
    const model::Warning& w = rw.warning;
    auto [it, inserted] = pushed_levels_.try_emplace(w.id.value(), PushedLevel{w.level, {}});
    it->second.at = deps_.clock->Now();
    std::string kind;
    if (inserted) {
      kind = "new";
      ++fresh;
      if (metrics_->warnings) {
        metrics_->warnings->WithLabels({model::WarningLevelName(w.level)}).value()->Inc();
      }
    } else if (w.level > it->second.level) {
      kind = "upgraded";
      it->second.level = w.level;
      ++upgraded;
      if (metrics_->upgrades) metrics_->upgrades->Inc();
    } else {
      continue;  // more evidence, same level: the console re-reads on demand
    }
    deps_.hub->Publish(kind, rw.route.unit, {},
                       LiveWarningJson(rw, kind, *deps_.types)
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  unstored_.clear();
  absl::MutexLock lock(&mu_);
  stats_.warnings_new += fresh;
  stats_.warnings_upgraded += upgraded;
  return absl::OkStatus();
}

void Pipeline::TickTimers() {
  next_tick_ = deps_.clock->Now() + options_.tick_interval;
  if (Status s = StoreChanged(); !s.ok())
    Log()->error("pipeline: storing warnings: {}", s.ToString());
  StatusOr<std::vector<store::EscalationRecord>> raised = deps_.store->Tick(deps_.clock->Now());
  if (!raised.ok()) {
    Log()->error("pipeline: SLA timers: {}", raised.status().ToString());
    return;
  }
  for (const store::EscalationRecord& e : *raised) {
    const std::string kind = e.stage >= 2 ? "escalated" : "overdue";
    if (metrics_->escalations) {
      metrics_->escalations->WithLabels({e.stage >= 2 ? "2" : "1"}).value()->Inc();
    }
    // The unit that owns the warning is not in the record; the target's subtree and the
    // city see it. Stations see their own overdue warnings in the list's overdue filter.
    deps_.hub->Publish(
        kind, e.target, e.target,
        EscalationJson(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  absl::MutexLock lock(&mu_);
  stats_.escalations += static_cast<int64_t>(raised->size());
}

Status Pipeline::Journal(const std::vector<std::shared_ptr<Job>>& jobs) {
  if (journal_fd_ < 0) return absl::OkStatus();
  std::string buf;
  for (const auto& job : jobs) {
    for (const SubmittedEvent& e : job->events) {
      if (e.json.empty()) continue;
      buf += e.json;
      buf += '\n';
    }
  }
  if (buf.empty()) return absl::OkStatus();
  for (size_t off = 0; off < buf.size();) {
    const ssize_t w = ::write(journal_fd_, buf.data() + off, buf.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(fz::StrCat("events.journal: ", std::strerror(errno)));
    }
    off += static_cast<size_t>(w);
  }
  if (::fdatasync(journal_fd_) != 0) {
    return absl::InternalError(fz::StrCat("events.journal: fdatasync: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

Status Pipeline::ReplayJournal() {
  const std::string path = options_.state_dir + "/events.journal";
  std::ifstream in(path);
  if (!in) return absl::OkStatus();
  ingest::ReadOptions read;
  read.fraud_types = deps_.types;
  ingest::JsonEventParser parser(read);
  std::vector<model::Event> batch;
  std::string line;
  int64_t line_no = 0, replayed = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    model::Event e;
    // A torn last line (crash mid-write) was never acknowledged: skipping it loses nothing.
    if (Status s = parser.Parse(line, std::nullopt, &e); !s.ok()) {
      Log()->warn("{}:{}: skipped unparsable journal line: {}", path, line_no, s.ToString());
      continue;
    }
    seen_ids_.Insert(e.header.id.value());
    batch.push_back(std::move(e));
    ++replayed;
    if (batch.size() >= 4096) {
      detector_->Process(std::move(batch));
      batch.clear();
    }
  }
  detector_->Process(std::move(batch));
  for (model::Warning& w : detector_->TakeChangedWarnings()) {
    StatusOr<workflow::RoutedWarning> routed = policy_.Intake(std::move(w), {});
    if (routed.ok()) {
      pushed_levels_[routed->warning.id.value()] = {routed->warning.level, deps_.clock->Now()};
      unstored_.push_back(std::move(*routed));
    }
  }
  FZ_RETURN_IF_ERROR(StoreChanged());
  if (replayed > 0) Log()->info("pipeline: replayed {} journaled events from {}", replayed, path);
  absl::MutexLock lock(&mu_);
  stats_.journal_replayed = replayed;
  return absl::OkStatus();
}

Status Pipeline::Checkpoint() {
  const std::string ckpt = options_.state_dir + "/detector.ckpt";
  FZ_RETURN_IF_ERROR(detector_->SaveCheckpoint(ckpt + ".tmp"));
  std::error_code ec;
  std::filesystem::rename(ckpt + ".tmp", ckpt, ec);
  if (ec) return absl::InternalError(fz::StrCat(ckpt, ": ", ec.message()));
  // The checkpoint holds every journaled event's effect (and its id): the journal restarts.
  if (journal_fd_ >= 0 && ::ftruncate(journal_fd_, 0) != 0) {
    return absl::InternalError(fz::StrCat("events.journal: truncate: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace fz::api
