#!/usr/bin/env bash
# Traceability figures of issue #14: the provenance page a pack's
# QR opens with LOTS production lots stored (1,000,000 by default), driven by
# wrk at 16 connections beside /healthz in the same run; and a recall of a lot
# that went into LINES order lines (10,000 by default): the recall (every
# buyer's notice and SMS queued in its transaction) and the listing of the
# lot's order lines, page by page, timed end to end over HTTP.
# The shop, product, lots and orders are written straight into a fresh
# database (a benchmark fixture, not the API's rules); the timed requests go
# through the real server.
#
#   bash bench/trace.sh [BUILD_DIR]                      (SQLite)
#   BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/trace.sh [BUILD_DIR]
# Environment: LOTS, LINES, SECS (seconds per wrk run, default 10);
# ROUNDS (default 3): /healthz and the page are measured in turn ROUNDS times
# on one server, after WARM seconds (default 3) of unmeasured page requests;
# each round prints the page's share of /healthz's throughput, and the last
# line their median, lowest and highest (a 2-core machine shared with wrk
# moves one round's share by several points).
# COMPARE=OTHER_BUILD_DIR: the page and /healthz are measured with
# OTHER_BUILD_DIR's binary (and the web/ beside it) and this one's in turn,
# ROUNDS times, on the same fixture. Each line gives the server's CPU time
# per request and the load average (bench/lib.sh run_wrk_cpu). Both binaries
# must share the schema: one from before trace migration 4 cannot serve a
# fixture this one migrated (compare such builds on fixtures of their own).
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
LOTS=${LOTS:-1000000}
LINES=${LINES:-10000}
SECS=${SECS:-10}
GTIN14=08935012000002
ADMIN_PHONE=0912000777
ADMIN_PASSWORD=bench-truy-xuat-2026
export NONGSAN_ACCESS_LOG=false

data=$(mktemp -d)
url=$(bench_database "bench_trace_$$" "$data")
pid=""
trap '[ -n "$pid" ] && { kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$data"' EXIT

echo "== fixture: $LOTS lots, a lot in $LINES order lines (${url%%:*})"
"$BIN" demo generate --products 50 --data-dir "$data" --database "$url" >/dev/null 2>&1
echo "$ADMIN_PASSWORD" | "$BIN" admin create-user --phone "$ADMIN_PHONE" --role province_admin --province 19 \
  --data-dir "$data" --database "$url" >/dev/null
IFS='|' read -r product seller commune < <(echo \
  "SELECT p.id, p.seller_id, s.commune_code FROM catalog_products p JOIN sellers s ON s.id = p.seller_id ORDER BY p.id LIMIT 1;" |
  bench_sql "$url")
case "$url" in
  postgres*) public_code="'B' || lpad(i::text, 9, '0')" ;;
  *) public_code="printf('B%09d', i)" ;;
esac
start=$(date +%s.%N)
bench_sql "$url" >/dev/null <<SQL
UPDATE catalog_products SET gtin = '${GTIN14:1}' WHERE id = $product;
INSERT INTO trace_gtins (gtin14, seller_id, product_id, assigned, created_at) VALUES ('$GTIN14', $seller, $product, 1, 0);
INSERT INTO trace_lots (seller_id, product_id, code, public_code, gtin14, produced_day, harvested_day, expires_day,
  quantity, packed, origin_commune_code, origin_province_code, plot, farming_log, status, created_by, created_at,
  updated_at)
SELECT $seller, $product, 'L' || i, $public_code, '$GTIN14', 20412, 20410, 20594, 100, 0, '$commune', '19',
  'Đồi chè số ' || (i % 40),
  '[{"date":"2026-10-02","activity":"Bón phân","input":"Phân hữu cơ","note":""},{"date":"2026-11-18","activity":"Thu hái","input":"","note":""}]',
  'active', 1, 0, 0 FROM $(bench_series "$url" 1 "$LOTS");
INSERT INTO trace_lots (seller_id, product_id, code, public_code, gtin14, produced_day, expires_day, quantity, packed,
  origin_commune_code, origin_province_code, status, created_by, created_at, updated_at)
VALUES ($seller, $product, 'RECALL', 'RECALL0001', '$GTIN14', 20412, 20594, $LINES, $LINES, '$commune', '19',
  'closed', 1, 0, 0);
INSERT INTO orders_checkouts (id, buyer_id, idempotency_key, request_hash, response, created_at)
VALUES ('bench', 1, 'bench', '', '{}', 0);
INSERT INTO orders_orders (code, checkout_id, buyer_id, seller_id, seller_name, status, payment_method, subtotal_vnd,
  shipping_fee_vnd, total_vnd, weight_grams, shipping_route, carrier, from_commune_code, ship_full_name, ship_phone,
  ship_address_line, ship_commune_code, created_at, updated_at)
SELECT 'BENCH' || i, 'bench', 1, $seller, 'bench', 'shipped', 'cod', 100000, 0, 100000, 500, 'same_province',
  'vnpost', '$commune', 'Người mua', '0912000001', 'Xóm 1', '$commune', 0, 0 FROM $(bench_series "$url" 1 "$LINES");
