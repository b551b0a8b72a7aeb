#include "trace/trace_json.hpp"

#include "core/clock.hpp"
#include "trace/gs1.hpp"

namespace nongsan::trace {
namespace {

nlohmann::json OptDayJson(const std::optional<std::int64_t>& day) {
  return day ? nlohmann::json(timefmt::IsoDate(*day)) : nlohmann::json(nullptr);
}

std::string TrimmedBase(const std::string& base_url) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

nlohmann::json PrefixJson(const Gs1Prefix& p) {
  return {{"seller_id", p.seller_id},
          {"company_prefix", p.company_prefix},
          {"status", PrefixStatusName(p.status)},
          {"gtins_assigned", p.assigned},
          {"gtins_capacity", p.capacity},
          {"verified_at",
           p.verified_at ? nlohmann::json(timefmt::Rfc3339(*p.verified_at)) : nlohmann::json(nullptr)},
          {"updated_at", timefmt::Rfc3339(p.updated_at)}};
}

nlohmann::json GtinJson(const ProductGtin& g) {
  const std::string base = "/api/v1/products/" + std::to_string(g.product_id);
  return {{"product_id", g.product_id},           {"gtin", g.gtin},
          {"gtin14", gs1::ToGtin14(g.gtin)},      {"assigned", g.assigned},
          {"barcode_svg", base + "/barcode.svg"}, {"barcode_png", base + "/barcode.png"}};
}

std::string LotUri(const Lot& lot, const std::string& base_url) {
  if (lot.gtin14) return gs1::DigitalLink(base_url, *lot.gtin14, lot.code, lot.expires_day);
  return TrimmedBase(base_url) + "/truy-xuat/" + lot.public_code;
}

nlohmann::json LotJson(const Lot& lot, const std::string& base_url) {
  nlohmann::json log = nlohmann::json::array();
  for (const auto& e : lot.farming_log) {
    log.push_back({{"date", e.date}, {"activity", e.activity}, {"input", e.input}, {"note", e.note}});
  }
  const std::string api = "/api/v1/lots/" + std::to_string(lot.id);
  return {{"id", lot.id},
          {"seller_id", lot.seller_id},
          {"product_id", lot.product_id},
          {"code", lot.code},
          {"public_code", lot.public_code},
          {"gtin14", lot.gtin14 ? nlohmann::json(*lot.gtin14) : nlohmann::json(nullptr)},
          {"produced_on", timefmt::IsoDate(lot.produced_day)},
          {"harvested_on", OptDayJson(lot.harvested_day)},
          {"expires_on", OptDayJson(lot.expires_day)},
          {"quantity", lot.quantity},
          {"packed", lot.packed},
          {"remaining", lot.remaining()},
          {"origin_commune_code", lot.origin_commune_code},
          {"origin_province_code", lot.origin_province_code},
          {"plot", lot.plot},
          {"farming_log", std::move(log)},
          {"status", LotStatusName(lot.status)},
          {"status_reason", lot.status_reason},
          {"scans", lot.scans},
          {"uri", LotUri(lot, base_url)},
          {"trace_url", TrimmedBase(base_url) + "/truy-xuat/" + lot.public_code},
          {"qr_svg", api + "/qr.svg"},
          {"qr_png", api + "/qr.png"},
          {"created_at", timefmt::Rfc3339(lot.created_at)},
          {"updated_at", timefmt::Rfc3339(lot.updated_at)}};
}

}  // namespace nongsan::trace
