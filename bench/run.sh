#!/usr/bin/env bash
# make bench: drives the server with wrk and prints requests/s and p50/p99 per
# endpoint, on SQLite and on PostgreSQL (a private cluster). Benchmarks report;
# they do not pass or fail. Each bench/*.bench.sh adds its own endpoints;
# bench/import.sh and bench/catalog_1m.sh add the catalogue-scale runs
# (BENCH_QUICK=1 skips them, BENCH_SKIP_POSTGRES=1 skips PostgreSQL).
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
SECS=${BENCH_SECONDS:-10}

bench_backend() {
  local backend=$1 url=$2
  local port data
  port=$(free_port)
  data=$(mktemp -d)
  "$BIN" serve --port "$port" --data-dir "$data" --database "$url" --demo >"$data/server.log" 2>&1 &
  local pid=$!
  wait_http "http://127.0.0.1:$port/healthz" 120
  echo "== $backend ($(nproc) cores, wrk 2 threads, ${SECS}s per run)"
  run_wrk "GET /healthz" "http://127.0.0.1:$port/healthz" 16 "$SECS"
  for extra in bench/*.bench.sh; do
    [ -f "$extra" ] || continue
    BASE="http://127.0.0.1:$port" SECS="$SECS" bash "$extra"
  done
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$data"
}

export NONGSAN_ACCESS_LOG=false
if [ "${BENCH_BACKEND:-}" = postgres ]; then
  # Inside scripts/with-postgres.sh: a fresh database on the private cluster.
  bench_backend postgresql "$(bench_database "bench_$$" "")"
  exit 0
fi
bench_backend sqlite "sqlite:$(mktemp -d)/bench.db"
if [ "${BENCH_QUICK:-0}" != 1 ]; then
  # The catalogue-scale figures of issue 4: CSV import rate and 1,000,000 products.
  bash bench/import.sh "$BUILD_DIR"
  SECS="$SECS" bash bench/catalog_1m.sh "$BUILD_DIR"
fi
if [ "${BENCH_SKIP_POSTGRES:-0}" != 1 ]; then
  BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/run.sh "$BUILD_DIR"
  if [ "${BENCH_QUICK:-0}" != 1 ]; then
    BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/import.sh "$BUILD_DIR"
    BENCH_BACKEND=postgres SECS="$SECS" bash scripts/with-postgres.sh bash bench/catalog_1m.sh "$BUILD_DIR"
  fi
fi
