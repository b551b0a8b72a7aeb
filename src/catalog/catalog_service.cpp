#include "catalog/catalog_service.hpp"

#include <algorithm>

#include "catalog/change_log.hpp"
#include "catalog/product_store.hpp"
#include "core/field_errors.hpp"
#include "core/text.hpp"
#include "places/places.hpp"

namespace nongsan::catalog {

Error FieldsError(std::vector<FieldError> fields) { return InvalidFields(std::move(fields)); }

CatalogService::CatalogService(db::Database& db, const Clock& clock, const places::PlaceService& places,
                               SellerDirectory& sellers, const InventoryService& inventory)
    : db_(db), clock_(clock), places_(places), sellers_(sellers), inventory_(inventory) {}

void CatalogService::NotifyChanged() const {
  if (on_change_) on_change_();
}

Result<bool> CatalogService::CanManage(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return false;
  return sellers_.CanManage(principal, seller_id);
}

Result<Product> CatalogService::Get(const Principal* principal, std::int64_t product_id) {
  TRY_ASSIGN(std::optional<Product> product,
             db_.Read([&](db::Connection& c) { return store::Load(c, product_id); }));
  if (!product) return Error::NotFound("product");
  if (product->IsPublic()) {
    if (demand_observer_ != nullptr) demand_observer_->OnProductView(product->id);
    return std::move(*product);
  }
  TRY_ASSIGN(bool manager, CanManage(principal, product->seller_id));
  if (!manager) return Error::NotFound("product");
  return std::move(*product);
}

Result<Product> CatalogService::GetForManage(const Principal* principal, std::int64_t product_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(std::optional<Product> product,
             db_.Read([&](db::Connection& c) { return store::Load(c, product_id); }));
  if (!product) return Error::NotFound("product");
  TRY_ASSIGN(bool manager, CanManage(principal, product->seller_id));
  if (!manager) return Error::NotFound("product");
  return std::move(*product);
}

Result<ProductPage> CatalogService::ListForSeller(const Principal* principal, std::int64_t seller_id,
                                                  const SellerListOptions& options) {
  TRY_ASSIGN(std::optional<SellerSummary> seller, sellers_.Find(seller_id));
  if (!seller) return Error::NotFound("shop");
  TRY_ASSIGN(bool manager, CanManage(principal, seller_id));
  if (!manager && !seller->is_public) return Error::NotFound("shop");
  std::vector<std::int64_t> seller_ids = {seller_id};
  if (options.include_members) {
    TRY_ASSIGN(std::vector<std::int64_t> members, sellers_.ListMembers(seller_id));
    seller_ids.insert(seller_ids.end(), members.begin(), members.end());
  }
  const int limit = std::clamp(options.limit, 1, kMaxPageSize);
  // Members' products follow the public rules even for the cooperative's
  // managers: they manage the cooperative, not its members' shops.
  const bool public_only = !manager || options.include_members;
  TRY_ASSIGN(std::vector<Product> items, db_.Read([&](db::Connection& c) {
    return store::ListBySeller(c, seller_ids, public_only, manager ? options.status : std::nullopt,
                               options.before_id, limit + 1);
  }));
  ProductPage page;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(limit);
    page.next_before_id = items.back().id;
  }
  page.items = std::move(items);
  return page;
}

Status CatalogService::Normalize(Product& p, bool origin_given) const {
  std::vector<FieldError> errors;
  ValidateFields(p, errors);
  p.origin_commune = text::Trim(p.origin_commune);
  if (!p.origin_commune.empty()) {
    if (places_.IsCommune(p.origin_commune)) {
      p.origin_province = places_.ProvinceOf(p.origin_commune).value_or("");
    } else if (origin_given) {
      errors.push_back({"origin_commune", "is not a current commune code (see GET /api/v1/admin-units)"});
    } else {
      // A shop registered under a code that no longer exists: no origin
      // rather than a refused product.
      p.origin_commune.clear();
      p.origin_province.clear();
    }
  } else {
    p.origin_province.clear();
  }
  if (errors.empty()) return Ok{};
  // Well-formed label text the label may not carry (markup, control
  // characters, too long) is a 422, as the printing rules are; a product
  // that is wrong in its own fields stays a 400.
  const bool label_only =
      std::all_of(errors.begin(), errors.end(), [](const FieldError& e) { return IsLabelField(e.field); });
  Error error = FieldsError(std::move(errors));
  if (label_only) error.code = ErrorCode::kUnprocessable;
  return error;
}

