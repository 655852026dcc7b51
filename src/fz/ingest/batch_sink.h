// Collects events into batches for a BatchFn and keeps a file's counters. Internal to
// fz/ingest: shared by the CSV and JSONL readers.
//
//   model::Event& e = sink.Start();   // build in place (no copy of the event)
//   if (ok) sink.Commit(); else sink.Reject(record);
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
  BatchSink(const std::string& file, const ReadOptions& options, Quarantine& quarantine,
            const BatchFn& on_batch)
      : file_(file),
        batch_size_(options.batch_size == 0 ? 1 : options.batch_size),
        quarantine_(quarantine),
        on_batch_(on_batch) {
    batch_.reserve(batch_size_);
  }

  // A new event slot at the end of the batch; then exactly one of Commit() or Abort().
  model::Event& Start() {
    ++stats_.rows;
    return batch_.emplace_back();
  }
  void Commit() {
    ++stats_.events;
    if (batch_.size() >= batch_size_) Flush();
  }
  // Drops the slot and quarantines the row.
  void Abort(int64_t line, std::string reason, std::string_view raw) {
    batch_.pop_back();
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
  void Flush() {
    if (batch_.empty()) return;
    on_batch_(batch_);
    batch_.clear();
  }
  FileStats& stats() { return stats_; }
  const std::string& file() const { return file_; }

 private:
  const std::string& file_;
  size_t batch_size_;
  Quarantine& quarantine_;
  const BatchFn& on_batch_;
  std::vector<model::Event> batch_;
  FileStats stats_;
};

}  // namespace fz::ingest::internal
