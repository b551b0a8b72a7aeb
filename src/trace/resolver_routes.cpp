#include "trace/resolver_routes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "catalog/gtin.hpp"
#include "core/clock.hpp"
#include "trace/gs1.hpp"
#include "trace/page_cache.hpp"
#include "trace/provenance.hpp"
#include "web/format.hpp"
#include "web/renderer.hpp"

namespace nongsan::trace {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

// GS1 web vocabulary link types (https://gs1.org/voc/).
constexpr const char* kDefaultLink = "https://gs1.org/voc/defaultLink";
constexpr const char* kPip = "https://gs1.org/voc/pip";
constexpr const char* kTraceability = "https://gs1.org/voc/traceability";
constexpr const char* kCertificationInfo = "https://gs1.org/voc/certificationInfo";
constexpr const char* kHasRetailers = "https://gs1.org/voc/hasRetailers";

std::string TrimmedBase(const std::string& base_url) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

bool WantsLinkset(const Request& req) {
  if (req.Query("linkType").value_or("") == "all") return true;
  return req.Header("accept").value_or("").find(kLinksetMediaType) != std::string::npos;
}

std::string CertificateTitle(const CertificateRef& c) {
  if (c.kind == "ocop") return "OCOP " + (c.ocop_stars ? std::to_string(*c.ocop_stars) + "★" : std::string());
  if (c.kind == "vietgap") return "VietGAP";
  if (c.kind == "globalgap") return "GlobalG.A.P.";
  if (c.kind == "organic") return "Hữu cơ";
  if (c.kind == "trademark") return "Nhãn hiệu";
  return "Chứng nhận";
}

Response BadRequestPage(const Request& req, const web::Renderer& renderer, const std::string& why) {
  return renderer.Render(req, "error",
                         {{"title", "Mã truy xuất không hợp lệ"},
                          {"message", "Đường dẫn này không phải mã truy xuất hợp lệ: " + why + "."},
                          {"status", 400},
                          {"noindex", true}},
                         400);
}

json PageData(const Provenance& p, const std::string& self_path) {
  json certs = json::array();
  for (const auto& c : p.certificates) {
    certs.push_back({{"title", CertificateTitle(c)},
                     {"number", c.number},
                     {"issuer", c.issuer},
                     {"expires", timefmt::DisplayIsoDays(c.expires_day)},
                     {"url", c.verify_url}});
  }
  json timeline = json::array();
  for (const auto& e : p.timeline) {
    const auto day = timefmt::ParseIsoDate(e.date);
    timeline.push_back(
        {{"date", day ? timefmt::DisplayIsoDays(*day) : e.date}, {"title", e.title}, {"detail", e.detail}});
  }
  std::string address = p.shop.address_line;
  for (const std::string* part : {&p.shop_commune_name, &p.shop_province_name}) {
    if (!part->empty()) address += (address.empty() ? "" : ", ") + *part;
  }
  json data = {{"title", "Truy xuất: " + p.product.name},
               {"description", "Nguồn gốc " + p.product.name + " của " + p.shop.name},
               {"canonical", self_path},
               {"noindex", true},
               {"product_name", p.product.name},
               {"photo_url", p.product.photo_url},
               {"shop_name", p.shop.name},
               {"shop_url", web::ShopPath(p.shop.name, p.shop.id)},
               {"product_url", web::ProductPath(p.product.name, p.product.id)},
               {"shop_address", address},
               {"brand", p.shop.name},
               {"origin_commune", p.origin_commune_name},
               {"origin_province", p.origin_province_name},
               {"gtin14", p.gtin14},
               {"certificates", std::move(certs)},
               {"has_certificates", !p.certificates.empty()},
               {"timeline", std::move(timeline)},
               {"has_timeline", !p.timeline.empty()}};
  if (p.lot) {
    const Lot& lot = *p.lot;
    data["lot_code"] = lot.code;
    data["plot"] = lot.plot;
    data["produced_on"] = timefmt::DisplayIsoDays(lot.produced_day);
    if (lot.harvested_day) data["harvested_on"] = timefmt::DisplayIsoDays(*lot.harvested_day);
    if (lot.expires_day) data["expires_on"] = timefmt::DisplayIsoDays(*lot.expires_day);
    data["recalled"] = lot.status == LotStatus::kRecalled;
    data["on_hold"] = lot.status == LotStatus::kOnHold;
    data["reason"] = lot.status_reason;
  }
  return data;
}

json LinksetJson(const Provenance& p, const std::string& base, const std::string& self_path) {
  const std::string page = base + self_path;
  json links = {{"anchor", page}};
  links[kDefaultLink] = json::array({{{"href", page},
                                      {"title", "Truy xuất nguồn gốc " + p.product.name},
                                      {"type", "text/html"},
                                      {"hreflang", json::array({"vi"})}}});
  links[kTraceability] = json::array(
      {{{"href", page}, {"title", "Truy xuất nguồn gốc " + p.product.name}, {"type", "text/html"}}});
  links[kPip] = json::array({{{"href", base + web::ProductPath(p.product.name, p.product.id)},
                              {"title", p.product.name},
                              {"type", "text/html"}}});
  links[kHasRetailers] = json::array({{{"href", base + web::ShopPath(p.shop.name, p.shop.id)},
                                       {"title", p.shop.name},
                                       {"type", "text/html"}}});
  if (!p.certificates.empty()) {
    json certs = json::array();
    for (const auto& c : p.certificates) {
      certs.push_back({{"href", c.verify_url},
                       {"title", CertificateTitle(c) + " số " + c.number},
                       {"type", "text/html"}});
    }
    links[kCertificationInfo] = std::move(certs);
  }
  return {{"linkset", json::array({std::move(links)})}};
}

// The page (or, when asked, the linkset) of what a scan resolved to.
Response Respond(const Request& req, const web::Renderer& renderer, const std::string& base,
                 const Provenance& p, const std::string& self_path) {
  if (WantsLinkset(req)) {
    Response res = Response::Json(200, LinksetJson(p, base, self_path));
    res.content_type = kLinksetMediaType;
    res.SetHeader("Vary", "Accept");
    return res;
  }
  Response res = renderer.Render(req, "trace/lot", PageData(p, self_path));
  res.SetHeader("Vary", "Accept");
  return res;
}

Response Answer(const Request& req, const web::Renderer& renderer, const std::string& base,
                const Result<std::optional<Provenance>>& found, const std::string& self_path) {
  if (!found.ok()) {
    spdlog::error("request {}: provenance: {}", req.request_id, found.error().detail);
    return renderer.ErrorPage(req, Error::Internal("provenance"));
  }
  if (!*found) return renderer.NotFound(req);
  return Respond(req, renderer, base, **found, self_path);
}

// The same page for everyone: no session, no guest cart, no language
// chosen (the page is Vietnamese), not the linkset.
bool SharedPage(const Request& req) {
  return !req.principal && !req.Header("cookie") && !req.Query("lang") && !WantsLinkset(req);
}

Response CachedPage(std::string html) {
  Response res = Response::Html(200, std::move(html));
  res.SetHeader("Content-Language", "vi");
  res.SetHeader("Cache-Control", "private, no-cache");
  res.SetHeader("Vary", "Cookie, Accept");
  return res;
}

// A lot's answer: the shared page from the cache when there is a copy of this
// version of the lot, else assembled (and kept when it is shared).
Response LotAnswer(const Request& req, const web::Renderer& renderer, ProvenanceService& provenance,
                   PageCache& cache, const std::string& base, Result<std::optional<LotView>> found,
                   const std::string& self_path) {
  if (!found.ok()) {
    spdlog::error("request {}: provenance: {}", req.request_id, found.error().detail);
    return renderer.ErrorPage(req, Error::Internal("provenance"));
  }
  if (!*found) return renderer.NotFound(req);
  const Lot& lot = (*found)->lot;
  auto context = provenance.Context(lot.product_id, lot.produced_day);
  if (!context.ok()) {
    spdlog::error("request {}: provenance: {}", req.request_id, context.error().detail);
    return renderer.ErrorPage(req, Error::Internal("provenance"));
  }
  if (!*context) return renderer.NotFound(req);
  const bool shared = SharedPage(req);
  // The page's version: the lot's (a hold or recall could fall within one
  // millisecond, so its status too), its newest captured event's and its
  // product context's.
  std::string key = self_path;
  key += '@';
  key += std::to_string(lot.updated_at);
  key += '/';
  key += LotStatusName(lot.status);
  key += '/';
  key += std::to_string((*found)->captured.version);
  key += '/';
  key += std::to_string((*context)->generation);
  if (shared) {
    if (auto html = cache.Get(key)) {
      provenance.CountScan(lot.id);
      return CachedPage(std::move(*html));
    }
  }
  Response res = Respond(req, renderer, base, provenance.ForLot(std::move(**found), **context), self_path);
  if (shared && res.status == 200) cache.Put(key, res.body);
  return res;
}

// Why `gtin` is not a GTIN in a Digital Link path, or nullopt.
std::optional<std::string> GtinPathProblem(const std::string& gtin) {
  if (auto problem = catalog::gtin::Problem(gtin)) return "GTIN " + *problem;
  return std::nullopt;
}

std::string WithQuery(std::string path, const Request& req) {
  if (!req.query_string.empty()) path += "?" + req.query_string;
  return path;
}

}  // namespace

