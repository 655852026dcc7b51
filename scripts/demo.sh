#!/usr/bin/env bash
# The embedded demo behind `make run`: a synthetic Yinchuan (fanzha gen), a fresh SQLite store
# with the Yinchuan units, one demo user per role (passwords printed once, on the first start),
# `fanzha serve` on 127.0.0.1:8080 and a continuous event stream so warnings keep arriving.
# State lives in demo/ (delete it to start over). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
FANZHA=build/release/bin/fanzha
DEMO=${FZ_DEMO_DIR:-demo}
LISTEN=${FZ_DEMO_LISTEN:-127.0.0.1:8080}
RATE=${FZ_DEMO_RATE:-500}   # events/s: a busy hour of a 2.9M city's carriers, ISPs and banks
DB="sqlite:$DEMO/fanzha.db"
UNITS="$DEMO/data/units.csv"
mkdir -p "$DEMO"

if [ ! -f "$DEMO/data/people.csv" ]; then
  # Victims are ~16x as frequent as in a real city (3e-4 per resident per day), so that at
  # the demo's rate a new warning arrives every few seconds rather than every few minutes.
  echo "demo: generating a synthetic Yinchuan (20,000 residents, 2 days of traffic)..."
  $FANZHA gen --people 20000 --days 2 --seed 7 --victim-rate 0.005 --out "$DEMO/data" >/dev/null
fi

if [ ! -f "$DEMO/fanzha.db" ]; then
  echo "demo: creating the store and one user per role (passwords are shown only now):"
  $FANZHA db migrate --db "$DB" --units "$UNITS" >/dev/null
  printf '  %-12s %-12s %-10s %s\n' user role unit password
  while read -r name role unit display; do
    out=$($FANZHA users add --db "$DB" --units "$UNITS" --name "$name" --role "$role" \
            --unit "$unit" --display-name "$display")
    printf '  %-12s %-12s %-10s %s\n' "$name" "$role" "$unit" "${out##*: }"
  done <<'USERS'
dispatcher dispatcher 640100 市反诈中心研判员
supervisor supervisor 640104 兴庆区分局督办
officer officer 640104001 凤凰北街派出所民警
grid grid_worker 640104001 凤凰北街网格员
analyst analyst 640100 情报研判
auditor auditor 640100 审计员
admin admin 640100 系统管理员
USERS
  $FANZHA users add --db "$DB" --units "$UNITS" --name feed --role feed --unit 640100 \
    --machine >/dev/null
  key=$($FANZHA users api-key --db "$DB" --units "$UNITS" --name feed --label demo-stream)
  (umask 077 && echo "${key##*: }" > "$DEMO/feed.key")
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait; }
trap cleanup EXIT INT TERM

$FANZHA serve --db "$DB" --units "$UNITS" --rules rules/default.toml \
  --intel "$DEMO/data/intel.csv" --people "$DEMO/data/people.csv" \
  --whitelist "$DEMO/data/whitelist.csv" data/reputation/known_good.csv \
  --state-dir "$DEMO/state" --spool "$DEMO/spool" --quarantine "$DEMO/quarantine.jsonl" \
  --listen "$LISTEN" ${FZ_WEB_ROOT:+--web-root "$FZ_WEB_ROOT"} &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://$LISTEN/api/ready" >/dev/null && break
  sleep 0.2
done
curl -sf "http://$LISTEN/api/ready" >/dev/null || { echo "demo: the server did not start" >&2; exit 1; }
echo "demo: serving http://$LISTEN — log in with a user above; streaming ~$RATE events/s"
$FANZHA feed --url "http://$LISTEN" --api-key "$(cat "$DEMO/feed.key")" --rate "$RATE" \
  --restamp --loop "$DEMO"/data/events/*.jsonl &
pids+=($!)
wait -n "${pids[@]}"
