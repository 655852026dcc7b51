// Detection over event files with one pipeline per detector shard (docs/adr/0006): each
// shard's thread reads every file itself, keeps the rows whose subject it owns
// (ingest::ReadOptions::shard), merges its own rows of all files in the same order as
// ingest::ReadEventFilesMerged, and runs its own Detector on them at once. No thread merges,
// routes or hands events on, and each event is built, read and freed on one core.
//
//   if (CanDetectFilesPerShard(files)) {
//     ingest::MergedReadResult read = DetectFilesPerShard(detector, files, options, quarantine);
//   }
//
// Each subject's events reach the same shard in the same order as through
// ReadEventFilesMergedRefs + ParallelDetector::Process, so the warnings, the quarantine (as a
// set) and the counters are the same. Every row is framed, and its time and subject field
// parsed, on every shard: the cost that replaces the hand-off.
#pragma once

#include <string>
#include <vector>

#include "fz/detect/detector.h"
#include "fz/ingest/merged_reader.h"

namespace fz::detect {

// Whether every file can be read once per shard: regular, uncompressed files (a compressed
// file would be decompressed once per shard; a pipe can be read only once). The others go
// through ReadEventFilesMergedRefs.
bool CanDetectFilesPerShard(const std::vector<std::string>& files);

// Reads and detects `files` on the shards of `detector`. The result is as
// ReadEventFilesMergedRefs's (peak_read_ahead is 0); options.threads is not used (each shard
// reads), options.on_file_done is called for every file at the end, in file order.
ingest::MergedReadResult DetectFilesPerShard(ParallelDetector& detector,
                                             const std::vector<std::string>& files,
                                             const ingest::MergeOptions& options,
                                             ingest::Quarantine& quarantine);

}  // namespace fz::detect
