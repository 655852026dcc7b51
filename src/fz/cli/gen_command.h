// `fanzha gen`: write a deterministic synthetic Yinchuan-like city (events, intel, people,
// units, ground truth) for demos, benchmarks and the detector's acceptance test.
#pragma once

#include "CLI/CLI.hpp"

namespace fz::cli {

// Registers `gen --people N --days D --seed S --out DIR [--start DATE] [--zstd]
// [--victim-rate R] [--duplicate-rate R]`.
void AddGenCommand(CLI::App& app, int& exit_code);

}  // namespace fz::cli
