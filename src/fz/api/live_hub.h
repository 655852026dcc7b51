// LiveHub: the live push of warning events (new, upgraded, overdue, escalated) to connected
// consoles over Server-Sent Events. Each subscriber sees only events about units in its
// jurisdiction (the warning's unit or the escalation's target). Recent events are kept in a
// ring so that a client reconnecting with Last-Event-ID misses nothing; ids are
// "EPOCH-SEQ" where EPOCH names this server run, so an id from a previous run (or one that fell
// out of the ring) gets a "reset" event telling the client to reload its list.
//
//   LiveHub hub(&tree, /*capacity=*/100000);
//   hub.Publish("new", warning_unit, {}, json_text);            // from the pipeline
//   hub.Subscribe(principal.actor(), last_event_id, channel);   // from GET /api/stream
//
// Thread-safe. Publishing only queues frames on the channels (the HTTP layer writes them), so a
// slow console never slows the pipeline; a console too far behind is cut by the HTTP layer.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "fz/http/message.h"
#include "fz/model/ids.h"
#include "fz/units/unit_tree.h"
#include "fz/workflow/state.h"

namespace fz::api {

struct LiveEvent {
  int64_t seq = 0;
  std::string kind;        // "new", "upgraded", "overdue", "escalated"
  model::UnitCode unit;    // the warning's unit; empty for the city's queues
  model::UnitCode target;  // escalation target unit; empty otherwise
  std::string data;        // JSON object, personal data masked
};

class LiveHub {
 public:
  // `tree` must outlive the hub.
  LiveHub(const units::UnitTree* tree, size_t capacity);

  // Returns the event's sequence number.
  int64_t Publish(std::string kind, const model::UnitCode& unit, const model::UnitCode& target,
                  std::string data);
  // Replays the retained events after `last_event_id` that `actor` may see, then streams new
  // ones. An empty id starts with new events only.
  void Subscribe(const workflow::Actor& actor, std::string_view last_event_id,
                 std::shared_ptr<http::SseChannel> channel);
  // Closes every stream (shutdown).
  void CloseAll();

  size_t subscribers() const;
  int64_t last_seq() const;
  const std::string& epoch() const { return epoch_; }

 private:
  struct Subscriber {
    workflow::Actor actor;
    std::shared_ptr<http::SseChannel> channel;
  };
  bool Visible(const workflow::Actor& actor, const LiveEvent& e) const;
  bool SendTo(http::SseChannel& channel, const LiveEvent& e) const;

  const units::UnitTree* tree_;
  const size_t capacity_;
  const std::string epoch_;
  mutable absl::Mutex mu_;
  int64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<LiveEvent> ring_ ABSL_GUARDED_BY(mu_);
  std::vector<Subscriber> subscribers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fz::api
