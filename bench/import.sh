#!/usr/bin/env bash
# Bulk import rate: writes a CSV of ROWS products (default 200,000) spread
# over one shop per 100 rows in real Thái Nguyên communes, then times
# `nongsan import products` into a fresh database, twice: the first run
# creates every shop and product, the second (the same file) must change
# nothing. Prints rows/s for each run and the server-less RSS peak.
#
#   bash bench/import.sh [BUILD_DIR]                     SQLite
#   BENCH_BACKEND=postgres bash scripts/with-postgres.sh bash bench/import.sh [BUILD_DIR]
set -euo pipefail
BUILD_DIR=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
BIN="$ROOT/$BUILD_DIR/nongsan"
ROWS=${ROWS:-200000}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
url=$(bench_database "bench_import_$$" "$data")

python3 - "$ROWS" "$data/products.csv" <<'PY'
import csv, random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
communes = [l.split(',')[0] for l in open('data/admin-units/vn_admin_units_2025.csv', encoding='utf-8')
            if l.split(',')[2:3] == ['commune'] and l.rstrip('\n').split(',')[-1] == '19']
kinds = [('Chè búp Tân Cương', 'tea-bud', 'gói', 500), ('Gạo Bao Thai Định Hóa', 'rice-white', 'kg', 1000),
         ('Miến dong Việt Cường', 'proc-noodles', 'gói', 500), ('Na dai Võ Nhai', 'fruit-tropical', 'kg', 1000),
         ('Mật ong rừng', 'honey-forest', 'chai', 700), ('Măng khô', 'mushrooms', 'túi', 300)]
random.seed(20261130)
with open(path, 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f)
    w.writerow('seller_phone,seller_name,seller_type,commune_code,sku,product_name,description,category,unit,price_vnd,stock,weight_grams'.split(','))
    for i in range(rows):
        shop = i // 100
        name, cat, unit, grams = kinds[i % len(kinds)]
        w.writerow([f'09{shop:08d}', f'Hộ sản xuất số {shop}', 'household', communes[shop % len(communes)],
                    f'SKU-{i % 100:03d}', f'{name} loại {i % 7 + 1}', f'{name}, hàng tuyển chọn, lô {i}.',
                    cat, unit, 20000 + (i * 7919) % 500000, random.randint(0, 500), grams])
PY
"$BIN" migrate --data-dir "$data" --database "$url" >/dev/null 2>&1
for run in first second; do
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$data/rss" "$BIN" import products "$data/products.csv" --data-dir "$data" \
    --database "$url" >"$data/$run.out" 2>"$data/$run.err" || { echo "import failed:"; tail -5 "$data/$run.err"; exit 1; }
  end=$(date +%s.%N)
  rss_kb=$(tail -1 "$data/rss")
  python3 -c "r=$ROWS; t=$end-$start; print(f'import ($run run, ${BENCH_BACKEND:-sqlite}): {r:,} rows in {t:.2f} s = {int(r/t):,} rows/s, peak RSS {$rss_kb//1024} MB')"
  tail -1 "$data/$run.out"
done
