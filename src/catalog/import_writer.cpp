#include "catalog/import_writer.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "catalog/change_log.hpp"
#include "catalog/listing_observer.hpp"
#include "catalog/product_store.hpp"

namespace nongsan::catalog {
namespace {

// Rows per multi-row INSERT (24 values each, 7,200 a statement, 7,201 with
// the ledger's on PostgreSQL): few
// statements a batch, each a round trip on PostgreSQL, and under libpq's
// limit: it drops the connection on a statement's parameter description
// longer than 30,000 bytes (more than 7,499 parameters; SQLite takes 32,766).
constexpr std::size_t kInsertRows = 300;
// What a products INSERT returns: enough for the stock ledger, the change
// log and the listing observer, so nothing is read back.
const std::string kInsertReturning =
    std::string(" RETURNING id, stock, seller_id, origin_commune, CASE WHEN ") + kOnSaleSql +
    " THEN 1 ELSE 0 END";
// The 'initial' ledger rows of the products a PostgreSQL insert returns
// (its WITH … AS inserted), all created at the one parameter that follows
// the rows' values.
constexpr const char* kLedgerFromInserted =
    "INSERT INTO catalog_stock_ledger (product_id, kind, quantity, created_at) "
    "SELECT id, 'initial', stock, CAST(? AS BIGINT) FROM inserted";
// (shop, sku) pairs looked up per query (two parameters each).
constexpr std::size_t kLookupPairs = 500;
// The stored label with the file's label columns written over it.
LabelData MergeLabel(const LabelData& stored, const LabelData& incoming,
                     const std::vector<std::string>& columns) {
  LabelData out = stored;
  for (const std::string& column : columns) {
    if (column == kShelfLifeField) out.shelf_life_days = incoming.shelf_life_days;
    for (const auto& field : LabelTextFields()) {
      if (column == field.name) out.*field.value = incoming.*field.value;
    }
  }
  return out;
}

bool SameAsStored(const Product& stored, const Product& incoming) {
  return stored.name == incoming.name && stored.description == incoming.description &&
         stored.category_code == incoming.category_code && stored.unit == incoming.unit &&
         stored.price_vnd == incoming.price_vnd && stored.weight_grams == incoming.weight_grams &&
         stored.origin_commune == incoming.origin_commune && stored.stock == incoming.stock;
}

std::string Key(std::int64_t seller_id, const std::string& sku) {
  return std::to_string(seller_id) + "/" + sku;
}

// The stored products of these (shop, sku) pairs, kLookupPairs at a time:
// one index search per pair, as a subquery per row of a VALUES list. Both
// engines must search the unique index for each pair whatever their
// statistics say: a join may become a scan of the whole table (PostgreSQL
// before its first ANALYZE of freshly imported rows), a row-value IN is one
// on SQLite. A batch costs the same whether it holds 20 shops or 2,000.
Result<std::vector<Product>> LoadStored(
    db::Connection& c, const std::vector<std::pair<std::int64_t, const std::string*>>& pairs) {
  std::vector<std::int64_t> ids;
  for (std::size_t start = 0; start < pairs.size(); start += kLookupPairs) {
    const std::size_t end = std::min(pairs.size(), start + kLookupPairs);
    std::string sql =
        "SELECT (SELECT p.id FROM catalog_products p WHERE p.seller_id = wanted.column1 AND "
        "p.sku = wanted.column2 AND p.deleted_at IS NULL) FROM (VALUES ";
    db::Params params;
    params.reserve(2 * (end - start));
    for (std::size_t i = start; i < end; ++i) {
      // The cast types the column for PostgreSQL, which sees untyped parameters.
      sql += i == start ? "(CAST(? AS BIGINT), ?)" : ", (CAST(? AS BIGINT), ?)";
      params.emplace_back(pairs[i].first);
      params.emplace_back(*pairs[i].second);
    }
    TRY_ASSIGN(db::Rows rows, c.Query(sql + ") AS wanted", params));
    for (const auto& r : rows) {
      if (!r.IsNull(0)) ids.push_back(r.Int(0));
    }
  }
  return store::LoadMany(c, ids);
}

}  // namespace

struct ImportWriter::Attempt {
  std::size_t created = 0, updated = 0, unchanged = 0;
  std::vector<CreatedSeller> new_shops;
  std::unordered_map<std::string, std::int64_t> new_shop_of;  // phone → id
  std::unordered_set<std::int64_t> new_shop_ids;
  std::unordered_map<std::string, std::string> refused;  // phone → why
  std::vector<std::int64_t> changed_ids;                 // the products updated come first
  std::set<std::int64_t> changed_new_shops;              // one change-log row for all their products
  // The products created: the listing observer is given their states,
  // which nothing needs to read back, and hears of these products, not of
  // whole shops (naming the shop made each batch re-read every product of
  // its shops, a cost that grew with every window of an interleaved file).
  std::vector<ListingState> created_states;
};

ImportWriter::ImportWriter(db::Database& db, const Clock& clock, CatalogService& catalog,
                           const InventoryService& inventory, const ImportOptions& options,
                           const std::vector<std::string>& label_columns, ImportReport& report)
    : db_(db),
      clock_(clock),
      catalog_(catalog),
      inventory_(inventory),
      options_(options),
      label_columns_(label_columns),
      report_(report) {}

void ImportWriter::Bad(std::size_t line, std::string reason) {
  ++report_.bad_rows;
  if (report_.errors.size() < kMaxReportedRowErrors) report_.errors.push_back({line, std::move(reason)});
}

void ImportWriter::ReportRefusedRows(const std::vector<ImportRow>& batch) {
  for (const ImportRow& row : batch) {
    if (auto failed = seller_failure_.find(row.seller.phone); failed != seller_failure_.end()) {
      Bad(row.line, failed->second);
    }
  }
}

bool ImportWriter::IsNewShop(std::int64_t seller_id, const Attempt& a) const {
  return created_here_.count(seller_id) || a.new_shop_ids.count(seller_id);
}

Result<std::vector<ImportedSeller>> ImportWriter::ShopsToCreate(const std::vector<ImportRow>& batch) {
  std::vector<std::string> unknown;
  std::unordered_map<std::string, const ImportedSeller*> first_of;
  for (const ImportRow& row : batch) {
    const std::string& phone = row.seller.phone;
    if (seller_of_phone_.count(phone) || seller_failure_.count(phone)) continue;
    if (first_of.emplace(phone, &row.seller).second) unknown.push_back(phone);
  }
  std::vector<ImportedSeller> to_create;
  if (unknown.empty()) return to_create;
  TRY_ASSIGN(std::vector<PhoneShop> found, catalog_.sellers().FindByPhones(unknown));
  std::unordered_set<std::string> existing;
  for (const PhoneShop& shop : found) {
    existing.insert(shop.phone);
    if (options_.actor != nullptr) {
      // The row's commune column is the importer's claim, not the shop's:
      // an existing shop takes products only from someone who may manage
      // it (an officer of its own commune with officer help on, ...).
      auto may = catalog_.sellers().CanManage(options_.actor, shop.summary.id);
      if (!may.ok()) return std::move(may).error();
      if (!*may) {
        seller_failure_.emplace(shop.phone,
                                "seller_phone: belongs to a shop outside the area you may import for, or "
                                "that has not asked for officer help");
        continue;
      }
    }
    seller_public_[shop.summary.id] = shop.summary.is_public;
    seller_of_phone_.emplace(shop.phone, shop.summary.id);
  }
  for (const std::string& phone : unknown) {
    if (!existing.count(phone)) to_create.push_back(*first_of.at(phone));
  }
  return to_create;
}

Status ImportWriter::Flush(std::vector<ImportRow>& batch) {
  TRY_ASSIGN(const std::vector<ImportedSeller> to_create, ShopsToCreate(batch));
  const bool any_writable = std::any_of(batch.begin(), batch.end(), [&](const ImportRow& row) {
    return !seller_failure_.count(row.seller.phone);
  });
  if (!any_writable) {
    ReportRefusedRows(batch);
    return Ok{};
  }
  Attempt a;
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    a = Attempt{};
    return WriteBatch(c, batch, to_create, a);
  }));
  report_.created += a.created;
  report_.updated += a.updated;
  report_.unchanged += a.unchanged;
  for (const CreatedSeller& shop : a.new_shops) {
    created_here_.insert(shop.id);
    seller_public_[shop.id] = true;
  }
  report_.sellers_created += a.new_shops.size();
  seller_of_phone_.insert(a.new_shop_of.begin(), a.new_shop_of.end());
  seller_failure_.insert(a.refused.begin(), a.refused.end());
  ReportRefusedRows(batch);
  if (!a.new_shops.empty()) catalog_.sellers().ImportCommitted(a.new_shops, options_.actor);
  return Ok{};
}

