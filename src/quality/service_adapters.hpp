// The quality ports (quality/ports.hpp) over the real services of the other
// modules: shops from sellers::SellerService, products from
// catalog::CatalogService, orders from orders::OrderService, areas from
// places::PlaceService. Each adapter only calls the public service API.
//
// Known gap, until the orders module offers it: OrderService has no call to
// count a shop's orders for reputation, so OrderServicePort answers nullopt
// (the API then shows null).
//
// Thread-safety: as the services they wrap (all thread-safe).
#pragma once

#include "quality/ports.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
}
namespace nongsan::orders {
class OrderService;
}
namespace nongsan::places {
class PlaceService;
}

namespace nongsan::quality {

class SellerShopPort final : public ShopPort {
 public:
  // The catalogue is told when a shop's suspension changes, so its products
  // leave or rejoin search at once (SellerService has no change hook).
  SellerShopPort(sellers::SellerService& sellers, catalog::CatalogService& catalog)
      : sellers_(sellers), catalog_(catalog) {}
  Result<std::optional<ShopRef>> Find(std::int64_t seller_id) override;
  Result<std::vector<ShopRef>> FindMany(const std::vector<std::int64_t>& seller_ids) override;
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) override;
  Status SetSuspended(std::int64_t seller_id, bool suspended, const std::string& reason,
                      const Principal& actor) override;

 private:
  sellers::SellerService& sellers_;
  catalog::CatalogService& catalog_;
};

class CatalogProductPort final : public ProductPort {
 public:
  explicit CatalogProductPort(catalog::CatalogService& catalog) : catalog_(catalog) {}
  Result<std::vector<ProductRef>> FindMany(const std::vector<std::int64_t>& product_ids) override;
  Status SetSuspended(std::int64_t product_id, bool suspended, const std::string& reason,
                      const Principal& actor) override;

 private:
  catalog::CatalogService& catalog_;
};

class OrderServicePort final : public OrderPort {
 public:
  explicit OrderServicePort(orders::OrderService& orders) : orders_(orders) {}
  Result<std::optional<OrderRef>> FindVisible(const Principal& principal, std::int64_t order_id) override;
  Result<std::optional<std::int64_t>> FlagOpenOrders(std::int64_t seller_id,
                                                     std::optional<std::int64_t> product_id,
                                                     const std::string& reason) override;
  Result<std::vector<std::int64_t>> HeldSellers() override;
  Result<std::vector<HeldOrderRef>> HeldOrders(const std::vector<std::int64_t>& seller_ids,
                                               std::size_t offset, std::size_t limit) override;
  Result<std::optional<HeldOrderRef>> FindHeld(std::int64_t order_id) override;
  Result<HeldOrderRef> ResolveHold(std::int64_t order_id, HoldOutcome outcome, const std::string& note,
                                   std::int64_t official_user_id) override;
  Result<std::optional<ShopOrderStats>> StatsForShop(std::int64_t seller_id, std::int64_t since_ms) override;

 private:
  orders::OrderService& orders_;
};

class PlacesAreaPort final : public AreaPort {
 public:
  explicit PlacesAreaPort(const places::PlaceService& places) : places_(places) {}
  std::optional<std::string> ProvinceOf(const std::string& commune_code) const override;
  std::string UnitName(const std::string& code) const override;

 private:
  const places::PlaceService& places_;
};

}  // namespace nongsan::quality
