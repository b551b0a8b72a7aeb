// The GS1 Digital Link resolver and the provenance page a pack's QR opens:
//   GET /01/{gtin}             the product
//   GET /01/{gtin}/10/{lot}    one lot of it
//   GET /truy-xuat/{code}      a lot of a product without a GTIN
// By default an HTML page for the person who scanned (web::Renderer's layout);
// with `Accept: application/linkset+json` or `?linkType=all` the GS1 resolver
// linkset (RFC 9264). A GTIN of 8, 12 or 13 digits is answered with a 301 to
// its 14-digit form; a malformed path is a 400 page, an unknown GTIN or lot a
// 404 page. Handlers only parse and shape; ProvenanceService assembles.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::trace {

class PageCache;
class ProvenanceService;

// The media type of a GS1 resolver's linkset (RFC 9264).
inline constexpr const char* kLinksetMediaType = "application/linkset+json";

// Lot pages for anonymous visitors are served from `cache` (page_cache.hpp)
// and carry an ETag of their version: a repeat scan that sends it back gets
// an empty 304.
void AddResolverRoutes(http::Router& router, const web::Renderer& renderer, ProvenanceService& provenance,
                       PageCache& cache, const std::string& base_url);

}  // namespace nongsan::trace
