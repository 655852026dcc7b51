// Backtest: run a candidate rule set and a baseline side by side over the same events and say
// what the change does, so an analyst can tune rules safely (`fanzha backtest --rules NEW
// --baseline OLD EVENTS...`).
//
//   Backtest bt(baseline, candidate, intel, &people);
//   for (const model::Event& e : events) bt.Process(e);
//   BacktestResult r = bt.Finish();
//   std::cout << FormatBacktestReport(r, types);
//
// Not thread-safe (one thread feeds it); both detectors see every event in the same order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fz/detect/detector.h"
#include "fz/detect/people.h"
#include "fz/detect/rule_set.h"
#include "fz/intel/intel_store.h"
#include "fz/model/event.h"
#include "fz/model/warning.h"

namespace fz::detect {

// Per rule id (present in either rule set): in how many warnings it appears.
struct RuleDelta {
  std::string rule_id;
  int64_t baseline_warnings = 0;
  int64_t candidate_warnings = 0;
  int64_t baseline_fires = 0;
  int64_t candidate_fires = 0;
  int64_t delta() const { return candidate_warnings - baseline_warnings; }
};

// A subject warned by both, at a different level.
struct LevelDelta {
  model::Warning baseline;
  model::Warning candidate;
};

struct BacktestResult {
  std::vector<model::Warning> added;    // subjects warned only by the candidate
  std::vector<model::Warning> removed;  // subjects warned only by the baseline
  std::vector<LevelDelta> level_changed;
  int64_t unchanged = 0;         // warned by both at the same level
  std::vector<RuleDelta> rules;  // sorted by rule id
  DetectorStats baseline_stats;
  DetectorStats candidate_stats;
};

class Backtest {
 public:
  // All references must outlive the Backtest.
  Backtest(const RuleSet& baseline, const RuleSet& candidate, const intel::IntelStore& intel,
           const PeopleIndex* people, DetectorOptions options = {});
  ~Backtest();

  void Process(const model::Event& event);
  BacktestResult Finish() const;

 private:
  Detector baseline_;
  Detector candidate_;
};

// A plain-text report (Chinese reasons kept): totals, then per-rule deltas, then up to
// `max_listed` added and removed subjects.
std::string FormatBacktestReport(const BacktestResult& result,
                                 const model::FraudTypeRegistry& types, size_t max_listed = 20);

}  // namespace fz::detect
