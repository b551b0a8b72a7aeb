// The seller centre's website set-up page (see site_pages.hpp for the
// paths), made to be filled in on a phone: the fields of PUT
// /api/v1/sellers/{id}/site, the hero chosen among the shop's own product
// photos, the domain's approval state and a link to the live site.
// SiteService decides who may.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::sites {

struct SitesModule;

void AddSettingsPages(http::Router& router, const web::Renderer& renderer, SitesModule& module);

}  // namespace nongsan::sites
