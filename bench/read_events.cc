// The reading stage of `fanzha detect` alone, for bench/detect_e2e.sh's per-stage figures:
// event files parsed, normalized and merged in event-time order exactly as detect does it
// (ingest::ReadEventFilesMergedRefs: the merge hands on pointers into the parsed batches),
// with batches dropped instead of detected. `--by-value` merges by moving every event into a
// new batch (ingest::ReadEventFilesMerged, what backtest and the spool use, and what this
// tool measured until speed round 6).
//
// Usage: read_events [--threads N] [--by-value] FILES...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fz/ingest/merged_reader.h"

int main(int argc, char** argv) {
  fz::ingest::MergeOptions options;
  std::vector<std::string> files;
  bool by_value = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else if (arg == "--by-value") {
      by_value = true;
    } else {
      files.push_back(arg);
    }
  }
  fz::ingest::Quarantine quarantine;
  int64_t batches = 0;
  auto start = std::chrono::steady_clock::now();
  fz::ingest::MergedReadResult result =
      by_value ? fz::ingest::ReadEventFilesMerged(files, options, quarantine,
                                                  [&](std::vector<fz::model::Event>& batch) {
                                                    ++batches;
                                                    batch.clear();
                                                  })
               : fz::ingest::ReadEventFilesMergedRefs(files, options, quarantine,
                                                      [&](fz::ingest::EventRefBatch& batch) {
                                                        ++batches;
                                                        batch.events.clear();
                                                        batch.owners.clear();
                                                      });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "read_events: %lld events (%lld MiB) in %.2fs = %.2f M events/s, %d threads, %lld "
      "failed files, %lld quarantined%s\n",
      static_cast<long long>(result.total.events), static_cast<long long>(result.total.bytes >> 20),
      seconds, static_cast<double>(result.total.events) / seconds / 1e6, options.threads,
      static_cast<long long>(result.failed_files), static_cast<long long>(quarantine.total()),
      by_value ? ", merged by value" : "");
  return result.failed_files == 0 ? 0 : 1;
}