Status ImportWriter::CreateShops(db::Connection& c, const std::vector<ImportedSeller>& to_create,
                                 Attempt& a) {
  if (to_create.empty()) return Ok{};
  TRY_ASSIGN(auto results, catalog_.sellers().CreateForImportWith(c, to_create, options_.actor));
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      a.new_shops.push_back(*results[i]);
      a.new_shop_of.emplace(to_create[i].phone, results[i]->id);
      a.new_shop_ids.insert(results[i]->id);
    } else if (results[i].error().code == ErrorCode::kInternal ||
               results[i].error().code == ErrorCode::kUnavailable) {
      return std::move(results[i]).error();
    } else {
      a.refused.emplace(to_create[i].phone, "seller: " + results[i].error().detail);
    }
  }
  return Ok{};
}

Status ImportWriter::WriteBatch(db::Connection& c, std::vector<ImportRow>& batch,
                                const std::vector<ImportedSeller>& to_create, Attempt& a) {
  // The new shops and their products commit together: one transaction for
  // the batch, not one more per shop.
  TRY(CreateShops(c, to_create, a));
  std::vector<std::pair<ImportRow*, std::int64_t>> ready;
  ready.reserve(batch.size());
  for (ImportRow& row : batch) {
    const std::string& phone = row.seller.phone;
    if (seller_failure_.count(phone) || a.refused.count(phone)) continue;
    std::int64_t seller_id = 0;
    if (auto known = seller_of_phone_.find(phone); known != seller_of_phone_.end()) {
      seller_id = known->second;
      row.product.seller_visible = seller_public_[seller_id];
    } else {
      seller_id = a.new_shop_of.at(phone);
      row.product.seller_visible = true;  // a new shop is pending, not suspended
    }
    row.product.seller_id = seller_id;
    ready.emplace_back(&row, seller_id);
  }

  // What is stored for these (shop, sku) pairs: a few queries per batch
  // however many shops its rows belong to. Shops this import created had no
  // products before it, and a SKU repeated within the file is refused, so
  // their rows are always new.
  std::vector<std::pair<std::int64_t, const std::string*>> pairs;
  for (const auto& [row, seller_id] : ready) {
    if (!IsNewShop(seller_id, a)) pairs.emplace_back(seller_id, &row->product.sku);
  }
  std::unordered_map<std::string, std::int64_t> stored_ids;  // "seller/sku" → product id
  std::unordered_map<std::int64_t, Product> stored;
  TRY_ASSIGN(std::vector<Product> products, LoadStored(c, pairs));
  for (auto& p : products) {
    stored_ids[Key(p.seller_id, p.sku)] = p.id;
    stored.emplace(p.id, std::move(p));
  }

  std::vector<const Product*> inserts;
  for (const auto& [row, seller_id] : ready) {
    auto it = stored_ids.find(Key(seller_id, row->product.sku));
    if (it == stored_ids.end()) {
      inserts.push_back(&row->product);
    } else {
      TRY(UpdateStored(c, stored.at(it->second), row->product, a));
    }
  }
  const std::size_t updated = a.changed_ids.size();
  TRY(InsertNew(c, inserts, a));
  TRY(LogSellerChanges(c, {a.changed_new_shops.begin(), a.changed_new_shops.end()}, clock_.NowMs()));
  TRY(LogProductChanges(c, a.changed_ids, clock_.NowMs()));
  a.changed_ids.resize(updated);  // the products updated come first
  return catalog_.NotifyListingWithCreated(c, a.changed_ids, a.created_states, clock_.NowMs());
}

