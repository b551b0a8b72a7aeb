// The programme's pages, drawn on the server (charts as inline SVG, sorting
// by links), readable without JavaScript, on a phone and a desktop:
//   GET /chuong-trinh               the officials' dashboard: headline
//                                   figures, the communes with progress
//                                   towards each target (laggards first,
//                                   sortable), charts per month
//   GET /chuong-trinh/xa/{code}     one commune: its figures, shops,
//                                   support requests and trainings
//   GET /so-lieu                    the public figures: aggregates only
// A commune officer sees their communes; the province admin sees all
// (ProgrammeService decides). Rendered with web::Renderer's layout.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::programme {

struct ProgrammeModule;

void AddDashboardPages(http::Router& router, const web::Renderer& renderer, ProgrammeModule& module);

}  // namespace nongsan::programme
