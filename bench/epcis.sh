#!/usr/bin/env bash
# The EPCIS query figure of issue #14: one lot's events
# (GET /api/v1/epcis/events?MATCH_anyEPCClass={lot URI}) with EVENTS events
# stored (1,000,000 by default, 10 per lot), driven by wrk at CONNS connections (16)
# beside /healthz in the same run. The events are written straight into a
# fresh database (a benchmark fixture, not the API's rules); the timed
# requests go through the real server.
#
#   bash bench/epcis.sh [BUILD_DIR]                      (SQLite)
#   BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/epcis.sh [BUILD_DIR]
# Environment: EVENTS, SECS (seconds per wrk run, default 10), CONNS (default 16);
# COMPARE=OTHER_BUILD_DIR [ROUNDS=2]: OTHER_BUILD_DIR's binary (with the web/
# beside it) and this one's in turn, ROUNDS times, on the same fixture. Each
# line gives the server's CPU time per request and the load average.
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
EVENTS=${EVENTS:-1000000}
SECS=${SECS:-10}
CONNS=${CONNS:-16}
LOTS=$((EVENTS / 10))
GTIN14=08935012000002
export NONGSAN_ACCESS_LOG=false
export NONGSAN_BASE_URL=https://truyxuat.example.vn

data=$(mktemp -d)
url=$(bench_database "bench_epcis_$$" "$data")
pid=""
trap '[ -n "$pid" ] && { kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$data"' EXIT

echo "== fixture: $EVENTS EPCIS events over $LOTS lots (${url%%:*})"
"$BIN" demo generate --products 5 --data-dir "$data" --database "$url" >/dev/null 2>&1
start=$(date +%s.%N)
# Lot i has 10 events: commissioning, then shipping and receiving, in the
# order they would be stored (ids interleave lots, as real traffic would).
bench_sql "$url" >/dev/null <<SQL
INSERT INTO trace_epcis_events (seller_id, lot_id, lot_path, event_time, action, biz_step, disposition, commune_code,
  quantity, source, event, created_at)
SELECT 1, i % $LOTS + 1, '/01/$GTIN14/10/L' || (i % $LOTS + 1), 1764547200000 + i * 1000,
  CASE WHEN i < $LOTS THEN 'ADD' ELSE 'OBSERVE' END,
  CASE WHEN i < $LOTS THEN 'commissioning' WHEN (i / $LOTS) % 2 = 1 THEN 'shipping' ELSE 'receiving' END,
  'active', '01840', 3, 'platform', '', 0 FROM $(bench_series "$url" 0 $((EVENTS - 1)));
ANALYZE;
SQL
end=$(date +%s.%N)
python3 -c "print(f'   written in {$end-$start:.1f} s')"

# serve BIN WEB_DIR: starts BIN on the fixture (pid, base) and checks one lot's answer.
serve() {
  port=$(free_port)
  NONGSAN_WEB_DIR="$2" "$1" serve --port "$port" --data-dir "$data" --database "$url" >>"$data/server.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz" 600
  base="http://127.0.0.1:$port"
  n=$(curl -fsS "$base/api/v1/epcis/events?MATCH_anyEPCClass=https%3A%2F%2Ftruyxuat.example.vn%2F01%2F$GTIN14%2F10%2FL7" |
    python3 -c "import json,sys; print(len(json.load(sys.stdin)['epcisBody']['queryResults']['resultsBody']['eventList']))")
  [ "$n" = 10 ] || { echo "one lot's query answers $n events, not 10" >&2; exit 1; }
}
stop() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
measure() {
  run_wrk_cpu "$1GET /healthz" "$pid" "$base/healthz" "$CONNS" "$SECS"
  LOTS=$LOTS TRACE_GTIN14=$GTIN14 run_wrk_cpu "$1GET /api/v1/epcis/events (1 lot)" "$pid" "$base" "$CONNS" \
    "$SECS" -s bench/epcis_lot.lua
}

echo "== $(nproc) cores, wrk 2 threads, ${SECS}s per run, $EVENTS events"
if [ -n "${COMPARE:-}" ]; then
  case "$COMPARE" in /*) other=$COMPARE ;; *) other="$ROOT/$COMPARE" ;; esac
  for round in $(seq "${ROUNDS:-2}"); do
    serve "$other/nongsan" "$other/../web"
    measure "[$COMPARE #$round] "
    stop
    serve "$BIN" "$ROOT/web"
    measure "[$BUILD_DIR #$round] "
    stop
  done
else
  serve "$BIN" "$ROOT/web"
  measure ""
fi
