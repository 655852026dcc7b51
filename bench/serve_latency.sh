#!/usr/bin/env bash
# Server load benchmark (issue 5). A separate load process (`fanzha feed`) posts events at a
# steady RATE (default 10000/s) for SECONDS; an SSE client (`fanzha listen --latency`) receives
# the warnings and measures event-to-push latency (each event id carries its send time). The
# same run measures, as baselines, the latency at RATE/10 and the API's read throughput with
# wrk against /api/health (the HTTP layer alone) and /api/warnings (store list + masking +
# audit). Record the printed figures in docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build/release}
fanzha=$build/bin/fanzha
rate=${RATE:-10000}
seconds=${SECONDS_LOAD:-60}
port=${PORT:-18080}
work=${WORK:-$build/bench-data/serve}
command -v wrk >/dev/null || { echo "serve_latency: needs wrk (apt-get install wrk)" >&2; exit 1; }

mkdir -p "$work"
if [ ! -f "$work/data/.complete" ]; then
  echo "generating a 50,000-resident city, 1 day ..."
  "$fanzha" gen --people 50000 --days 1 --seed 3 --out "$work/data" >/dev/null
  touch "$work/data/.complete"
fi
# Red directives about distinct people: each opens a warning that is pushed, so latency is
# measured on every one of them while the carriers' traffic makes up the rest of the rate.
# Two files about different people, one per measurement: a directive about someone already
# warned only adds evidence and is not pushed.
for part in 0 1; do
  [ -f "$work/directives-$part.jsonl" ] && continue
  awk -v from=$((part * 50000)) 'BEGIN { for (i = from; i < from + 50000; i++)
    printf "{\"id\":\"dir-%d\",\"type\":\"directive\",\"ts\":0,\"directive_id\":\"GJFZ-%d\",\"subject_phone\":\"13895%06d\",\"level\":\"red\",\"fraud_type\":\"刷单返利\",\"issuer\":\"国家反诈中心\"}\n", i, i, i }' \
    > "$work/directives-$part.jsonl"
done
run=$(mktemp -d "$work/run.XXXX")
db="sqlite:$run/fanzha.db"
units="$work/data/units.csv"
"$fanzha" db migrate --db "$db" --units "$units" >/dev/null
echo "Load-Test-Pw-9731!" | "$fanzha" users add --db "$db" --units "$units" --name bench \
  --role dispatcher --unit 640100 --password-stdin >/dev/null
"$fanzha" users add --db "$db" --units "$units" --name feed --role feed --unit 640100 --machine >/dev/null
key=$("$fanzha" users api-key --db "$db" --units "$units" --name feed --label bench)
key=${key##*: }

"$fanzha" serve --db "$db" --units "$units" --rules "$root/rules/default.toml" \
  --intel "$work/data/intel.csv" --people "$work/data/people.csv" \
  --whitelist "$work/data/whitelist.csv" "$root/data/reputation/known_good.csv" \
  --state-dir "$run/state" --listen "127.0.0.1:$port" >"$run/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true; wait 2>/dev/null; rm -rf "$run"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/api/ready" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/auth/login" \
  -d '{"user":"bench","password":"Load-Test-Pw-9731!"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
measure() {  # rate seconds label directives-file
  "$fanzha" listen --url "http://127.0.0.1:$port" --token "$token" --latency \
    --duration $(($2 + 5)) >"$run/listen.out" &
  local listener=$!
  sleep 1
  "$fanzha" feed --url "http://127.0.0.1:$port" --api-key "$key" --rate 50 --batch 5 \
    --restamp --stamp-ids --duration "$2" "$4" | tail -1 &
  local directives=$!
  "$fanzha" feed --url "http://127.0.0.1:$port" --api-key "$key" --rate "$(($1 - 50))" \
    --batch 100 --restamp --stamp-ids --loop --duration "$2" "$work"/data/events/*.jsonl | tail -1
  wait $directives
  wait $listener
  echo "[$3] $(tail -1 "$run/listen.out")"
  echo "[$3] $(head -1 "$run/listen.out")"
}
measure $((rate / 10)) 20 "baseline $((rate / 10)) events/s" "$work/directives-0.jsonl"
measure "$rate" "$seconds" "$rate events/s" "$work/directives-1.jsonl"
echo "peak server RSS: $(grep VmHWM /proc/$serve/status | awk '{print $2/1024 " MiB"}')"

echo "API reads, wrk -t2 -c32 -d10s:"
wrk -t2 -c32 -d10s "http://127.0.0.1:$port/api/health" | grep -E "Requests/sec|Latency" \
  | sed 's/^/  health (baseline): /'
wrk -t2 -c32 -d10s -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/warnings?limit=50" | grep -E "Requests/sec|Latency" \
  | sed 's/^/  warnings list: /'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
