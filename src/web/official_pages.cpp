// The officials' pages, for commune officers (within their communes) and the
// province's administration (within the province): the queue of pending
// certificates with their evidence shown inline, verified or rejected with a
// reason; the shops of their area to verify, suspend or reinstate with a
// reason, or a shop waiting for verification sent back to its owner with
// what to correct; a shop's enforcement history. Every decision goes through the
// service that already checks the officer's area and writes the audit log
// (quality's certificates and enforcement, sellers' verification), and the
// page says afterwards what was done.
#include <algorithm>
#include <set>

#include "accounts/auth.hpp"
#include "places/places.hpp"
#include "quality/quality_module.hpp"
#include "sellers/seller_service.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/quality_views.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kCertQueuePath = "/can-bo/chung-nhan";
constexpr std::string_view kShopsPath = "/can-bo/cua-hang";
constexpr std::string_view kProductsPath = "/can-bo/san-pham";
// Certificates shown in the queue at once; the oldest come first.
constexpr std::size_t kCertQueueSize = 50;
// The shop statuses the shops page lists as tabs, in order.
constexpr std::string_view kShopTabs[] = {"pending", "verified", "suspended"};
// Shops per page of a tab: each carries a form, and a province has thousands.
constexpr std::size_t kShopsPerPage = 20;

const Principal* Who(const http::Request& request) {
  return request.principal ? &*request.principal : nullptr;
}

bool IsOfficial(const Principal& principal) {
  return principal.Has(Role::kCommuneOfficer) || principal.Has(Role::kProvinceAdmin);
}

std::string ShopUrl(const sellers::Seller& shop) {
  return shop.type == sellers::SellerType::kCooperative ? CoopPath(shop.name, shop.id)
                                                        : ShopPath(shop.name, shop.id);
}

class OfficialPages {
 public:
  OfficialPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        quality_(*services.quality),
        sellers_(*services.sellers),
        places_(*services.places) {}

  // ---- certificates

