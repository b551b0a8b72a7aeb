// The printing module's HTTP API:
//   GET /api/v1/products/{id}/label.pdf?lot=&size=&sheet=&copies=
//   GET /api/v1/sellers/{id}/catalogue.pdf?lang=vi|en
// (docs/openapi.yaml, docs/printing.md). Thin: parse, call the service, map
// Result → Response.
#pragma once

#include "http/router.hpp"
#include "printing/printing_module.hpp"

namespace nongsan::printing {

// PDFs drawn at once across the process; more waits for none and is a 429:
// drawing is CPU-bound, and a burst of label requests must not starve the
// shop pages served by the same cores.
inline constexpr int kMaxConcurrentRenders = 4;

void AddRoutes(http::Router& router, PrintingModule& m);

}  // namespace nongsan::printing
