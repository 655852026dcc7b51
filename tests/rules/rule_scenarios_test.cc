// Runs every tests/rules/*.test scenario file (format: docs/rules.md) and checks that the
// default rules are all covered by at least one scenario.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "fz/detect/rule_set.h"
#include "gtest/gtest.h"
#include "scenario.h"

namespace fz::detect::testing {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  return dir == nullptr ? std::string(".") : std::string(dir);
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/tests/rules")) {
    if (entry.path().extension() == ".test") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(RuleScenarios, AllFilesPass) {
  const std::vector<std::string> files = ScenarioFiles();
  ASSERT_FALSE(files.empty()) << "no tests/rules/*.test under " << SourceDir();
  int scenarios = 0;
  for (const std::string& file : files) {
    const ScenarioResult r = RunScenarioFile(file, SourceDir());
    scenarios += r.scenarios;
    for (const std::string& failure : r.failures) ADD_FAILURE() << failure;
  }
  EXPECT_GE(scenarios, static_cast<int>(files.size()));
}

TEST(RuleScenarios, EveryDefaultRuleIsCovered) {
  model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  StatusOr<RuleSet> rules = RuleSet::LoadFile(SourceDir() + "/rules/default.toml", types);
  ASSERT_TRUE(rules.ok()) << rules.status();
  std::string all;
  for (const std::string& file : ScenarioFiles()) {
    std::ifstream in(file);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  for (const Rule& rule : rules->rules()) {
    // A rule counts as covered when an expectation names it in rules=... or upgrade rule=...
    EXPECT_TRUE(all.find(rule.id) != std::string::npos)
        << "default rule " << rule.id << " has no scenario in tests/rules/";
  }
}

}  // namespace
}  // namespace fz::detect::testing
