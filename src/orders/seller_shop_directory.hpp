// ShopDirectory over the sellers module's SellerService: what the orders
// module knows about shops comes from here and nowhere else. A shop accepts
// orders unless it is suspended. Thread-safe (SellerService is).
#pragma once

#include "orders/shop_directory.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::orders {

class SellerShopDirectory final : public ShopDirectory {
 public:
  explicit SellerShopDirectory(sellers::SellerService& sellers) : sellers_(sellers) {}
  Result<std::optional<ShopSummary>> Find(std::int64_t seller_id) override;
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) override;
  Result<std::vector<std::int64_t>> ManagedShops(const Principal& principal) override;

 private:
  sellers::SellerService& sellers_;
};

}  // namespace nongsan::orders
