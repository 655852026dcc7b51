#include "fz/detect/backtest.h"

#include <algorithm>
#include <map>
#include <set>

#include "fz/common/str_cat.h"

namespace fz::detect {

Backtest::Backtest(const RuleSet& baseline, const RuleSet& candidate,
                   const intel::IntelStore& intel, const PeopleIndex* people,
                   DetectorOptions options)
    : baseline_(baseline, intel, people, options), candidate_(candidate, intel, people, options) {}

Backtest::~Backtest() = default;

void Backtest::Process(const model::Event& event) {
  baseline_.Process(event);
  candidate_.Process(event);
}

namespace {
std::map<std::string, const model::Warning*> BySubject(const std::vector<model::Warning>& ws) {
  std::map<std::string, const model::Warning*> out;
  for (const model::Warning& w : ws) out[w.subject] = &w;
  return out;
}
}  // namespace

BacktestResult Backtest::Finish() const {
  BacktestResult r;
  const std::vector<model::Warning> base = baseline_.Warnings();
  const std::vector<model::Warning> cand = candidate_.Warnings();
  const auto base_by = BySubject(base);
  const auto cand_by = BySubject(cand);
  for (const auto& [subject, w] : cand_by) {
    const auto it = base_by.find(subject);
    if (it == base_by.end()) {
      r.added.push_back(*w);
    } else if (it->second->level != w->level) {
      r.level_changed.push_back({*it->second, *w});
    } else {
      ++r.unchanged;
    }
  }
  for (const auto& [subject, w] : base_by) {
    if (!cand_by.contains(subject)) r.removed.push_back(*w);
  }
  r.baseline_stats = baseline_.Stats();
  r.candidate_stats = candidate_.Stats();
  std::map<std::string, RuleDelta> rules;
  for (const model::Warning& w : base) {
    for (const std::string& id : w.rule_ids) ++rules[id].baseline_warnings;
  }
  for (const model::Warning& w : cand) {
    for (const std::string& id : w.rule_ids) ++rules[id].candidate_warnings;
  }
  for (const auto& [id, n] : r.baseline_stats.rule_fires) rules[id].baseline_fires = n;
  for (const auto& [id, n] : r.candidate_stats.rule_fires) rules[id].candidate_fires = n;
  for (auto& [id, delta] : rules) {
    delta.rule_id = id;
    r.rules.push_back(delta);
  }
  return r;
}

std::string FormatBacktestReport(const BacktestResult& r, const model::FraudTypeRegistry& types,
                                 size_t max_listed) {
  std::string out;
  const auto total = [](const DetectorStats& s) {
    int64_t n = 0;
    for (const int64_t v : s.warnings_by_level) n += v;
    return n;
  };
  StrAppend(&out, "warnings: baseline ", total(r.baseline_stats), ", candidate ",
            total(r.candidate_stats), " (added ", static_cast<int64_t>(r.added.size()),
            ", removed ", static_cast<int64_t>(r.removed.size()), ", level changed ",
            static_cast<int64_t>(r.level_changed.size()), ", unchanged ", r.unchanged, ")\n");
  StrAppend(&out,
            "rule                                     warnings(base→cand)   fires(base→cand)\n");
  for (const RuleDelta& d : r.rules) {
    std::string name = d.rule_id;
    if (name.size() < 40) name.resize(40, ' ');
    StrAppend(&out, name, " ", d.baseline_warnings, " → ", d.candidate_warnings, " (",
              d.delta() >= 0 ? "+" : "", d.delta(), ")   ", d.baseline_fires, " → ",
              d.candidate_fires, "\n");
  }
  const auto list = [&](std::string_view title, const std::vector<model::Warning>& ws) {
    if (ws.empty()) return;
    StrAppend(&out, title, ":\n");
    for (size_t i = 0; i < ws.size() && i < max_listed; ++i) {
      const model::Warning& w = ws[i];
      StrAppend(&out, "  ", w.subject, " ", model::WarningLevelName(w.level), " ",
                types.Info(w.fraud_type).code, " rules=");
      for (size_t k = 0; k < w.rule_ids.size(); ++k) StrAppend(&out, k ? "," : "", w.rule_ids[k]);
      if (!w.evidence.empty()) StrAppend(&out, " — ", w.evidence.back().reason);
      out += '\n';
    }
    if (ws.size() > max_listed) StrAppend(&out, "  ... ", ws.size() - max_listed, " more\n");
  };
  list("added", r.added);
  list("removed", r.removed);
  for (size_t i = 0; i < r.level_changed.size() && i < max_listed; ++i) {
    const LevelDelta& d = r.level_changed[i];
    if (i == 0) out += "level changed:\n";
    StrAppend(&out, "  ", d.candidate.subject, " ", model::WarningLevelName(d.baseline.level),
              " → ", model::WarningLevelName(d.candidate.level), "\n");
  }
  return out;
}

}  // namespace fz::detect
