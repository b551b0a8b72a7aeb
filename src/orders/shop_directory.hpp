// What the orders module needs to know about shops, which belong to the
// sellers module. Orders never read the sellers' tables: they ask through this
// narrow interface, implemented over sellers::SellerService in
// seller_shop_directory.cpp (wired in src/app/app.cpp).
//
// Thread-safety: implementations must be safe to call from any thread. They
// open their own transactions, so callers must not hold a write transaction
// (the SQLite writer is one connection) when calling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"

namespace nongsan::orders {

struct ShopSummary {
  std::int64_t id = 0;
  std::string name;
  std::string commune_code;       // current commune the parcels leave from, "" if unknown
  bool accepting_orders = false;  // listed and not suspended
};

class ShopDirectory {
 public:
  virtual ~ShopDirectory() = default;
  virtual Result<std::optional<ShopSummary>> Find(std::int64_t seller_id) = 0;
  // May this principal run the shop's orders (owner, staff, the managing
  // cooperative, an officer acting for it)? Anonymous → false.
  virtual Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  // The shops whose orders the principal runs (for the in-app notification list).
  virtual Result<std::vector<std::int64_t>> ManagedShops(const Principal& principal) = 0;
};

}  // namespace nongsan::orders
