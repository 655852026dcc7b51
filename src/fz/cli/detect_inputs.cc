#include "fz/cli/detect_inputs.h"

#include <iostream>
#include <optional>
#include <thread>

#include "fz/common/str_cat.h"
#include "fz/detect/subject.h"
#include "fz/ingest/merged_reader.h"
#include "fz/units/units_file.h"

namespace fz::cli {

PeopleLoad::PeopleLoad(const std::string& path)
    : thread_(
          [this, path] { people_.emplace(detect::PeopleIndex::LoadCsvFile(path, &rejected_)); }) {}

PeopleLoad::~PeopleLoad() {
  if (thread_.joinable()) thread_.join();
}

StatusOr<detect::PeopleIndex> PeopleLoad::Take(std::vector<detect::RejectedPerson>* rejected) {
  if (thread_.joinable()) thread_.join();
  *rejected = std::move(rejected_);
  return *std::move(people_);
}

StatusOr<std::unique_ptr<DetectInputs>> LoadDetectInputs(const DetectInputPaths& paths,
                                                         const model::FraudTypeRegistry& types,
                                                         ingest::Quarantine& quarantine,
                                                         std::unique_ptr<PeopleLoad> people) {
  auto inputs = std::make_unique<DetectInputs>();
  inputs->types = types;
  // The people file loads on a second thread while the intelligence loads here: both are
  // large, independent, and mostly phone normalization (thread-safe). Their rejected rows
  // are quarantined afterwards, intelligence first, as before.
  if (people == nullptr && !paths.people.empty()) {
    people = std::make_unique<PeopleLoad>(paths.people);
  }
  std::vector<intel::RejectedIndicator> rejected;
  Status intel_status = [&]() -> Status {
    FZ_ASSIGN_OR_RETURN(inputs->intel,
                        intel::IntelStore::LoadCsvFiles(paths.intel, inputs->types, &rejected));
    for (const std::string& path : paths.whitelist) {
      FZ_RETURN_IF_ERROR(inputs->intel.LoadWhitelistCsv(path, &rejected));
    }
    return absl::OkStatus();
  }();
  std::vector<detect::RejectedPerson> bad_people;
  std::optional<StatusOr<detect::PeopleIndex>> loaded_people;
  if (people != nullptr) loaded_people.emplace(people->Take(&bad_people));
  FZ_RETURN_IF_ERROR(intel_status);
  inputs->rejected_intel = static_cast<int64_t>(rejected.size());
  for (intel::RejectedIndicator& r : rejected) {
    quarantine.Add({r.file, r.line, StrCat("intel.", r.reason), std::move(r.raw)});
  }
  if (loaded_people.has_value()) {
    FZ_RETURN_IF_ERROR(loaded_people->status());
    inputs->people = *std::move(*loaded_people);
    inputs->rejected_people = static_cast<int64_t>(bad_people.size());
    for (detect::RejectedPerson& r : bad_people) {
      quarantine.Add({r.file, r.line, StrCat("people.", r.reason), std::move(r.raw)});
    }
  }
  if (!paths.units.empty()) {
    // Routing to units is the workflow's job; here the file is validated so a broken units
    // file fails the run before any work is done.
    FZ_RETURN_IF_ERROR(units::LoadUnitsFile(paths.units).status());
  }
  return inputs;
}

namespace {
ingest::MergeOptions MergeOptionsFor(const model::FraudTypeRegistry& types, int threads) {
  ingest::MergeOptions options;
  options.read.fraud_types = &types;
  options.threads = threads;
  options.on_file_done = [](const ingest::FileResult& file) {
    if (!file.status.ok())
      std::cerr << "fanzha: " << file.path << ": " << file.status.message() << "\n";
  };
  return options;
}
}  // namespace

EventFilesResult ReadEventFiles(const std::vector<std::string>& files,
                                const model::FraudTypeRegistry& types,
                                ingest::Quarantine& quarantine, const ingest::BatchFn& on_batch,
                                int threads) {
  ingest::MergedReadResult merged =
      ingest::ReadEventFilesMerged(files, MergeOptionsFor(types, threads), quarantine, on_batch);
  return EventFilesResult{.stats = merged.total, .failed_files = merged.failed_files};
}

EventFilesResult ReadEventFileRefs(const std::vector<std::string>& files,
                                   const model::FraudTypeRegistry& types,
                                   ingest::Quarantine& quarantine,
                                   const ingest::EventRefBatchFn& on_refs, int threads) {
  ingest::MergeOptions options = MergeOptionsFor(types, threads);
  options.read.keys_of = &detect::KeysOf;
  ingest::MergedReadResult merged =
      ingest::ReadEventFilesMergedRefs(files, options, quarantine, on_refs);
  return EventFilesResult{.stats = merged.total, .failed_files = merged.failed_files};
}

}  // namespace fz::cli
