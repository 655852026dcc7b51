// The summary `fanzha detect` prints at the end of a run: events, throughput, warnings by
// level and by rule, and rejected rows by reason.
#pragma once

#include <ostream>

#include "absl/time/time.h"
#include "fz/cli/detect_inputs.h"
#include "fz/detect/detector.h"
#include "fz/ingest/event_reader.h"

namespace fz::cli {

void PrintDetectSummary(std::ostream& out, const EventFilesResult& read,
                        const detect::DetectorStats& stats, const ingest::Quarantine& quarantine,
                        const DetectInputs& inputs, absl::Duration elapsed);

}  // namespace fz::cli
