// `fanzha users create-admin|add|list|api-key|unlock|disable|enable`: accounts for
// `fanzha serve` (src/fz/auth, docs/security.md).
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddUsersCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
