#include "fz/common/clock.h"

#include <cassert>

namespace fz {

absl::Time RealClock::Now() const { return absl::Now(); }

Clock* DefaultClock() {
  // Leaked on purpose (the Google-style idiom for non-trivially-destructible statics): code that
  // reads the clock from other static destructors or detached threads must never see it dead.
  static auto* const clock = new RealClock();
  return clock;
}

SimulatedClock::SimulatedClock(absl::Time start) : now_(start) {}

absl::Time SimulatedClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void SimulatedClock::Advance(absl::Duration delta) {
  assert(delta >= absl::ZeroDuration() && "SimulatedClock::Advance() cannot go backwards");
  absl::MutexLock lock(&mu_);
  now_ += delta;
}

void SimulatedClock::SetTime(absl::Time time) {
  absl::MutexLock lock(&mu_);
  now_ = time;
}

}  // namespace fz
