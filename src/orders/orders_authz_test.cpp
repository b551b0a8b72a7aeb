// The orders module's rows of the authorization table
// (tests/support/authz_table.hpp): carts, checkout, orders and their
// lifecycle, notifications and the provinces' shipping rates.
//
// An order's parties are its buyer and whoever manages its shop (for shop_a:
// owner, staff, the cooperative, the officer of kCommuneIn and the province
// admin, shop_a having officer help on). Anyone else gets 404 for it; a party
// asking for a move that only the other party makes gets 403.
#include <atomic>
#include <stdexcept>

#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "orders/cart_service.hpp"
#include "orders/order_service.hpp"
#include "orders/shipping.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing {
namespace {

std::string Id(std::int64_t id) { return std::to_string(id); }

app::Services& Services(AuthzWorld& w) { return w.app.app().services(); }

// An active product of shop_a (or shop_b) made as its owner.
std::int64_t MakeProduct(AuthzWorld& w, std::int64_t shop) { return MakeAuthzProduct(w, shop); }

nlohmann::json CheckoutBody(std::int64_t product_id) {
  return {{"items", {{{"product_id", product_id}, {"quantity", 2}}}},
          {"shipping_address",
           {{"full_name", "Nguyễn Thị Hoa"},
            {"phone", "0912345678"},
            {"address_line", "Số 5, tổ 3"},
            {"commune_code", kCommuneIn}}},
          {"payment_method", "cod"},
          {"note", ""}};
}

std::string FreshKey() {
  static std::atomic<int> n{0};
  return "authz-" + std::to_string(n.fetch_add(1));
}

// An order the buyer placed with `shop`, moved on by its owner through `moves`.
std::int64_t PlaceOrder(AuthzWorld& w, std::int64_t shop, const std::vector<std::string>& moves = {}) {
  const Principal buyer = w.world.PrincipalOf(w.UserId(Actor::kBuyer));
  auto placed = Services(w).orders->Checkout(buyer, FreshKey(), CheckoutBody(MakeProduct(w, shop)));
  if (!placed.ok()) throw std::runtime_error("checkout: " + placed.error().detail);
  const std::int64_t id = placed->body["orders"][0]["id"].get<std::int64_t>();
  const Principal owner =
      w.world.PrincipalOf(w.UserId(shop == w.shop_b ? Actor::kOtherOwner : Actor::kOwner));
  for (const auto& to : moves) {
    orders::TransitionInput input;
    input.to = to;
    if (to == "shipped") input.tracking_code = "VNP123456789";
    auto moved = Services(w).orders->Transition(owner, id, input);
    if (!moved.ok()) throw std::runtime_error("move to " + to + ": " + moved.error().detail);
  }
  return id;
}

AuthzRequest OnOrder(std::int64_t id, nlohmann::json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = Id(id);
  r.body = std::move(body);
  return r;
}

// Puts the product in the acting person's own cart (a guest's, by cookie,
// for the anonymous caller) and returns the request naming it.
AuthzRequest InOwnCart(AuthzWorld& w, std::int64_t product_id, nlohmann::json body = nullptr) {
  orders::CartOwner owner;
  AuthzRequest r;
  if (w.actor == Actor::kAnonymous) {
    owner.guest_token = orders::CartService::NewGuestToken();
    r.headers["Cookie"] = std::string(orders::kCartCookie) + "=" + owner.guest_token;
  } else {
    owner.user_id = w.UserId(w.actor);
  }
  if (!Services(w).carts->Add(owner, product_id, 1).ok()) throw std::runtime_error("cart add");
  r.params["product_id"] = Id(product_id);
  r.body = std::move(body);
  return r;
}

AuthzRequest RatesOf(AuthzWorld& w, const std::string& province, bool with_body) {
  AuthzRequest r;
  r.params["code"] = province;
  if (with_body) {
    auto table = Services(w).shipping_rates->ForProvince(province);
    if (!table.ok()) throw std::runtime_error("rates: " + table.error().detail);
    r.body = orders::RateTableJson(*table);
    r.body["routes"]["same_commune"]["bands"] = {{{"up_to_grams", 5000}, {"fee_vnd", 10000}}};
  }
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(orders) {
  auto none = [](AuthzWorld&) { return AuthzRequest{}; };
  //                      anon buyer owner staff other coop offIn offOut admin
  const Expect kEveryone{200, 200, 200, 200, 200, 200, 200, 200, 200};
  const Expect kSignedIn{401, 200, 200, 200, 200, 200, 200, 200, 200};
  // shop_a's order placed by the buyer: both parties see it.
  const Expect kPartiesOfA{401, 200, 200, 200, 404, 200, 200, 404, 200};
  const Expect kShopA{401, 404, 200, 200, 404, 200, 200, 404, 200};
  return {
      // ---- carts: everyone has one (a guest's by cookie) and touches only it
      {"GET", "/api/v1/cart", "", kEveryone, none},
      {"DELETE", "/api/v1/cart", "", kEveryone,
       [](AuthzWorld& w) { return InOwnCart(w, MakeProduct(w, w.shop_a)); }},
      {"POST", "/api/v1/cart/items", "active product", kEveryone,
       [](AuthzWorld& w) {
         return AuthzRequest{{}, {{"product_id", MakeProduct(w, w.shop_a)}, {"quantity", 2}}};
       }},
      {"PUT", "/api/v1/cart/items/{product_id}", "a product in the caller's cart", kEveryone,
       [](AuthzWorld& w) {
         return InOwnCart(w, MakeProduct(w, w.shop_a), {{"quantity", 3}});
       }},
      {"DELETE", "/api/v1/cart/items/{product_id}", "a product in the caller's cart", kEveryone,
       [](AuthzWorld& w) { return InOwnCart(w, MakeProduct(w, w.shop_a)); }},
      {"DELETE", "/api/v1/cart/items/{product_id}", "a product only in the buyer's cart",
       Expect{404, 200, 404, 404, 404, 404, 404, 404, 404},
       [](AuthzWorld& w) {
         const std::int64_t product = MakeProduct(w, w.shop_a);
         if (!Services(w).carts->Add(orders::CartOwner{w.UserId(Actor::kBuyer), ""}, product, 1).ok()) {
           throw std::runtime_error("cart add");
         }
         AuthzRequest r;
         r.params["product_id"] = Id(product);
         return r;
       }},

      // ---- checkout and orders
      {"POST", "/api/v1/orders", "shop_a's product", Expect{401, 201, 201, 201, 201, 201, 201, 201, 201},
       [](AuthzWorld& w) {
         AuthzRequest r{{}, CheckoutBody(MakeProduct(w, w.shop_a))};
         r.headers["Idempotency-Key"] = FreshKey();
         return r;
       }},
      {"GET", "/api/v1/orders", "", kSignedIn,
       [](AuthzWorld& w) {
         PlaceOrder(w, w.shop_a);
         return AuthzRequest{};
       }},
      {"GET", "/api/v1/orders/{id}", "the buyer's order at shop_a", kPartiesOfA,
       [](AuthzWorld& w) { return OnOrder(PlaceOrder(w, w.shop_a)); }},
      {"GET", "/api/v1/orders/{id}", "the buyer's order at shop_b",
       Expect{401, 200, 404, 404, 200, 404, 404, 404, 404},
       [](AuthzWorld& w) { return OnOrder(PlaceOrder(w, w.shop_b)); }},
      {"POST", "/api/v1/orders/{id}/transitions", "placed → confirmed (the shop's move)",
       Expect{401, 403, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         return OnOrder(PlaceOrder(w, w.shop_a), {{"to", "confirmed"}});
       }},
      {"POST", "/api/v1/orders/{id}/transitions", "placed → cancelled (buyer or shop)", kPartiesOfA,
       [](AuthzWorld& w) {
         return OnOrder(PlaceOrder(w, w.shop_a), {{"to", "cancelled"}, {"reason", "Đặt nhầm số lượng"}});
       }},
      {"POST", "/api/v1/orders/{id}/transitions", "packed → shipped (the shop's move)",
       Expect{401, 403, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         return OnOrder(PlaceOrder(w, w.shop_a, {"confirmed", "packed"}),
                        {{"to", "shipped"}, {"tracking_code", "VNP987654321"}});
       }},
      {"POST", "/api/v1/orders/{id}/transitions", "shop_b's order: placed → confirmed",
       Expect{401, 403, 404, 404, 200, 404, 404, 404, 404},
       [](AuthzWorld& w) {
         return OnOrder(PlaceOrder(w, w.shop_b), {{"to", "confirmed"}});
       }},
      {"GET", "/api/v1/sellers/{id}/orders", "shop_a", kShopA,
       [](AuthzWorld& w) {
         PlaceOrder(w, w.shop_a);
         return OnOrder(w.shop_a);
       }},

      // ---- notifications: each person's own (and their shops')
      {"GET", "/api/v1/me/notifications", "", kSignedIn,
       [](AuthzWorld& w) {
         PlaceOrder(w, w.shop_a);
         return AuthzRequest{};
       }},
      {"POST", "/api/v1/me/notifications/read", "", kSignedIn,
       [](AuthzWorld& w) {
         PlaceOrder(w, w.shop_a);
         return AuthzRequest{{}, {{"up_to_id", 1'000'000'000}}};
       }},

      // ---- shipping rates: public; set only by the province's admin
      {"GET", "/api/v1/provinces/{code}/shipping-rates", "", kEveryone,
       [](AuthzWorld& w) { return RatesOf(w, kProvince, false); }},
      {"PUT", "/api/v1/provinces/{code}/shipping-rates", "the admin's province",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 200},
       [](AuthzWorld& w) { return RatesOf(w, kProvince, true); }},
      {"PUT", "/api/v1/provinces/{code}/shipping-rates", "another province (Hà Nội)",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return RatesOf(w, "01", true); }},
  };
}

}  // namespace nongsan::testing
