// One victim's journey: the steps a fraud type takes with a victim, written as events, and
// the truth about it (first contact, first loss, total loss). Internal to journeys.cc and
// journey_types.cc.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "fz/gen/journeys.h"

namespace fz::gen {

class Journey {
 public:
  Journey(const World& world, EventQueue* queue, Rng& rng, size_t victim, const Gang& gang,
          Fraud fraud, int64_t t0);

  // Steps. Each returns its time so that the next can follow it.
  int64_t Call(int64_t at, const std::string& from, int duration_s);
  int64_t Sms(int64_t at, const std::string& from, const std::string& text);
  int64_t Visit(int64_t at, const std::string& url);  // the URL, or "m."/bare domain DNS
  int64_t Install(int64_t at, const App& app);
  int64_t Pay(int64_t at, int64_t fen);  // a transfer to one of the journey's mules

  // Numbers and resources of the gang.
  const std::string& International();
  const std::string& Voip();
  const std::string& Spoofed();
  const std::string& LocalSim();  // a SIM-box SIM when the gang runs one, half of the time
  const std::string& Url();       // one landing page, fixed for the journey
  const App& FraudApp();          // fixed for the journey
  const App& ScreenApp();         // a legitimate screen-sharing app, fixed for the journey
  std::string SmsText(const std::string& url);  // the type's lure, with the link

  // Directive and report (sometimes), then the truth line; returns true when the first loss
  // falls inside the window.
  bool Finish(FraudPlanner* planner, int64_t* directive_seq, TruthWriter* truth,
              FraudCounts* counts);

  Rng& rng() { return rng_; }
  int64_t t0() const { return t0_; }
  Fraud fraud() const { return fraud_; }
  static int64_t Minutes(Rng& rng, int lo, int hi) { return rng.Range(lo * 60, hi * 60); }

 private:
  void Touch(int64_t at) { first_visible_ = std::min(first_visible_, at); }

  const World& world_;
  EventQueue* queue_;
  Rng& rng_;
  size_t victim_;
  const Resident& resident_;
  const Gang& gang_;
  Fraud fraud_;
  int64_t t0_;
  std::string url_, victim_id_no_;
  const App* app_ = nullptr;
  const App* screen_app_ = nullptr;
  std::vector<const MuleAccount*> mules_;
  std::vector<std::string> contacts_;  // numbers that contacted the victim
  std::vector<std::string> domains_;
  int64_t first_visible_ = std::numeric_limits<int64_t>::max();
  int64_t first_loss_ = std::numeric_limits<int64_t>::max();
  int64_t last_loss_ = 0;
  int64_t loss_fen_ = 0;
  int transfers_ = 0;
};

// Plays out the journey of `j.fraud()` from its first contact at j.t0().
void PlayJourney(Journey& j);

// Extracts "task-rebate.top" from "http://task-rebate.top/a?c=1".
std::string HostOf(const std::string& url);

}  // namespace fz::gen
