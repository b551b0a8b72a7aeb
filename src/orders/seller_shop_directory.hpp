// ShopDirectory over the sellers module's SellerService: what the orders
// module knows about shops comes from here and nowhere else. A shop accepts
// orders unless it is suspended.
//
// Find() keeps each answer for kShopCacheTtl: a checkout asks about every
// shop in the cart, and shop names and communes change rarely. A suspension
// still stops sales at once, because the catalogue stops selling a suspended
// shop's products (Reserve refuses them inside the checkout's transaction);
// this cache only lets the last checkouts of that moment be refused with a
// product rather than a shop reason. CanManage is never cached.
//
// Thread-safe (SellerService is; the cache is locked).
#pragma once

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "orders/shop_directory.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::orders {

inline constexpr std::chrono::seconds kShopCacheTtl{5};
// The cache is dropped whole when it grows past this many shops.
inline constexpr std::size_t kMaxCachedShops = 10'000;

class SellerShopDirectory final : public ShopDirectory {
 public:
  explicit SellerShopDirectory(sellers::SellerService& sellers) : sellers_(sellers) {}
  Result<std::optional<ShopSummary>> Find(std::int64_t seller_id) override;
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) override;
  Result<std::vector<std::int64_t>> ManagedShops(const Principal& principal) override;

 private:
  struct Cached {
    std::optional<ShopSummary> shop;
    std::chrono::steady_clock::time_point loaded;
  };

  sellers::SellerService& sellers_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Cached> cache_;
};

}  // namespace nongsan::orders
