#!/usr/bin/env bash
# Runs each libFuzzer binary of the asan build for N seconds (default 60) on a scratch copy
# of its seed corpus. New crash inputs land in build/asan/fuzz/artifacts; add the interesting
# ones to the seed corpus so CI replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
dir=build/asan/fuzz
[ -d "$dir" ] || { echo "run_fuzzers: build the asan preset first" >&2; exit 1; }
mkdir -p "$dir/artifacts"
for manifest in "$dir"/*.corpus; do
  name=$(basename "$manifest" .corpus)
  corpus=$(head -n 1 "$manifest")
  work=$(mktemp -d)
  cp -r "$corpus"/. "$work"/
  echo "== $name (${seconds}s)"
  "$dir/$name" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$dir/artifacts/$name-" \
    "$work" 2>&1 | grep -E '^(#[0-9]+ *DONE|Done|==[0-9]+==ERROR|SUMMARY)' || true
  rm -rf "$work"
done
