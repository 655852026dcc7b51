// Clock: the only source of "now" in fanzha. Code takes a `Clock*` instead of calling
// absl::Now(), so workflow deadlines and SLA timers can be tested on simulated time.
//
//   class Escalator {
//    public:
//     explicit Escalator(fz::Clock* clock) : clock_(clock) {}
//     bool Overdue(absl::Time deadline) const { return clock_->Now() > deadline; }
//    private:
//     fz::Clock* clock_;  // Not owned.
//   };
//
//   fz::SimulatedClock clock(absl::FromUnixSeconds(1700000000));
//   Escalator escalator(&clock);
//   clock.Advance(absl::Hours(48));  // A two-day SLA expires instantly in a test.
#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fz {

// Interface for reading the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;

  // Returns the current time. May be called concurrently from any thread.
  virtual absl::Time Now() const = 0;
};

// Wall-clock time from the operating system (absl::Now()). Stateless and thread-safe.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override;
};

// Returns a process-wide RealClock. Never null; never destroyed; safe from any thread.
Clock* DefaultClock();

// A clock that only moves when told to. Thread-safe: one thread may Advance() while others
// read Now().
class SimulatedClock final : public Clock {
 public:
  // Starts at `start`; the default is the Unix epoch.
  explicit SimulatedClock(absl::Time start = absl::UnixEpoch());

  SimulatedClock(const SimulatedClock&) = delete;
  SimulatedClock& operator=(const SimulatedClock&) = delete;

  absl::Time Now() const override;

  // Moves time forward by `delta`. Precondition: delta >= absl::ZeroDuration(); use SetTime()
  // to move time backwards on purpose (e.g. to test clock skew).
  void Advance(absl::Duration delta);

  // Sets the current time to `time`, in either direction.
  void SetTime(absl::Time time);

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fz
