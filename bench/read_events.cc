// The reading stage of `fanzha detect` alone, for bench/detect_e2e.sh's per-stage figures:
// event files parsed, normalized and merged in event-time order exactly as detect does it
// (ingest::ReadEventFilesMergedRefs: the merge hands on pointers into the parsed batches),
// with batches dropped instead of detected. `--by-value` merges by moving every event into a
// new batch (ingest::ReadEventFilesMerged, what backtest and the spool use, and what this
// tool measured until speed round 6).
//
// `--shard I/N` reads as detector shard I of N does under `fanzha detect` (docs/adr/0006):
// every row framed, only shard I's rows built (single-threaded, file by file, no merge), to
// measure what passing over the other shards' rows costs.
//
// Usage: read_events [--threads N] [--by-value] [--shard I/N] FILES...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fz/detect/detector_impl.h"
#include "fz/ingest/event_file_reader.h"
#include "fz/ingest/merged_reader.h"

namespace {
uint32_t OwnerOf(std::string_view subject, uint32_t shards) {
  return fz::detect::ShardOf(subject, shards);
}
}  // namespace

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
    } else if (arg == "--shard" && i + 1 < argc) {
      unsigned index = 0;
      unsigned count = 1;
      if (std::sscanf(argv[++i], "%u/%u", &index, &count) != 2 || index >= count) return 2;
      options.read.shard = fz::ingest::RowShard{.index = index, .count = count, .owner = &OwnerOf};
    } else {
      files.push_back(arg);
    }
  }
  fz::ingest::Quarantine quarantine;
  int64_t batches = 0;
  auto start = std::chrono::steady_clock::now();
  if (options.read.shard.has_value()) {
    int64_t events = 0;
    std::vector<fz::model::Event> batch;
    std::vector<absl::Time> order;
    for (const std::string& file : files) {
      auto reader = fz::ingest::EventFileReader::Open(file, options.read, quarantine);
      if (!reader.ok()) return 1;
      for (;;) {
        auto n = (*reader)->Next(&batch, &order);
        if (!n.ok() || *n == 0) break;
        events += static_cast<int64_t>(*n);
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("read_events: shard %u/%u: %lld events in %.2fs\n", options.read.shard->index,
                options.read.shard->count, static_cast<long long>(events), seconds);
    return 0;
  }
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
