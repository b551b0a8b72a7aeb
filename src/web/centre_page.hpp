// The public face of the seller centre for centre pages written outside
// src/web (live's /kenh-ban/livestream): which shop is being run and the
// centre's frame (header, shop switcher) around a page. The choosing of the
// shop (?shop=, the kenh_ban cookie, an officer assisting a household) stays
// internal to src/web (seller_centre.hpp); SellerService decides every
// permission. Thread-safe: holds references only.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "http/request.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::web {

class Renderer;

// The shop a centre page is for.
struct CentreContext {
  sellers::Seller shop;
  nlohmann::json switcher;
  bool chose = false;      // ?shop= given: remember it
  bool assisting = false;  // an officer running a household's shop on its behalf
};

class CentrePage {
 public:
  CentrePage(const Renderer& renderer, sellers::SellerService& sellers)
      : renderer_(renderer), sellers_(sellers) {}

  // The shop being run, or the response to send instead (sign in, open a shop).
  std::variant<CentreContext, http::Response> CurrentShop(const http::Request& request) const;
  // Renders a centre page with the shop's header and switcher.
  http::Response Render(const http::Request& request, const CentreContext& context, std::string_view name,
                        nlohmann::json data, int status = 200) const;

 private:
  const Renderer& renderer_;
  sellers::SellerService& sellers_;
};

}  // namespace nongsan::web
