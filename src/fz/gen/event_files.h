// The events/ directory: one JSONL file per event type and Beijing calendar day
// (events/call_20261123.jsonl, optionally .zst), each sorted by time, written an hour at a
// time. Ids are "<feed prefix>-<date>-<seq>", unique and stable for a seed.
//
//   EventFiles files(out_dir + "/events", /*zstd=*/false, duplicate_rate, seed);
//   FZ_RETURN_IF_ERROR(files.WriteHour(hour_start, &chunk));
//   FZ_RETURN_IF_ERROR(files.Close());
//
// Feeds re-deliver records now and then: with `duplicate_rate`, a line is written twice (same
// id, same content), as the detector must tolerate. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fz/common/status.h"
#include "fz/gen/event_queue.h"
#include "fz/gen/rng.h"

namespace fz::gen {

class LineFile;

class EventFiles {
 public:
  EventFiles(std::string dir, bool zstd, double duplicate_rate, uint64_t seed);
  ~EventFiles();

  // Sorts `chunk` (events of the hour starting at `hour_start`) and appends it.
  Status WriteHour(int64_t hour_start, std::vector<PendingEvent>* chunk);
  Status Close();

  const std::array<int64_t, kEventTypes>& events_by_type() const { return events_; }
  int64_t duplicates() const { return duplicates_; }
  int64_t files() const { return files_; }
  int64_t bytes() const { return bytes_; }  // on disk, after compression

 private:
  Status CloseDay();

  std::string dir_;
  bool zstd_;
  double duplicate_rate_;
  Rng rng_;
  std::string date_;
  std::array<std::unique_ptr<LineFile>, kEventTypes> open_;
  std::array<int64_t, kEventTypes> seq_{};
  std::array<int64_t, kEventTypes> events_{};
  int64_t duplicates_ = 0;
  int64_t files_ = 0;
  int64_t bytes_ = 0;
  std::string line_;
};

}  // namespace fz::gen
