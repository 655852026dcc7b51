// `fanzha ingest --db URL [detect options] EVENTS...`: detect, route and store warnings.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddIngestCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
