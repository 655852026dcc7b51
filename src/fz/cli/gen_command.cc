#include "fz/cli/gen_command.h"

#include <iostream>
#include <memory>

#include "fz/gen/city_generator.h"

namespace fz::cli {

void AddGenCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<gen::GenOptions>();
  CLI::App* cmd = app.add_subcommand(
      "gen", "Generate a synthetic Yinchuan-like city: events, intel, people, units, truth");
  cmd->add_option("--people", options->people, "residents (default 200000)")
      ->check(CLI::Range(int64_t{100}, int64_t{50'000'000}));
  cmd->add_option("--days", options->days, "days of traffic (default 7)")
      ->check(CLI::Range(1, 366));
  cmd->add_option("--seed", options->seed, "random seed; same seed, same bytes (default 1)");
  cmd->add_option("--out", options->out_dir, "output directory")->required();
  cmd->add_option("--start", options->start_date, "first day, Beijing time (default 2026-11-23)");
  cmd->add_flag("--zstd", options->zstd, "write events as .jsonl.zst");
  cmd->add_option("--victim-rate", options->victim_rate,
                  "new victims per resident per day (default 3e-4)")
      ->check(CLI::Range(0.0, 0.01));
  cmd->add_option("--duplicate-rate", options->duplicate_rate,
                  "share of event lines delivered twice (default 2e-4)")
      ->check(CLI::Range(0.0, 0.1));
  cmd->callback([options, &exit_code] {
    StatusOr<gen::GenSummary> summary = gen::GenerateCity(*options);
    if (!summary.ok()) {
      std::cerr << "fanzha gen: " << summary.status().message() << "\n";
      exit_code = 2;
      return;
    }
    std::cout << "fanzha gen: wrote " << options->out_dir << "\n" << summary->ToText();
  });
}

}  // namespace fz::cli
