// `fanzha demo`: what `make run` shows until the server exists — the normalization of sample
// inputs (phones in every common form, an ID number, bank cards, domains, URLs) and the
// built-in Yinchuan unit tree.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

void AddDemoCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
