#!/usr/bin/env bash
# make bench: the storefront pages under load (called by bench/run.sh with
# BASE and SECS set): home, a search without tone marks, a product page.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PRODUCT=$(curl -fsS "$BASE/" | grep -o 'href="/san-pham/[^"]*"' | head -1 | cut -d'"' -f2 || true)
run_wrk "GET / (home page)" "$BASE/" 16 "$SECS"
run_wrk "GET /tim-kiem?q=che (search page)" "$BASE/tim-kiem?q=che" 16 "$SECS"
if [ -n "$PRODUCT" ]; then
  run_wrk "GET product page" "$BASE$PRODUCT" 16 "$SECS"
fi
