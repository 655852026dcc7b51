#include "fz/api/live_hub.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "fz/auth/permissions.h"
#include "fz/common/str_cat.h"
#include "fz/common/strings.h"

namespace fz::api {

LiveHub::LiveHub(const units::UnitTree* tree, size_t capacity)
    : tree_(tree),
      capacity_(std::max<size_t>(capacity, 1)),
      epoch_(fz::StrCat(absl::ToUnixMillis(absl::Now()))) {}

bool LiveHub::Visible(const workflow::Actor& actor, const LiveEvent& e) const {
  if (!auth::Allows(actor.role, auth::Permission::kWarningRead)) return false;
  if (auth::InJurisdiction(actor, e.unit, *tree_)) return true;
  return !e.target.value().empty() && auth::InJurisdiction(actor, e.target, *tree_);
}

bool LiveHub::SendTo(http::SseChannel& channel, const LiveEvent& e) const {
  return channel.Send(fz::StrCat(epoch_, "-", e.seq), e.kind, e.data);
}

int64_t LiveHub::Publish(std::string kind, const model::UnitCode& unit,
                         const model::UnitCode& target, std::string data) {
  absl::MutexLock lock(&mu_);
  LiveEvent e{++seq_, std::move(kind), unit, target, std::move(data)};
  std::erase_if(subscribers_, [&](const Subscriber& s) {
    if (s.channel->closed()) return true;
    return Visible(s.actor, e) && !SendTo(*s.channel, e);
  });
  ring_.push_back(std::move(e));
  if (ring_.size() > capacity_) ring_.pop_front();
  return seq_;
}

void LiveHub::Subscribe(const workflow::Actor& actor, std::string_view last_event_id,
                        std::shared_ptr<http::SseChannel> channel) {
  absl::MutexLock lock(&mu_);
  channel->SendRetry(2000);
  if (!last_event_id.empty()) {
    const size_t dash = last_event_id.rfind('-');
    int64_t seq = -1;
    const bool ours = dash != std::string_view::npos && last_event_id.substr(0, dash) == epoch_ &&
                      fz::ParseDecimal(last_event_id.substr(dash + 1), &seq);
    const int64_t oldest = ring_.empty() ? seq_ + 1 : ring_.front().seq;
    if (!ours || seq < oldest - 1 || seq > seq_) {
      // Events were missed that the ring no longer holds: the client reloads its list.
      channel->Send(fz::StrCat(epoch_, "-", seq_), "reset",
                    R"({"reason":"events since the given id are no longer retained"})");
    } else {
      for (const LiveEvent& e : ring_) {
        if (e.seq > seq && Visible(actor, e) && !SendTo(*channel, e)) return;
      }
    }
  }
  subscribers_.push_back({actor, std::move(channel)});
}

void LiveHub::CloseAll() {
  absl::MutexLock lock(&mu_);
  for (Subscriber& s : subscribers_) s.channel->Close();
  subscribers_.clear();
}

size_t LiveHub::subscribers() const {
  absl::MutexLock lock(&mu_);
  return subscribers_.size();
}

int64_t LiveHub::last_seq() const {
  absl::MutexLock lock(&mu_);
  return seq_;
}

}  // namespace fz::api
