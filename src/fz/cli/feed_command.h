#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

// `fanzha feed`: posts JSONL event files to a server at a steady rate (demo stream and load
// generator). `fanzha listen`: follows the live push and reports event-to-push latency.
void AddFeedCommand(CLI::App& app, int& exit_code);
void AddListenCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
