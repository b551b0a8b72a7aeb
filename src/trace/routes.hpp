// The traceability module's JSON API under /api/v1: GS1 prefixes, GTINs and
// their barcodes, production lots and their QR codes. Handlers only parse,
// call TraceService and shape JSON or images.
#pragma once

#include <cstddef>

#include "http/router.hpp"
#include "trace/trace_module.hpp"

namespace nongsan::trace {

// A lot with a full farming log (200 entries of ~1.4 KB at most) fits.
inline constexpr std::size_t kLotMaxBody = 512 * 1024;
// Other JSON bodies (a prefix, a GTIN).
inline constexpr std::size_t kSmallMaxBody = 16 * 1024;

// A captured EPCISDocument (kMaxCaptureEvents events at most).
inline constexpr std::size_t kCaptureMaxBody = 2 * 1024 * 1024;

void AddRoutes(http::Router& router, TraceModule& module);

}  // namespace nongsan::trace
