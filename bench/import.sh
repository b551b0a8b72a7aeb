#!/usr/bin/env bash
# Bulk import rate, and whether the order of the rows matters. Writes one set
# of ROWS products (default 200,000) of SHOPS shops (default 5,000, spread
# over the communes of every province) twice: sorted by shop, and interleaved
# (row i belongs to shop i mod SHOPS, as in a spreadsheet sorted by product or
# date). Each file is imported into a fresh database twice: the first run
# creates every shop and product, the second (the same file) must change
# nothing. Prints rows/s for each run, the importer's CPU time (user +
# system, the figure to compare on a loaded machine), its peak RSS, on
# PostgreSQL the server's CPU time, and the load average.
# Figures and their history: docs/import.md ("The order of the rows").
#
#   bash bench/import.sh [BUILD_DIR]                     SQLite
#   BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/import.sh [BUILD_DIR]
# Environment: ROWS, SHOPS, ORDERS ("sorted interleaved" by default).
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
ROWS=${ROWS:-200000}
SHOPS=${SHOPS:-5000}
ORDERS=${ORDERS:-sorted interleaved}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

python3 - "$ROWS" "$SHOPS" "$data" <<'PY'
import csv, random, sys
rows, shops, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# Every current commune of every province, in a fixed shuffled order, so that
# consecutive shops are far apart (as shops of a national catalogue are).
communes = [l.split(',')[0] for l in open('data/admin-units/vn_admin_units_2025.csv', encoding='utf-8')
            if l.split(',')[2:3] == ['commune']]
random.seed(20261204)
random.shuffle(communes)
kinds = [('Chè búp Tân Cương', 'tea-bud', 'gói', 500), ('Gạo Bao Thai Định Hóa', 'rice-white', 'kg', 1000),
         ('Miến dong Việt Cường', 'proc-noodles', 'gói', 500), ('Na dai Võ Nhai', 'fruit-tropical', 'kg', 1000),
         ('Mật ong rừng', 'honey-forest', 'chai', 700), ('Măng khô', 'mushrooms', 'túi', 300)]
header = 'seller_phone,seller_name,seller_type,commune_code,sku,product_name,description,category,unit,price_vnd,stock,weight_grams'.split(',')
per_shop = (rows + shops - 1) // shops

def row(shop, k):
    i = shop * per_shop + k
    name, cat, unit, grams = kinds[i % len(kinds)]
    return [f'09{shop:08d}', f'Hộ sản xuất số {shop}', 'household', communes[shop % len(communes)],
            f'SKU-{k:04d}', f'{name} loại {i % 7 + 1}', f'{name}, hàng tuyển chọn, lô {i}.',
            cat, unit, 20000 + (i * 7919) % 500000, (i * 31) % 501, grams]

# The same rows in both files: shop s holds rows k = 0, 1, … while rows remain.
pairs = [(s, k) for s in range(shops) for k in range(per_shop) if s * per_shop + k < rows]
orders = {'sorted': sorted(pairs), 'interleaved': sorted(pairs, key=lambda p: (p[1], p[0]))}
for order, seq in orders.items():
    with open(f'{out}/{order}.csv', 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f)
        w.writerow(header)
        for s, k in seq:
            w.writerow(row(s, k))
PY
# PostgreSQL's CPU time in seconds (user + system of the postmaster, its
# reaped backends and its live processes), read from /proc: with the
# importer's own CPU it says whose work an import is.
server_cpu() {
  [ "${BENCH_BACKEND:-}" = postgres ] || { echo 0; return; }
  python3 - "$(head -1 "$(psql "$NONGSAN_TEST_POSTGRES_URL" -Atc 'SHOW data_directory')/postmaster.pid")" <<'PY'
import os, sys
pm = sys.argv[1]
def stat(pid):
    return open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
ticks = sum(int(x) for x in stat(pm)[11:15])
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        f = stat(pid)
    except OSError:
        continue
    if f[1] == pm:
        ticks += int(f[11]) + int(f[12])
print(ticks / os.sysconf('SC_CLK_TCK'))
PY
}
for order in $ORDERS; do
  url=$(bench_database "bench_import_${order}_$$" "$data/$order")
  mkdir -p "$data/$order"
  "$BIN" migrate --data-dir "$data/$order" --database "$url" >/dev/null 2>&1
  for run in first second; do
    server_before=$(server_cpu)
    start=$(date +%s.%N)
    /usr/bin/time -f '%M %U %S' -o "$data/rss" "$BIN" import products "$data/$order.csv" --data-dir "$data/$order" \
      --database "$url" >"$data/$run.out" 2>"$data/$run.err" || { echo "import failed:"; tail -5 "$data/$run.err"; exit 1; }
    end=$(date +%s.%N)
    server_after=$(server_cpu)
    read -r rss_kb user_s sys_s < <(tail -1 "$data/rss")
    python3 -c "r=$ROWS; t=$end-$start; cpu=$user_s+$sys_s; print(f'import ($order, $SHOPS shops, $run run, ${BENCH_BACKEND:-sqlite}): {r:,} rows in {t:.2f} s = {int(r/t):,} rows/s; importer CPU {cpu:.2f} s = {int(r/cpu):,} rows per CPU-second; peak RSS {$rss_kb//1024} MB' + (f'; server CPU {$server_after-$server_before:.2f} s' if '${BENCH_BACKEND:-}' == 'postgres' else '') + '; load $(cut -d' ' -f1 /proc/loadavg)')"
    tail -1 "$data/$run.out"
  done
done