void AddResolverRoutes(http::Router& router, const web::Renderer& renderer, ProvenanceService& provenance,
                       PageCache& cache, const std::string& base_url) {
  const std::string base = TrimmedBase(base_url);
  router.Get("/01/{gtin}",
             [&renderer, &provenance, base](Request& req) {
               const std::string& gtin = req.Param("gtin");
               if (auto problem = GtinPathProblem(gtin)) return BadRequestPage(req, renderer, *problem);
               const std::string gtin14 = gs1::ToGtin14(gtin);
               if (gtin != gtin14) return Response::Redirect(WithQuery("/01/" + gtin14, req), 301);
               return Answer(req, renderer, base, provenance.ForGtin(gtin14), "/01/" + gtin14);
             },
             {.max_body = 0});

  router.Get("/01/{gtin}/10/{lot}",
             [&renderer, &provenance, &cache, base](Request& req) {
               const std::string& gtin = req.Param("gtin");
               const std::string& lot = req.Param("lot");
               if (auto problem = GtinPathProblem(gtin)) return BadRequestPage(req, renderer, *problem);
               if (auto problem = gs1::LotCodeProblem(lot))
                 return BadRequestPage(req, renderer, "số lô " + *problem);
               const std::string gtin14 = gs1::ToGtin14(gtin);
               const std::string self = "/01/" + gtin14 + "/10/" + gs1::EncodePathSegment(lot);
               if (gtin != gtin14) return Response::Redirect(WithQuery(self, req), 301);
               return LotAnswer(req, renderer, provenance, cache, base, provenance.LotByGtin(gtin14, lot),
                                self);
             },
             {.max_body = 0});

  router.Get("/truy-xuat/{code}",
             [&renderer, &provenance, &cache, base](Request& req) {
               const std::string& code = req.Param("code");
               const bool well_formed =
                   code.size() == kPublicCodeLength && std::all_of(code.begin(), code.end(), [](char c) {
                     return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                   });
               if (!well_formed) return BadRequestPage(req, renderer, "mã gồm 10 chữ in hoa và số");
               return LotAnswer(req, renderer, provenance, cache, base, provenance.LotByPublicCode(code),
                                "/truy-xuat/" + code);
             },
             {.max_body = 0});
}

}  // namespace nongsan::trace
