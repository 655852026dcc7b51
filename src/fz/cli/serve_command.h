#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

// `fanzha serve`: the HTTP API, live push, spool ingestion and SLA timers (src/fz/api).
void AddServeCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
