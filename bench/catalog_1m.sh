#!/usr/bin/env bash
# The catalogue at scale: generates a benchmark catalogue (1,000,000 products
# by default) with `nongsan demo generate`, starts the server on it and drives
# it with wrk at 16 connections: /healthz (the baseline), the search mix
# (bench/catalog_search.lua) and product by id. Prints requests/s, p50 and
# p99 per endpoint, the generation rate and the server's resident memory.
#
#   bash bench/catalog_1m.sh [BUILD_DIR]          SQLite (default)
#   BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/catalog_1m.sh [BUILD_DIR]
# Environment: PRODUCTS (default 1000000), SECS (seconds per run, default 10),
# KEEP_DATA=1 keeps the generated database for another run (DATA_DIR=… reuses it).
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
PRODUCTS=${PRODUCTS:-1000000}
SECS=${SECS:-10}
export NONGSAN_ACCESS_LOG=false

data=${DATA_DIR:-$(mktemp -d)}
url=$(bench_database "bench_catalog_$$" "$data")

if [ -z "${DATA_DIR:-}" ] || [ "${BENCH_BACKEND:-}" = postgres ]; then
  echo "== generating $PRODUCTS products ($url)"
  start=$(date +%s.%N)
  "$BIN" demo generate --products "$PRODUCTS" --data-dir "$data" --database "$url" 2>/dev/null | tail -1
  end=$(date +%s.%N)
  python3 -c "print(f'   {int($PRODUCTS/($end-$start)):,} products/s including shop creation')"
fi

port=$(free_port)
start=$(date +%s.%N)
"$BIN" serve --port "$port" --data-dir "$data" --database "$url" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$data"' EXIT
wait_http "http://127.0.0.1:$port/healthz" 600
end=$(date +%s.%N)
python3 -c "print(f'== server ready in {$end-$start:.1f} s; index: ' + open('$data/server.log').read().split('search index built: ')[-1].split(chr(10))[0])" || true
echo "== $(nproc) cores, wrk 2 threads, ${SECS}s per run, $PRODUCTS products"
run_wrk "GET /healthz" "http://127.0.0.1:$port/healthz" 16 "$SECS"
run_wrk "GET /api/v1/products?q= (mix)" "http://127.0.0.1:$port" 16 "$SECS" -s bench/catalog_search.lua
UNCACHED=1 run_wrk "GET /api/v1/products?q= (mix, uncached)" "http://127.0.0.1:$port" 16 "$SECS" \
  -s bench/catalog_search.lua
MAX_PRODUCT_ID=$PRODUCTS run_wrk "GET /api/v1/products/{id}" "http://127.0.0.1:$port" 16 "$SECS" \
  -s bench/catalog_product.lua
run_wrk "GET /api/v1/products?category=tea" "http://127.0.0.1:$port/api/v1/products?category=tea" 16 "$SECS"
echo "server RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
