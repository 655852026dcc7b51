#include "fz/cli/detect_command.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stop_token>
#include <thread>

#include "absl/time/clock.h"
#include "fz/cli/detect_inputs.h"
#include "fz/cli/detect_summary.h"
#include "fz/common/str_cat.h"
#include "fz/detect/backtest.h"
#include "fz/detect/detector.h"
#include "fz/detect/warning_json.h"
#include "fz/ingest/spool.h"

namespace fz::cli {
namespace {

struct DetectOptions {
  DetectInputPaths inputs;
  std::string rules;
  std::string baseline;  // backtest only
  std::string out;
  std::string quarantine;
  std::string checkpoint;
  std::string spool;
  double poll_seconds = 5;
  int threads = 2;
  int read_threads = 2;
  std::vector<std::string> events;
};

void AddInputOptions(CLI::App* cmd, DetectOptions* o) {
  cmd->add_option("--rules", o->rules, "rules file (TOML), e.g. rules/default.toml")->required();
  cmd->add_option("--intel", o->inputs.intel, "intelligence CSV (repeatable)")->required();
  cmd->add_option("--whitelist", o->inputs.whitelist, "whitelist CSV (repeatable)");
  cmd->add_option("--people", o->inputs.people, "high-risk people CSV");
  cmd->add_option("--units", o->inputs.units, "units CSV (validated)");
  cmd->add_option("--quarantine", o->quarantine, "write rejected rows here (JSONL)");
  cmd->add_option("--read-threads", o->read_threads,
                  "threads parsing event files (files are merged in event-time order)")
      ->default_val(2);
}

int Fail(std::string_view command, const Status& status) {
  std::cerr << "fanzha " << command << ": " << status.message() << "\n";
  return 2;
}

// Stops spool mode on SIGINT/SIGTERM: the current file finishes and is committed first.
std::stop_source* g_stop = nullptr;
extern "C" void OnStopSignal(int) {
  if (g_stop != nullptr) g_stop->request_stop();
}

Status WriteOutputs(detect::ParallelDetector& detector, const DetectOptions& o,
                    const model::FraudTypeRegistry& types) {
  if (!o.out.empty()) {
    FZ_RETURN_IF_ERROR(detect::WriteWarningsJsonl(o.out, detector.WarningRefs(), types));
  }
  if (!o.checkpoint.empty()) FZ_RETURN_IF_ERROR(detector.SaveCheckpoint(o.checkpoint));
  return absl::OkStatus();
}

int RunSpool(detect::ParallelDetector& detector, const DetectOptions& o, DetectInputs& inputs,
             ingest::Quarantine& quarantine) {
  ingest::SpoolOptions spool_options;
  spool_options.read.fraud_types = &inputs.types;
  // Outputs and checkpoint are written before a file is committed to done/, so a crash after
  // the commit never loses that file's effect.
  spool_options.before_commit = [&](const std::string&, const ingest::FileStats&) {
    return WriteOutputs(detector, o, inputs.types);
  };
  auto spool = ingest::SpoolDirectory::Open(o.spool, spool_options, &quarantine);
  if (!spool.ok()) return Fail("detect", spool.status());
  std::stop_source stop;
  g_stop = &stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::cout << "fanzha detect: watching " << o.spool << " (Ctrl-C to stop)" << std::endl;
  auto on_batch = [&](std::vector<model::Event>& batch) { detector.Process(std::move(batch)); };
  while (!stop.stop_requested()) {
    StatusOr<ingest::SpoolStats> polled = (*spool)->PollOnce(on_batch);
    if (!polled.ok()) return Fail("detect", polled.status());
    if (polled->done_files + polled->quarantined_files > 0) {
      std::cout << "spool: " << polled->done_files << " files done, " << polled->quarantined_files
                << " quarantined, " << polled->rows.events << " events" << std::endl;
    }
    for (int i = 0; i < o.poll_seconds * 10 && !stop.stop_requested(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  g_stop = nullptr;
  return 0;
}

int RunDetect(const DetectOptions& o) {
  if (o.spool.empty() && o.events.empty()) {
    return Fail("detect", absl::InvalidArgumentError("give EVENTS files or --spool DIR"));
  }
  ingest::Quarantine quarantine =
      o.quarantine.empty() ? ingest::Quarantine() : ingest::Quarantine(o.quarantine);
  DetectPhases phases;
  absl::Time phase_start = absl::Now();
  auto end_phase = [&phase_start](absl::Duration& phase) {
    const absl::Time now = absl::Now();
    phase = now - phase_start;
    phase_start = now;
  };
  // People need nothing from the rules: they load while the rules compile on this thread.
  auto people = o.inputs.people.empty() ? nullptr : std::make_unique<PeopleLoad>(o.inputs.people);
  StatusOr<detect::RuleSet> rules =
      detect::RuleSet::LoadFile(o.rules, model::FraudTypeRegistry::WithBuiltins());
  if (!rules.ok()) return Fail("detect", rules.status());
  end_phase(phases.rules);
  StatusOr<std::unique_ptr<DetectInputs>> inputs =
      LoadDetectInputs(o.inputs, rules->fraud_types(), quarantine, std::move(people));
  if (!inputs.ok()) return Fail("detect", inputs.status());
  DetectInputs& in = **inputs;
  detect::ParallelDetector detector(*rules, in.intel, in.people ? &*in.people : nullptr,
                                    std::max(1, o.threads));
  if (!o.checkpoint.empty() && std::filesystem::exists(o.checkpoint)) {
    if (Status s = detector.LoadCheckpoint(o.checkpoint); !s.ok()) return Fail("detect", s);
  }
  if (!o.spool.empty()) return RunSpool(detector, o, in, quarantine);
  end_phase(phases.inputs);

  // By reference: the merge hands on pointers into the parsed batches, and the shards free
  // them when done (the owners' vector is shared by every shard the batch feeds).
  EventFilesResult read = ReadEventFileRefs(
      o.events, in.types, quarantine,
      [&](ingest::EventRefBatch& batch) {
        using Owners = std::vector<std::shared_ptr<const std::vector<model::Event>>>;
        detector.Process(std::move(batch.events),
                         std::make_shared<const Owners>(std::move(batch.owners)),
                         std::move(batch.keys));
      },
      o.read_threads);
  detector.Flush();
  end_phase(phases.events);
  if (Status s = WriteOutputs(detector, o, in.types); !s.ok()) return Fail("detect", s);
  if (Status s = quarantine.Flush(); !s.ok()) return Fail("detect", s);
  end_phase(phases.output);
  PrintDetectSummary(std::cout, read, detector.Stats(), quarantine, in, phases);
  const int exit_code = read.failed_files == 0 ? 0 : 1;
  // Everything this run writes is closed or flushed by now. The detector's subjects and
  // evidence, the intelligence tables and the people index are millions of allocations that
  // the kernel takes back at once when the process ends; freeing them one by one took a few
  // hundred ms after a 10M-event run (the same reason compilers skip their final frees).
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(exit_code);
}

int RunBacktest(const DetectOptions& o) {
  ingest::Quarantine quarantine =
      o.quarantine.empty() ? ingest::Quarantine() : ingest::Quarantine(o.quarantine);
  auto types = model::FraudTypeRegistry::WithBuiltins();
  StatusOr<detect::RuleSet> candidate = detect::RuleSet::LoadFile(o.rules, types);
  if (!candidate.ok()) return Fail("backtest", candidate.status());
  StatusOr<detect::RuleSet> baseline = detect::RuleSet::LoadFile(o.baseline, types);
  if (!baseline.ok()) return Fail("backtest", baseline.status());
  StatusOr<std::unique_ptr<DetectInputs>> inputs =
      LoadDetectInputs(o.inputs, candidate->fraud_types(), quarantine);
  if (!inputs.ok()) return Fail("backtest", inputs.status());
  DetectInputs& in = **inputs;
  detect::Backtest backtest(*baseline, *candidate, in.intel, in.people ? &*in.people : nullptr);
  EventFilesResult read = ReadEventFiles(
      o.events, in.types, quarantine,
      [&](std::vector<model::Event>& batch) {
        for (const model::Event& e : batch) backtest.Process(e);
      },
      o.read_threads);
  std::cout << detect::FormatBacktestReport(backtest.Finish(), in.types);
  std::cout << "events: " << read.stats.events << ", quarantined rows: " << quarantine.total()
            << "\n";
  return read.failed_files == 0 ? 0 : 1;
}

}  // namespace

void AddDetectCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DetectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "detect", "Find potential fraud victims in event files (or a spool directory)");
  AddInputOptions(cmd, o.get());
  cmd->add_option("--out", o->out, "warnings JSONL output");
  cmd->add_option("--checkpoint", o->checkpoint,
                  "state file: loaded at start if present, saved at the end (and per spool file)");
  cmd->add_option("--spool", o->spool, "watch this directory for event files instead of EVENTS");
  cmd->add_option("--poll-seconds", o->poll_seconds, "spool poll interval")->default_val(5);
  cmd->add_option("--threads", o->threads, "detector threads")->default_val(2);
  cmd->add_option("EVENTS", o->events, "event files (.csv/.jsonl, optionally .gz/.zst)");
  cmd->callback([o, &exit_code] { exit_code = RunDetect(*o); });
}

void AddBacktestCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DetectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "backtest", "Compare a candidate rules file with a baseline over the same events");
  AddInputOptions(cmd, o.get());
  cmd->add_option("--baseline", o->baseline, "baseline rules file")->required();
  cmd->add_option("EVENTS", o->events, "event files")->required();
  cmd->callback([o, &exit_code] { exit_code = RunBacktest(*o); });
}

}  // namespace fz::cli
