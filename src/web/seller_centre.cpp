#include "web/seller_centre.hpp"

#include <algorithm>

#include "accounts/auth.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "web/format.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

// The shops this person may run: their own, and every member shop of a
// cooperative they manage.
std::vector<sellers::Seller> SellerCentre::ManagedShops(const Principal& principal) {
  std::vector<sellers::Seller> shops;
  auto mine = sellers_.ListMine(principal);
  if (!mine.ok()) return shops;
  for (const auto& shop : *mine) {
    shops.push_back(shop);
    if (shop.type != sellers::SellerType::kCooperative ||
        !principal.Has(Role::kCoopManager, std::to_string(shop.id))) {
      continue;
    }
    if (auto members = sellers_.ListMembers(shop.id); members.ok()) {
      for (const auto& membership : *members) shops.push_back(membership.member);
    }
  }
  return shops;
}

// The shop being run, or the response to send instead (sign in, open a shop).
std::variant<SellerCentre::Context, http::Response> SellerCentre::CurrentShop(const http::Request& request) {
  if (!request.principal) return renderer_.SignInRedirect(request);
  std::vector<sellers::Seller> shops = ManagedShops(*request.principal);
  std::optional<std::int64_t> wanted;
  bool chose = false;
  if (auto query = request.Query("shop")) {
    wanted = ParseCount(*query);
    chose = wanted.has_value();
  } else if (auto cookie = request.Cookie(kShopCookie)) {
    wanted = ParseCount(*cookie);
  }
  // An officer runs a household's shop on its behalf (the officers' page
  // links here with ?shop=) when the sellers service says they may.
  const bool listed = wanted && std::any_of(shops.begin(), shops.end(),
                                            [&](const sellers::Seller& s) { return s.id == *wanted; });
  bool assisting = false;
  if (wanted && !listed && sellers_.CanManage(&*request.principal, *wanted)) {
    if (auto assisted = sellers_.Get(*wanted); assisted.ok()) {
      shops.push_back(std::move(assisted).value());
      assisting = true;
    }
  }
  if (shops.empty()) return http::Response::Redirect(std::string(kCentre) + "/mo-cua-hang");
  const sellers::Seller* current = &shops.front();
  for (const auto& shop : shops) {
    if (wanted && shop.id == *wanted) current = &shop;
  }
  Context context{*current, nlohmann::json::array(), chose, assisting && current->id == *wanted};
  for (const auto& shop : shops) {
    context.switcher.push_back({{"id", shop.id}, {"name", shop.name}, {"selected", shop.id == current->id}});
  }
  return context;
}

http::Response SellerCentre::Render(const http::Request& request, const Context& context,
                                    std::string_view name, nlohmann::json data, int status) {
  data["shop"] = {{"id", context.shop.id},
                  {"name", context.shop.name},
                  {"url", context.shop.type == sellers::SellerType::kCooperative
                              ? CoopPath(context.shop.name, context.shop.id)
                              : ShopPath(context.shop.name, context.shop.id)}};
  data["switcher"] = context.switcher;
  data["many_shops"] = context.switcher.size() > 1;
  // Whoever acts for a household sees it on every page: what they do is
  // recorded in the household's name and theirs.
  data["assisting"] = context.assisting;
  data["noindex"] = true;
  http::Response response = renderer_.Render(request, name, std::move(data), status);
  if (context.chose) {
    response.AddCookie(std::string(kShopCookie) + "=" + std::to_string(context.shop.id) +
                       "; Path=/kenh-ban; HttpOnly; SameSite=Lax");
  }
  return response;
}

bool SellerCentre::CsrfOk(const http::Request& request, const std::vector<http::MultipartPart>& parts) const {
  const http::MultipartPart* token = http::FindPart(parts, accounts::kCsrfFormField);
  const std::string expected = renderer_.CsrfToken(request);
  return token != nullptr && !expected.empty() && ids::SecureEquals(token->data, expected);
}

Form FormFromParts(const std::vector<http::MultipartPart>& parts) {
  Form form;
  for (const auto& part : parts) {
    if (!part.filename.empty() || form.Has(part.name)) continue;
    std::string value = text::Truncate(part.data, kMaxFormValueBytes);
    form.Set(part.name, text::Trim(value));
  }
  return form;
}

}  // namespace nongsan::web::detail

namespace nongsan::web {

std::variant<CentreContext, http::Response> CentrePage::CurrentShop(const http::Request& request) const {
  return detail::SellerCentre(renderer_, sellers_).CurrentShop(request);
}

http::Response CentrePage::Render(const http::Request& request, const CentreContext& context,
                                  std::string_view name, nlohmann::json data, int status) const {
  return detail::SellerCentre(renderer_, sellers_).Render(request, context, name, std::move(data), status);
}

}  // namespace nongsan::web