Status ImportWriter::UpdateStored(db::Connection& c, const Product& current, const Product& incoming,
                                  Attempt& a) {
  const LabelData label = MergeLabel(current.label, incoming.label, label_columns_);
  if (SameAsStored(current, incoming) && label == current.label) {
    ++a.unchanged;
    return Ok{};
  }
  Product next = current;
  next.label = label;
  next.name = incoming.name;
  next.slug = incoming.slug;
  next.description = incoming.description;
  next.category_code = incoming.category_code;
  next.unit = incoming.unit;
  next.price_vnd = incoming.price_vnd;
  next.weight_grams = incoming.weight_grams;
  next.origin_commune = incoming.origin_commune;
  next.origin_province = incoming.origin_province;
  next.updated_at = incoming.updated_at;
  TRY(store::Update(c, next));
  if (incoming.stock != current.stock) {
    TRY(inventory_.Restock(c, current.id, incoming.stock - current.stock, "import"));
  }
  a.changed_ids.push_back(current.id);
  ++a.updated;
  return Ok{};
}

Status ImportWriter::InsertNew(db::Connection& c, const std::vector<const Product*>& inserts, Attempt& a) {
  for (std::size_t start = 0; start < inserts.size(); start += kInsertRows) {
    const std::size_t end = std::min(inserts.size(), start + kInsertRows);
    std::string sql =
        "INSERT INTO catalog_products (seller_id, sku, name, slug, description, category_code, unit, "
        "price_vnd, "
        "stock, weight_grams, status, gtin, origin_commune, origin_province, seller_visible, created_at, "
        "updated_at, " +
        std::string(store::kLabelColumnNames) + ") VALUES ";
    db::Params params;
    params.reserve((end - start) * 24);
    for (std::size_t i = start; i < end; ++i) {
      const Product& p = *inserts[i];
      sql += i == start ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      for (db::Value v :
           {db::Value(p.seller_id), db::Value(p.sku), db::Value(p.name), db::Value(p.slug),
            db::Value(p.description), db::Value(p.category_code), db::Value(p.unit), db::Value(p.price_vnd),
            db::Value(p.stock), db::Value(p.weight_grams), db::Value(std::string(StatusName(p.status))),
            db::Value(std::monostate{}), db::Value(p.origin_commune), db::Value(p.origin_province),
            db::Value(std::int64_t{p.seller_visible ? 1 : 0}), db::Value(p.created_at),
            db::Value(p.updated_at)}) {
        params.push_back(std::move(v));
      }
      for (db::Value& v : store::LabelParams(p.label)) params.push_back(std::move(v));
    }
    // On PostgreSQL the stock ledger's 'initial' rows are written by the
    // same statement, from what the insert returns (one statement and
    // one round trip a chunk instead of two); SQLite has no INSERT in WITH.
    const bool ledger_inside = c.dialect() == db::Dialect::kPostgres;
    if (ledger_inside) {
      sql = "WITH inserted AS (" + sql + kInsertReturning + "), ledger AS (" + kLedgerFromInserted +
            ") SELECT * FROM inserted";
      params.emplace_back(inserts[start]->created_at);
    } else {
      sql += kInsertReturning;
    }
    TRY_ASSIGN(db::Rows ids, c.Query(sql, params));
    std::string ledger = "INSERT INTO catalog_stock_ledger (product_id, kind, quantity, created_at) VALUES ";
    db::Params ledger_params;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (!ledger_inside) {
        ledger += i == 0 ? "(?, 'initial', ?, ?)" : ", (?, 'initial', ?, ?)";
        ledger_params.insert(ledger_params.end(), {ids[i].Int(0), ids[i].Int(1), inserts[start]->created_at});
      }
      if (IsNewShop(ids[i].Int(2), a)) {
        a.changed_new_shops.insert(ids[i].Int(2));
      } else {
        a.changed_ids.push_back(ids[i].Int(0));
      }
      a.created_states.push_back({ids[i].Int(0), ids[i].Int(2), ids[i].Text(3), ids[i].Int(4) == 1,
                                  inserts[start]->created_at, /*created=*/true});
    }
    if (!ids.empty() && !ledger_inside) TRY(c.Exec(ledger, ledger_params));
    a.created += ids.size();
  }
  return Ok{};
}

}  // namespace nongsan::catalog
