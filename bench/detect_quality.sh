#!/usr/bin/env bash
# Detection quality (issue 3): generates the synthetic city (`fanzha gen --people PEOPLE --days
# DAYS --seed SEED`, default 200000 / 7 / 1), runs `fanzha detect` with the default rules, the
# city's intelligence, whitelist and people plus the shipped known-good list, and prints
# `fanzha eval` (victims warned before their first loss, precision, by fraud type). Targets:
# >= 90% warned before the first loss, precision >= 80%. Record in docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build/release}
people=${PEOPLE:-200000}
days=${DAYS:-7}
seed=${SEED:-1}
work=${WORK:-$build/bench-data/city-$people-$days-$seed}
fanzha=$build/bin/fanzha

if [ ! -f "$work/.complete" ]; then
  rm -rf "$work"
  echo "generating the city into $work ..."
  "$fanzha" gen --people "$people" --days "$days" --seed "$seed" --out "$work" | tail -3
  touch "$work/.complete"
fi
"$fanzha" detect --rules "$root/rules/default.toml" --intel "$work/intel.csv" \
  --whitelist "$work/whitelist.csv" --whitelist "$root/data/reputation/known_good.csv" \
  --people "$work/people.csv" --units "$work/units.csv" --out "$work/warnings.jsonl" \
  --threads 2 "$work"/events/*.jsonl* | sed -n '1,4p'
"$fanzha" eval --truth "$work/truth.jsonl" --warnings "$work/warnings.jsonl"
