#include "fz/cli/ingest_command.h"

#include <iostream>
#include <memory>

#include "absl/time/clock.h"
#include "fz/api/people_directory.h"
#include "fz/cli/detect_inputs.h"
#include "fz/cli/store_cli.h"
#include "fz/common/str_cat.h"
#include "fz/detect/detector.h"
#include "fz/workflow/routing.h"

namespace fz::cli {
namespace {

struct IngestOptions {
  StoreCliOptions store;
  DetectInputPaths inputs;
  std::string rules;
  std::string quarantine;
  int threads = 2;
  int batch = 1000;
  std::vector<std::string> events;
};

int RunIngest(const IngestOptions& o) {
  ingest::Quarantine quarantine =
      o.quarantine.empty() ? ingest::Quarantine() : ingest::Quarantine(o.quarantine);
  StatusOr<detect::RuleSet> rules =
      detect::RuleSet::LoadFile(o.rules, model::FraudTypeRegistry::WithBuiltins());
  if (!rules.ok()) return FailCommand("ingest", rules.status());
  StatusOr<std::unique_ptr<DetectInputs>> inputs =
      LoadDetectInputs(o.inputs, rules->fraud_types(), quarantine);
  if (!inputs.ok()) return FailCommand("ingest", inputs.status());
  DetectInputs& in = **inputs;
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, true, &in.types);
  if (!ctx.ok()) return FailCommand("ingest", ctx.status());
  StoreContext& c = **ctx;

  absl::Time start = absl::Now();
  const detect::PeopleIndex* people = in.people ? &*in.people : nullptr;
  detect::ParallelDetector detector(*rules, in.intel, people, std::max(1, o.threads));
  EventFilesResult read =
      ReadEventFiles(o.events, in.types, quarantine,
                     [&](std::vector<model::Event>& batch) { detector.Process(std::move(batch)); });
  std::vector<model::Warning> warnings = detector.Warnings();

  api::PeopleDirectory directory(people);
  workflow::RoutingPolicy policy(c.config.routing, c.tree, &directory);
  workflow::Actor system = workflow::SystemActor(c.tree.Root()->code);
  store::IngestResult total;
  std::vector<workflow::RoutedWarning> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return absl::OkStatus();
    FZ_ASSIGN_OR_RETURN(store::IngestResult r, c.store->Ingest(batch, system));
    total.new_warnings += r.new_warnings;
    total.updated_warnings += r.updated_warnings;
    total.unchanged += r.unchanged;
    total.new_events += r.new_events;
    batch.clear();
    return absl::OkStatus();
  };
  std::map<std::string, int64_t> by_queue;
  for (model::Warning& w : warnings) {
    StatusOr<workflow::RoutedWarning> routed = policy.Intake(std::move(w), {});
    if (!routed.ok()) return FailCommand("ingest", routed.status());
    ++by_queue[std::string(workflow::RouteQueueName(routed->route.queue))];
    batch.push_back(std::move(*routed));
    if (static_cast<int>(batch.size()) >= o.batch) {
      if (Status s = flush(); !s.ok()) return FailCommand("ingest", s);
    }
  }
  if (Status s = flush(); !s.ok()) return FailCommand("ingest", s);
  if (Status s = quarantine.status(); !s.ok()) return FailCommand("ingest", s);
  std::cout << "events: " << read.stats.events << " (quarantined rows: " << quarantine.total()
            << ")\nwarnings: " << warnings.size() << " detected; stored " << total.new_warnings
            << " new, " << total.updated_warnings << " updated, " << total.unchanged
            << " unchanged; " << total.new_events << " new evidence events\nrouted:";
  for (const auto& [queue, n] : by_queue) std::cout << " " << queue << "=" << n;
  std::cout << "\ntime: " << absl::FormatDuration(absl::Now() - start) << "\n";
  return read.failed_files == 0 ? 0 : 1;
}

}  // namespace

void AddIngestCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<IngestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "ingest", "Detect warnings in event files, route them to units and store them");
  AddStoreOptions(cmd, &o->store);
  cmd->add_option("--rules", o->rules, "rules file (TOML), e.g. rules/default.toml")->required();
  cmd->add_option("--intel", o->inputs.intel, "intelligence CSV (repeatable)")->required();
  cmd->add_option("--whitelist", o->inputs.whitelist, "whitelist CSV (repeatable)");
  cmd->add_option("--people", o->inputs.people, "high-risk people CSV (routes to their unit)");
  cmd->add_option("--quarantine", o->quarantine, "write rejected rows here (JSONL)");
  cmd->add_option("--threads", o->threads, "detector threads")->default_val(2);
  cmd->add_option("--batch", o->batch, "warnings per store commit")->default_val(1000);
  cmd->add_option("EVENTS", o->events, "event files (.csv/.jsonl, optionally .gz/.zst)")
      ->required();
  cmd->callback([o, &exit_code] {
    o->inputs.units = o->store.units;
    exit_code = RunIngest(*o);
  });
}

}  // namespace fz::cli
