// Internal to src/web: what every seller-centre page shares — which shop is
// being run (?shop=ID, else the `kenh_ban` cookie, else the first shop the
// person manages; an officer helping a household runs its shop when the
// sellers service says they may), the shop switcher and header every centre
// page shows, and the CSRF check of the multipart forms (photos, evidence
// files) that the CSRF hook cannot read. SellerService decides every
// permission. Thread-safe: holds references only. Pages outside src/web use
// its public face, web/centre_page.hpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>
#include <vector>

#include "http/multipart.hpp"
#include "http/request.hpp"
#include "sellers/seller_service.hpp"
#include "web/centre_page.hpp"
#include "web/forms.hpp"
#include "web/renderer.hpp"

namespace nongsan::web::detail {

inline constexpr std::string_view kCentre = "/kenh-ban";
inline constexpr std::string_view kShopCookie = "kenh_ban";

class SellerCentre {
 public:
  SellerCentre(const Renderer& renderer, sellers::SellerService& sellers)
      : renderer_(renderer), sellers_(sellers) {}

  using Context = CentreContext;

  // The shops this person may run: their own, and every member shop of a
  // cooperative they manage.
  std::vector<sellers::Seller> ManagedShops(const Principal& principal);
  // The shop being run, or the response to send instead (sign in, open a shop).
  std::variant<Context, http::Response> CurrentShop(const http::Request& request);
  // Renders a centre page with the shop's header and switcher.
  http::Response Render(const http::Request& request, const Context& context, std::string_view name,
                        nlohmann::json data, int status = 200);
  // The multipart form's csrf_token matches the session's.
  bool CsrfOk(const http::Request& request, const std::vector<http::MultipartPart>& parts) const;

 private:
  const Renderer& renderer_;
  sellers::SellerService& sellers_;
};

// The plain fields of a multipart form (files left out), trimmed.
Form FormFromParts(const std::vector<http::MultipartPart>& parts);

}  // namespace nongsan::web::detail
