// The seller centre's page of one lot, for its shop and the officials of its
// area, from a phone:
//   GET  /kenh-ban/lo/{id}            the lot (state, what is left, the reason
//                                     of a hold or recall), the buttons to
//                                     hold, release or recall it, and the
//                                     order lines that took it, page by page
//                                     (?sau={cursor})
//   POST /kenh-ban/lo/{id}/tam-dung   holds it (reason optional)
//   POST /kenh-ban/lo/{id}/mo-ban     releases a held lot
//   POST /kenh-ban/lo/{id}/thu-hoi    recalls it: a reason and the ticked
//                                     confirmation box are required (a recall
//                                     is final and reaches every buyer)
// Forms are CSRF-checked; a refusal re-shows the page with a Vietnamese
// message beside the field. RecallService decides who may and audits.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::trace {

struct TraceModule;

void AddLotDecisionPages(http::Router& router, const web::Renderer& renderer, TraceModule& module);

}  // namespace nongsan::trace
