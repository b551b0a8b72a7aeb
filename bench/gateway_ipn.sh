#!/usr/bin/env bash
# The IPN figure of issue #16, on SQLite: VNPay IPNs (GET
# /api/v1/payments/vnpay/ipn), each validly signed and each for a different
# order, so every one is verified (HMAC-SHA512), matched, applied through the
# payments module (durably, once) and answered "00". ORDERS vnpay orders (12,000
# by default) are made first through the public API (bench/gateway_ipn.py,
# which also signs the IPNs with Python's hmac); then wrk sends them at CONNS
# connections (64) for SECS seconds (3). wrk reports requests/s; the script
# prints how many were applied ("00") and how many were replays ("02", only
# when a run outlasts the orders), and checks the database agrees.
#
#   bash bench/gateway_ipn.sh [BUILD_DIR]
# Environment: ORDERS, SECS, CONNS, BUYERS (4).
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
ORDERS=${ORDERS:-12000}
SECS=${SECS:-3}
CONNS=${CONNS:-64}
BUYERS=${BUYERS:-4}
TMN=BENCHTMN
SECRET=BENCHSECRET0123456789ABCDEFGHIJK
export NONGSAN_ACCESS_LOG=false
export NONGSAN_VNPAY_TMN_CODE=$TMN NONGSAN_VNPAY_HASH_SECRET=$SECRET
export NONGSAN_VNPAY_URL=https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
export NONGSAN_VNPAY_API_URL=http://127.0.0.1:9/merchant_webapi/api/transaction  # refunds are not exercised
export NONGSAN_PAYMENT_TIMEOUT_MINUTES=600
# Handlers block on the database; IPNs share a WAL sync only when enough wait together.
export NONGSAN_THREADS=${THREADS:-64}

data=$(mktemp -d)
db="$data/bench.db"
url="sqlite:$db"
pid=""
trap '[ -n "$pid" ] && { kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$data"' EXIT

port=$(free_port)
"$BIN" serve --port "$port" --data-dir "$data" --database "$url" >"$data/server.log" 2>&1 &
pid=$!
wait_http "http://127.0.0.1:$port/healthz" 120
base="http://127.0.0.1:$port"
post() { curl -fsS -X POST "$base$1" -H 'Content-Type: application/json' -d "$2"; }

echo "== fixture: $ORDERS vnpay orders through the API"
start=$(date +%s.%N)
echo "bench-password-1" | "$BIN" admin create-user --phone 0900000001 --role buyer --name "Bench owner" \
  --data-dir "$data" --database "$url" >/dev/null
owner=$(post /api/v1/auth/login '{"phone":"0900000001","password":"bench-password-1"}' | jq -r .token)
for i in $(seq 1 "$BUYERS"); do
  post /api/v1/auth/register "{\"phone\":\"09100000$(printf %02d "$i")\",\"password\":\"bench-password-$i\",
    \"full_name\":\"Bench buyer $i\"}" | jq -r .token
done >"$data/buyers"
python3 bench/gateway_ipn.py "$base" "$owner" "$data/buyers" "$ORDERS" "$TMN" "$SECRET" "$data/ipn.txt"
end=$(date +%s.%N)
python3 -c "print(f'   made in {$end-$start:.1f} s')"

echo "== $(nproc) cores (shared), wrk 2 threads, ${SECS}s, $CONNS connections"
run_wrk "GET /healthz" "$base/healthz" "$CONNS" 2
out=$(wrk -t 2 -c "$CONNS" -d "${SECS}s" --latency -s bench/gateway_ipn.lua "$base" -- "$data/ipn.txt" 2 2>&1)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$out" | awk '$1=="50%" {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
printf '%-34s %10s req/s   p50 %8s   p99 %8s   conns %3s\n' "GET /api/v1/payments/vnpay/ipn" "$rps" "$p50" "$p99" "$CONNS"
echo "$out" | grep 'answers:'
applied=$(echo "$out" | grep -o '[0-9]* "00"' | awk '{print $1}')
python3 -c "print(f'   applied IPNs per second: {$applied / $SECS:.0f}')"
paid=$(sqlite3 "$db" "SELECT COUNT(*) FROM payments_payments WHERE method = 'vnpay' AND status = 'paid'")
echo "   payments paid in the database: $paid (IPNs in flight when wrk stopped are applied after its count)"
[ "$paid" -ge "$applied" ] && [ "$paid" -le $((applied + CONNS)) ] ||
  { echo "the database holds $paid paid payments for $applied answers \"00\"" >&2; exit 1; }
