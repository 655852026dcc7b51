// Everyday traffic of the synthetic city, hour by hour: calls, SMS (bank notices, codes,
// parcels, marketing, people), web visits, app installs and transfers at realistic per-person
// rates and a daily rhythm. It dominates the volume, and it holds the innocent look-alikes a
// detector must not warn on: bank loan offers, police anti-fraud notices that say 安全账户,
// meeting apps installed for work, long calls from relatives abroad.
//
//   BackgroundTraffic background(world);
//   background.Hour(day, hour, &queue, &chunk);   // appends this hour's events to `chunk`
//
// Each (day, hour) has its own random stream: output does not depend on other hours.
// Const methods are thread-safe.
#pragma once

#include <array>
#include <vector>

#include "fz/gen/event_queue.h"
#include "fz/gen/journeys.h"

namespace fz::gen {

// Background events per resident per day, by type (call, sms, net, app, transfer).
struct BackgroundRates {
  double calls = 2.0;
  double sms = 2.0;
  double net = 3.0;
  double apps = 0.06;
  double transfers = 0.3;
};

class BackgroundTraffic {
 public:
  BackgroundTraffic(const World& world, BackgroundRates rates);

  void Hour(int day, int hour, EventQueue* queue, std::vector<PendingEvent>* out) const;

 private:
  std::string Call(Rng& rng, int64_t ts) const;
  std::string Sms(Rng& rng, int64_t ts) const;
  std::string Net(Rng& rng, int64_t ts) const;
  std::string App(Rng& rng, int64_t ts) const;
  std::string Transfer(Rng& rng, int64_t ts) const;
  size_t AnyResident(Rng& rng) const;
  size_t MobileResident(Rng& rng) const;

  const World& world_;
  BackgroundRates rates_;
  std::vector<double> site_cdf_;
};

}  // namespace fz::gen
