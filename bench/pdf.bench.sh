#!/usr/bin/env bash
# The PDF endpoints of issue 15 under wrk: a single 70×50 label, an A4 sheet of
# 50×30 labels (24 of its 36 places) and a shop's catalogue (cached after its first rendering,
# as readers of a shared link get it). Labels are printed by the demo's
# provincial officer (they act for the demo households; src/app/demo_data.hpp).
# Called by bench/run.sh with BASE and SECS set; on its own it starts
# BUILD_DIR/nongsan with demo data on a free port:
#   SECS=5 bash bench/pdf.bench.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
SECS=${SECS:-10}
CONNS=${PDF_CONNECTIONS:-8}

if [ -z "${BASE:-}" ]; then
  BIN="$ROOT/${1:-build}/nongsan"
  PORT=$(free_port)
  DATA=$(mktemp -d /tmp/nongsan-pdf.XXXXXX)
  NONGSAN_ACCESS_LOG=false "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" --demo >"$DATA/server.log" 2>&1 &
  PID=$!
  trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
  BASE="http://127.0.0.1:$PORT"
  wait_http "$BASE/healthz" 120
  echo "== pdf endpoints ($(nproc) cores, wrk 2 threads, ${SECS}s per run)"
fi

TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d '{"phone":"0912099999","password":"demo-can-bo-19"}' \
  "$BASE/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"

# The first demo product whose label prints (some categories need fields the
# demo leaves empty): an A4 sheet of 24 50×30 labels when its text fits that
# size, else a full A4 sheet of 15 70×50 labels.
find_product() {
  local query=$1 path id
  for path in $(curl -fsS "$BASE/" | grep -o 'href="/san-pham/[^"]*"' | cut -d'"' -f2 | sort -u); do
    id=${path##*-}
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$BASE/api/v1/products/$id/label.pdf?size=70x50")" = 200 ] || continue
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$BASE/api/v1/products/$id/label.pdf?$query")" = 200 ] || continue
    echo "$id"; return
  done
}
SHEET_QUERY="size=50x30&sheet=a4&copies=24"; SHEET_LABEL="50x30 A4 (24)"
PRODUCT=$(find_product "$SHEET_QUERY")
if [ -z "$PRODUCT" ]; then
  SHEET_QUERY="size=70x50&sheet=a4"; SHEET_LABEL="70x50 A4 (15)"
  PRODUCT=$(find_product "$SHEET_QUERY")
fi
[ -n "$PRODUCT" ] || { echo "pdf bench: no demo product's label prints" >&2; exit 0; }
SELLER=$(curl -fsS "$BASE/api/v1/products/$PRODUCT" | python3 -c 'import json, sys; print(json.load(sys.stdin)["seller_id"])')
CATALOGUE="$BASE/api/v1/sellers/$SELLER/catalogue.pdf"
curl -fsS -o /dev/null "$CATALOGUE"  # its first rendering, outside the timed runs

run_wrk "GET label.pdf 70x50 single" "$BASE/api/v1/products/$PRODUCT/label.pdf?size=70x50" "$CONNS" "$SECS" -H "$AUTH"
run_wrk "GET label.pdf $SHEET_LABEL" "$BASE/api/v1/products/$PRODUCT/label.pdf?$SHEET_QUERY" "$CONNS" "$SECS" -H "$AUTH"
run_wrk "GET catalogue.pdf (cached)" "$CATALOGUE" "$CONNS" "$SECS"
