// Loading what a detection run needs — rules, intelligence, whitelist, people, units — with
// one-line errors for the CLI. Shared by `detect` and `backtest`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
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

// The people file loading on a thread of its own. It needs nothing from the rules, so `detect`
// starts it before reading them: compiling the rules' text patterns keeps one core busy for
// ~0.1 s while the other would idle. Destroying it waits for the thread.
class PeopleLoad {
 public:
  explicit PeopleLoad(const std::string& path);
  ~PeopleLoad();
  PeopleLoad(const PeopleLoad&) = delete;
  PeopleLoad& operator=(const PeopleLoad&) = delete;

  // Waits for the load; then the index (or the error) and the rejected rows.
  StatusOr<detect::PeopleIndex> Take(std::vector<detect::RejectedPerson>* rejected);

 private:
  std::optional<StatusOr<detect::PeopleIndex>> people_;
  std::vector<detect::RejectedPerson> rejected_;
  std::thread thread_;
};

// `people`: the people file's load when the caller started it already (else it starts here,
// when paths.people is set).
StatusOr<std::unique_ptr<DetectInputs>> LoadDetectInputs(
    const DetectInputPaths& paths, const model::FraudTypeRegistry& types,
    ingest::Quarantine& quarantine, std::unique_ptr<PeopleLoad> people = nullptr);

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
// The same stream by reference (ingest::ReadEventFilesMergedRefs), for the detector: each
// batch also carries its events' detect::KeysOf, computed on the parser threads.
EventFilesResult ReadEventFileRefs(const std::vector<std::string>& files,
                                   const model::FraudTypeRegistry& types,
                                   ingest::Quarantine& quarantine,
                                   const ingest::EventRefBatchFn& on_refs, int threads = 2);

}  // namespace fz::cli
