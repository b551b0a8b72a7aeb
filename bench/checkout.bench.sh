#!/usr/bin/env bash
# make bench: checkout under load (called by bench/run.sh with BASE and SECS
# set, the server started with --demo). The demo shops hold little stock, so
# this sets up its own: two shops in Thái Nguyên with well-stocked products,
# and a few buyers, all through the public API. Then wrk posts checkouts of a
# 3-line cart across the 2 shops (2 orders each), every request with a fresh
# Idempotency-Key, the buyers taking turns. Prints checkouts/s, orders/s and
# the p50/p99 latency of a checkout.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONNS=${CHECKOUT_CONNS:-16}   # concurrent clients
BUYERS=${CHECKOUT_BUYERS:-4}  # distinct signed-in buyers (registering is rate limited per address)
STOCK=10000000                # the catalogue's largest stock: never runs out in a run
RUN_ID=$(( $(date +%s%N) % 100000000 ))  # unique phones and SKUs per run
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# post PATH JSON [TOKEN] → response body on stdout; fails loudly on non-2xx.
post() {
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -fsS -X POST "$BASE$1" -H 'Content-Type: application/json' "${auth[@]}" -d "$2"
}

# register N → token of a new buyer account with phone 09<8 digits>.
phone_of() { printf '09%08d' $(( (RUN_ID + $1) % 100000000 )); }
register() {
  post /api/v1/auth/register "{\"phone\":\"$(phone_of "$1")\",
    \"password\":\"bench-password-$1\",\"full_name\":\"Bench $1\"}" | jq -r .token
}

# A shop owner must have a verified phone. The operator's `admin create-user`
# vouches for the number, so the owners are made with it, on the database of
# the server under test (found from the process listening on BASE's port).
port=${BASE##*:}
server_pid=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
server_bin=$(readlink "/proc/$server_pid/exe")
mapfile -t server_args < <(tr '\0' '\n' <"/proc/$server_pid/cmdline")
db_flags=()
for i in "${!server_args[@]}"; do
  case "${server_args[$i]}" in
    --database|--data-dir) db_flags+=("${server_args[$i]}" "${server_args[$((i + 1))]}") ;;
  esac
done
owner() {  # N → token of a shop owner with a verified phone
  echo "bench-password-$1" | "$server_bin" admin create-user --phone "$(phone_of "$1")" --role buyer \
    --name "Bench owner $1" "${db_flags[@]}" >/dev/null
  post /api/v1/auth/login "{\"phone\":\"$(phone_of "$1")\",\"password\":\"bench-password-$1\"}" | jq -r .token
}

shop() {  # owner_token name commune → shop id
  post /api/v1/sellers "{\"name\":\"$2\",\"type\":\"household\",\"commune_code\":\"$3\",
    \"address_line\":\"Bench\"}" "$1" | jq -r .id
}

product() {  # owner_token shop_id sku price weight → product id
  post "/api/v1/sellers/$2/products" "{\"sku\":\"$3\",\"name\":\"Bench $3\",\"category\":\"tea-green\",
    \"unit\":\"kg\",\"price_vnd\":$4,\"stock\":$STOCK,\"weight_grams\":$5,\"status\":\"active\"}" "$1" | jq -r .id
}

owner_a=$(owner 1)
owner_b=$(owner 2)
shop_a=$(shop "$owner_a" "Bench Chè $RUN_ID" 01840)
shop_b=$(shop "$owner_b" "Bench Na $RUN_ID" 01849)
p1=$(product "$owner_a" "$shop_a" "TEA-$RUN_ID" 120000 500)
p2=$(product "$owner_a" "$shop_a" "RICE-$RUN_ID" 45000 1000)
p3=$(product "$owner_b" "$shop_b" "NA-$RUN_ID" 80000 1000)
tokens=()
for i in $(seq 1 "$BUYERS"); do tokens+=("\"$(register $((10 + i)))\""); done

body=$(jq -cn --argjson p1 "$p1" --argjson p2 "$p2" --argjson p3 "$p3" '{
  items: [{product_id: $p1, quantity: 1}, {product_id: $p2, quantity: 2}, {product_id: $p3, quantity: 1}],
  shipping_address: {full_name: "Nguyễn Thị Hoa", phone: "0912345678", address_line: "Số 5, tổ 3",
                     commune_code: "01843"},
  payment_method: "cod"}')

cat >"$work/checkout.lua" <<EOF
-- Every request: the next buyer's token and a key no request used before.
local tokens = { $(IFS=,; echo "${tokens[*]}") }
local body = [[$body]]
local counter = 0
local run = "$RUN_ID"
-- Globals: setup() runs in the main Lua state, request() in each thread's.
threads_made = 0
thread_no = 0
function setup(thread)
  thread:set("thread_no", threads_made)
  threads_made = threads_made + 1
end
function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1],
    ["Idempotency-Key"] = "bench-" .. run .. "-" .. thread_no .. "-" .. counter,
  }
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
EOF

line=$(run_wrk "POST /api/v1/orders (3 lines, 2 shops)" "$BASE" "$CONNS" "$SECS" -s "$work/checkout.lua")
echo "$line"
rps=$(echo "$line" | grep -o '[0-9.]* req/s' | awk '{print $1}')
printf '%-34s %10s orders/s (2 orders per checkout)\n' "  = orders" "$(awk -v r="$rps" 'BEGIN{printf "%.0f", r*2}')"
