#include "orders/seller_shop_directory.hpp"

namespace nongsan::orders {

Result<std::optional<ShopSummary>> SellerShopDirectory::Find(std::int64_t seller_id) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(seller_id);
    if (it != cache_.end() && now - it->second.loaded < kShopCacheTtl) return it->second.shop;
  }
  std::optional<ShopSummary> found;
  auto seller = sellers_.Get(seller_id);
  if (seller.ok()) {
    found = ShopSummary{seller->id, seller->name, seller->commune_code,
                        seller->status != sellers::SellerStatus::kSuspended};
  } else if (seller.error().code != ErrorCode::kNotFound) {
    return std::move(seller).error();
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kMaxCachedShops) cache_.clear();
  cache_[seller_id] = Cached{found, now};
  return found;
}

Result<bool> SellerShopDirectory::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

Result<std::vector<std::int64_t>> SellerShopDirectory::ManagedShops(const Principal& principal) {
  TRY_ASSIGN(std::vector<sellers::Seller> mine, sellers_.ListMine(principal));
  std::vector<std::int64_t> ids;
  for (const sellers::Seller& s : mine) ids.push_back(s.id);
  return ids;
}

}  // namespace nongsan::orders
