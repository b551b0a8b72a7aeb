#!/usr/bin/env bash
# Payment figures of issue #16, on SQLite:
#  1. signed bank-transfer notifications per second: wrk POSTs NOTIFY
#     distinct notifications (pre-signed with HMAC-SHA256 by Python's hmac),
#     each verified, recorded and committed durably (synchronous=FULL for
#     that commit) before the 200; a tenth of them pay real VietQR orders;
#  2. a LINES-line bank statement (100,000 by default) reconciled by
#     `nongsan import bank-statement`, timed end to end.
# The shop, its payout account and the orders' payments are written straight
# into a fresh database (a benchmark fixture); the timed work goes through the
# real server and CLI.
#
#   bash bench/payments.sh [BUILD_DIR]
# Environment: NOTIFY (default 200000), LINES (default 100000), SECS (10), CONNS (16).
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
NOTIFY=${NOTIFY:-200000}
LINES=${LINES:-100000}
SECS=${SECS:-10}
CONNS=${CONNS:-16}
SECRET=bench-webhook-secret
ACCOUNT=0011002233445
ORDERS=${ORDERS:-20000}
export NONGSAN_ACCESS_LOG=false NONGSAN_BANK_WEBHOOK_SECRET=$SECRET

data=$(mktemp -d)
db="$data/bench.db"
url="sqlite:$db"
pid=""
trap '[ -n "$pid" ] && { kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$data"' EXIT

echo "== fixture: $ORDERS pending VietQR payments into account $ACCOUNT (payments rows only)"
"$BIN" migrate --data-dir "$data" --database "$url" >/dev/null
# Python writes the fixture (order codes in the order-code alphabet), the
# signed notifications (a tenth pay a payment) and the statement (likewise).
python3 - "$data" "$NOTIFY" "$LINES" "$SECRET" "$ACCOUNT" "$ORDERS" <<'PY'
import hmac, hashlib, json, sys
data, notify, lines, secret, account, orders = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                                                sys.argv[4].encode(), sys.argv[5], int(sys.argv[6]))
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
def code(i):
    out = ""
    for _ in range(8):
        out = ALPHABET[i % 31] + out
        i //= 31
    return out
with open(f"{data}/fixture.sql", "w") as out:
    out.write("PRAGMA journal_mode=WAL;\nBEGIN;\n")
    out.write("INSERT INTO payments_payout_accounts (seller_id, bank_bin, account_number, account_name, updated_at, "
              f"updated_by) VALUES (1, '970436', '{account}', 'BENCH', 0, 0);\n")
    for i in range(1, orders + 1):
        out.write("INSERT INTO payments_payments (order_id, order_code, seller_id, buyer_id, method, status, "
                  "amount_vnd, paid_vnd, reference, bank_bin, account_number, account_name, created_at, updated_at) "
                  f"VALUES ({i}, '{code(i)}', 1, 1, 'vietqr', 'pending', 100000, 0, 'NS{code(i)}', '970436', "
                  f"'{account}', 'BENCH', 0, 0);\n")
    out.write("COMMIT;\n")
def description(i, orders_from):
    n = orders_from + i // 10
    return f"CT NS {code(n)} chuyen tien" if i % 10 == 0 and n <= orders else "CT khong ro noi dung"
with open(f"{data}/notifications.txt", "w") as out:
    for i in range(1, notify + 1):
        body = json.dumps({"id": f"WRK-{i}", "account_number": account, "amount_vnd": 100000,
                           "description": description(i, 0), "transferred_at": 1795921500000},
                          separators=(",", ":"))
        out.write(hmac.new(secret, body.encode(), hashlib.sha256).hexdigest() + " " + body + "\n")
with open(f"{data}/statement.csv", "w") as out:
    out.write("id,amount_vnd,description,transferred_at\n")
    for i in range(1, lines + 1):
        out.write(f"ST-{i},100000,MBVCB.{i}.{description(i, orders // 2).replace(' ', '')}.CT,29/11/2026 10:05:00\n")
PY
sqlite3 "$db" < "$data/fixture.sql" >/dev/null

port=$(free_port)
"$BIN" serve --port "$port" --data-dir "$data" --database "$url" >"$data/serve.log" 2>&1 &
pid=$!
wait_http "http://127.0.0.1:$port/healthz"
echo "== signed notifications, $CONNS connections, ${SECS}s"
NOTIFICATIONS="$data/notifications.txt" THREADS=2 run_wrk "POST /api/v1/payments/bank-transfers" \
  "http://127.0.0.1:$port" "$CONNS" "$SECS" -s bench/payments_notify.lua
echo "   receipts by outcome: $(sqlite3 "$db" 'SELECT outcome, COUNT(*) FROM payments_receipts GROUP BY outcome' | tr '\n' ' ')," \
  "payments paid: $(sqlite3 "$db" "SELECT COUNT(*) FROM payments_payments WHERE status = 'paid'")"
kill -TERM $pid; wait $pid || true; pid=""

echo "== a $LINES-line statement"
start=$(date +%s.%N)
"$BIN" import bank-statement "$data/statement.csv" --account "$ACCOUNT" --data-dir "$data" --database "$url"
end=$(date +%s.%N)
echo "   end to end (process start, migrations check, parse, apply, durable commit): $(echo "$end - $start" | bc) s"
