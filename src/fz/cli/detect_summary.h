// The summary `fanzha detect` prints at the end of a run: events, throughput, warnings by
// level and by rule, and rejected rows by reason.
#pragma once

#include <ostream>

#include "absl/time/time.h"
#include "fz/cli/detect_inputs.h"
#include "fz/detect/detector.h"
#include "fz/ingest/event_reader.h"

namespace fz::cli {

// Wall time of each phase of a run, so that an operator (and bench/detect_e2e.sh) sees where a
// slow run spent its time.
struct DetectPhases {
  absl::Duration rules;   // rules file, text patterns compiled
  absl::Duration inputs;  // intelligence, whitelists, people, units
  absl::Duration events;  // first read to last event detected
  absl::Duration output;  // warnings (and checkpoint) written
};

void PrintDetectSummary(std::ostream& out, const EventFilesResult& read,
                        const detect::DetectorStats& stats, const ingest::Quarantine& quarantine,
                        const DetectInputs& inputs, const DetectPhases& phases);

}  // namespace fz::cli
