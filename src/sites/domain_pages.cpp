#include "sites/domain_pages.hpp"

#include <nlohmann/json.hpp>

#include "accounts/auth.hpp"
#include "core/clock.hpp"
#include "sites/routes.hpp"
#include "sites/site_rules.hpp"
#include "sites/sites_module.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/renderer.hpp"

namespace nongsan::sites {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

// A decision form: the CSRF token and a reason.
constexpr std::size_t kDecisionFormMaxBody = 8 * 1024;

const Principal* Who(const Request& request) { return request.principal ? &*request.principal : nullptr; }

class DomainPages {
 public:
  DomainPages(const web::Renderer& renderer, SitesModule& module) : renderer_(renderer), m_(module) {}

  // The queue; `failed` re-shows one shop's refusal form with its error.
  Response List(const Request& request, const web::Form* failed = nullptr, std::int64_t failed_id = 0) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto pending = m_.sites.PendingDomains(Who(request));
    if (!pending.ok()) return renderer_.ErrorPage(request, pending.error());
    const web::Lang lang = renderer_.LangOf(request);
    json items = json::array();
    for (const SiteSettings& s : *pending) {
      auto shop = m_.shops->View(Who(request), s.seller_id);
      if (!shop.ok()) continue;  // gone meanwhile
      const std::string domain = s.custom_domain.value_or("");
      const std::string shown = DomainForDisplay(domain);
      web::Form empty;
      const web::Form& form = failed && s.seller_id == failed_id ? *failed : empty;
      const std::string base = std::string(kDomainsPath) + "/" + std::to_string(s.seller_id);
      items.push_back({{"id", s.seller_id},
                       {"shop", shop->name},
                       {"place", shop->place},
                       {"domain", shown},
                       {"ascii", shown != domain ? domain : ""},
                       {"site_path", SitePath(shop->name, shop->id)},
                       {"since", web::DateTime(s.updated_at)},
                       {"approve_url", base + "/duyet"},
                       {"reject_url", base + "/tu-choi"},
                       {"form", form.View(renderer_.translations(), lang)}});
    }
    json data = {{"title", "Tên miền trang web của cửa hàng"},
                 {"noindex", true},
                 {"domains", std::move(items)},
                 {"empty", pending->empty()}};
    if (auto done = request.Query("xong"); done && (*done == "duyet" || *done == "tu-choi")) {
      const std::string name = request.Query("ten").value_or("");
      data["done"] =
          (*done == "duyet" ? "Đã duyệt tên miền " + name + ": trang web của cửa hàng chạy trên tên miền này."
                            : "Đã từ chối tên miền " + name + "; cửa hàng sẽ thấy lý do.");
    }
    return renderer_.Render(request, "officials/domains", std::move(data), failed ? 422 : 200);
  }

  Response Decide(Request& request, bool approve) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = accounts::IdParam(request, "id", "shop");
    if (!id.ok()) return renderer_.ErrorPage(request, id.error());
    web::Form form(request);
    auto decided = approve ? m_.sites.ApproveDomain(Who(request), *id)
                           : m_.sites.RejectDomain(Who(request), *id, form.Value("reason"));
    if (!decided.ok()) {
      if (decided.error().code == ErrorCode::kInvalid && !decided.error().fields.empty()) {
        form.AddError("reason", "errors.field.domain_reason");
        return List(request, &form, *id);
      }
      return renderer_.ErrorPage(request, decided.error());
    }
    const std::string domain = approve ? decided->custom_domain.value_or("") : decided->refused_domain;
    return Response::Redirect(std::string(kDomainsPath) + "?xong=" + (approve ? "duyet" : "tu-choi") +
                              "&ten=" + http::UrlEncode(DomainForDisplay(domain)));
  }

 private:
  const web::Renderer& renderer_;
  SitesModule& m_;
};

}  // namespace

void AddDomainPages(http::Router& router, const web::Renderer& renderer, SitesModule& module) {
  auto pages = std::make_shared<DomainPages>(renderer, module);
  const std::string path(kDomainsPath);
  router.Get(path, [pages](Request& r) { return pages->List(r); }, {.max_body = 0});
  router.Post(path + "/{id}/duyet", [pages](Request& r) { return pages->Decide(r, true); },
              {.max_body = kDecisionFormMaxBody});
  router.Post(path + "/{id}/tu-choi", [pages](Request& r) { return pages->Decide(r, false); },
              {.max_body = kDecisionFormMaxBody});
}

}  // namespace nongsan::sites
