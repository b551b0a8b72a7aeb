// The seller centre's lot page, made to be used from a phone in the field:
//   GET  /kenh-ban/san-pham/{id}/lo   the product's lots (state, what is
//                                     left, scans, the QR to print) and a form
//   POST /kenh-ban/san-pham/{id}/lo   records a lot (CSRF-checked form); a
//                                     refusal re-shows the form with the
//                                     input kept and a Vietnamese message
//                                     beside each bad field
// Rendered with web::Renderer's layout; TraceService decides who may. Also
// adds one lot's page (lot_decision_pages.hpp).
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::trace {

struct TraceModule;

void AddLotPages(http::Router& router, const web::Renderer& renderer, TraceModule& module);

}  // namespace nongsan::trace