  // The queue; `failed` re-shows one certificate's reject form with its error.
  http::Response CertQueue(const http::Request& request, const Form* failed = nullptr,
                           std::int64_t failed_id = 0) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    if (!IsOfficial(*request.principal)) return renderer_.ErrorPage(request, Error::Forbidden());
    auto pending = quality_.certificates.PendingForOfficer(Who(request), kCertQueueSize);
    if (!pending.ok()) return renderer_.ErrorPage(request, pending.error());
    const Lang lang = renderer_.LangOf(request);
    const auto names = ProductNames(*pending);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& certificate : *pending) {
      nlohmann::json item = CertificateView(certificate, names, renderer_.translations(), lang);
      if (auto shop = sellers_.Get(certificate.seller_id); shop.ok()) {
        item["shop"] = {
            {"name", shop->name}, {"url", ShopUrl(*shop)}, {"place", places_.FullName(shop->commune_code)}};
      }
      // The service's warnings are for API clients; the page says it in the reader's language.
      if (!quality::ValidityWarnings(certificate.kind, certificate.issued_day, certificate.expires_day)
               .empty()) {
        item["warning"] = renderer_.T(request, "officials.warning_validity");
      }
      Form empty;
      const Form& form = failed && certificate.id == failed_id ? *failed : empty;
      item["form"] = form.View(renderer_.translations(), lang);
      items.push_back(std::move(item));
    }
    nlohmann::json data = {{"title", renderer_.T(request, "officials.cert_title")},
                           {"certificates", std::move(items)},
                           {"empty", pending->empty()},
                           {"noindex", true}};
    if (auto done = request.Query("xong"))
      data["done"] = DoneMessage(request, *done, request.Query("so").value_or(""));
    return renderer_.Render(request, "officials/certificates", std::move(data), failed ? 422 : 200);
  }

  http::Response DecideCert(http::Request& request, bool verify) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = accounts::IdParam(request, "id", "certificate");
    if (!id.ok()) return renderer_.ErrorPage(request, id.error());
    // The service checks the officer's area before the reason, so the answer
    // never tells an outsider more than the API does.
    Form form(request);
    auto decided = verify ? quality_.certificates.Verify(Who(request), *id)
                          : quality_.certificates.Reject(Who(request), *id, form.Value("reason"));
    if (!decided.ok()) {
      if (decided.error().code == ErrorCode::kInvalid && !decided.error().fields.empty()) {
        form.AddErrors(decided.error());
        return CertQueue(request, &form, *id);
      }
      return renderer_.ErrorPage(request, decided.error());
    }
    return http::Response::Redirect(std::string(kCertQueuePath) +
                                    "?xong=" + (verify ? "verified" : "rejected") +
                                    "&so=" + http::UrlEncode(decided->number));
  }

  // ---- shops

  http::Response Shops(const http::Request& request, const Form* failed = nullptr,
                       std::int64_t failed_id = 0) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    if (!IsOfficial(*request.principal)) return renderer_.ErrorPage(request, Error::Forbidden());
    std::string tab = request.Query("trang-thai").value_or(std::string(kShopTabs[0]));
    if (std::find(std::begin(kShopTabs), std::end(kShopTabs), tab) == std::end(kShopTabs)) {
      tab = std::string(kShopTabs[0]);
    }
    // A form that comes back is shown on the tab where its shop is.
    if (failed) {
      if (auto shop = sellers_.Get(failed_id); shop.ok()) tab = sellers::SellerStatusName(shop->status);
    }
    auto shops = sellers_.ListForOfficer(*request.principal, tab, "");
    if (!shops.ok()) return renderer_.ErrorPage(request, shops.error());
    const Lang lang = renderer_.LangOf(request);
    const std::size_t page =
        std::max<std::int64_t>(1, ParseCount(request.Query("trang").value_or("1")).value_or(1));
    const std::size_t first = std::min(shops->size(), (page - 1) * kShopsPerPage);
    const std::size_t last = std::min(shops->size(), first + kShopsPerPage);
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = first; i < last; ++i) {
      const sellers::Seller& shop = (*shops)[i];
      // A form that comes back is shown whatever page was asked for.
      if (failed && shop.id != failed_id) continue;
      Form empty;
      const Form& form = failed && shop.id == failed_id ? *failed : empty;
      items.push_back({{"id", shop.id},
                       {"name", shop.name},
                       {"url", ShopUrl(shop)},
                       {"place", places_.FullName(shop.commune_code)},
                       {"address", shop.address_line},
                       {"phone", shop.phone},
                       {"opened", Date(shop.created_at)},
                       {"reason", shop.status_reason},
                       {"pending", shop.status == sellers::SellerStatus::kPending},
                       {"sent_back", shop.AwaitingCorrection()},
                       {"verified", shop.status == sellers::SellerStatus::kVerified},
                       {"suspended", shop.status == sellers::SellerStatus::kSuspended},
                       {"history_url", std::string(kShopsPath) + "/" + std::to_string(shop.id) + "/lich-su"},
                       {"form", form.View(renderer_.translations(), lang)}});
    }
    nlohmann::json tabs = nlohmann::json::array();
    for (std::string_view name : kShopTabs) {
      tabs.push_back({{"href", std::string(kShopsPath) + "?trang-thai=" + std::string(name)},
                      {"label", renderer_.T(request, "officer.status_" + std::string(name))},
                      {"current", name == tab}});
    }
    const std::string tab_url = std::string(kShopsPath) + "?trang-thai=" + tab;
    nlohmann::json data = {
        {"title", renderer_.T(request, "officials.shops_title")},
        {"next_url", last < shops->size() && !failed ? tab_url + "&trang=" + std::to_string(page + 1) : ""},
        {"prev_url", page > 1 && !failed ? tab_url + "&trang=" + std::to_string(page - 1) : ""},
        {"tabs", std::move(tabs)},
        {"shops", std::move(items)},
        {"empty", shops->empty()},
        {"tab", tab},
        {"noindex", true}};
    if (auto done = request.Query("xong"))
      data["done"] = DoneMessage(request, *done, request.Query("ten").value_or(""));
    return renderer_.Render(request, "officials/shops", std::move(data), failed ? 422 : 200);
  }

  enum class ShopAction { kVerify, kReject, kSuspend, kReinstate };

  http::Response DecideShop(http::Request& request, ShopAction action) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = accounts::IdParam(request, "id", "shop");
    if (!id.ok()) return renderer_.ErrorPage(request, id.error());
    Form form(request);
    std::string done;
    if (action == ShopAction::kVerify) {
      auto verified = sellers_.Verify(*request.principal, *id, accounts::ClientOf(request));
      if (!verified.ok()) return renderer_.ErrorPage(request, verified.error());
      done = "shop_verified";
    } else if (action == ShopAction::kReject) {
      // The sellers service checks the officer's area and audits; the owner
      // reads the reason on their dashboard and resubmits.
      auto rejected =
          sellers_.Reject(*request.principal, *id, form.Value("reason"), accounts::ClientOf(request));
      if (!rejected.ok()) {
        if (rejected.error().code == ErrorCode::kInvalid && !rejected.error().fields.empty()) {
          form.AddErrors(rejected.error());
          return Shops(request, &form, *id);
        }
        return renderer_.ErrorPage(request, rejected.error());
      }
      done = "shop_rejected";
    } else {
      const bool suspend = action == ShopAction::kSuspend;
      // Quality's enforcement suspends through the sellers service, holds the
      // shop's open orders and keeps the history shown below.
      auto acted = suspend ? quality_.complaints.Suspend(Who(request), quality::EnforcementTarget::kShop, *id,
                                                         form.Value("reason"), std::nullopt)
                           : quality_.complaints.Reinstate(Who(request), quality::EnforcementTarget::kShop,
                                                           *id, form.Value("reason"));
      if (!acted.ok()) {
        if (acted.error().code == ErrorCode::kInvalid && !acted.error().fields.empty()) {
          form.AddErrors(acted.error());
          return Shops(request, &form, *id);
        }
        return renderer_.ErrorPage(request, acted.error());
      }
      done = suspend ? "shop_suspended" : "shop_reinstated";
    }
    // Back to the tab where the shop now is (a shop never verified returns to pending).
    auto shop = sellers_.Get(*id);
    if (!shop.ok()) return renderer_.ErrorPage(request, shop.error());
    return http::Response::Redirect(std::string(kShopsPath) +
                                    "?trang-thai=" + std::string(sellers::SellerStatusName(shop->status)) +
                                    "&xong=" + done + "&ten=" + http::UrlEncode(shop->name));
  }

  // `failed` re-shows one suspended product's reinstatement form with its error.
  http::Response History(const http::Request& request, const Form* failed = nullptr,
                         std::int64_t failed_id = 0) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = accounts::IdParam(request, "id", "shop");
    if (!id.ok()) return renderer_.ErrorPage(request, id.error());
    auto actions = quality_.complaints.History(Who(request), *id);
    if (!actions.ok()) return renderer_.ErrorPage(request, actions.error());
    auto shop = sellers_.Get(*id);
    if (!shop.ok()) return renderer_.ErrorPage(request, shop.error());
    std::vector<std::int64_t> product_ids;
    for (const auto& action : *actions) {
      if (action.target == quality::EnforcementTarget::kProduct) product_ids.push_back(action.target_id);
    }
    std::map<std::int64_t, std::string> names;
    // Products suspended now, each with the form to reinstate it (a suspended
    // product has no public page to act from).
    nlohmann::json suspended = nlohmann::json::array();
    const Lang lang = renderer_.LangOf(request);
    if (auto products = quality_.products->FindMany(product_ids); products.ok()) {
      std::set<std::int64_t> listed;
      for (const auto& product : *products) {
        names[product.id] = product.name;
        if (!product.suspended || !listed.insert(product.id).second) continue;
        Form empty;
        const Form& form = failed && product.id == failed_id ? *failed : empty;
        suspended.push_back({{"id", product.id},
                             {"name", product.name},
                             {"form", form.View(renderer_.translations(), lang)}});
      }
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& action : *actions) {
      const bool product = action.target == quality::EnforcementTarget::kProduct;
      items.push_back(EnforcementView(action, product ? names[action.target_id] : shop->name,
                                      renderer_.translations(), lang));
    }
    nlohmann::json data = {{"title", renderer_.T(request, "officials.history_title") + ": " + shop->name},
                           {"shop", {{"name", shop->name}, {"url", ShopUrl(*shop)}}},
                           {"actions", std::move(items)},
                           {"empty", actions->empty()},
                           {"has_suspended", !suspended.empty()},
                           {"suspended_products", std::move(suspended)},
                           {"noindex", true}};
    if (auto done = request.Query("xong");
        done && (*done == "product_suspended" || *done == "product_reinstated")) {
      data["done"] = renderer_.T(request, "officials.done_" + *done);
    }
    return renderer_.Render(request, "officials/history", std::move(data), failed ? 422 : 200);
  }

  // A product suspended (from its page) or reinstated (from its shop's
  // history) with a reason, through quality's enforcement, which checks the
  // officer's area, holds the open orders and keeps the history.
  http::Response DecideProduct(http::Request& request, bool suspend) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = accounts::IdParam(request, "id", "product");
    if (!id.ok()) return renderer_.ErrorPage(request, id.error());
    Form form(request);
    auto acted = suspend ? quality_.complaints.Suspend(Who(request), quality::EnforcementTarget::kProduct,
                                                       *id, form.Value("reason"), std::nullopt)
                         : quality_.complaints.Reinstate(Who(request), quality::EnforcementTarget::kProduct,
                                                         *id, form.Value("reason"));
    if (!acted.ok()) {
      // A reinstatement without its reason comes back on the history page;
      // the suspension form lives on the public product page, so its
      // missing reason is the error page with the message.
      const bool field_error = acted.error().code == ErrorCode::kInvalid && !acted.error().fields.empty();
      if (field_error && !suspend) {
        auto refs = quality_.products->FindMany({*id});
        if (refs.ok() && !refs->empty()) {
          form.AddErrors(acted.error());
          request.params["id"] = std::to_string(refs->front().seller_id);
          return History(request, &form, *id);
        }
      }
      return renderer_.ErrorPage(request, acted.error());
    }
    return http::Response::Redirect(
        std::string(kShopsPath) + "/" + std::to_string(acted->seller_id) +
        "/lich-su?xong=" + (suspend ? "product_suspended" : "product_reinstated"));
  }

 private:
  std::map<std::int64_t, std::string> ProductNames(const std::vector<quality::Certificate>& certificates) {
    std::set<std::int64_t> unique;
    for (const auto& certificate : certificates)
      unique.insert(certificate.product_ids.begin(), certificate.product_ids.end());
    std::map<std::int64_t, std::string> names;
    auto products = quality_.products->FindMany({unique.begin(), unique.end()});
    if (products.ok()) {
      for (const auto& product : *products) names[product.id] = product.name;
    }
    return names;
  }

  // "Đã xác nhận chứng nhận VietGAP-TN-0042." for ?xong=verified&so=…
  std::string DoneMessage(const http::Request& request, const std::string& done, const std::string& subject) {
    static const std::set<std::string, std::less<>> kKnown = {
        "verified", "rejected", "shop_verified", "shop_rejected", "shop_suspended", "shop_reinstated"};
    if (!kKnown.contains(done)) return "";
    return renderer_.T(request, "officials.done_" + done) + " " + subject;
  }

  const Renderer& renderer_;
  quality::QualityModule& quality_;
  sellers::SellerService& sellers_;
  const places::PlaceService& places_;
};

}  // namespace

void AddOfficialPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<OfficialPages>(renderer, services);
  const http::RouteOptions read{.max_body = 0};
  const http::RouteOptions form{.max_body = kFormMaxBody};
  const std::string certs(kCertQueuePath);
  const std::string shops(kShopsPath);
  router.Get(
      certs, [pages](http::Request& r) { return pages->CertQueue(r); }, read);
  router.Post(
      certs + "/{id}/xac-nhan", [pages](http::Request& r) { return pages->DecideCert(r, true); }, form);
  router.Post(
      certs + "/{id}/tu-choi", [pages](http::Request& r) { return pages->DecideCert(r, false); }, form);
  router.Get(
      shops, [pages](http::Request& r) { return pages->Shops(r); }, read);
  using Action = OfficialPages::ShopAction;
  router.Post(
      shops + "/{id}/xac-minh", [pages](http::Request& r) { return pages->DecideShop(r, Action::kVerify); },
      form);
  router.Post(
      shops + "/{id}/tu-choi", [pages](http::Request& r) { return pages->DecideShop(r, Action::kReject); },
      form);
  router.Post(
      shops + "/{id}/tam-ngung", [pages](http::Request& r) { return pages->DecideShop(r, Action::kSuspend); },
      form);
  router.Post(
      shops + "/{id}/mo-lai", [pages](http::Request& r) { return pages->DecideShop(r, Action::kReinstate); },
      form);
  router.Get(
      shops + "/{id}/lich-su", [pages](http::Request& r) { return pages->History(r); }, read);
  const std::string products(kProductsPath);
  router.Post(
      products + "/{id}/tam-ngung", [pages](http::Request& r) { return pages->DecideProduct(r, true); },
      form);
  router.Post(
      products + "/{id}/mo-lai", [pages](http::Request& r) { return pages->DecideProduct(r, false); }, form);
}

}  // namespace nongsan::web::detail
