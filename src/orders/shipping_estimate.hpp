// What the checkout page shows before the buyer taps "Đặt hàng": for every
// shop in the cart, the shipping fee to the buyer's commune and that shop's
// total, and the grand total. Priced as OrderService::Checkout prices each
// order — the same carrier, from the shop's commune, the parcel's weight
// (unit weight × quantity of the orderable lines) and the goods' value as the
// cash to collect — so the figure shown is the figure charged unless the cart
// or the rate table changes in between. Pure over its arguments (the carrier
// decides its own thread-safety; RateTableCarrier is thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "orders/cart_service.hpp"
#include "orders/shipping.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::orders {

struct ShopEstimate {
  std::int64_t seller_id = 0;
  std::int64_t subtotal_vnd = 0;
  std::int64_t weight_grams = 0;
  std::int64_t shipping_fee_vnd = 0;
  std::int64_t total_vnd = 0;
};

struct CartEstimate {
  std::vector<ShopEstimate> shops;  // in the cart's order; shops with nothing orderable are left out
  std::int64_t shipping_fee_vnd = 0;
  std::int64_t total_vnd = 0;
};

// kInvalid (field commune_code) for a code that is not a current commune;
// kUnprocessable when a sum passes money::kMaxVnd; the carrier's error when it
// cannot price a parcel.
Result<CartEstimate> EstimateShipping(const CartView& cart, const std::string& to_commune, Carrier& carrier,
                                      const places::PlaceService& places);

}  // namespace nongsan::orders
