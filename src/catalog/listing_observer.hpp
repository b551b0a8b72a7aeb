// Who else needs to know when a product goes on sale or comes off it, as an
// interface the catalogue owns: the programme module implements it to keep
// its product figures (programme/listing_rollups.hpp) and the app wiring
// hands it to CatalogService::SetListingObserver. The catalogue depends on
// nobody who implements it.
//
// The catalogue calls it inside the write transaction of every write that can
// change whether a product is on sale (create, edit, delete, suspension, a
// shop hidden or shown, imports), passing each touched product's state
// *after* the write, read in that transaction. The observer compares with
// what it last saw, so a call that changes nothing is harmless; an error rolls
// the write back (exactly like a failed change-log insert).
//
// On sale: status active, the shop public (seller_visible), not deleted.
//
// Thread-safety: implementations are called from request threads at once,
// each with its own transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

struct ListingState {
  std::int64_t product_id = 0;
  std::int64_t seller_id = 0;
  std::string origin_commune;  // the commune the product comes from ("" if none)
  bool on_sale = false;
  std::int64_t created_at = 0;  // the product's creation (Unix ms), for back-fills
  // Created by this write: it had no state before, so an observer has
  // nothing of it to look up (a bulk import creates thousands at once).
  bool created = false;
};

class ListingObserver {
 public:
  virtual ~ListingObserver() = default;
  // `at` is the write's time (Unix ms).
  virtual Status OnListingChanges(db::Connection& c, const std::vector<ListingState>& states,
                                  std::int64_t at) = 0;
};

// The SQL condition (over catalog_products) for "on sale".
inline constexpr const char* kOnSaleSql = "(status = 'active' AND seller_visible = 1 AND deleted_at IS NULL)";

// Products on sale now, by id after `after_id`, at most `limit` (for
// back-fills of an observer's state: programme's rebuild-rollups). Reads the
// catalogue's own table; no authorization (aggregate use only).
Result<std::vector<ListingState>> ProductsOnSale(db::Connection& c, std::int64_t after_id, int limit);

// The current state of these products and of every product of these shops,
// in one read on the caller's connection.
Result<std::vector<ListingState>> ListingStates(db::Connection& c,
                                                const std::vector<std::int64_t>& product_ids,
                                                const std::vector<std::int64_t>& seller_ids);

}  // namespace nongsan::catalog
