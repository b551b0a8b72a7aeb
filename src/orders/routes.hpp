// The orders JSON API under /api/v1: the cart (signed-in or guest by cookie),
// checkout, orders of a buyer and of a shop, lifecycle transitions, the
// signed-in user's notifications, and the provinces' shipping rate tables.
// Handlers only parse, call the services and shape JSON; docs/openapi.yaml
// describes every route.
#pragma once

#include "http/router.hpp"
#include "orders/cart_service.hpp"
#include "orders/notifications.hpp"
#include "orders/order_service.hpp"
#include "orders/shipping.hpp"
#include "orders/shop_directory.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::orders {

// Body limit of the cart, transition and notification routes.
inline constexpr std::size_t kOrdersSmallBody = 8 * 1024;

struct OrdersRouteDeps {
  CartService& carts;
  OrderService& orders;
  Notifications& notifications;
  ShippingRates& rates;
  ShopDirectory& shops;
  const places::PlaceService& places;
  const Clock& clock;
};

void AddRoutes(http::Router& router, const OrdersRouteDeps& deps);

}  // namespace nongsan::orders
