// Reading many event files as one stream in event-time order. Carriers and banks deliver one
// file per source and period (call_20261126.csv, app_20261126.csv, transfer_...), so reading
// files one after another would show the detector every app install of a week before any
// call; windows and chain rules ("fraud call -> app install -> transfer within 12 h") need
// the events of all files interleaved by time.
//
//   MergeOptions options{.read = {.fraud_types = &types}, .threads = 2};
//   MergedReadResult result = ReadEventFilesMerged(paths, options, quarantine,
//       [&](std::vector<model::Event>& batch) { detector.Process(std::move(batch)); });
//   for (const FileResult& f : result.files) if (!f.status.ok()) ...
//
// How: every file is parsed on a pool of `threads` workers, a batch at a time, into a small
// bounded queue of its own (at most `read_ahead_batches` parsed batches wait per file, so
// memory is bounded by files x (read_ahead + 2) x batch_size events whatever the file sizes).
// A k-way merge on the calling thread takes the file whose next event is earliest and calls
// `on_batch` with batches of up to read.batch_size events in non-decreasing event time.
// Ties go to the file earlier in `files`, then to row order. Rows out of order within one
// file keep their file order (the merge compares only the next unmerged row of each file);
// the detector tolerates small disorder. The output (events, order, batch boundaries, stats)
// depends only on the files, never on thread timing or the number of threads; only the order
// in which different files' bad rows reach the quarantine file may vary.
//
// A file that fails as a whole (cannot be opened, bad CSV header, corrupt compression
// part-way) ends there: events read before the error are still merged, its FileResult
// carries the error, it counts in `failed_files` and its rows are not added to `total`
// (as ReadEventFile returns no stats for it); the other files go on. All files are open at
// once, so the number of inputs is bounded by the process's file descriptors.
//
// Thread safety: call from one thread; `on_batch` and `on_file_done` run on that thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fz/common/status.h"
#include "fz/ingest/event_reader.h"

namespace fz::ingest {

struct FileResult {
  std::string path;
  Status status;    // why the file failed as a whole, or OK
  FileStats stats;  // rows read until the end (or the error)
};

struct MergeOptions {
  ReadOptions read;
  int threads = 2;                // parser threads (at most one per file is busy at a time)
  size_t read_ahead_batches = 2;  // parsed, not yet merged batches per file
  // Called when a file has been read to its end or failed, in the order the merge gets there.
  std::function<void(const FileResult&)> on_file_done;
};

struct MergedReadResult {
  FileStats total;                // summed over the files that did not fail
  std::vector<FileResult> files;  // in the order of `files`
  int64_t failed_files = 0;
  // The most parsed-but-unmerged batches any one file had at once (the read-ahead bound in
  // action; for tests and metrics).
  size_t peak_read_ahead = 0;
};

MergedReadResult ReadEventFilesMerged(const std::vector<std::string>& files,
                                      const MergeOptions& options, Quarantine& quarantine,
                                      const BatchFn& on_batch);

// The merged stream by reference: `events` point into the batches the parser threads filled,
// which `owners` hold. The merging thread then only writes a pointer per event instead of
// moving every Event (a few hundred bytes of strings each) into a new batch, and the events
// are freed wherever the last owner is dropped. The callee may move the vectors out and keep
// the owners as long as it reads the events; the events must not be modified (several
// batches may share an owner).
struct EventRefBatch {
  std::vector<const model::Event*> events;
  std::vector<std::shared_ptr<const std::vector<model::Event>>> owners;
  // keys[i]: options.read.keys_of(*events[i]), computed on the parser thread; empty when
  // keys_of is not set.
  std::vector<model::EventKeys> keys;
};
using EventRefBatchFn = std::function<void(EventRefBatch& batch)>;

// Same stream, order, batch sizes and results as ReadEventFilesMerged, by reference.
MergedReadResult ReadEventFilesMergedRefs(const std::vector<std::string>& files,
                                          const MergeOptions& options, Quarantine& quarantine,
                                          const EventRefBatchFn& on_refs);

}  // namespace fz::ingest