// A GTIN names one trade item: within a shop no two products carry the same
// one (another shop may sell the same item under its maker's GTIN).
Status CatalogService::CheckGtinFree(db::Connection& c, const Product& p) {
  if (!p.gtin || p.gtin->empty()) return Ok{};
  TRY_ASSIGN(auto other, c.QueryOne("SELECT id, name FROM catalog_products WHERE seller_id = ? AND gtin = ? "
                                    "AND id <> ? AND deleted_at IS NULL LIMIT 1",
                                    {p.seller_id, *p.gtin, p.id}));
  if (!other) return Ok{};
  return Error::Conflict("duplicate_gtin", "gtin: product " + std::to_string(other->Int(0)) + " (" +
                                               other->Text(1) + ") of this shop already carries GTIN " +
                                               *p.gtin + ".");
}

Result<Product> CatalogService::Create(const Principal* principal, std::int64_t seller_id,
                                       ProductInput input) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(std::optional<SellerSummary> seller, sellers_.Find(seller_id));
  if (!seller) return Error::NotFound("shop");
  TRY_ASSIGN(bool manager, CanManage(principal, seller_id));
  if (!manager) return Error::NotFound("shop");

  Product p;
  p.seller_id = seller_id;
  p.sku = std::move(input.sku);
  p.name = std::move(input.name);
  p.description = std::move(input.description);
  p.category_code = std::move(input.category);
  p.unit = std::move(input.unit);
  p.price_vnd = input.price_vnd;
  p.stock = input.stock;
  p.weight_grams = input.weight_grams;
  p.gtin = std::move(input.gtin);
  p.label = std::move(input.label);
  p.status = input.status.value_or(ProductStatus::kDraft);
  if (p.status == ProductStatus::kSuspended) {
    return Error::Field("status", "must be draft, active or hidden");
  }
  p.origin_commune = input.origin_commune.value_or(seller->commune_code);
  p.seller_visible = seller->is_public;
  TRY(Normalize(p, input.origin_commune.has_value()));
  p.created_at = p.updated_at = clock_.NowMs();

  auto inserted = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY(CheckGtinFree(c, p));
    TRY_ASSIGN(std::int64_t id, store::Insert(c, p));
    TRY(LogProductChange(c, id, p.created_at));
    TRY(NotifyListing(c, {id}, {}, p.created_at));
    return id;
  });
  if (!inserted.ok()) {
    if (db::IsUniqueViolation(inserted.error())) {
      return Error::Conflict("duplicate_sku", "This shop already has a product with SKU " + p.sku + ".");
    }
    return std::move(inserted).error();
  }
  p.id = *inserted;
  NotifyChanged();
  return p;
}

Result<Product> CatalogService::Update(const Principal* principal, std::int64_t product_id,
                                       const ProductPatch& patch) {
  TRY_ASSIGN(Product current, GetForManage(principal, product_id));
  if (patch.status == ProductStatus::kSuspended) {
    return Error::Field("status", "must be draft, active or hidden");
  }
  if (patch.status && current.status == ProductStatus::kSuspended) {
    return Error::Conflict("invalid_transition",
                           "This product is suspended by an official; its status cannot change until the "
                           "suspension is lifted.");
  }
  Product p = current;
  if (patch.sku) p.sku = *patch.sku;
  if (patch.name) p.name = *patch.name;
  if (patch.description) p.description = *patch.description;
  if (patch.category) p.category_code = *patch.category;
  if (patch.unit) p.unit = *patch.unit;
  if (patch.price_vnd) p.price_vnd = *patch.price_vnd;
  if (patch.weight_grams) p.weight_grams = *patch.weight_grams;
  if (patch.status) p.status = *patch.status;
  if (patch.gtin) p.gtin = *patch.gtin;
  if (patch.origin_commune) p.origin_commune = *patch.origin_commune;
  ApplyLabelPatch(p.label, patch.label);
  if (patch.stock) p.stock = *patch.stock;  // validated with the rest, applied through the ledger
  TRY(Normalize(p, patch.origin_commune.has_value()));
  p.updated_at = clock_.NowMs();

  auto written = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    if (patch.gtin) TRY(CheckGtinFree(c, p));
    TRY(store::Update(c, p));
    std::int64_t stock = current.stock;
    if (patch.stock) {
      TRY_ASSIGN(auto row, c.QueryOne("SELECT stock FROM catalog_products WHERE id = ?", {p.id}));
      const std::int64_t now_stock = row ? row->Int(0) : 0;
      TRY_ASSIGN(stock, inventory_.Restock(c, p.id, *patch.stock - now_stock, "seller"));
    }
    TRY(LogProductChange(c, p.id, p.updated_at));
    TRY(NotifyListing(c, {p.id}, {}, p.updated_at));
    return stock;
  });
  if (!written.ok()) {
    if (db::IsUniqueViolation(written.error())) {
      return Error::Conflict("duplicate_sku", "This shop already has a product with SKU " + p.sku + ".");
    }
    return std::move(written).error();
  }
  p.stock = *written;
  NotifyChanged();
  return p;
}

