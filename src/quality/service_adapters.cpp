#include "quality/service_adapters.hpp"

#include "catalog/catalog_service.hpp"
#include "core/clock.hpp"
#include "orders/order_service.hpp"
#include "places/places.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::quality {
namespace {

std::optional<std::int64_t> ParseInstant(const nlohmann::json& value) {
  if (!value.is_string()) return std::nullopt;
  // "2026-11-29T20:49:00+07:00": the day and the time of day, Vietnam time.
  const std::string s = value.get<std::string>();
  const auto day = timefmt::ParseIsoDate(std::string_view(s).substr(0, 10));
  if (!day || s.size() < 19) return std::nullopt;
  const int hh = std::atoi(s.substr(11, 2).c_str());
  const int mm = std::atoi(s.substr(14, 2).c_str());
  const int ss = std::atoi(s.substr(17, 2).c_str());
  return *day * kMsPerDay - kVietnamOffsetMs + (hh * 3600LL + mm * 60LL + ss) * 1000LL;
}

}  // namespace

Result<std::optional<ShopRef>> SellerShopPort::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<ShopRef>{};
    return std::move(seller).error();
  }
  return std::optional<ShopRef>{ShopRef{seller->id, seller->name, seller->commune_code,
                                        seller->status != sellers::SellerStatus::kSuspended}};
}

Result<std::vector<ShopRef>> SellerShopPort::FindMany(const std::vector<std::int64_t>& seller_ids) {
  std::vector<ShopRef> out;
  for (std::int64_t id : seller_ids) {
    TRY_ASSIGN(auto shop, Find(id));
    if (shop) out.push_back(std::move(*shop));
  }
  return out;
}

Result<bool> SellerShopPort::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

Status SellerShopPort::SetSuspended(std::int64_t seller_id, bool suspended, const std::string& reason,
                                    const Principal& actor) {
  const accounts::ClientInfo client;
  if (suspended) {
    TRY(sellers_.Suspend(actor, seller_id, reason, client));
  } else {
    TRY(sellers_.Reinstate(actor, seller_id, client));
  }
  return catalog_.SetSellerVisible(seller_id, !suspended);
}

Result<std::vector<ProductRef>> CatalogProductPort::FindMany(const std::vector<std::int64_t>& product_ids) {
  TRY_ASSIGN(auto products, catalog_.FindMany(product_ids));
  std::vector<ProductRef> out;
  out.reserve(products.size());
  for (const auto& p : products) {
    out.push_back(
        ProductRef{p.id, p.seller_id, p.name, p.IsPublic(), p.status == catalog::ProductStatus::kSuspended});
  }
  return out;
}

Status CatalogProductPort::SetSuspended(std::int64_t product_id, bool suspended, const std::string& reason,
                                        const Principal&) {
  return catalog_.SetSuspended(product_id, suspended, reason);
}

Result<std::optional<OrderRef>> OrderServicePort::FindVisible(const Principal& principal,
                                                              std::int64_t order_id) {
  auto view = orders_.Get(principal, order_id);
  if (!view.ok()) {
    if (view.error().code == ErrorCode::kNotFound) return std::optional<OrderRef>{};
    return std::move(view).error();
  }
  const nlohmann::json& j = *view;
  OrderRef ref;
  ref.id = j.value("id", std::int64_t{0});
  ref.buyer_user_id = j.value("buyer_id", std::int64_t{0});
  if (j.contains("shop") && j["shop"].is_object()) ref.seller_id = j["shop"].value("id", std::int64_t{0});
  ref.status = j.value("status", std::string());
  if (j.contains("delivered_at")) ref.delivered_at_ms = ParseInstant(j["delivered_at"]);
  if (j.contains("lines") && j["lines"].is_array()) {
    for (const auto& line : j["lines"]) ref.product_ids.push_back(line.value("product_id", std::int64_t{0}));
  }
  return std::optional<OrderRef>{std::move(ref)};
}

Result<std::optional<std::int64_t>> OrderServicePort::FlagOpenOrders(std::int64_t seller_id,
                                                                     std::optional<std::int64_t> product_id,
                                                                     const std::string& reason) {
  TRY_ASSIGN(std::int64_t held, orders_.HoldOpenOrders(seller_id, product_id, reason));
  return std::optional<std::int64_t>{held};
}

namespace {

HeldOrderRef HeldRef(const orders::HeldOrder& o) {
  return HeldOrderRef{o.id,        o.code,   o.seller_id, o.seller_name, orders::StatusName(o.status),
                      o.total_vnd, o.reason, o.held_at};
}

}  // namespace

Result<std::vector<std::int64_t>> OrderServicePort::HeldSellers() { return orders_.HeldSellers(); }

Result<std::vector<HeldOrderRef>> OrderServicePort::HeldOrders(const std::vector<std::int64_t>& seller_ids,
                                                               std::size_t offset, std::size_t limit) {
  TRY_ASSIGN(auto held, orders_.HeldOrders(seller_ids, offset, limit));
  std::vector<HeldOrderRef> out;
  for (const auto& o : held) out.push_back(HeldRef(o));
  return out;
}

Result<std::optional<HeldOrderRef>> OrderServicePort::FindHeld(std::int64_t order_id) {
  TRY_ASSIGN(auto held, orders_.FindHeld(order_id));
  if (!held) return std::optional<HeldOrderRef>{};
  return std::optional<HeldOrderRef>{HeldRef(*held)};
}

Result<HeldOrderRef> OrderServicePort::ResolveHold(std::int64_t order_id, HoldOutcome outcome,
                                                   const std::string& note, std::int64_t official_user_id) {
  TRY_ASSIGN(auto resolved,
             orders_.ResolveHold(order_id,
                                 outcome == HoldOutcome::kCancel ? orders::HoldDecision::kCancel
                                                                 : orders::HoldDecision::kRelease,
                                 note, official_user_id));
  return HeldRef(resolved);
}

Result<std::optional<ShopOrderStats>> OrderServicePort::StatsForShop(std::int64_t, std::int64_t) {
  return std::optional<ShopOrderStats>{};
}

std::optional<std::string> PlacesAreaPort::ProvinceOf(const std::string& commune_code) const {
  return places_.ProvinceOf(commune_code);
}

std::string PlacesAreaPort::UnitName(const std::string& code) const {
  auto unit = places_.Get(code);
  return unit ? unit->name : std::string();
}

}  // namespace nongsan::quality
