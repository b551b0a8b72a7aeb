// The seller centre's livestream page, for a shop's people on a phone,
// without JavaScript:
//   GET  /kenh-ban/livestream   the shop's sessions (latest first, ?sau= the
//        next page) and the form to record one
//   POST /kenh-ban/livestream   records it (CSRF by the hook); a refusal
//        shows the form again with what was typed and a Vietnamese message
//        beside each refused field (422); success goes back to the list
// The shop is the seller centre's current one (?shop=, the kenh_ban cookie,
// else the first the person runs; an officer assisting a household runs
// its shop), chosen by web's CentrePage. LiveService decides who may.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}
namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
}

namespace nongsan::live {

class LiveService;

void AddLivePages(http::Router& router, const web::Renderer& renderer, LiveService& live,
                  sellers::SellerService& sellers, catalog::CatalogService& catalog);

}  // namespace nongsan::live
