#include "fz/cli/detect_inputs.h"

#include <iostream>

#include "fz/common/str_cat.h"
#include "fz/units/units_file.h"

namespace fz::cli {

StatusOr<std::unique_ptr<DetectInputs>> LoadDetectInputs(const DetectInputPaths& paths,
                                                         const model::FraudTypeRegistry& types,
                                                         ingest::Quarantine& quarantine) {
  auto inputs = std::make_unique<DetectInputs>();
  inputs->types = types;
  std::vector<intel::RejectedIndicator> rejected;
  FZ_ASSIGN_OR_RETURN(inputs->intel,
                      intel::IntelStore::LoadCsvFiles(paths.intel, inputs->types, &rejected));
  for (const std::string& path : paths.whitelist) {
    FZ_RETURN_IF_ERROR(inputs->intel.LoadWhitelistCsv(path, &rejected));
  }
  inputs->rejected_intel = static_cast<int64_t>(rejected.size());
  for (intel::RejectedIndicator& r : rejected) {
    quarantine.Add({r.file, r.line, StrCat("intel.", r.reason), std::move(r.raw)});
  }
  if (!paths.people.empty()) {
    std::vector<detect::RejectedPerson> bad_people;
    FZ_ASSIGN_OR_RETURN(detect::PeopleIndex people,
                        detect::PeopleIndex::LoadCsvFile(paths.people, &bad_people));
    inputs->people = std::move(people);
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

EventFilesResult ReadEventFiles(const std::vector<std::string>& files,
                                const model::FraudTypeRegistry& types,
                                ingest::Quarantine& quarantine, const ingest::BatchFn& on_batch) {
  EventFilesResult result;
  ingest::ReadOptions options;
  options.fraud_types = &types;
  for (const std::string& file : files) {
    StatusOr<ingest::FileStats> stats = ingest::ReadEventFile(file, options, quarantine, on_batch);
    if (!stats.ok()) {
      std::cerr << "fanzha: " << file << ": " << stats.status().message() << "\n";
      ++result.failed_files;
      continue;
    }
    result.stats.rows += stats->rows;
    result.stats.events += stats->events;
    result.stats.quarantined += stats->quarantined;
    result.stats.bytes += stats->bytes;
  }
  return result;
}

}  // namespace fz::cli
