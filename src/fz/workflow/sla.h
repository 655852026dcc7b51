// SLA clocks (accept, first contact, visit) and escalation (督办): when each clock is due, what
// meets it, and which unit an overdue clock is escalated to (docs/workflow.md "SLA clocks").
//
//   std::vector<SlaTimer> timers = StartClocks(level, dispatched_at, config.sla);
//   for (SlaTimer& t : timers)
//     while (std::optional<Escalation> e = NextEscalation(t, clock->Now(), unit_path)) ...
//
// Pure functions over values; time is passed in (from the caller's injected Clock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "fz/model/warning_level.h"
#include "fz/workflow/state.h"
#include "fz/workflow/workflow_config.h"

namespace fz::workflow {

enum class SlaClock : uint8_t { kAccept, kFirstContact, kVisit };
inline constexpr int kSlaClockCount = 3;

std::string_view SlaClockName(SlaClock clock);    // "accept", "first_contact", "visit"
std::string_view SlaClockNameZh(SlaClock clock);  // "签收", "首次联系", "见面"
std::optional<SlaClock> ParseSlaClock(std::string_view name);

struct SlaTimer {
  SlaClock clock = SlaClock::kAccept;
  absl::Time started_at;
  absl::Time first_due;   // → parent unit
  absl::Time second_due;  // → city
  int stage = 0;          // escalations already raised: 0, 1 (parent), 2 (city)
  std::optional<absl::Time> met_at;

  // The next time something happens to this timer, or InfiniteFuture when met or done.
  absl::Time NextDue() const;
};

// Clocks that start at dispatch for a warning of `level`.
std::vector<SlaTimer> StartClocks(model::WarningLevel level, absl::Time dispatched_at,
                                  const SlaConfig& sla);
SlaTimer StartClock(SlaClock clock, absl::Duration limit, absl::Time start, double second_factor);

// Clocks met by entering `to` (a visit is met by a visit step, not by a state).
std::vector<SlaClock> ClocksMetBy(WarningState to);

// After a level upgrade: deadlines of unmet clocks move earlier to the new level's limits
// (measured from their start), and a visit clock starts if the new level requires one.
// Returns the clocks that changed or were added.
std::vector<SlaTimer> AdjustForLevel(const std::vector<SlaTimer>& timers,
                                     model::WarningLevel new_level, const SlaConfig& sla);

struct Escalation {
  SlaClock clock = SlaClock::kAccept;
  int stage = 1;           // 1: parent unit (督办), 2: city
  absl::Time due;          // the deadline that passed
  model::UnitCode target;  // who is told
  std::string reason;      // "红色预警签收超时（2分钟），督办至兴庆区分局"
};

// The next escalation of `timer` due at `now` (and advances timer.stage), or nullopt. Call it
// repeatedly: a timer overdue past both deadlines yields stage 1 then stage 2. `unit_path` is
// the warning's unit path; the parent is its second-last unit (the city for a district, the
// city itself for the city queues).
std::optional<Escalation> NextEscalation(SlaTimer& timer, absl::Time now,
                                         std::string_view unit_path);

}  // namespace fz::workflow
