// The catalogue's HTTP API (thin: parse, call a service, map the Result):
//   GET    /api/v1/categories
//   GET    /api/v1/admin-units?parent=CODE | ?q=TEXT   GET /api/v1/admin-units/{code}[?scheme=pre2025]
//   GET /api/v1/products?q=&category=&province=&commune=&seller=&price_min=&price_max=&sort=&limit=&cursor=
//   GET    /api/v1/search/suggest?q=
//   GET    /api/v1/products/{id}         PATCH, DELETE /api/v1/products/{id}
//   GET    /api/v1/sellers/{id}/products  POST /api/v1/sellers/{id}/products
//   POST   /api/v1/products/{id}/photos   DELETE /api/v1/products/{id}/photos/{photo_id}
//   GET    /photos/{name}
//   POST   /api/v1/imports/products      (CSV body; commune officers, province admins)
// Reads carry an ETag and answer If-None-Match with 304.
#pragma once

#include "catalog/catalog_module.hpp"
#include "http/router.hpp"

namespace nongsan::catalog {

void AddRoutes(http::Router& router, CatalogModule& module);

// The decoded value of a query parameter; kInvalid when it is present but
// malformed (a bad %-escape or invalid UTF-8), so such input is refused
// instead of silently ignored.
Result<std::optional<std::string>> QueryParam(const http::Request& request, std::string_view name);

// The image bytes of an upload: a raw body (image/* or
// application/octet-stream) or the part named "photo" or "file" of a
// multipart/form-data body (else its first part with a file name).
Result<std::string_view> UploadedImage(const http::Request& request);

}  // namespace nongsan::catalog
