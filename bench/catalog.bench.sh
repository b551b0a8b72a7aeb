#!/usr/bin/env bash
# Catalogue endpoints for bench/run.sh (runs against the demo catalogue at
# $BASE for $SECS seconds per endpoint): search mix, autocomplete, product by
# id, and a shop's products. The million-product run is bench/catalog_1m.sh.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
source "$DIR/lib.sh"
SECS=${SECS:-10}
max_id=$(curl -fsS "$BASE/api/v1/products?sort=newest&limit=1" | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"]; print(i[0]["id"] if i else 1)')
run_wrk "GET /api/v1/products?q= (mix)" "$BASE" 16 "$SECS" -s "$DIR/catalog_search.lua"
run_wrk "GET /api/v1/search/suggest?q=mat" "$BASE/api/v1/search/suggest?q=mat" 16 "$SECS"
MAX_PRODUCT_ID=$max_id run_wrk "GET /api/v1/products/{id}" "$BASE" 16 "$SECS" -s "$DIR/catalog_product.lua"
run_wrk "GET /api/v1/categories" "$BASE/api/v1/categories" 16 "$SECS"
