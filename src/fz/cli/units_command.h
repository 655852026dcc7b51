// `fanzha units ...`: validate, show and export the police unit tree.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

// Registers `units load FILE`, `units show [--file FILE]` and `units export-seed [--out FILE]`.
void AddUnitsCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
