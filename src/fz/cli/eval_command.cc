#include "fz/cli/eval_command.h"

#include <iostream>
#include <memory>

#include "fz/eval/evaluation.h"

namespace fz::cli {
namespace {

struct EvalFlags {
  std::string truth;
  std::string warnings;
  std::string min_level = "yellow";
  bool json = false;
};

void PrintErrors(const std::vector<std::string>& errors, int64_t total) {
  for (const std::string& e : errors) std::cerr << "fanzha eval: skipped " << e << "\n";
  if (total > static_cast<int64_t>(errors.size())) {
    std::cerr << "fanzha eval: ... " << total - static_cast<int64_t>(errors.size())
              << " more lines skipped\n";
  }
}

int Run(const EvalFlags& flags) {
  std::optional<model::WarningLevel> min_level = model::ParseWarningLevel(flags.min_level);
  if (!min_level) {
    std::cerr << "fanzha eval: --min-level: '" << flags.min_level
              << "' is not red, orange or yellow\n";
    return 2;
  }
  StatusOr<eval::Truth> truth = eval::LoadTruth(flags.truth);
  if (!truth.ok()) {
    std::cerr << "fanzha eval: " << truth.status().message() << "\n";
    return 2;
  }
  StatusOr<eval::Warnings> warnings = eval::LoadWarnings(flags.warnings);
  if (!warnings.ok()) {
    std::cerr << "fanzha eval: " << warnings.status().message() << "\n";
    return 2;
  }
  PrintErrors(truth->errors, truth->bad_lines);
  PrintErrors(warnings->errors, warnings->bad_lines);
  eval::EvalReport report =
      eval::Evaluate(*truth, *warnings, eval::EvalOptions{.min_level = *min_level});
  std::cout << (flags.json ? eval::ReportJson(report) : eval::FormatReport(report));
  return 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Score warnings against ground truth: recall before first loss, lead, precision");
  cmd->add_option("--truth", flags->truth, "truth.jsonl written by fanzha gen")->required();
  cmd->add_option("--warnings", flags->warnings, "warnings JSONL written by fanzha detect")
      ->required();
  cmd->add_option("--min-level", flags->min_level,
                  "count only warnings that reached this level (default yellow)");
  cmd->add_flag("--json", flags->json, "print one JSON object instead of the table");
  cmd->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace fz::cli
