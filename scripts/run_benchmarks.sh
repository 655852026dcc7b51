#!/usr/bin/env bash
# Runs every Google Benchmark binary of the release build. Each benchmark compares against its
# own in-run baseline (see docs/benchmarks.md); record new figures there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/release/bench
[ -d "$dir" ] || { echo "run_benchmarks: no benchmarks built in $dir" >&2; exit 1; }
for bin in "$dir"/*; do
  [ -x "$bin" ] || continue
  echo "== $(basename "$bin")"
  "$bin" --benchmark_counters_tabular=true
done
