// `fanzha inspect phone|id|card|domain|url|ip VALUE`: normalize one value and print one JSON
// object with the canonical form and what can be derived from it. Exit 2 with a one-line
// error for invalid input.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddInspectCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