INSERT INTO trace_lot_lines (lot_id, order_id, order_code, line_id, seller_id, buyer_id, product_id, quantity, created_at)
SELECT (SELECT id FROM trace_lots WHERE code = 'RECALL'), id, code, 1, $seller, buyer_id, $product, 1, 0
FROM orders_orders WHERE checkout_id = 'bench';
ANALYZE;
SQL
end=$(date +%s.%N)
python3 -c "print(f'   written in {$end-$start:.1f} s')"

# serve BIN WEB_DIR: starts BIN on the fixture (pid, base).
serve() {
  port=$(free_port)
  NONGSAN_WEB_DIR="$2" "$1" serve --port "$port" --data-dir "$data" --database "$url" >>"$data/server.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz" 600
  base="http://127.0.0.1:$port"
  curl -fsS -o /dev/null "$base/01/$GTIN14/10/L1" || { echo "the provenance page does not answer" >&2; exit 1; }
}
stop() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
# measure TAG: /healthz, then the page of random lots, on the running server;
# prints both runs and the page's share of /healthz's throughput.
ratios=()
measure() {
  local h p
  h=$(run_wrk_cpu "$1GET /healthz" "$pid" "$base/healthz" 16 "$SECS")
  # Requests built before the run (bench/trace_lot.lua): enough per wrk
  # thread for 20,000 a second.
  p=$(LOTS=$LOTS TRACE_GTIN14=$GTIN14 TRACE_REQUESTS=$((SECS * 20000)) \
    run_wrk_cpu "$1GET /01/{gtin}/10/{lot} (page)" "$pid" "$base" 16 "$SECS" -s bench/trace_lot.lua)
  echo "$h"
  echo "$p"
  local ratio
  ratio=$(python3 -c "import sys; h, p = (float(l.split()[l.split().index('req/s') - 1]) for l in sys.argv[1:]); \
print(f'{100 * p / h:.1f}')" "$h" "$p")
  ratios+=("$ratio")
  echo "   page / healthz: $ratio %"
}
# warm TAG: the page for WARM seconds, unmeasured (the readers' caches fill).
warm() {
  LOTS=$LOTS TRACE_GTIN14=$GTIN14 TRACE_REQUESTS=$((WARM * 20000)) \
    wrk -t 2 -c 16 -d "${WARM}s" -s bench/trace_lot.lua "$base" >/dev/null 2>&1
}
WARM=${WARM:-3}
ROUNDS=${ROUNDS:-3}

echo "== $(nproc) cores, wrk 2 threads, ${SECS}s per run, $LOTS lots, $ROUNDS rounds (each /healthz then the page)"
if [ -n "${COMPARE:-}" ]; then
  case "$COMPARE" in /*) other=$COMPARE ;; *) other="$ROOT/$COMPARE" ;; esac
  for round in $(seq "$ROUNDS"); do
    serve "$other/nongsan" "$other/../web"
    warm
    measure "[$COMPARE #$round] "
    stop
    serve "$BIN" "$ROOT/web"
    warm
    measure "[$BUILD_DIR #$round] "
    stop
  done
fi
serve "$BIN" "$ROOT/web"
if [ -z "${COMPARE:-}" ]; then
  warm
  for round in $(seq "$ROUNDS"); do measure "[#$round] "; done
  python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; \
print(f'   page / healthz over {len(r)} rounds: median {statistics.median(r):.1f} %, lowest {min(r):.1f} %, highest {max(r):.1f} %')" \
    "${ratios[@]}"
fi

token=$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"phone\":\"$ADMIN_PHONE\",\"password\":\"$ADMIN_PASSWORD\"}" "$base/api/v1/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
lot=$(echo "SELECT id FROM trace_lots WHERE code = 'RECALL';" | bench_sql "$url")
echo "== recall of a lot in $LINES order lines"
python3 - "$base" "$token" "$lot" "$LINES" <<'PY'
import json, sys, time, urllib.request
base, token, lot, lines = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, headers=auth,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req) as res:
        return json.load(res)
start = time.perf_counter()
recalled = call("POST", f"/api/v1/lots/{lot}/recall", {"reason": "Dư lượng thuốc bảo vệ thực vật vượt mức"})
recall_s = time.perf_counter() - start
listed, cursor, pages = 0, None, 0
while True:
    page = call("GET", f"/api/v1/lots/{lot}/orders?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
    listed += len(page["items"]); pages += 1
    cursor = page["next_cursor"]
    if not cursor:
        break
total_s = time.perf_counter() - start
print(f"   recall: {recall_s:.3f} s, {recalled['buyers_notified']} buyers notified")
print(f"   recall + listing {listed} lines in {pages} pages: {total_s:.3f} s")
assert recalled["buyers_notified"] == lines and listed == lines, "every line listed, every buyer notified"
PY
echo "   SMS queued: $(echo "SELECT COUNT(*) FROM orders_outbox WHERE message LIKE 'Thu hồi:%';" | bench_sql "$url")"
echo "server RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
