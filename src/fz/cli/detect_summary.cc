#include "fz/cli/detect_summary.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "fz/model/warning_level.h"

namespace fz::cli {

void PrintDetectSummary(std::ostream& out, const EventFilesResult& read,
                        const detect::DetectorStats& stats, const ingest::Quarantine& quarantine,
                        const DetectInputs& inputs, const DetectPhases& phases) {
  const absl::Duration elapsed = phases.events;
  double seconds = std::max(absl::ToDoubleSeconds(elapsed), 1e-9);
  char rate[64];
  std::snprintf(rate, sizeof(rate), "%.0f", static_cast<double>(read.stats.events) / seconds);
  out << "events:      " << read.stats.events << " read from " << read.stats.rows << " rows ("
      << read.stats.bytes / (1 << 20) << " MiB) in " << absl::FormatDuration(elapsed) << " = "
      << rate << " events/s\n";
  char times[160];
  std::snprintf(times, sizeof(times),
                "time:        rules %.2f s, intelligence and people %.2f s, events %.2f s, "
                "warnings out %.2f s\n",
                absl::ToDoubleSeconds(phases.rules), absl::ToDoubleSeconds(phases.inputs),
                absl::ToDoubleSeconds(phases.events), absl::ToDoubleSeconds(phases.output));
  out << times;
  out << "             " << stats.duplicates << " duplicates ignored, " << stats.no_subject
      << " without a subject";
  if (read.failed_files > 0) out << ", " << read.failed_files << " FILES FAILED";
  out << "\n";
  out << "warnings:    " << stats.warnings_opened << " opened, " << stats.upgrades << " upgrades;";
  for (model::WarningLevel level :
       {model::WarningLevel::kRed, model::WarningLevel::kOrange, model::WarningLevel::kYellow}) {
    out << " " << model::WarningLevelName(level) << " (" << model::WarningLevelColourZh(level)
        << ") " << stats.warnings_by_level[static_cast<int>(level)];
  }
  out << "\n";
  std::vector<std::pair<std::string, int64_t>> fires(stats.rule_fires.begin(),
                                                     stats.rule_fires.end());
  std::sort(fires.begin(), fires.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  out << "rules fired:\n";
  for (const auto& [rule, count] : fires) out << "  " << rule << "  " << count << "\n";
  out << "quarantined: " << quarantine.total() << " (intel rows rejected " << inputs.rejected_intel
      << ", people rows rejected " << inputs.rejected_people << ")\n";
  for (const auto& [reason, count] : quarantine.CountsByReason()) {
    out << "  " << reason << "  " << count << "\n";
  }
}

}  // namespace fz::cli
