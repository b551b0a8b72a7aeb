// Authorization rows of the province admin's domain page (/can-bo/ten-mien):
// only the admin of shop_a's province lists and decides; commune officers and
// the shop's people are refused (403), anyone with no part in the shop gets
// 404 for the decisions. Rows check that a domain is approved or refused only
// by those allowed.
#include <atomic>
#include <stdexcept>

#include "app/services.hpp"
#include "sites/domain_pages.hpp"
#include "sites/sites_module.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using namespace pages;
using A = Actor;

// anon buyer owner staff other coop offIn offOut admin
constexpr Expect kList{kSeeOther, 403, 403, 403, 403, 403, 403, 403, 200};
constexpr Expect kDecide{kSeeOther, 404, 403, 403, 404, 403, 403, 404, kSeeOther};
constexpr Expect kDecideRefused{kSeeOther, 404, 403, 403, 404, 403, 403, 404, 422};
const Where kDecideWhere{kSignIn, nullptr, nullptr, nullptr,           nullptr,
                         nullptr, nullptr, nullptr, "/can-bo/ten-mien"};

sites::SiteService& Sites(AuthzWorld& w) { return w.app.app().services().sites->sites; }

// shop_a asks for a domain no other row used; returns it.
std::string AskForDomain(AuthzWorld& w) {
  static std::atomic<int> next{0};
  const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
  sites::SiteInput input;
  input.tagline = "Chè Đức Xuân";
  input.custom_domain = "che-trang-" + std::to_string(next.fetch_add(1)) + ".example.vn";
  auto put = Sites(w).Put(&owner, w.shop_a, input);
  if (!put.ok()) throw std::runtime_error("site: " + put.error().detail);
  return input.custom_domain;
}

// What shop_a's settings say after the row: approved, refused or still waiting.
std::string DomainState(AuthzWorld& w, const std::string& domain) {
  const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
  auto s = Sites(w).Get(&owner, w.shop_a);
  if (!s.ok()) throw std::runtime_error("site: " + s.error().detail);
  if (s->refused_domain == domain && !s->custom_domain) return "refused";
  if (s->custom_domain != domain) return "changed";
  return s->domain_status == sites::DomainStatus::kApproved ? "approved" : "pending";
}

AuthzRequest Decision(AuthzWorld& w, bool forged, bool approve, const std::string& reason) {
  const std::string domain = AskForDomain(w);
  AuthzRequest r;
  r.params["id"] = std::to_string(w.shop_a);
  r.form = "reason=" + Encode(reason);
  r.csrf_page = "/";
  const bool valid = approve || reason.size() >= sites::kMinDomainRefusalChars;
  r.after = [forged, approve, valid, domain](AuthzWorld& w, const ClientResponse&) {
    const bool decides = Genuine(w, forged) && valid && w.actor == A::kProvinceAdmin;
    EXPECT_EQ(DomainState(w, domain), decides ? (approve ? "approved" : "refused") : "pending");
  };
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(domain_pages) {
  AuthzCaseList rows;
  const std::string path(sites::kDomainsPath);
  rows.push_back(Get(path, "shop_a's domain waiting", kList, kSignedInWhere, [](AuthzWorld& w) {
    const std::string domain = AskForDomain(w);
    AuthzRequest r;
    r.after = [domain](AuthzWorld&, const ClientResponse& response) {
      if (response.status != 200) return;
      EXPECT_TRUE(Contains(response, domain)) << "the admin's queue lists it";
    };
    return r;
  }));
  AddPost(rows, path + "/{id}/duyet", "shop_a's domain", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) { return Decision(w, forged, true, ""); });
  AddPost(rows, path + "/{id}/tu-choi", "shop_a's domain", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) {
            return Decision(w, forged, false, "Tên miền trùng thương hiệu của đơn vị khác");
          });
  rows.push_back(Page("POST", path + "/{id}/tu-choi", "no reason", kDecideRefused, kDecideWhere,
                      [](AuthzWorld& w) { return Decision(w, false, false, ""); }));
  return rows;
}

}  // namespace nongsan::testing
