#include "catalog/product_store.hpp"

#include <string>

namespace nongsan::catalog::store {
namespace {

constexpr const char* kColumns =
    "id, seller_id, sku, name, slug, description, category_code, unit, price_vnd, stock, weight_grams, "
    "status, suspended_reason, gtin, origin_commune, origin_province, seller_visible, cover_photo, "
    "created_at, updated_at, brand, net_quantity, ingredients, usage_instructions, storage_instructions, "
    "warnings, shelf_life_days";
// Where the label columns start in kColumns, in LabelTextFields() order.
constexpr int kLabelColumn = 20;

// Ids per IN (…) list; well under both engines' parameter limits.
constexpr std::size_t kIdsPerQuery = 500;

Product FromRow(const db::Row& r) {
  Product p;
  p.id = r.Int(0);
  p.seller_id = r.Int(1);
  p.sku = r.Text(2);
  p.name = r.Text(3);
  p.slug = r.Text(4);
  p.description = r.Text(5);
  p.category_code = r.Text(6);
  p.unit = r.Text(7);
  p.price_vnd = r.Int(8);
  p.stock = r.Int(9);
  p.weight_grams = r.Int(10);
  p.status = ParseStatus(r.Text(11)).value_or(ProductStatus::kHidden);
  p.suspended_reason = r.Text(12);
  p.gtin = r.OptText(13);
  p.origin_commune = r.Text(14);
  p.origin_province = r.Text(15);
  p.seller_visible = r.Int(16) != 0;
  p.cover_photo = r.Text(17);
  p.created_at = r.Int(18);
  p.updated_at = r.Int(19);
  int column = kLabelColumn;
  for (const auto& f : LabelTextFields()) p.label.*f.value = r.OptText(column++);
  if (!r.IsNull(column)) p.label.shelf_life_days = r.Int(column);
  return p;
}

db::Value OptionalText(const std::optional<std::string>& s) {
  if (!s) return std::monostate{};
  return *s;
}

}  // namespace

db::Params LabelParams(const LabelData& label) {
  db::Params params;
  for (const auto& f : LabelTextFields()) params.push_back(OptionalText(label.*f.value));
  if (label.shelf_life_days) {
    params.emplace_back(*label.shelf_life_days);
  } else {
    params.emplace_back(std::monostate{});
  }
  return params;
}

Result<std::vector<Photo>> LoadPhotos(db::Connection& c, std::int64_t product_id) {
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT id, storage_key, width, height, position FROM catalog_photos "
                                    "WHERE product_id = ? ORDER BY position, id",
                                    {product_id}));
  std::vector<Photo> photos;
  for (const auto& r : rows) {
    photos.push_back(Photo{r.Int(0), r.Text(1), static_cast<int>(r.Int(2)), static_cast<int>(r.Int(3)),
                           static_cast<int>(r.Int(4))});
  }
  return photos;
}

Result<std::optional<Product>> Load(db::Connection& c, std::int64_t id) {
  TRY_ASSIGN(auto row, c.QueryOne(std::string("SELECT ") + kColumns +
                                      " FROM catalog_products WHERE id = ? AND deleted_at IS NULL",
                                  {id}));
  if (!row) return std::optional<Product>();
  Product p = FromRow(*row);
  // The cover is the first photo, so a product without one has none.
  if (!p.cover_photo.empty()) {
    TRY_ASSIGN(p.photos, LoadPhotos(c, id));
  }
  return std::optional<Product>(std::move(p));
}

Result<std::vector<Product>> LoadMany(db::Connection& c, const std::vector<std::int64_t>& ids) {
  std::vector<Product> out;
  out.reserve(ids.size());
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
    const std::size_t end = std::min(ids.size(), start + kIdsPerQuery);
    // Deleted products are left out here, not in the WHERE clause: with
    // "deleted_at IS NULL" there, PostgreSQL may answer from the partial
    // (seller_id, sku) index, whose predicate that is, reading all of it
    // and filtering by id — on freshly imported, not yet analysed rows it
    // did (97 ms a query, most of a second import of 200,000 rows).
    std::string sql = std::string("SELECT ") + kColumns + ", deleted_at FROM catalog_products WHERE id IN (";
    db::Params params;
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ", ?";
      params.emplace_back(ids[i]);
    }
    sql += ")";
    TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
    for (const auto& r : rows) {
      if (r.IsNull(r.size() - 1)) out.push_back(FromRow(r));
    }
  }
  return out;
}

Result<std::int64_t> Insert(db::Connection& c, const Product& p) {
  db::Params params = {p.seller_id,
                       p.sku,
                       p.name,
                       p.slug,
                       p.description,
                       p.category_code,
                       p.unit,
                       p.price_vnd,
                       p.stock,
                       p.weight_grams,
                       std::string(StatusName(p.status)),
                       OptionalText(p.gtin),
                       p.origin_commune,
                       p.origin_province,
                       std::int64_t{p.seller_visible ? 1 : 0},
                       p.created_at,
                       p.updated_at};
  for (auto& v : LabelParams(p.label)) params.push_back(std::move(v));
  TRY_ASSIGN(
      std::int64_t id,
      c.QueryInt(std::string("INSERT INTO catalog_products (seller_id, sku, name, slug, description, "
                             "category_code, unit, price_vnd, stock, weight_grams, status, gtin, "
                             "origin_commune, origin_province, seller_visible, created_at, updated_at, ") +
                     kLabelColumnNames +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "RETURNING id",
                 params));
  TRY(c.Exec(
      "INSERT INTO catalog_stock_ledger (product_id, kind, quantity, created_at) VALUES (?, 'initial', ?, ?)",
      {id, p.stock, p.created_at}));
  return id;
}

Status Update(db::Connection& c, const Product& p) {
  db::Params params = {p.sku,
                       p.name,
                       p.slug,
                       p.description,
                       p.category_code,
                       p.unit,
                       p.price_vnd,
                       p.weight_grams,
                       std::string(StatusName(p.status)),
                       OptionalText(p.gtin),
                       p.origin_commune,
                       p.origin_province,
                       p.updated_at};
  for (auto& v : LabelParams(p.label)) params.push_back(std::move(v));
  params.emplace_back(p.id);
  TRY(c.Exec(
      "UPDATE catalog_products SET sku = ?, name = ?, slug = ?, description = ?, category_code = ?, "
      "unit = ?, price_vnd = ?, weight_grams = ?, status = ?, gtin = ?, origin_commune = ?, "
      "origin_province = ?, updated_at = ?, brand = ?, net_quantity = ?, ingredients = ?, "
      "usage_instructions = ?, storage_instructions = ?, warnings = ?, shelf_life_days = ? WHERE id = ?",
      params));
  return Ok{};
}

Result<std::vector<Product>> ListBySeller(db::Connection& c, const std::vector<std::int64_t>& seller_ids,
                                          bool public_only, std::optional<ProductStatus> status,
                                          std::int64_t before_id, int limit) {
  std::vector<Product> out;
  if (seller_ids.empty()) return out;
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM catalog_products WHERE deleted_at IS NULL AND seller_id IN (";
  db::Params params;
  for (std::size_t i = 0; i < seller_ids.size() && i < kIdsPerQuery; ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(seller_ids[i]);
  }
  sql += ")";
  if (public_only) sql += " AND status = 'active' AND seller_visible = 1";
  if (status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(StatusName(*status)));
  }
  if (before_id > 0) {
    sql += " AND id < ?";
    params.emplace_back(before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(std::int64_t{limit});
  TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

}  // namespace nongsan::catalog::store
