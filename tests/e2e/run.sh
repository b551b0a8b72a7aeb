#!/usr/bin/env bash
# Browser end-to-end tests: starts BUILD_DIR/nongsan with demo data in a fresh
# temporary data directory on a free loopback port, drives Debian's chromium
# with playwright-core (node's built-in test runner), keeps phone-size
# screenshots of every page in tests/e2e/artifacts/, stops the server and
# exits non-zero when a test fails.
#   bash tests/e2e/run.sh [BUILD_DIR]
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E="$ROOT/tests/e2e"
BIN="$ROOT/$BUILD_DIR/nongsan"
[ -x "$BIN" ] || { echo "e2e: $BIN not built" >&2; exit 1; }
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "e2e: $CHROMIUM missing (apt-get install chromium)" >&2; exit 1; }
# Seconds the server may take to migrate and load the demo catalogue.
START_TIMEOUT=${E2E_START_TIMEOUT:-120}

# Node.js >= 20 first on PATH (Debian 12 ships 18; scripts/node.sh installs a newer one when needed).
source "$ROOT/scripts/node.sh"
nongsan_use_node
echo "e2e: Node.js $(node --version)"

cd "$E2E"
nongsan_e2e_npm_install

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
DATA=$(mktemp -d /tmp/nongsan-e2e.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# The payment flow signs bank-transfer notifications with this (flows/payment.test.mjs).
export NONGSAN_E2E_WEBHOOK_SECRET=e2e-bank-webhook-secret
NONGSAN_BANK_WEBHOOK_SECRET=$NONGSAN_E2E_WEBHOOK_SECRET NONGSAN_ACCESS_LOG=false "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" --demo \
  >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT))
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "e2e: the server did not start; its log:" >&2
    cat "$DATA/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

rm -rf "$E2E/artifacts"
mkdir -p "$E2E/artifacts"
status=0
NONGSAN_E2E_BASE="http://127.0.0.1:$PORT" \
NONGSAN_E2E_DB="$DATA/nongsan.db" \
NONGSAN_E2E_DATA="$DATA" \
NONGSAN_E2E_BIN="$BIN" \
NONGSAN_E2E_ARTIFACTS="$E2E/artifacts" \
CHROMIUM="$CHROMIUM" \
  node --test --test-concurrency=1 "$E2E"/flows/*.test.mjs || status=$?
if [ $status -ne 0 ]; then
  echo "e2e: failed; the server's log follows" >&2
  tail -n 50 "$DATA/server.log" >&2
fi
exit $status
