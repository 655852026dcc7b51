// `fanzha detect` (events in, warnings about potential victims out; also --spool DIR mode)
// and `fanzha backtest` (what a rule change adds and removes).
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddDetectCommand(CLI::App& app, int& exit_code);
void AddBacktestCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
