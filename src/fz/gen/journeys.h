// Fraud as it reaches the data: victim journeys for the ten fraud types (first contact →
// links, apps, calls → transfers to mule accounts), gangs' contacts with residents who never
// engage, SIM-box call campaigns, directives and citizen reports; and the ground truth.
//
//   FraudPlanner planner(world, &queue, &truth);
//   for (int day = 0; day < days; ++day) planner.PlanDay(day);  // events go to the queue
//
// A journey is planned whole when it starts; its steps wait in the EventQueue until their
// hour is written, so memory holds only journeys in progress. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fz/gen/event_queue.h"
#include "fz/gen/gangs.h"
#include "fz/gen/numbers.h"
#include "fz/gen/population.h"

namespace fz::gen {

struct World {
  const NumberPlan* plan = nullptr;
  const Population* city = nullptr;
  const Underworld* underworld = nullptr;
  uint64_t seed = 0;
  int64_t start_s = 0;
  int64_t end_s = 0;
  // New victims per resident per day. Real cities see ~5e-6; the default 3e-4 gives an
  // evaluation enough victims per type (see README.md).
  double victim_rate = 3e-4;
  // Residents contacted by gangs' targeted campaigns (not SIM boxes) per victim.
  double targeted_per_victim = 8;
};

struct FraudCounts {
  std::array<int64_t, kFraudTypes> victims{};           // journeys started, by type
  std::array<int64_t, kFraudTypes> losses_in_window{};  // of those, first loss in the window
  int64_t targeted = 0;                                 // distinct residents targeted, not victims
  int64_t simbox_calls = 0;
  int64_t directives = 0;
  int64_t false_directives = 0;
  int64_t reports = 0;
  int64_t total_loss_fen = 0;
};

// Writes truth.jsonl: one line per victim (kind "victim") and per resident first targeted
// without engaging (kind "targeted").
class TruthWriter {
 public:
  explicit TruthWriter(std::FILE* out) : out_(out) {}
  void Line(const std::string& json);
  int64_t bytes() const { return bytes_; }

 private:
  std::FILE* out_;
  int64_t bytes_ = 0;
};

class FraudPlanner {
 public:
  FraudPlanner(const World& world, EventQueue* queue, TruthWriter* truth);

  // Plans the fraud of day `day` (0-based): new victims, targeted contacts, SIM-box
  // campaigns, and calls from relatives abroad (legitimate, but international).
  void PlanDay(int day);

  const FraudCounts& counts() const { return counts_; }

 private:
  friend class Journey;
  enum class Role : uint8_t { kNone, kTargeted, kVictim };

  void PlanVictim(Rng& rng, int64_t day_start);
  void PlanTargeted(Rng& rng, int64_t day_start);
  void PlanSimBoxes(Rng& rng, int64_t day_start);
  void PlanRelativesAbroad(Rng& rng, int64_t day_start);
  size_t ChooseVictim(Rng& rng, Fraud f);
  void MarkTargeted(size_t resident, Fraud f, int64_t ts, std::string_view engagement);
  void FalseDirective(Rng& rng, size_t resident, Fraud f, int64_t ts);

  const World& world_;
  EventQueue* queue_;
  TruthWriter* truth_;
  std::vector<Role> status_;
  std::vector<uint32_t> relatives_abroad_;
  FraudCounts counts_;
  int64_t directive_seq_ = 0;
};

}  // namespace fz::gen
