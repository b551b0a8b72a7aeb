#include "orders/routes.hpp"

#include <charconv>

#include "accounts/auth.hpp"
#include "core/field_errors.hpp"
#include "places/places.hpp"

namespace nongsan::orders {
namespace {

using accounts::IdParam;
using accounts::Reply;
using accounts::RequireSignIn;

constexpr http::RouteOptions kSmallBody{.max_body = kOrdersSmallBody};
constexpr http::RouteOptions kNoBody{.max_body = 0};
constexpr std::int64_t kMsPerSecond = 1000;
constexpr std::string_view kIdempotencyHeader = "idempotency-key";

std::string CartCookie(const std::string& token, bool secure) {
  return std::string(kCartCookie) + "=" + token +
         "; Path=/; Max-Age=" + std::to_string(kGuestCartLifetimeMs / kMsPerSecond) +
         "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

std::string ClearCartCookie(bool secure) {
  return std::string(kCartCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

// Whose cart a request means, and the cookie the response must set (a new
// guest token, a renewed one, or a deletion after merging into the user's).
struct CartRequest {
  CartOwner owner;
  std::optional<std::string> set_cookie;
};

Result<CartRequest> ResolveCart(const http::Request& req, CartService& carts, bool writing) {
  const std::optional<std::string> cookie = req.Cookie(kCartCookie);
  const bool usable_cookie = cookie && CartService::IsWellFormedToken(*cookie);
  CartRequest r;
  if (req.principal) {
    r.owner.user_id = req.principal->user_id;
    if (cookie) {
      // Signed in with a guest cart still in the browser: it joins the
      // user's cart now, whether or not the login already merged it.
      if (usable_cookie) TRY(carts.MergeGuestCart(*cookie, req.principal->user_id));
      r.set_cookie = ClearCartCookie(req.tls);
    }
    return r;
  }
  if (usable_cookie) {
    r.owner.guest_token = *cookie;
    if (writing) r.set_cookie = CartCookie(*cookie, req.tls);
  } else if (writing) {
    r.owner.guest_token = CartService::NewGuestToken();
    r.set_cookie = CartCookie(r.owner.guest_token, req.tls);
  }
  return r;
}

Result<http::Response> CartResponse(CartService& carts, const CartRequest& cart) {
  TRY_ASSIGN(CartView view, carts.Get(cart.owner));
  http::Response resp = http::Response::Json(200, CartJson(view));
  resp.SetHeader("Cache-Control", "no-store");
  if (cart.set_cookie) resp.AddCookie(*cart.set_cookie);
  return resp;
}

Result<std::int64_t> IntField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_number_integer()) return Error::Field(name, "A whole number is required.");
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    return Error::Field(name, "Too large.");
  }
  return it->get<std::int64_t>();
}

Result<ListOptions> ListQuery(const http::Request& req) {
  ListOptions options;
  if (auto limit = req.Query("limit")) {
    int value = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 || value > kMaxPageSize) {
      return Error::Field("limit", "A number from 1 to " + std::to_string(kMaxPageSize) + ".");
    }
    options.limit = value;
  }
  options.cursor = req.Query("cursor").value_or("");
  if (auto status = req.Query("status"); status && !status->empty()) {
    options.status = ParseStatus(*status);
    if (!options.status) return Error::Field("status", "Not an order status.");
  }
  return options;
}

http::Response PageResponse(const OrderPage& page) {
  return http::Response::Json(
      200, {{"items", page.items},
            {"next_cursor", page.next_cursor ? nlohmann::json(*page.next_cursor) : nlohmann::json(nullptr)}});
}

Result<std::string> TextIfPresent(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Error::Field(name, "Must be text.");
  return it->get<std::string>();
}

// The packing transition's `lots: [{line_id, lot_id, quantity}]`, each a
// positive whole number; absent or null means none were chosen.
Result<std::vector<LotChoice>> LotChoices(const nlohmann::json& body) {
  std::vector<LotChoice> out;
  auto it = body.find("lots");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return Error::Field("lots", "Must be a list of {line_id, lot_id, quantity}.");
  if (it->size() > kMaxLotChoices)
    return Error::Field("lots", "At most " + std::to_string(kMaxLotChoices) + " entries.");
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& item = (*it)[i];
    const std::string at = "lots[" + std::to_string(i) + "].";
    LotChoice choice;
    for (auto [name, target] : {std::pair{"line_id", &choice.line_id}, std::pair{"lot_id", &choice.lot_id},
                                std::pair{"quantity", &choice.quantity}}) {
      if (!item.is_object() || !item.contains(name) || !item[name].is_number_integer() ||
          item[name].get<std::int64_t>() <= 0) {
        errors.push_back({at + name, "Must be a positive whole number."});
        continue;
      }
      *target = item[name].get<std::int64_t>();
    }
    out.push_back(choice);
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return out;
}

}  // namespace

