// Loading what a detection run needs — rules, intelligence, whitelist, people, units — with
// one-line errors for the CLI. Shared by `detect` and `backtest`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fz/common/status.h"
#include "fz/detect/people.h"
#include "fz/detect/rule_set.h"
#include "fz/ingest/event_reader.h"
#include "fz/ingest/merged_reader.h"
#include "fz/intel/intel_store.h"
#include "fz/model/fraud_type.h"

namespace fz::cli {

struct DetectInputPaths {
  std::vector<std::string> intel;
  std::vector<std::string> whitelist;
  std::string people;
  std::string units;
};

// Everything a detector reads, loaded once. Rejected intelligence and people rows are written
// to the quarantine (reason prefixed "intel." / "people.") so nothing is dropped silently.
struct DetectInputs {
  model::FraudTypeRegistry types;  // the rules file's registry (builtins + its own types)
  intel::IntelStore intel;
  std::optional<detect::PeopleIndex> people;
  int64_t rejected_intel = 0;
  int64_t rejected_people = 0;
};

StatusOr<std::unique_ptr<DetectInputs>> LoadDetectInputs(const DetectInputPaths& paths,
                                                         const model::FraudTypeRegistry& types,
                                                         ingest::Quarantine& quarantine);

// Reads the event files on `threads` parser threads, merged into one stream in event-time
// order (ingest/merged_reader.h), and hands batches to `on_batch` on the calling thread;
// prints a line per file that fails as a whole (and counts it) without stopping the run.
// Returns summed stats.
struct EventFilesResult {
  ingest::FileStats stats;
  int64_t failed_files = 0;
};
EventFilesResult ReadEventFiles(const std::vector<std::string>& files,
                                const model::FraudTypeRegistry& types,
                                ingest::Quarantine& quarantine, const ingest::BatchFn& on_batch,
                                int threads = 2);
// The same stream by reference (ingest::ReadEventFilesMergedRefs), for the detector.
EventFilesResult ReadEventFileRefs(const std::vector<std::string>& files,
                                   const model::FraudTypeRegistry& types,
                                   ingest::Quarantine& quarantine,
                                   const ingest::EventRefBatchFn& on_refs, int threads = 2);

}  // namespace fz::cli
