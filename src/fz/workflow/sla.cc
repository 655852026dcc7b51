#include "fz/workflow/sla.h"

#include <array>

#include "fz/common/str_cat.h"
#include "fz/workflow/lifecycle.h"

namespace fz::workflow {
namespace {

constexpr std::array<std::string_view, kSlaClockCount> kNames = {"accept", "first_contact",
                                                                 "visit"};
constexpr std::array<std::string_view, kSlaClockCount> kNamesZh = {"签收", "首次联系", "见面"};

absl::Duration LimitOf(SlaClock clock, const LevelClocks& c) {
  switch (clock) {
    case SlaClock::kAccept:
      return c.accept;
    case SlaClock::kFirstContact:
      return c.first_contact;
    case SlaClock::kVisit:
      return c.visit;
  }
  return c.accept;
}

std::string FormatLimit(absl::Duration d) {
  int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes % (24 * 60) == 0) return StrCat(minutes / (24 * 60), "天");
  if (minutes % 60 == 0) return StrCat(minutes / 60, "小时");
  if (minutes > 0) return StrCat(minutes, "分钟");
  return StrCat(absl::ToInt64Seconds(d), "秒");
}

}  // namespace

std::string_view SlaClockName(SlaClock clock) { return kNames[static_cast<size_t>(clock)]; }
std::string_view SlaClockNameZh(SlaClock clock) { return kNamesZh[static_cast<size_t>(clock)]; }

std::optional<SlaClock> ParseSlaClock(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<SlaClock>(i);
  }
  return std::nullopt;
}

absl::Time SlaTimer::NextDue() const {
  if (met_at.has_value() || stage >= 2) return absl::InfiniteFuture();
  return stage == 0 ? first_due : second_due;
}

SlaTimer StartClock(SlaClock clock, absl::Duration limit, absl::Time start, double second_factor) {
  SlaTimer t;
  t.clock = clock;
  t.started_at = start;
  t.first_due = start + limit;
  t.second_due = start + limit * second_factor;
  return t;
}

std::vector<SlaTimer> StartClocks(model::WarningLevel level, absl::Time dispatched_at,
                                  const SlaConfig& sla) {
  const LevelClocks& c = sla.For(level);
  std::vector<SlaTimer> out = {
      StartClock(SlaClock::kAccept, c.accept, dispatched_at, sla.second_factor),
      StartClock(SlaClock::kFirstContact, c.first_contact, dispatched_at, sla.second_factor)};
  if (c.visit_required) {
    out.push_back(StartClock(SlaClock::kVisit, c.visit, dispatched_at, sla.second_factor));
  }
  return out;
}

std::vector<SlaClock> ClocksMetBy(WarningState to) {
  switch (to) {
    case WarningState::kAccepted:
      return {SlaClock::kAccept};
    case WarningState::kContacting:
      return {SlaClock::kAccept, SlaClock::kFirstContact};
    case WarningState::kDissuaded:
    case WarningState::kDefrauded:
    case WarningState::kUnreachable:
      return {SlaClock::kAccept, SlaClock::kFirstContact};
    case WarningState::kFalseAlarm:
    case WarningState::kHandedOver:
    case WarningState::kClosed:
      // Nothing more is owed by this unit: every clock stops.
      return {SlaClock::kAccept, SlaClock::kFirstContact, SlaClock::kVisit};
    default:
      return {};
  }
}

std::vector<SlaTimer> AdjustForLevel(const std::vector<SlaTimer>& timers,
                                     model::WarningLevel new_level, const SlaConfig& sla) {
  const LevelClocks& c = sla.For(new_level);
  std::vector<SlaTimer> changed;
  bool has_visit = false;
  absl::Time start = timers.empty() ? absl::UnixEpoch() : timers.front().started_at;
  for (const SlaTimer& t : timers) {
    if (t.clock == SlaClock::kVisit) has_visit = true;
    if (t.met_at.has_value()) continue;
    SlaTimer shorter = StartClock(t.clock, LimitOf(t.clock, c), t.started_at, sla.second_factor);
    if (shorter.first_due < t.first_due) {
      shorter.stage = t.stage;
      changed.push_back(shorter);
    }
  }
  if (!has_visit && c.visit_required && !timers.empty()) {
    changed.push_back(StartClock(SlaClock::kVisit, c.visit, start, sla.second_factor));
  }
  return changed;
}

std::optional<Escalation> NextEscalation(SlaTimer& timer, absl::Time now,
                                         std::string_view unit_path) {
  absl::Time due = timer.NextDue();
  if (due == absl::InfiniteFuture() || now < due) return std::nullopt;
  Escalation e;
  e.clock = timer.clock;
  e.stage = ++timer.stage;
  e.due = due;
  std::string_view parent = ParentPath(unit_path);
  std::string_view target;
  if (e.stage == 1 && !parent.empty()) {
    target = UnitOfPath(parent);
  } else {
    // The city: the first code of the path. Also stage 1 for warnings held by the city itself.
    size_t end = unit_path.find('/', 1);
    target = end == std::string_view::npos ? std::string_view() : unit_path.substr(1, end - 1);
  }
  e.target = model::UnitCode(std::string(target));
  absl::Duration limit = timer.first_due - timer.started_at;
  e.reason = StrCat(SlaClockNameZh(timer.clock), "超时（", FormatLimit(limit),
                    e.stage == 1 ? "），督办至上级单位 " : "），第二时限已过，督办至市局 ", target);
  return e;
}

}  // namespace fz::workflow
