#!/usr/bin/env bash
# End-to-end detection benchmark (issue 3): EVENTS mixed events (default 10M: calls, SMS, DNS
# visits, transfers; ~1% touch intelligence) from CSV files, 1M phone + 141k real phishing
# domain + 100k account indicators, 50k people. Prints, in the same run:
#   1. `wc -l` over the same files (the floor: just reading the bytes),
#   2. fanzha detect, both cores (events/s, peak RSS),
#   3. SQLite 3 doing the same indicator join after `.import`.
# and, to say where the time goes, the stages of (2) on their own:
#   a. loading rules, intelligence and people (fanzha detect over an empty event file),
#   b. reading: parse + normalize + merge in event-time order, no detection (read_events).
# Record them in docs/benchmarks.md with the load average printed at the start and the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build/release}
shared=${FZ_SHARED_DIR:-$root/../shared}
events=${EVENTS:-10000000}
work=${WORK:-$build/bench-data/e2e-$events}
domains=$shared/data/blocklists/phishing-domains-ACTIVE_2026-03-13.txt

mkdir -p "$work"
if [ ! -f "$work/.complete" ]; then
  echo "generating $events events into $work ..."
  "$build/bin/make_bench_data" --events "$events" --out "$work" --domains "$domains"
  touch "$work/.complete"
fi
files=("$work/call_bench.csv" "$work/sms_bench.csv" "$work/net_bench.csv" "$work/transfer_bench.csv")
bytes=$(cat "${files[@]}" | wc -c)
echo "input: $events events, $((bytes / 1048576)) MiB in ${#files[@]} CSV files"

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f M events/s", n / s / 1e6 }'; }

# Warm the page cache so every contender reads from memory.
cat "${files[@]}" "$work/intel.csv" >/dev/null

t0=$(now); wc -l "${files[@]}" >/dev/null; t1=$(now)
wc_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
echo "1. wc -l:              ${wc_s}s  ($(rate "$events" "$wc_s"))"

t0=$(now)
/usr/bin/time -f "%M" -o "$work/rss.txt" "$build/bin/fanzha" detect --threads 2 \
  --rules "$root/rules/default.toml" --intel "$work/intel.csv" --people "$work/people.csv" \
  --out "$work/warnings.jsonl" --quarantine "$work/quarantine.jsonl" "${files[@]}" \
  >"$work/detect.txt"
t1=$(now)
fz_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
rss_mb=$(( $(cat "$work/rss.txt") / 1024 ))
echo "2. fanzha detect:      ${fz_s}s  ($(rate "$events" "$fz_s")), peak RSS ${rss_mb} MiB," \
     "$(wc -l <"$work/warnings.jsonl") warnings (incl. loading 1.24M indicators)"
# "events:" is fanzha's own rate: from the first read to the last event detected (no loading);
# "time:" gives the wall time of each phase of the run.
grep -E '^(events|time|warnings|quarantined):' "$work/detect.txt" | sed 's/^/     /'

empty="$work/call_empty.csv"
echo "id,ts,caller,callee" >"$empty"
t0=$(now)
/usr/bin/time -f "%M" -o "$work/rss_load.txt" "$build/bin/fanzha" detect --threads 2 \
  --rules "$root/rules/default.toml" --intel "$work/intel.csv" --people "$work/people.csv" \
  --out "$work/warnings_empty.jsonl" --quarantine "$work/quarantine_empty.jsonl" "$empty" >/dev/null
t1=$(now)
load_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
echo "   a. loading only:    ${load_s}s  (rules, $(($(wc -l <"$work/intel.csv") - 1)) intel rows," \
     "people; peak RSS $(( $(cat "$work/rss_load.txt") / 1024 )) MiB)"
echo "   b. reading only:    $("$build/bin/read_events" --threads 2 "${files[@]}")"

rm -f "$work/bench.db"
t0=$(now)
sqlite3 "$work/bench.db" <<SQL
.mode csv
.import $work/intel.csv intel
.import $work/call_bench.csv calls
.import $work/sms_bench.csv sms
.import $work/net_bench.csv net
.import $work/transfer_bench.csv transfers
SQL
t1=$(now)
hits=$(sqlite3 "$work/bench.db" <<'SQL'
CREATE INDEX intel_value ON intel(kind, value);
-- CROSS JOIN fixes the loop order (events outside, the intel index inside): without table
-- statistics SQLite otherwise scans every event row once per indicator of the kind.
SELECT (SELECT count(*) FROM calls CROSS JOIN intel ON intel.kind = 'phone' AND intel.value = calls.caller)
     + (SELECT count(*) FROM net CROSS JOIN intel ON intel.kind = 'domain' AND intel.value = net.domain)
     + (SELECT count(*) FROM net CROSS JOIN intel ON intel.kind = 'domain' AND intel.value = substr(net.domain, 3))
     + (SELECT count(*) FROM transfers CROSS JOIN intel ON intel.kind = 'account' AND intel.value = transfers.payee_account);
SQL
)
t2=$(now)
imp_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
join_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
all_s=$(awk -v a="$t0" -v b="$t2" 'BEGIN { print b - a }')
echo "3. sqlite3 import+join: ${all_s}s  ($(rate "$events" "$all_s")): import ${imp_s}s," \
     "index+join ${join_s}s, $hits indicator hits (join only; no windows, no scores)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/bench.db"
