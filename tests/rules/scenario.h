// Rule scenario files (tests/rules/*.test, format in docs/rules.md): events in, expected
// warnings out, readable by an analyst. RunScenarioFile runs every scenario of a file through
// Detector, through ParallelDetector (2 threads) and through a checkpoint/restart split, checks
// that all three agree, then checks the expectations. Failures read "file:line: message".
#pragma once

#include <string>
#include <vector>

namespace fz::detect::testing {

struct ScenarioResult {
  int scenarios = 0;
  int expectations = 0;
  std::vector<std::string> failures;  // "tests/rules/x.test:12: ..."
};

// `source_dir` is the repository root (rules/default.toml is read from there).
ScenarioResult RunScenarioFile(const std::string& path, const std::string& source_dir);

}  // namespace fz::detect::testing
