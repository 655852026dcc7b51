// Collects one file's events into the caller's batch and keeps the file's counters. Internal
// to fz/ingest: shared by the CSV and JSONL row readers.
//
//   sink.set_batch(&batch, &order);
//   model::Event& e = sink.Start();   // build in place (no copy of the event)
//   if (ok) sink.Commit(); else sink.Abort(line, reason, raw);
//
// The merge order of a file's events (merged_reader.h) is kept here too: next to each event,
// the latest row time of the file so far (that row included), over every row whose time
// parses, whether it became an event, was quarantined or belongs to another shard. Within a
// file these keys never decrease, so merging files by them needs no look at other rows.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "fz/ingest/event_reader.h"

namespace fz::ingest::internal {

// A too_long record keeps this much of its text in the quarantine.
inline constexpr size_t kMaxQuarantinedTooLong = 4096;

class BatchSink {
 public:
  BatchSink(std::string file, Quarantine& quarantine, std::optional<RowShard> shard)
      : file_(std::move(file)), quarantine_(quarantine), shard_(shard) {}

  // Where Start() appends (and Commit() the order keys, if `order` is set); must be set before
  // the first Start().
  void set_batch(std::vector<model::Event>* batch, std::vector<absl::Time>* order) {
    batch_ = batch;
    order_ = order;
  }

  // A new event slot at the end of the batch; then exactly one of Commit() or Abort().
  model::Event& Start() {
    ++stats_.rows;
    return batch_->emplace_back();
  }
  void Commit() {
    ++stats_.events;
    NoteTime(batch_->back().header.time);
    if (order_ != nullptr) order_->push_back(latest_);
  }
  // Drops the slot and quarantines the row.
  void Abort(int64_t line, std::string reason, std::string_view raw) {
    batch_->pop_back();
    --stats_.rows;
    Quarantine(line, std::move(reason), raw);
  }
  // A row that never got a slot (unsplittable, too long). When reading for a shard, only
  // shard 0 counts and quarantines it (every shard sees it).
  void Reject(int64_t line, std::string reason, std::string_view raw) {
    if (shard_.has_value() && shard_->index != 0) return;
    Quarantine(line, std::move(reason), raw);
  }
  // The time of a row that is not committed (quarantined, or another shard's): it still
  // moves the file's merge order on.
  void NoteTime(absl::Time t) { latest_ = std::max(latest_, t); }

  const std::optional<RowShard>& shard() const { return shard_; }
  FileStats& stats() { return stats_; }
  const std::string& file() const { return file_; }

 private:
  void Quarantine(int64_t line, std::string reason, std::string_view raw) {
    ++stats_.rows;
    ++stats_.quarantined;
    quarantine_.Add(QuarantineRecord{
        .file = file_, .line = line, .reason = std::move(reason), .raw = std::string(raw)});
  }

  std::string file_;
  ingest::Quarantine& quarantine_;
  std::optional<RowShard> shard_;
  std::vector<model::Event>* batch_ = nullptr;
  std::vector<absl::Time>* order_ = nullptr;
  absl::Time latest_ = absl::InfinitePast();
  FileStats stats_;
};

}  // namespace fz::ingest::internal
