#!/usr/bin/env bash
# Runs every Google Benchmark binary of the release build, then the whole-program benchmarks
# (bench/*.sh). Each compares against its own in-run baseline; record figures in
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/release/bench
[ -d "$dir" ] || { echo "run_benchmarks: no benchmarks built in $dir" >&2; exit 1; }
for bin in "$dir"/*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  echo "== $(basename "$bin")"
  "$bin" --benchmark_counters_tabular=true
done
for script in bench/*.sh; do
  echo "== $script"
  "$script"
done
