#include "orders/seller_shop_directory.hpp"

namespace nongsan::orders {

Result<std::optional<ShopSummary>> SellerShopDirectory::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<ShopSummary>();
    return std::move(seller).error();
  }
  return std::optional<ShopSummary>(ShopSummary{seller->id, seller->name, seller->commune_code,
                                                seller->status != sellers::SellerStatus::kSuspended});
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
