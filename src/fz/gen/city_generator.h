// `fanzha gen`: a deterministic synthetic Yinchuan-like city — units, residents and their
// high-risk base, fraud gangs, victim journeys, SIM boxes, background traffic, intelligence
// that covers part of the gangs, and the ground truth — written in docs/formats.md formats.
//
//   GenOptions options{.people = 200000, .days = 7, .seed = 1, .out_dir = "city"};
//   FZ_ASSIGN_OR_RETURN(GenSummary summary, GenerateCity(options));
//   std::cout << summary.ToText();
//
// Output (under out_dir): units.csv, people.csv, intel.csv, whitelist.csv, truth.jsonl,
// events/<type>_<yyyymmdd>.jsonl[.zst]. The same options give byte-identical files. It
// streams hour by hour: memory grows with the population, not with days or events.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "fz/common/status.h"
#include "fz/gen/background.h"
#include "fz/gen/gangs.h"
#include "fz/gen/journeys.h"

namespace fz::gen {

struct GenOptions {
  int64_t people = 200000;
  int days = 7;
  uint64_t seed = 1;
  std::string out_dir;
  std::string start_date = "2026-11-23";  // Beijing midnight of this day starts the window
  bool zstd = false;
  double victim_rate = 3e-4;     // new victims per resident per day
  double duplicate_rate = 2e-4;  // share of event lines a feed delivers twice
  BackgroundRates rates;
};

struct GenSummary {
  int64_t people = 0;
  int64_t high_risk_base = 0;
  int64_t yinchuan_prefixes = 0;
  FraudCounts fraud;
  IntelStats intel;
  std::array<int64_t, kEventTypes> events_by_type{};
  int64_t events = 0;
  int64_t duplicates = 0;
  int64_t files = 0;
  int64_t bytes = 0;
  double seconds = 0;

  std::string ToText() const;
};

StatusOr<GenSummary> GenerateCity(const GenOptions& options);

}  // namespace fz::gen
