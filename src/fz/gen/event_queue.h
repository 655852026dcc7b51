// Events on their way to the files: a JSON body (the object without its id) stamped with a
// time and a creation order, kept in a min-heap until the hour it belongs to is written.
//
//   EventQueue queue(start_s, end_s);
//   queue.Push(ts, model::EventType::kCall, CallBody(...));   // dropped if outside the window
//   queue.PopBefore(hour_end, &chunk);                        // everything earlier, any order
//
// The creation order breaks ties between equal timestamps, so sorting is deterministic. Memory
// holds only events not yet written: the pending steps of journeys in progress. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "fz/model/event.h"

namespace fz::gen {

inline constexpr int kEventTypes = 7;

struct PendingEvent {
  int64_t ts = 0;
  uint64_t order = 0;
  model::EventType type = model::EventType::kCall;
  std::string body;  // a JSON object "{...}" without "id"

  // Earliest first.
  friend bool operator>(const PendingEvent& a, const PendingEvent& b) {
    return a.ts != b.ts ? a.ts > b.ts : a.order > b.order;
  }
};

class EventQueue {
 public:
  EventQueue(int64_t start_s, int64_t end_s) : start_s_(start_s), end_s_(end_s) {}

  // False (and nothing queued) when `ts` is outside [start, end): journeys planned near the end
  // of the window run past it, as real ones run past any export.
  bool Push(int64_t ts, model::EventType type, std::string body) {
    if (ts < start_s_ || ts >= end_s_) return false;
    heap_.push(PendingEvent{ts, next_order_++, type, std::move(body)});
    return true;
  }
  bool InWindow(int64_t ts) const { return ts >= start_s_ && ts < end_s_; }

  // Moves every event with ts < `before` to `out` (appended, heap order).
  void PopBefore(int64_t before, std::vector<PendingEvent>* out) {
    while (!heap_.empty() && heap_.top().ts < before) {
      out->push_back(std::move(const_cast<PendingEvent&>(heap_.top())));
      heap_.pop();
    }
  }

  uint64_t NextOrder() { return next_order_++; }
  size_t pending() const { return heap_.size(); }

 private:
  int64_t start_s_, end_s_;
  uint64_t next_order_ = 0;
  std::priority_queue<PendingEvent, std::vector<PendingEvent>, std::greater<>> heap_;
};

}  // namespace fz::gen
