// In-memory stand-ins for the shops, products, orders and places the quality
// module asks about, for the quality tests. They behave like the real
// services on the points quality relies on (ownership, visibility,
// suspension, delivered lines). Thread-safe: one mutex each.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "quality/ports.hpp"

namespace nongsan::quality::testing {

class FakeAreas final : public AreaPort {
 public:
  void Add(const std::string& commune, const std::string& province) { province_of_[commune] = province; }
  std::string UnitName(const std::string& code) const override { return "Unit " + code; }
  std::optional<std::string> ProvinceOf(const std::string& commune_code) const override {
    auto it = province_of_.find(commune_code);
    if (it == province_of_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, std::string> province_of_;
};

class FakeShops final : public ShopPort {
 public:
  void Add(ShopRef shop, std::int64_t owner_user_id) {
    std::lock_guard lock(mu_);
    managers_[shop.id].insert(owner_user_id);
    shops_[shop.id] = std::move(shop);
  }
  // Someone else who may act for the shop, e.g. the officer who onboarded it.
  void AddManager(std::int64_t seller_id, std::int64_t user_id) {
    std::lock_guard lock(mu_);
    managers_[seller_id].insert(user_id);
  }
  void Move(std::int64_t seller_id, const std::string& commune_code) {
    std::lock_guard lock(mu_);
    shops_[seller_id].commune_code = commune_code;
  }
  Result<std::optional<ShopRef>> Find(std::int64_t seller_id) override {
    std::lock_guard lock(mu_);
    auto it = shops_.find(seller_id);
    if (it == shops_.end()) return std::optional<ShopRef>{};
    return std::optional<ShopRef>{it->second};
  }
  Result<std::vector<ShopRef>> FindMany(const std::vector<std::int64_t>& seller_ids) override {
    std::lock_guard lock(mu_);
    std::vector<ShopRef> out;
    for (auto id : seller_ids) {
      auto it = shops_.find(id);
      if (it != shops_.end()) out.push_back(it->second);
    }
    return out;
  }
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) override {
    std::lock_guard lock(mu_);
    if (principal == nullptr) return false;
    auto it = managers_.find(seller_id);
    return it != managers_.end() && it->second.contains(principal->user_id);
  }
  Status SetSuspended(std::int64_t seller_id, bool suspended, const std::string&, const Principal&) override {
    std::lock_guard lock(mu_);
    auto it = shops_.find(seller_id);
    if (it == shops_.end()) return Error::NotFound("shop");
    it->second.is_public = !suspended;
    return Ok{};
  }

 private:
  std::mutex mu_;
  std::map<std::int64_t, ShopRef> shops_;
  std::map<std::int64_t, std::set<std::int64_t>> managers_;
};

class FakeProducts final : public ProductPort {
 public:
  explicit FakeProducts(FakeShops& shops) : shops_(shops) {}
  void Add(ProductRef product) {
    std::lock_guard lock(mu_);
    products_[product.id] = std::move(product);
  }
  Result<std::vector<ProductRef>> FindMany(const std::vector<std::int64_t>& product_ids) override {
    std::vector<ProductRef> out;
    {
      std::lock_guard lock(mu_);
      for (auto id : product_ids) {
        auto it = products_.find(id);
        if (it != products_.end()) out.push_back(it->second);
      }
    }
    // Like the catalogue: a product of a suspended shop is not public.
    for (auto& p : out) {
      TRY_ASSIGN(auto shop, shops_.Find(p.seller_id));
      p.is_public = !p.suspended && shop && shop->is_public;
    }
    return out;
  }
  Status SetSuspended(std::int64_t product_id, bool suspended, const std::string&,
                      const Principal&) override {
    std::lock_guard lock(mu_);
    auto it = products_.find(product_id);
    if (it == products_.end()) return Error::NotFound("product");
    it->second.suspended = suspended;
    return Ok{};
  }

 private:
  FakeShops& shops_;
  std::mutex mu_;
  std::map<std::int64_t, ProductRef> products_;
};

class FakeOrders final : public OrderPort {
 public:
  void AddOrder(OrderRef order) {
    std::lock_guard lock(mu_);
    orders_[order.id] = std::move(order);
  }
  void SetStats(std::int64_t seller_id, ShopOrderStats stats) {
    std::lock_guard lock(mu_);
    stats_[seller_id] = stats;
  }
  std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> flagged() {
    std::lock_guard lock(mu_);
    return flagged_;
  }

  // Shows an order to its buyer only (the fake knows no shop managers).
  Result<std::optional<OrderRef>> FindVisible(const Principal& buyer, std::int64_t order_id) override {
    std::lock_guard lock(mu_);
    auto it = orders_.find(order_id);
    if (it == orders_.end() || it->second.buyer_user_id != buyer.user_id) return std::optional<OrderRef>{};
    return std::optional<OrderRef>{it->second};
  }
  Result<std::optional<std::int64_t>> FlagOpenOrders(std::int64_t seller_id,
                                                     std::optional<std::int64_t> product_id,
                                                     const std::string&) override {
    std::lock_guard lock(mu_);
    flagged_.emplace_back(seller_id, product_id);
    std::int64_t n = 0;
    for (const auto& [id, order] : orders_) {
      if (order.seller_id != seller_id || order.status == "shipped" || order.status == "delivered") continue;
      if (product_id && std::find(order.product_ids.begin(), order.product_ids.end(), *product_id) ==
                            order.product_ids.end()) {
        continue;
      }
      ++n;
    }
    return std::optional<std::int64_t>{n};
  }
  // The fake holds nothing: holds are tested over the real orders service.
  Result<std::vector<std::int64_t>> HeldSellers() override { return std::vector<std::int64_t>{}; }
  Result<std::vector<HeldOrderRef>> HeldOrders(const std::vector<std::int64_t>&, std::size_t,
                                               std::size_t) override {
    return std::vector<HeldOrderRef>{};
  }
  Result<std::optional<HeldOrderRef>> FindHeld(std::int64_t) override {
    return std::optional<HeldOrderRef>{};
  }
  Result<HeldOrderRef> ResolveHold(std::int64_t, HoldOutcome, const std::string&, std::int64_t) override {
    return Error::Conflict("not_held", "This order is not held for a decision.");
  }
  Result<std::optional<ShopOrderStats>> StatsForShop(std::int64_t seller_id, std::int64_t) override {
    std::lock_guard lock(mu_);
    auto it = stats_.find(seller_id);
    return std::optional<ShopOrderStats>{it == stats_.end() ? ShopOrderStats{} : it->second};
  }

 private:
  std::mutex mu_;
  std::map<std::int64_t, OrderRef> orders_;
  std::map<std::int64_t, ShopOrderStats> stats_;
  std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> flagged_;
};

}  // namespace nongsan::quality::testing
