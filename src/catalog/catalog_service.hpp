// The catalogue: shops' products (create, read, edit, delete), their public
// visibility, and the hooks other modules call — the quality module suspends
// a product (SetSuspended), the sellers module hides or shows a whole shop
// (SetSellerVisible). Authorization is decided here for each product: the
// public sees active products of visible shops; a shop's managers (as the
// sellers module says through SellerDirectory) see and edit all of theirs;
// anyone else gets kNotFound, exactly as for a product that does not exist.
//
// Every committed write appends to the change log (change_log.hpp) and then
// calls the on-change callback, so this process's search index catches up at
// once and other processes on their next poll.
//
// Thread-safety: safe to call from any thread once constructed and wired
// (SetOnChange is called during start-up only).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/demand_observer.hpp"
#include "catalog/inventory_service.hpp"
#include "catalog/listing_observer.hpp"
#include "catalog/product.hpp"
#include "catalog/seller_directory.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::catalog {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
// Longest reason a suspension may carry (shown to the seller).
inline constexpr std::size_t kMaxReasonChars = 500;

struct ProductPage {
  std::vector<Product> items;
  std::optional<std::int64_t> next_before_id;  // pass as before_id for the next page
};

struct SellerListOptions {
  int limit = kDefaultPageSize;
  std::int64_t before_id = 0;           // 0 = first page
  std::optional<ProductStatus> status;  // managers only; ignored for the public
  bool include_members = false;         // a cooperative's page also lists its members' products
};

class CatalogService {
 public:
  CatalogService(db::Database& db, const Clock& clock, const places::PlaceService& places,
                 SellerDirectory& sellers, const InventoryService& inventory);

  // Called after each committed write (start-up wiring only).
  void SetOnChange(std::function<void()> on_change) { on_change_ = std::move(on_change); }
  // Told of every product going on or off sale, in the write's transaction
  // (start-up wiring only; see listing_observer.hpp).
  void SetListingObserver(ListingObserver* observer) { listing_observer_ = observer; }
  // Told of each product on sale shown by Get (start-up wiring only).
  void SetDemandObserver(DemandObserver* observer) { demand_observer_ = observer; }
  // Passes the current state of these products and shops' products to the
  // listing observer, if any, on the caller's write connection.
  Status NotifyListing(db::Connection& c, const std::vector<std::int64_t>& product_ids,
                       const std::vector<std::int64_t>& seller_ids, std::int64_t at) const;
  // As NotifyListing for these products, together with products the caller
  // has just created, whose states it holds (nothing is read back for them).
  Status NotifyListingWithCreated(db::Connection& c, const std::vector<std::int64_t>& product_ids,
                                  const std::vector<ListingState>& created, std::int64_t at) const;

  // A product the principal may see (public, or one of theirs), with photos.
  Result<Product> Get(const Principal* principal, std::int64_t product_id);
  // A product the principal may manage; kUnauthorized when anonymous,
  // kNotFound when missing or not theirs.
  Result<Product> GetForManage(const Principal* principal, std::int64_t product_id);
  // True when the principal manages the product's shop.
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id);

  // A shop's products, newest first: active ones of a visible shop for the
  // public, all (or one status) for its managers. kNotFound for an unknown shop.
  Result<ProductPage> ListForSeller(const Principal* principal, std::int64_t seller_id,
                                    const SellerListOptions& options);

  Result<Product> Create(const Principal* principal, std::int64_t seller_id, ProductInput input);
  Result<Product> Update(const Principal* principal, std::int64_t product_id, const ProductPatch& patch);
  // Soft delete: the product disappears everywhere but stays for the orders
  // that reference it; its SKU becomes free for a new product.
  Status Delete(const Principal* principal, std::int64_t product_id);

  // For the quality module: suspend (status becomes suspended, the reason is
  // shown to the seller, search drops it at once) or lift a suspension (the
  // status before it comes back). Idempotent.
  Status SetSuspended(std::int64_t product_id, bool suspended, const std::string& reason);

  // For the sellers module: a shop was suspended/unlisted (false) or listed
  // again (true); its products leave or rejoin search and listings at once.
  // Idempotent. The first form runs its own transaction; the second joins
  // the caller's (the index then catches up on its next poll).
  Status SetSellerVisible(std::int64_t seller_id, bool visible);
  Status SetSellerVisible(db::Connection& c, std::int64_t seller_id, bool visible);
  // Asks SellerDirectory whether the shop is public now and applies it; for
  // wiring that only knows "something about this shop changed".
  Status RefreshSellerVisibility(std::int64_t seller_id);

  // For other modules (quality): products by id without photos, deleted and
  // unknown ids left out. No authorization: the caller decides what to show.
  Result<std::vector<Product>> FindMany(const std::vector<std::int64_t>& product_ids);

  // Fills origin/province/visibility defaults and validates a product built
  // from input; used by Create and the importer. Errors list every field.
  Status Normalize(Product& p, bool origin_given) const;
  // 409 duplicate_gtin when another live product of p's shop carries p's
  // GTIN; run inside the write transaction that stores p.
  static Status CheckGtinFree(db::Connection& c, const Product& p);

  const places::PlaceService& places() const { return places_; }
  SellerDirectory& sellers() { return sellers_; }
  void NotifyChanged() const;

 private:
  db::Database& db_;
  const Clock& clock_;
  const places::PlaceService& places_;
  SellerDirectory& sellers_;
  const InventoryService& inventory_;
  std::function<void()> on_change_;
  ListingObserver* listing_observer_ = nullptr;
  DemandObserver* demand_observer_ = nullptr;
};

// One Invalid error listing every field problem ("name: …; price_vnd: …").
Error FieldsError(std::vector<FieldError> fields);

}  // namespace nongsan::catalog
