#!/usr/bin/env bash
# make bench: a shop's own website (/s/{slug}) against the marketplace's page
# of the same shop (/cua-hang/{slug}), which it must match in throughput
# (issue 15); called by bench/run.sh with BASE and SECS set. Both pages are
# rendered per request (private, no-cache).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PRODUCT=$(curl -fsS "$BASE/" | grep -o 'href="/san-pham/[^"]*"' | head -1 | cut -d'"' -f2 || true)
[ -n "$PRODUCT" ] || { echo "site bench: no product on the home page" >&2; exit 0; }
SHOP=$(curl -fsS "$BASE$PRODUCT" | grep -o 'href="/\(cua-hang\|hop-tac-xa\)/[^"]*"' | head -1 | cut -d'"' -f2 || true)
[ -n "$SHOP" ] || { echo "site bench: no shop link on $PRODUCT" >&2; exit 0; }
SITE="/s/${SHOP#/*/}"
run_wrk "GET shop page $SHOP" "$BASE$SHOP" 16 "$SECS"
run_wrk "GET shop site $SITE" "$BASE$SITE" 16 "$SECS"
