// `fanzha db migrate|check`, `fanzha audit verify` and `fanzha kpi`.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddDbCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);
void AddKpiCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
