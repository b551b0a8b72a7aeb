#include "orders/shipping_estimate.hpp"

#include "core/money.hpp"
#include "places/places.hpp"

namespace nongsan::orders {

namespace {

Error TooLarge() {
  return Error::Unprocessable("amount_too_large", "The order amount is larger than the platform accepts.");
}

}  // namespace

Result<CartEstimate> EstimateShipping(const CartView& cart, const std::string& to_commune, Carrier& carrier,
                                      const places::PlaceService& places) {
  const std::optional<std::string> to_province = places.ProvinceOf(to_commune);
  if (!places.IsCommune(to_commune) || !to_province)
    return Error::Field("commune_code", "is not a current commune");
  CartEstimate estimate;
  for (const auto& group : cart.shops) {
    ShopEstimate shop;
    shop.seller_id = group.shop.id;
    bool any = false;
    for (const auto& line : group.lines) {
      if (!line.orderable) continue;
      any = true;
      auto total = money::MulVnd(line.unit_price_vnd, line.quantity);
      auto grams = money::MulVnd(line.weight_grams, line.quantity);
      auto subtotal = total ? money::AddVnd(shop.subtotal_vnd, *total) : std::nullopt;
      auto weight = grams ? money::AddVnd(shop.weight_grams, *grams) : std::nullopt;
      if (!subtotal || !weight) return TooLarge();
      shop.subtotal_vnd = *subtotal;
      shop.weight_grams = *weight;
    }
    if (!any) continue;
    const std::string from_province = places.ProvinceOf(group.shop.commune_code).value_or("");
    TRY_ASSIGN(ShippingQuote quote, carrier.Quote({group.shop.commune_code, from_province, to_commune,
                                                   *to_province, shop.weight_grams, shop.subtotal_vnd}));
    auto total = money::AddVnd(shop.subtotal_vnd, quote.fee_vnd);
    auto fees = money::AddVnd(estimate.shipping_fee_vnd, quote.fee_vnd);
    auto grand = total ? money::AddVnd(estimate.total_vnd, *total) : std::nullopt;
    if (!total || !fees || !grand) return TooLarge();
    shop.shipping_fee_vnd = quote.fee_vnd;
    shop.total_vnd = *total;
    estimate.shipping_fee_vnd = *fees;
    estimate.total_vnd = *grand;
    estimate.shops.push_back(shop);
  }
  return estimate;
}

}  // namespace nongsan::orders
