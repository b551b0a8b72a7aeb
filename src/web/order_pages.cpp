// The buyer's cart, checkout (cash on delivery; province → commune pickers
// that work without JavaScript as a two-step form), order confirmation, "my
// orders" and one order with its status timeline.
#include "accounts/auth.hpp"
#include "core/ids.hpp"
#include "orders/address_book.hpp"
#include "orders/cart_service.hpp"
#include "orders/order_service.hpp"
#include "orders/shipping_estimate.hpp"
#include "payments/payments_module.hpp"
#include "places/places.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/order_views.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kCartPath = "/gio-hang";
constexpr std::string_view kCheckoutPath = "/thanh-toan";
constexpr std::string_view kOrdersPath = "/don-hang";
constexpr std::string_view kConfirmationPath = "/dat-hang-thanh-cong";
constexpr std::size_t kIdempotencyKeyBytes = 18;
// A checkout makes one order per shop; the confirmation looks for them among
// the buyer's newest orders.
constexpr int kConfirmationScan = 50;

std::string CartCookie(const std::string& token, bool secure) {
  return std::string(orders::kCartCookie) + "=" + token +
         "; Path=/; Max-Age=" + std::to_string(orders::kGuestCartLifetimeMs / 1000) +
         "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

std::string ClearCartCookie(bool secure) {
  return std::string(orders::kCartCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

// Whose cart this request is about, as the orders API decides it: the signed-in
// user's (merging a guest cart still in the browser), else the guest's cookie.
struct CartRequest {
  orders::CartOwner owner;
  std::vector<std::string> set_cookies;
  bool has_cart = true;
};

CartRequest ResolveCart(const http::Request& request, orders::CartService& carts, bool writing) {
  CartRequest r;
  const auto cookie = request.Cookie(orders::kCartCookie);
  const bool usable = cookie && orders::CartService::IsWellFormedToken(*cookie);
  if (request.principal) {
    r.owner.user_id = request.principal->user_id;
    if (cookie) {
      if (usable) (void)carts.MergeGuestCart(*cookie, request.principal->user_id);
      r.set_cookies.push_back(ClearCartCookie(request.tls));
    }
    return r;
  }
  if (usable) {
    r.owner.guest_token = *cookie;
    if (writing) r.set_cookies.push_back(CartCookie(*cookie, request.tls));
  } else if (writing) {
    r.owner.guest_token = orders::CartService::NewGuestToken();
    r.set_cookies.push_back(CartCookie(r.owner.guest_token, request.tls));
  } else {
    r.has_cart = false;
  }
  return r;
}

http::Response WithCookies(http::Response response, const CartRequest& cart) {
  for (const auto& cookie : cart.set_cookies) response.AddCookie(cookie);
  return response;
}

class OrderPages {
 public:
  OrderPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        carts_(*services.carts),
        orders_(*services.orders),
        carrier_(*services.carrier),
        places_(*services.places),
        addresses_(*services.addresses),
        payments_(*services.payments) {}

  // ---- cart

  nlohmann::json CartData(const http::Request& request, const orders::CartView& view) {
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json shops = nlohmann::json::array();
    for (const auto& group : view.shops) {
      nlohmann::json lines = nlohmann::json::array();
      for (const auto& line : group.lines) {
        nlohmann::json changes = nlohmann::json::array();
        for (auto change : line.changes) {
          changes.push_back(renderer_.translations().Get(
              lang, std::string("cart.change_") + orders::LineChangeName(change)));
        }
        lines.push_back({{"product_id", line.product_id},
                         {"name", line.name},
                         {"url", ProductPath(line.name, line.product_id)},
                         {"unit", line.unit},
                         {"quantity", line.quantity},
                         {"price", Price(line.unit_price_vnd)},
                         {"total", Price(line.line_total_vnd)},
                         {"photo", CardPhoto(line.cover_photo)},
                         {"max", std::max<std::int64_t>(line.quantity, line.available)},
                         {"changes", std::move(changes)},
                         {"orderable", line.orderable}});
      }
      shops.push_back(
          {{"name", group.shop.name}, {"lines", std::move(lines)}, {"subtotal", Price(group.subtotal_vnd)}});
    }
    return {{"shops", std::move(shops)},
            {"empty", view.shops.empty()},
            {"subtotal", Price(view.subtotal_vnd)},
            {"item_count", view.item_count},
            {"changed", view.changed}};
  }

  http::Response Cart(http::Request& request) {
    CartRequest cart = ResolveCart(request, carts_, false);
    nlohmann::json data = {{"title", renderer_.T(request, "cart.title")}, {"noindex", true}};
    if (cart.has_cart) {
      auto view = carts_.Get(cart.owner);
      if (!view.ok()) return renderer_.ErrorPage(request, view.error());
      data["cart"] = CartData(request, *view);
    } else {
      data["cart"] = {{"empty", true}};
    }
    if (auto error = request.Query("loi")) {
      const std::string key = "errors.type." + *error;
      if (renderer_.translations().Has(Lang::kVi, key)) data["error"] = renderer_.T(request, key);
    }
    return WithCookies(renderer_.Render(request, "cart", std::move(data)), cart);
  }

  http::Response Add(http::Request& request) {
    Form form(request);
    CartRequest cart = ResolveCart(request, carts_, true);
    auto product_id = ParseCount(form.Value("product_id"));
    auto quantity = ParseCount(form.Value("quantity").empty() ? "1" : form.Value("quantity"));
    std::string back = form.Value("back");
    if (!IsLocalPath(back)) back = std::string(kCartPath);
    if (!product_id || !quantity || *quantity < 1) {
      return WithCookies(http::Response::Redirect(std::string(kCartPath) + "?loi=quantity"), cart);
    }
    Status added = carts_.Add(cart.owner, *product_id, *quantity);
    if (!added.ok()) {
      return WithCookies(
          http::Response::Redirect(std::string(kCartPath) + "?loi=" + http::UrlEncode(added.error().type)),
          cart);
    }
    back += (back.find('?') == std::string::npos ? "?" : "&");
    back += "da-them=1";
    return WithCookies(http::Response::Redirect(back), cart);
  }

  http::Response Update(http::Request& request) {
    Form form(request);
    CartRequest cart = ResolveCart(request, carts_, true);
    auto product_id = ParseCount(form.Value("product_id"));
    auto quantity = form.Has("remove") ? std::optional<std::int64_t>(0) : ParseCount(form.Value("quantity"));
    if (!product_id || !quantity) {
      return WithCookies(http::Response::Redirect(std::string(kCartPath) + "?loi=quantity"), cart);
    }
    Status updated = carts_.SetQuantity(cart.owner, *product_id, *quantity);
    std::string target(kCartPath);
    if (!updated.ok()) target += "?loi=" + http::UrlEncode(updated.error().type);
    return WithCookies(http::Response::Redirect(target), cart);
  }

  // ---- checkout

  http::Response CheckoutForm(const http::Request& request, const Form& form, int status = 200,
                              nlohmann::json saved_addresses = nlohmann::json::array()) {
    const Lang lang = renderer_.LangOf(request);
    auto view = carts_.Get(orders::CartOwner{request.principal->user_id, ""});
    if (!view.ok()) return renderer_.ErrorPage(request, view.error());
    const std::string province = form.Value("province");
    nlohmann::json provinces = nlohmann::json::array();
    for (const auto& unit : places_.Children("")) {
      provinces.push_back({{"code", unit.code}, {"name", unit.name}, {"selected", unit.code == province}});
    }
    nlohmann::json communes = nlohmann::json::array();
    if (places_.IsProvince(province)) {
      for (const auto& unit : places_.Children(province)) {
        communes.push_back({{"code", unit.code},
                            {"name", unit.name},
                            {"selected", unit.code == form.Value("commune_code")}});
      }
    }
    nlohmann::json cart = CartData(request, *view);
    AddEstimate(cart, *view, form.Value("commune_code"));
    nlohmann::json data = {{"title", renderer_.T(request, "checkout.title")},
                           {"noindex", true},
                           {"cart", std::move(cart)},
                           {"form", form.View(renderer_.translations(), lang)},
                           {"provinces", std::move(provinces)},
                           {"communes", std::move(communes)},
                           {"has_communes", !communes.empty()},
                           {"has_saved_addresses", saved_addresses.size() > 1},
                           {"saved_addresses", std::move(saved_addresses)},
                           // A new key per form shown: a double tap sends the same
                           // key twice and makes one order; a corrected form is a
                           // new request.
                           {"idempotency_key", ids::RandomToken(kIdempotencyKeyBytes)}};
    data["has_communes"] = !data["communes"].empty();
    // VietQR is offered when every shop of the cart takes it.
    bool vietqr_ok = !view->shops.empty();
    for (const auto& shop : view->shops) {
      auto methods = payments_.AcceptedMethods(shop.shop.id);
      vietqr_ok = vietqr_ok && methods.ok() &&
                  std::find(methods->begin(), methods->end(), "vietqr") != methods->end();
    }
    data["vietqr_ok"] = vietqr_ok;
    data["vietqr_chosen"] = vietqr_ok && form.Value("payment_method") == "vietqr";
    return renderer_.Render(request, "checkout", std::move(data), status);
  }

  // The shipping fee and total of each shop, and the grand total, once the
  // buyer's commune is known ("estimate" in the cart data; "quoted" is the
  // commune they were priced for).
  void AddEstimate(nlohmann::json& cart, const orders::CartView& view, const std::string& commune) {
    if (commune.empty() || !places_.IsCommune(commune)) return;
    auto estimate = orders::EstimateShipping(view, commune, carrier_, places_);
    if (!estimate.ok()) return;  // the order itself will say what is wrong
    for (std::size_t i = 0; i < view.shops.size() && i < cart["shops"].size(); ++i) {
      for (const auto& shop : estimate->shops) {
        if (shop.seller_id != view.shops[i].shop.id) continue;
        cart["shops"][i]["fee"] = Price(shop.shipping_fee_vnd);
        cart["shops"][i]["total"] = Price(shop.total_vnd);
      }
    }
    cart["estimate"] = {{"shipping", Price(estimate->shipping_fee_vnd)},
                        {"total", Price(estimate->total_vnd)}};
    cart["quoted"] = commune;
  }

  // The form starts from the address the buyer used last (or the saved one
  // picked with ?dia-chi=<id>), so its fee shows at once; without any, from
  // the account's name and phone.
  http::Response CheckoutPage(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form;
    form.Set("full_name", request.principal->full_name);
    form.Set("phone", request.principal->phone);
    auto saved = addresses_.List(request.principal->user_id);
    const std::vector<orders::SavedAddress> book = saved.ok() ? *saved : std::vector<orders::SavedAddress>{};
    const auto wanted = ParseCount(request.Query("dia-chi").value_or(""));
    const orders::SavedAddress* chosen = book.empty() ? nullptr : &book.front();
    for (const auto& entry : book) {
      if (wanted && entry.id == *wanted) chosen = &entry;
    }
    if (chosen != nullptr && places_.IsCommune(chosen->address.commune_code)) {
      form.Set("full_name", chosen->address.full_name);
      form.Set("phone", chosen->address.phone);
      form.Set("address_line", chosen->address.address_line);
      form.Set("province", places_.ProvinceOf(chosen->address.commune_code).value_or(""));
      form.Set("commune_code", chosen->address.commune_code);
    }
    if (auto province = request.Query("province")) form.Set("province", *province);
    nlohmann::json choices = nlohmann::json::array();
    for (const auto& entry : book) {
      choices.push_back({{"href", std::string(kCheckoutPath) + "?dia-chi=" + std::to_string(entry.id)},
                         {"label", entry.address.full_name + " · " + entry.address.address_line + ", " +
                                       places_.FullName(entry.address.commune_code)},
                         {"current", &entry == chosen}});
    }
    return CheckoutForm(request, form, 200, std::move(choices));
  }

  http::Response Checkout(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    // Step one without JavaScript: the province was chosen, show its communes.
    if (form.Value("step") == "province") return CheckoutForm(request, form);
    form.Required("full_name");
    form.Required("phone");
    form.Required("address_line");
    if (form.Value("commune_code").empty()) form.AddError("commune_code", "errors.choose_commune");
    if (!form.ok()) return CheckoutForm(request, form, 422);
    // The fee and total are shown before the order is placed: an address
    // whose fee the buyer has not seen yet (the commune was just chosen, or
    // changed) shows them first, and the next tap orders.
    if (form.Value("quoted") != form.Value("commune_code")) return CheckoutForm(request, form);
    const std::string method = form.Value("payment_method") == "vietqr" ? "vietqr" : "cod";
    nlohmann::json body = {{"from_cart", true},
                           {"payment_method", method},
                           {"note", form.Value("note")},
                           {"shipping_address",
                            {{"full_name", form.Value("full_name")},
                             {"phone", form.Value("phone")},
                             {"address_line", form.Value("address_line")},
                             {"commune_code", form.Value("commune_code")}}}};
    std::string key = form.Value("idempotency_key");
    if (key.empty()) key = ids::RandomToken(kIdempotencyKeyBytes);
    auto result = orders_.Checkout(*request.principal, key, body);
    if (!result.ok()) {
      form.AddErrors(result.error(), {{"shipping_address.full_name", "full_name"},
                                      {"shipping_address.phone", "phone"},
                                      {"shipping_address.address_line", "address_line"},
                                      {"shipping_address.commune_code", "commune_code"}});
      return CheckoutForm(request, form, 422);
    }
    // One VietQR order: straight to its QR code (several: the confirmation lists them).
    const auto& placed = result->body["orders"];
    if (method == "vietqr" && placed.size() == 1) {
      return http::Response::Redirect("/thanh-toan/" +
                                      std::to_string(placed[0].value("id", std::int64_t{0})));
    }
    return http::Response::Redirect(std::string(kConfirmationPath) +
                                    "?ma=" + http::UrlEncode(result->body.value("checkout_id", "")));
  }

  http::Response Confirmation(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    const std::string checkout_id = request.Query("ma").value_or("");
    orders::ListOptions options;
    options.limit = kConfirmationScan;
    auto page = orders_.ListForBuyer(*request.principal, options);
    if (!page.ok()) return renderer_.ErrorPage(request, page.error());
    nlohmann::json placed = nlohmann::json::array();
    std::int64_t total = 0;
    for (const auto& order : page->items) {
      if (checkout_id.empty() || order.value("checkout_id", "") != checkout_id) continue;
      total += order.value("total_vnd", std::int64_t{0});
      nlohmann::json summary = OrderSummary(renderer_, request, order);
      summary["pay_online"] = order.value("payment_method", "") == "vietqr";
      placed.push_back(std::move(summary));
    }
    if (placed.empty()) return renderer_.NotFound(request);
    return renderer_.Render(request, "confirmation",
                            {{"title", renderer_.T(request, "confirmation.title")},
                             {"noindex", true},
                             {"orders", std::move(placed)},
                             {"total", Price(total)}});
  }

  // ---- my orders

  http::Response MyOrders(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    orders::ListOptions options;
    if (auto cursor = request.Query("cursor")) options.cursor = *cursor;
    auto page = orders_.ListForBuyer(*request.principal, options);
    if (!page.ok()) return renderer_.ErrorPage(request, page.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& order : page->items) list.push_back(OrderSummary(renderer_, request, order));
    nlohmann::json data = {
        {"title", renderer_.T(request, "orders.title")}, {"noindex", true}, {"orders", std::move(list)}};
    data["has_orders"] = !data["orders"].empty();
    if (page->next_cursor)
      data["next_url"] = std::string(kOrdersPath) + "?cursor=" + http::UrlEncode(*page->next_cursor);
    return renderer_.Render(request, "orders", std::move(data));
  }

  http::Response OrderPage(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id || *id <= 0) return renderer_.NotFound(request);
    auto order = orders_.Get(*request.principal, *id);
    if (!order.ok()) return renderer_.ErrorPage(request, order.error());
    nlohmann::json data = OrderDetail(renderer_, request, *order, OrderAudience::kBuyer);
    data["title"] = renderer_.T(request, "orders.order") + " " + order->value("code", "");
    data["noindex"] = true;
    if (auto error = request.Query("loi")) {
      const std::string key = "errors.type." + *error;
      data["error"] =
          renderer_.T(request, renderer_.translations().Has(Lang::kVi, key) ? key : "errors.generic");
    }
    return renderer_.Render(request, "order", std::move(data));
  }

  // The buyer cancels (before shipping) or returns (within the window).
  http::Response Transition(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id || *id <= 0) return renderer_.NotFound(request);
    Form form(request);
    orders::TransitionInput input{form.Value("to"), form.Value("reason"), form.Value("tracking_code")};
    auto moved = orders_.Transition(*request.principal, *id, input);
    std::string target = std::string(kOrdersPath) + "/" + std::to_string(*id);
    if (!moved.ok()) {
      if (moved.error().code == ErrorCode::kNotFound) return renderer_.NotFound(request);
      target += "?loi=" + http::UrlEncode(moved.error().type);
    }
    return http::Response::Redirect(target);
  }

 private:
  const Renderer& renderer_;
  orders::CartService& carts_;
  orders::OrderService& orders_;
  orders::Carrier& carrier_;
  const places::PlaceService& places_;
  orders::AddressBook& addresses_;
  payments::PaymentService& payments_;
};

}  // namespace

void AddOrderPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<OrderPages>(renderer, services);
  const http::RouteOptions read{.max_body = 0};
  const http::RouteOptions form{.max_body = kFormMaxBody};
  router.Get(
      std::string(kCartPath), [pages](http::Request& r) { return pages->Cart(r); }, read);
  router.Post(
      std::string(kCartPath) + "/them", [pages](http::Request& r) { return pages->Add(r); }, form);
  router.Post(
      std::string(kCartPath) + "/sua", [pages](http::Request& r) { return pages->Update(r); }, form);
  router.Get(
      std::string(kCheckoutPath), [pages](http::Request& r) { return pages->CheckoutPage(r); }, read);
  router.Post(
      std::string(kCheckoutPath), [pages](http::Request& r) { return pages->Checkout(r); }, form);
  router.Get(
      std::string(kConfirmationPath), [pages](http::Request& r) { return pages->Confirmation(r); }, read);
  router.Get(
      std::string(kOrdersPath), [pages](http::Request& r) { return pages->MyOrders(r); }, read);
  router.Get(
      std::string(kOrdersPath) + "/{id}", [pages](http::Request& r) { return pages->OrderPage(r); }, read);
  router.Post(
      std::string(kOrdersPath) + "/{id}/trang-thai",
      [pages](http::Request& r) { return pages->Transition(r); }, form);
}

}  // namespace nongsan::web::detail