void AddRoutes(http::Router& router, const OrdersRouteDeps& deps) {
  CartService* carts = &deps.carts;
  OrderService* orders = &deps.orders;
  Notifications* notifications = &deps.notifications;
  ShippingRates* rates = &deps.rates;
  ShopDirectory* shops = &deps.shops;
  const places::PlaceService* places = &deps.places;
  const Clock* clock = &deps.clock;

  // ---- cart
  router.Get(
      "/api/v1/cart",
      [carts](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(CartRequest cart, ResolveCart(req, *carts, false));
          return CartResponse(*carts, cart);
        });
      },
      kNoBody);

  router.Delete(
      "/api/v1/cart",
      [carts](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(CartRequest cart, ResolveCart(req, *carts, false));
          TRY(carts->Clear(cart.owner));
          return CartResponse(*carts, cart);
        });
      },
      kNoBody);

  router.Post(
      "/api/v1/cart/items",
      [carts](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          TRY_ASSIGN(std::int64_t product_id, IntField(body, "product_id"));
          TRY_ASSIGN(std::int64_t quantity, IntField(body, "quantity"));
          TRY_ASSIGN(CartRequest cart, ResolveCart(req, *carts, true));
          TRY(carts->Add(cart.owner, product_id, quantity));
          return CartResponse(*carts, cart);
        });
      },
      kSmallBody);

  router.Put(
      "/api/v1/cart/items/{product_id}",
      [carts](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t product_id, IdParam(req, "product_id", "product"));
          TRY_ASSIGN(auto body, req.JsonBody());
          TRY_ASSIGN(std::int64_t quantity, IntField(body, "quantity"));
          TRY_ASSIGN(CartRequest cart, ResolveCart(req, *carts, true));
          TRY(carts->SetQuantity(cart.owner, product_id, quantity));
          return CartResponse(*carts, cart);
        });
      },
      kSmallBody);

  router.Delete(
      "/api/v1/cart/items/{product_id}",
      [carts](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t product_id, IdParam(req, "product_id", "product in the cart"));
          TRY_ASSIGN(CartRequest cart, ResolveCart(req, *carts, false));
          TRY(carts->Remove(cart.owner, product_id));
          return CartResponse(*carts, cart);
        });
      },
      kNoBody);

  // ---- checkout and orders
  router.Post("/api/v1/orders", [orders](http::Request& req) {
    return Reply(req, [&]() -> Result<http::Response> {
      TRY_ASSIGN(const Principal* buyer, RequireSignIn(req));
      // The key is checked before the body so that a client that forgot it
      // hears about the key, whatever else is wrong.
      const std::string key = req.Header(kIdempotencyHeader).value_or("");
      if (key.empty() || key.size() > kMaxIdempotencyKeyChars) {
        return Error::Field("Idempotency-Key", "The Idempotency-Key header is required: 1 to " +
                                                   std::to_string(kMaxIdempotencyKeyChars) +
                                                   " printable ASCII characters, unique per checkout.");
      }
      TRY_ASSIGN(auto body, req.JsonBody());
      TRY_ASSIGN(CheckoutResult result, orders->Checkout(*buyer, key, body));
      http::Response resp = http::Response::Json(201, result.body);
      resp.SetHeader("Cache-Control", "no-store");
      if (result.replayed) resp.SetHeader("Idempotent-Replayed", "true");
      return resp;
    });
  });

  router.Get(
      "/api/v1/orders",
      [orders](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* buyer, RequireSignIn(req));
          TRY_ASSIGN(ListOptions options, ListQuery(req));
          TRY_ASSIGN(OrderPage page, orders->ListForBuyer(*buyer, options));
          return PageResponse(page);
        });
      },
      kNoBody);

  router.Get(
      "/api/v1/orders/{id}",
      [orders](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* principal, RequireSignIn(req));
          TRY_ASSIGN(std::int64_t id, IdParam(req, "id", "order"));
          TRY_ASSIGN(auto order, orders->Get(*principal, id));
          return http::Response::Json(200, order);
        });
      },
      kNoBody);

  router.Post(
      "/api/v1/orders/{id}/transitions",
      [orders](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* principal, RequireSignIn(req));
          TRY_ASSIGN(std::int64_t id, IdParam(req, "id", "order"));
          TRY_ASSIGN(auto body, req.JsonBody());
          TransitionInput input;
          TRY_ASSIGN(input.to, TextIfPresent(body, "to"));
          TRY_ASSIGN(input.reason, TextIfPresent(body, "reason"));
          TRY_ASSIGN(input.tracking_code, TextIfPresent(body, "tracking_code"));
          TRY_ASSIGN(input.lots, LotChoices(body));
          TRY_ASSIGN(auto order, orders->Transition(*principal, id, input));
          return http::Response::Json(200, order);
        });
      },
      kSmallBody);

  router.Get(
      "/api/v1/sellers/{id}/orders",
      [orders](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* principal, RequireSignIn(req));
          TRY_ASSIGN(std::int64_t seller_id, IdParam(req, "id", "shop"));
          TRY_ASSIGN(ListOptions options, ListQuery(req));
          TRY_ASSIGN(OrderPage page, orders->ListForShop(*principal, seller_id, options));
          return PageResponse(page);
        });
      },
      kNoBody);

  // ---- notifications
  router.Get(
      "/api/v1/me/notifications",
      [notifications, shops](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* principal, RequireSignIn(req));
          TRY_ASSIGN(ListOptions options, ListQuery(req));
          std::int64_t before = 0;
          if (!options.cursor.empty()) {
            auto [end, ec] =
                std::from_chars(options.cursor.data(), options.cursor.data() + options.cursor.size(), before);
            if (ec != std::errc() || end != options.cursor.data() + options.cursor.size() || before <= 0) {
              return Error::Field("cursor", "Not a cursor this API gave out.");
            }
          }
          TRY_ASSIGN(std::vector<std::int64_t> shop_ids, shops->ManagedShops(*principal));
          TRY_ASSIGN(NotificationPage page,
                     notifications->List(principal->user_id, shop_ids, before, options.limit));
          nlohmann::json items = nlohmann::json::array();
          for (const Notification& n : page.items) {
            items.push_back({{"id", n.id},
                             {"order_id", n.order_id},
                             {"event", n.event},
                             {"message", n.message},
                             {"audience", n.audience},
                             {"shop_id", n.shop_id ? nlohmann::json(*n.shop_id) : nlohmann::json(nullptr)},
                             {"created_at", timefmt::Rfc3339(n.created_at)},
                             {"read", n.read}});
          }
          http::Response resp = http::Response::Json(
              200, {{"items", std::move(items)},
                    {"next_cursor", page.next_before_id ? nlohmann::json(std::to_string(*page.next_before_id))
                                                        : nlohmann::json(nullptr)},
                    {"unread_count", page.unread}});
          resp.SetHeader("Cache-Control", "no-store");
          return resp;
        });
      },
      kNoBody);

  router.Post(
      "/api/v1/me/notifications/read",
      [notifications, shops, clock](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* principal, RequireSignIn(req));
          TRY_ASSIGN(auto body, req.JsonBody());
          TRY_ASSIGN(std::int64_t up_to_id, IntField(body, "up_to_id"));
          TRY_ASSIGN(std::vector<std::int64_t> shop_ids, shops->ManagedShops(*principal));
          TRY_ASSIGN(std::int64_t marked,
                     notifications->MarkRead(principal->user_id, shop_ids, up_to_id, clock->NowMs()));
          return http::Response::Json(200, {{"marked", marked}});
        });
      },
      kSmallBody);

  // ---- shipping rates
  router.Get(
      "/api/v1/provinces/{code}/shipping-rates",
      [rates, places](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          const std::string& code = req.Param("code");
          if (!places->IsProvince(code)) return Error::NotFound("province");
          TRY_ASSIGN(RateTable table, rates->ForProvince(code));
          return http::Response::Json(200, RateTableJson(table));
        });
      },
      kNoBody);

  router.Put(
      "/api/v1/provinces/{code}/shipping-rates",
      [rates, places, clock](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(const Principal* principal, RequireSignIn(req));
          const std::string& code = req.Param("code");
          if (!places->IsProvince(code)) return Error::NotFound("province");
          if (!principal->Has(Role::kProvinceAdmin, code)) {
            return Error::Forbidden("Only an administrator of this province sets its shipping rates.");
          }
          TRY_ASSIGN(auto body, req.JsonBody());
          TRY_ASSIGN(RateTable table, RateTableFromJson(body));
          table.province_code = code;
          table.updated_at = clock->NowMs();
          table.updated_by = principal->user_id;
          TRY(rates->Replace(table));
          TRY_ASSIGN(RateTable stored, rates->ForProvince(code));
          return http::Response::Json(200, RateTableJson(stored));
        });
      },
      kSmallBody);
}

}  // namespace nongsan::orders
