// Collects one file's events into the caller's batch and keeps the file's counters. Internal
// to fz/ingest: shared by the CSV and JSONL row readers.
//
//   sink.set_batch(&batch);
//   model::Event& e = sink.Start();   // build in place (no copy of the event)
//   if (ok) sink.Commit(); else sink.Abort(line, reason, raw);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "fz/ingest/event_reader.h"

namespace fz::ingest::internal {

// A too_long record keeps this much of its text in the quarantine.
inline constexpr size_t kMaxQuarantinedTooLong = 4096;

class BatchSink {
 public:
  BatchSink(std::string file, Quarantine& quarantine)
      : file_(std::move(file)), quarantine_(quarantine) {}

  // Where Start() appends; must be set before the first Start().
  void set_batch(std::vector<model::Event>* batch) { batch_ = batch; }

  // A new event slot at the end of the batch; then exactly one of Commit() or Abort().
  model::Event& Start() {
    ++stats_.rows;
    return batch_->emplace_back();
  }
  void Commit() { ++stats_.events; }
  // Drops the slot and quarantines the row.
  void Abort(int64_t line, std::string reason, std::string_view raw) {
    batch_->pop_back();
    --stats_.rows;
    Reject(line, std::move(reason), raw);
  }
  // A row that never got a slot (unsplittable, too long).
  void Reject(int64_t line, std::string reason, std::string_view raw) {
    ++stats_.rows;
    ++stats_.quarantined;
    quarantine_.Add(QuarantineRecord{
        .file = file_, .line = line, .reason = std::move(reason), .raw = std::string(raw)});
  }
  FileStats& stats() { return stats_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  Quarantine& quarantine_;
  std::vector<model::Event>* batch_ = nullptr;
  FileStats stats_;
};

}  // namespace fz::ingest::internal
