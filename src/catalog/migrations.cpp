#include "catalog/migrations.hpp"

#include "catalog/categories.hpp"

namespace nongsan::catalog {
namespace {

// status_before_suspension remembers what a suspension interrupted, so lifting
// it puts the product back as the seller left it. seller_visible mirrors the
// shop's public state (kept by CatalogService::SetSellerVisible) so that search
// and listings never consult the sellers module per product. deleted_at keeps
// deleted products for the orders that reference them; the (seller, sku) key
// is unique among live products only.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE catalog_categories (
  code TEXT PRIMARY KEY,
  parent_code TEXT REFERENCES catalog_categories(code),
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
);
CREATE TABLE catalog_products (
  id {{ID}},
  seller_id BIGINT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category_code TEXT NOT NULL REFERENCES catalog_categories(code),
  unit TEXT NOT NULL,
  price_vnd BIGINT NOT NULL CHECK (price_vnd >= 0),
  stock BIGINT NOT NULL CHECK (stock >= 0),
  weight_grams BIGINT NOT NULL CHECK (weight_grams >= 0),
  status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'hidden', 'suspended')),
  status_before_suspension TEXT,
  suspended_reason TEXT NOT NULL DEFAULT '',
  gtin TEXT,
  origin_commune TEXT NOT NULL DEFAULT '',
  origin_province TEXT NOT NULL DEFAULT '',
  seller_visible INTEGER NOT NULL DEFAULT 1,
  cover_photo TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE UNIQUE INDEX catalog_products_seller_sku ON catalog_products (seller_id, sku) WHERE deleted_at IS NULL;
CREATE INDEX catalog_products_seller ON catalog_products (seller_id, id);
CREATE TABLE catalog_photos (
  id {{ID}},
  product_id BIGINT NOT NULL REFERENCES catalog_products(id),
  storage_key TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX catalog_photos_product ON catalog_photos (product_id, position);
CREATE TABLE catalog_stock_ledger (
  id {{ID}},
  product_id BIGINT NOT NULL REFERENCES catalog_products(id),
  kind TEXT NOT NULL CHECK (kind IN ('initial', 'restock', 'reserve', 'release', 'sale')),
  quantity BIGINT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX catalog_stock_ledger_product ON catalog_stock_ledger (product_id, reference);
CREATE TABLE catalog_changes (
  seq {{ID}},
  product_id BIGINT,
  seller_id BIGINT,
  changed_at BIGINT NOT NULL
);
)SQL";

// Label data (Decree 43/2017 as amended by 111/2021): nullable, so every
// product stored before it simply has no label data yet.
constexpr const char* kLabelColumns = R"SQL(
ALTER TABLE catalog_products ADD COLUMN brand TEXT;
ALTER TABLE catalog_products ADD COLUMN net_quantity TEXT;
ALTER TABLE catalog_products ADD COLUMN ingredients TEXT;
ALTER TABLE catalog_products ADD COLUMN usage_instructions TEXT;
ALTER TABLE catalog_products ADD COLUMN storage_instructions TEXT;
ALTER TABLE catalog_products ADD COLUMN warnings TEXT;
ALTER TABLE catalog_products ADD COLUMN shelf_life_days INTEGER;
)SQL";

// Photos chosen on a page form that came back with an error, kept for the
// corrected form (PhotoService::Stage); the files are stored like any photo's.
constexpr const char* kStagedPhotos = R"SQL(
CREATE TABLE catalog_pending_photos (
  storage_key TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX catalog_pending_photos_created ON catalog_pending_photos (created_at);
)SQL";

}  // namespace

db::ModuleMigrations Migrations() {
  return {"catalog",
          {
              {1, "categories, products, photos, stock ledger, change log", kSchemaV1, ""},
              {2, "category taxonomy", CategorySeedSql(), ""},
              {3, "label data", kLabelColumns, ""},
              {4, "photos staged by page forms", kStagedPhotos, ""},
          }};
}

}  // namespace nongsan::catalog
