#!/usr/bin/env bash
# The programme module's figures (issue 17), in process on a SQLite file:
# the dashboard page's p50/p99, the XLSX report, and checkouts with and
# without the roll-up observer, also alternated in one process
# (BM_CheckoutAlternating; bench/programme_bench.cpp says what is
# seeded). Builds the benchmark binary first. The fixture is not cached: each
# run seeds its own in a new temporary directory (about 1.5-3 min at full size).
#   bash bench/programme.sh [BUILD_DIR]
#   NONGSAN_BENCH_ORDERS=2000000  orders the seeded roll-ups stand for
#   BENCH_REPETITIONS=3           repetitions of each benchmark
#   NONGSAN_BENCH_PRODUCTS=1000000 products' listing spans seeded
#   NONGSAN_BENCH_CERTIFIED_EVERY=12 one product in this many has a certificate
#   BENCH_FILTER=…                which benchmarks (a short run: BM_Dashboard)
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
cmake --build "$BUILD_DIR" -j2 --target nongsan_bench >/dev/null
"$BUILD_DIR/nongsan_bench" --benchmark_filter="${BENCH_FILTER:-BM_(Dashboard|DashboardUncached|DashboardToday|DashboardTodayAfterChange|LevelsFromHistory|ReportXlsx|Checkout|CheckoutAlternating)}" \
  --benchmark_repetitions="${BENCH_REPETITIONS:-3}" --benchmark_counters_tabular=true
