// The officials' page of orders held after a suspension, usable from a phone:
//   GET  /can-bo/don-hang-tam-giu               held orders of shops in the
//                                               officer's area, oldest first,
//                                               each with a note field
//   POST /can-bo/don-hang-tam-giu/{id}/tiep-tuc releases the order (the shop
//                                               goes on)
//   POST /can-bo/don-hang-tam-giu/{id}/huy      cancels it (stock back)
// Both forms are CSRF-checked; a missing note re-shows the list with the
// note kept and a Vietnamese message beside it. HeldOrderService decides who
// may (officers of the shop's area) and keeps the audit entry.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::quality {

struct QualityModule;

inline constexpr std::string_view kHeldOrdersPath = "/can-bo/don-hang-tam-giu";

void AddHeldOrderPages(http::Router& router, const web::Renderer& renderer, QualityModule& module);

}  // namespace nongsan::quality
