// JSON shapes of the traceability API (docs/openapi.yaml): a GS1 prefix, a
// product's GTIN and a lot, plus the URIs a lot's QR code carries. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "trace/trace_service.hpp"
#include "trace/trace_types.hpp"

namespace nongsan::trace {

nlohmann::json PrefixJson(const Gs1Prefix& prefix);
nlohmann::json GtinJson(const ProductGtin& gtin);
// The lot; `base_url` makes its Digital Link and trace page absolute.
nlohmann::json LotJson(const Lot& lot, const std::string& base_url);

// What a lot's QR encodes: the GS1 Digital Link URI
// {base}/01/{GTIN-14}/10/{lot}?17={YYMMDD} when the product has a GTIN,
// otherwise {base}/truy-xuat/{public code}.
std::string LotUri(const Lot& lot, const std::string& base_url);

}  // namespace nongsan::trace
