// `fanzha warnings list|show`: read warnings from the store (masked unless the role needs
// personal data; every read is audited).
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddWarningsCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