Status CatalogService::Delete(const Principal* principal, std::int64_t product_id) {
  TRY_ASSIGN(Product current, GetForManage(principal, product_id));
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(
        "UPDATE catalog_products SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
        {now, now, current.id}));
    TRY(LogProductChange(c, current.id, now));
    return NotifyListing(c, {current.id}, {}, now);
  }));
  NotifyChanged();
  return Ok{};
}

Status CatalogService::SetSuspended(std::int64_t product_id, bool suspended, const std::string& reason) {
  const std::string clean_reason = text::ToNfc(text::Trim(reason));
  if (!text::IsValidUtf8(reason) || text::CodePointCount(clean_reason) > kMaxReasonChars) {
    return Error::Field("reason",
                        "must be valid text of at most " + std::to_string(kMaxReasonChars) + " characters");
  }
  if (suspended && clean_reason.empty()) return Error::Field("reason", "is required to suspend a product");
  const std::int64_t now = clock_.NowMs();
  bool changed = false;
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT status FROM catalog_products WHERE id = ? AND deleted_at IS NULL",
                                    {product_id}));
    if (!row) return Error::NotFound("product");
    const bool is_suspended = row->Text(0) == "suspended";
    std::int64_t n = 0;
    if (suspended && !is_suspended) {
      TRY_ASSIGN(
          n, c.Exec("UPDATE catalog_products SET status_before_suspension = status, status = 'suspended', "
                    "suspended_reason = ?, updated_at = ? WHERE id = ?",
                    {clean_reason, now, product_id}));
    } else if (suspended) {
      TRY_ASSIGN(n, c.Exec("UPDATE catalog_products SET suspended_reason = ?, updated_at = ? WHERE id = ?",
                           {clean_reason, now, product_id}));
    } else if (is_suspended) {
      TRY_ASSIGN(n,
                 c.Exec("UPDATE catalog_products SET status = COALESCE(status_before_suspension, 'hidden'), "
                        "status_before_suspension = NULL, suspended_reason = '', updated_at = ? WHERE id = ?",
                        {now, product_id}));
    }
    changed = n > 0;
    if (changed) TRY(LogProductChange(c, product_id, now));
    if (changed) TRY(NotifyListing(c, {product_id}, {}, now));
    return Ok{};
  }));
  if (changed) NotifyChanged();
  return Ok{};
}

Status CatalogService::SetSellerVisible(db::Connection& c, std::int64_t seller_id, bool visible) {
  const std::int64_t flag = visible ? 1 : 0;
  TRY_ASSIGN(std::int64_t n, c.Exec("UPDATE catalog_products SET seller_visible = ? WHERE seller_id = ? "
                                    "AND seller_visible <> ?",
                                    {flag, seller_id, flag}));
  if (n > 0) TRY(LogSellerChange(c, seller_id, clock_.NowMs()));
  if (n > 0) TRY(NotifyListing(c, {}, {seller_id}, clock_.NowMs()));
  return Ok{};
}

Status CatalogService::SetSellerVisible(std::int64_t seller_id, bool visible) {
  TRY(db_.WriteWith([&](db::Connection& c) { return SetSellerVisible(c, seller_id, visible); }));
  NotifyChanged();
  return Ok{};
}

Status CatalogService::RefreshSellerVisibility(std::int64_t seller_id) {
  TRY_ASSIGN(std::optional<SellerSummary> seller, sellers_.Find(seller_id));
  return SetSellerVisible(seller_id, seller && seller->is_public);
}

Status CatalogService::NotifyListing(db::Connection& c, const std::vector<std::int64_t>& product_ids,
                                     const std::vector<std::int64_t>& seller_ids, std::int64_t at) const {
  if (listing_observer_ == nullptr || (product_ids.empty() && seller_ids.empty())) return Ok{};
  TRY_ASSIGN(auto states, ListingStates(c, product_ids, seller_ids));
  return listing_observer_->OnListingChanges(c, states, at);
}

Status CatalogService::NotifyListingWithCreated(db::Connection& c,
                                                const std::vector<std::int64_t>& product_ids,
                                                const std::vector<ListingState>& created,
                                                std::int64_t at) const {
  if (listing_observer_ == nullptr || (product_ids.empty() && created.empty())) return Ok{};
  TRY_ASSIGN(auto states, ListingStates(c, product_ids, {}));
  states.insert(states.end(), created.begin(), created.end());
  return listing_observer_->OnListingChanges(c, states, at);
}

Result<std::vector<Product>> CatalogService::FindMany(const std::vector<std::int64_t>& product_ids) {
  return db_.Read([&](db::Connection& c) { return store::LoadMany(c, product_ids); });
}

}  // namespace nongsan::catalog
