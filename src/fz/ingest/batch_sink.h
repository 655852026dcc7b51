// Collects one file's events into the caller's batch and keeps the file's counters. Internal
// to fz/ingest: shared by the CSV and JSONL row readers.
//
//   sink.set_batch(&batch);           // its events are slots to build the next rows into
//   model::Event& e = sink.Start();   // build in place (no copy of the event)
//   if (ok) sink.Commit(); else sink.Abort(line, reason, raw);
//   ...
//   sink.Finish();                    // drops the slots no row was committed to
//
// Batches are recycled (merged_reader.cc hands a file's batches back to it once detection
// dropped them), so a slot usually still holds an event of an earlier row, mostly of the same
// type: the builder overwrites every field and its strings keep their buffers, which saves an
// allocation, a free and a destructor per string and the zeroing of a fresh 300-byte event.
#pragma once

#include <cstddef>
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

  // Where Start() builds; must be set before the first Start(). Its events are overwritten
  // in order (any event is a valid slot: built, aborted part-way, moved from).
  // `keys`, if given, is cleared and gets each committed event's time and (with `keys_of`)
  // its EventKeys.
  void set_batch(std::vector<model::Event>* batch, BatchKeys* keys = nullptr) {
    batch_ = batch;
    keys_ = keys;
    committed_ = 0;
    if (keys_ != nullptr) {
      keys_->times.clear();
      keys_->keys.clear();
    }
  }
  void set_keys_of(model::EventKeys (*keys_of)(const model::Event&)) { keys_of_ = keys_of; }
  // Events committed to the batch since set_batch().
  size_t committed() const { return committed_; }

  // The next event slot (an old event to overwrite, else a new one at the end); then exactly
  // one of Commit() or Abort().
  model::Event& Start() {
    ++stats_.rows;
    if (committed_ < batch_->size()) return (*batch_)[committed_];
    return batch_->emplace_back();
  }
  void Commit() {
    if (keys_ != nullptr) {
      const model::Event& event = (*batch_)[committed_];
      keys_->times.push_back(event.header.time);
      if (keys_of_ != nullptr) keys_->keys.push_back(keys_of_(event));
    }
    ++stats_.events;
    ++committed_;
  }
  // Quarantines the row; its slot is the next row's.
  void Abort(int64_t line, std::string reason, std::string_view raw) {
    --stats_.rows;
    Reject(line, std::move(reason), raw);
  }
  // Shrinks the batch to the committed events (the last batch of a file, or one that ended
  // on a rejected row, has slots left over).
  void Finish() {
    if (batch_->size() > committed_) {
      batch_->erase(batch_->begin() + static_cast<std::ptrdiff_t>(committed_), batch_->end());
    }
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
  BatchKeys* keys_ = nullptr;
  model::EventKeys (*keys_of_)(const model::Event&) = nullptr;
  size_t committed_ = 0;
  FileStats stats_;
};

}  // namespace fz::ingest::internal
