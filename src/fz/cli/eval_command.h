// `fanzha eval`: score a detector's warnings against the generator's ground truth.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

// Registers `eval --truth F --warnings F [--min-level L] [--json]`.
void AddEvalCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
