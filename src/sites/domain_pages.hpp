// The province admin's page for shops' website domains (in Vietnamese):
//   GET  /can-bo/ten-mien                 the domains waiting in the admin's
//                                         province, oldest request first, each
//                                         with its Unicode and xn-- forms and
//                                         the shop's site
//   POST /can-bo/ten-mien/{id}/duyet      approves shop {id}'s domain
//   POST /can-bo/ten-mien/{id}/tu-choi    refuses it with a reason the shop reads
// The decisions are SiteService::ApproveDomain / RejectDomain (audited there);
// a refusal without a reason comes back with the message beside the field.
#pragma once

#include <string_view>

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::sites {

struct SitesModule;

inline constexpr std::string_view kDomainsPath = "/can-bo/ten-mien";

void AddDomainPages(http::Router& router, const web::Renderer& renderer, SitesModule& module);

}  // namespace nongsan::sites
