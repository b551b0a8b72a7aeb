#include "trace/resolver_routes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>

#include "catalog/gtin.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "trace/gs1.hpp"
#include "trace/page_cache.hpp"
#include "trace/provenance.hpp"
#include "trace/provenance_page.hpp"
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
// Letters of the per-process nonce in a shared page's ETag.
constexpr std::size_t kEtagNonceLength = 8;

// What the three routes share.
struct Resolver {
  const web::Renderer& renderer;
  ProvenanceService& provenance;
  PageCache& cache;
  std::shared_ptr<SeenKeys> seen;                // pages kept from their second request on
  std::string base;                              // base URL without a trailing '/'
  std::shared_ptr<const ProvenanceShell> shell;  // null: every page through the renderer
};

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

json LinksetJson(const Provenance& p, const std::string& base, const std::string& self_path) {
  const std::string page = base + self_path;
  json links = {{"anchor", page}};
  links[kDefaultLink] = json::array({{{"href", page},
                                      {"title", "Truy xuất nguồn gốc " + p.product().name},
                                      {"type", "text/html"},
                                      {"hreflang", json::array({"vi"})}}});
  links[kTraceability] = json::array(
      {{{"href", page}, {"title", "Truy xuất nguồn gốc " + p.product().name}, {"type", "text/html"}}});
  links[kPip] = json::array({{{"href", base + web::ProductPath(p.product().name, p.product().id)},
                              {"title", p.product().name},
                              {"type", "text/html"}}});
  links[kHasRetailers] = json::array({{{"href", base + web::ShopPath(p.shop().name, p.shop().id)},
                                       {"title", p.shop().name},
                                       {"type", "text/html"}}});
  if (!p.certificates().empty()) {
    json certs = json::array();
    for (const auto& c : p.certificates()) {
      certs.push_back({{"href", c.verify_url},
                       {"title", CertificateTitle(c) + " số " + c.number},
                       {"type", "text/html"}});
    }
    links[kCertificationInfo] = std::move(certs);
  }
  return {{"linkset", json::array({std::move(links)})}};
}

// The same page for everyone: no session, no guest cart, no language
// chosen (the page is Vietnamese), not the linkset.
bool SharedPage(const Request& req) {
  return !req.principal && !req.Header("cookie") && !req.Query("lang") && !WantsLinkset(req);
}

Response SharedHtml(std::string html) {
  Response res = Response::Html(200, std::move(html));
  res.SetHeader("Content-Language", "vi");
  res.SetHeader("Cache-Control", "private, no-cache");
  res.SetHeader("Vary", "Cookie, Accept");
  return res;
}

// A shared page's entity tag: its version key, hashed, behind a nonce of this
// process (the key's context generations restart with the process).
std::string PageEtag(const std::string& key) {
  static const std::string nonce = ids::RandomCode(kEtagNonceLength);
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::uint64_t hash = std::hash<std::string>{}(key);
  std::string etag(nonce.size() + 19, '"');  // "nonce-<16 hex digits>"
  nonce.copy(etag.data() + 1, nonce.size());
  etag[nonce.size() + 1] = '-';
  for (std::size_t i = etag.size() - 2; i > nonce.size() + 1; --i, hash >>= 4)
    etag[i] = kHexDigits[hash & 0xf];
  return etag;
}

bool EtagMatches(const Request& req, const std::string& etag) {
  const auto header = req.Header("if-none-match");
  return header && (header->find(etag) != std::string::npos || *header == "*");
}

// The page (or, when asked, the linkset) of what a scan resolved to. A shared
// page is the pre-rendered layout around the written body; any other goes
// through the renderer (its visitor's name, cart and language).
Response Respond(const Request& req, const Resolver& r, const Provenance& p, const std::string& self_path) {
  if (WantsLinkset(req)) {
    Response res = Response::Json(200, LinksetJson(p, r.base, self_path));
    res.content_type = kLinksetMediaType;
    res.SetHeader("Vary", "Accept");
    return res;
  }
  if (r.shell && SharedPage(req)) return SharedHtml(r.shell->Compose(req, p, self_path));
  std::string body;
  body.reserve(kProvenanceBodyReserve);
  WriteProvenanceBody(p, body);
  Response res = r.renderer.Render(req, "trace/lot",
                                   {{"title", ProvenanceTitle(p)},
                                    {"description", ProvenanceDescription(p)},
                                    {"canonical", self_path},
                                    {"noindex", true},
                                    {"body", std::move(body)}});
  res.SetHeader("Vary", "Cookie, Accept");
  return res;
}

Response Answer(const Request& req, const Resolver& r, const Result<std::optional<Provenance>>& found,
                const std::string& self_path) {
  if (!found.ok()) {
    spdlog::error("request {}: provenance: {}", req.request_id, found.error().detail);
    return r.renderer.ErrorPage(req, Error::Internal("provenance"));
  }
  if (!*found) return r.renderer.NotFound(req);
  return Respond(req, r, **found, self_path);
}

// A lot's answer: the shared page from the cache when there is a copy of this
// version of the lot, else assembled (and kept when it is shared).
Response LotAnswer(const Request& req, const Resolver& r, Result<std::optional<LotView>> found,
                   const std::string& self_path) {
  if (!found.ok()) {
    spdlog::error("request {}: provenance: {}", req.request_id, found.error().detail);
    return r.renderer.ErrorPage(req, Error::Internal("provenance"));
  }
  if (!*found) return r.renderer.NotFound(req);
  const Lot& lot = (*found)->lot;
  auto context = r.provenance.Context(lot.product_id, lot.produced_day);
  if (!context.ok()) {
    spdlog::error("request {}: provenance: {}", req.request_id, context.error().detail);
    return r.renderer.ErrorPage(req, Error::Internal("provenance"));
  }
  if (!*context) return r.renderer.NotFound(req);
  const bool shared = SharedPage(req);
  // The page's version: the lot's (a hold or recall could fall within one
  // millisecond, so its status too), its newest recorded event's and its
  // product context's. The query is part of the page (the sign-in and
  // language links carry it back); a pack's QR always sends the same one.
  std::string key = self_path;
  key += '?';
  key += req.query_string;
  key += '@';
  key += std::to_string(lot.updated_at);
  key += '/';
  key += LotStatusName(lot.status);
  key += '/';
  key += std::to_string((*found)->recorded.version);
  key += '/';
  key += std::to_string((*context)->generation);
  if (!shared)
    return Respond(req, r, r.provenance.ForLot(std::move(**found), std::move(*context)), self_path);
  // A repeat scan of the same version: the browser's own copy.
  std::string etag = PageEtag(key);
  if (EtagMatches(req, etag)) {
    r.provenance.CountScan(lot.id);
    Response res = SharedHtml("");
    res.status = 304;
    res.SetHeader("ETag", std::move(etag));
    return res;
  }
  Response res;
  if (auto html = r.cache.Get(key)) {
    r.provenance.CountScan(lot.id);
    res = SharedHtml(std::move(*html));
  } else {
    res = Respond(req, r, r.provenance.ForLot(std::move(**found), std::move(*context)), self_path);
    if (res.status == 200 && r.seen->SeenBefore(key)) r.cache.Put(key, res.body);
  }
  if (res.status == 200) res.SetHeader("ETag", std::move(etag));
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
  auto shell = ProvenanceShell::Build(renderer);
  if (!shell.ok()) spdlog::error("provenance page: {}; pages go through the renderer", shell.error().detail);
  auto r = std::make_shared<const Resolver>(
      Resolver{renderer, provenance, cache, std::make_shared<SeenKeys>(), TrimmedBase(base_url),
               shell.ok() ? std::make_shared<const ProvenanceShell>(std::move(shell).value()) : nullptr});
  router.Get("/01/{gtin}",
             [r](Request& req) {
               const std::string& gtin = req.Param("gtin");
               if (auto problem = GtinPathProblem(gtin)) return BadRequestPage(req, r->renderer, *problem);
               const std::string gtin14 = gs1::ToGtin14(gtin);
               if (gtin != gtin14) return Response::Redirect(WithQuery("/01/" + gtin14, req), 301);
               return Answer(req, *r, r->provenance.ForGtin(gtin14), "/01/" + gtin14);
             },
             {.max_body = 0});

  router.Get("/01/{gtin}/10/{lot}",
             [r](Request& req) {
               const std::string& gtin = req.Param("gtin");
               const std::string& lot = req.Param("lot");
               if (auto problem = GtinPathProblem(gtin)) return BadRequestPage(req, r->renderer, *problem);
               if (auto problem = gs1::LotCodeProblem(lot))
                 return BadRequestPage(req, r->renderer, "số lô " + *problem);
               const std::string gtin14 = gs1::ToGtin14(gtin);
               const std::string self = "/01/" + gtin14 + "/10/" + gs1::EncodePathSegment(lot);
               if (gtin != gtin14) return Response::Redirect(WithQuery(self, req), 301);
               return LotAnswer(req, *r, r->provenance.LotByGtin(gtin14, lot), self);
             },
             {.max_body = 0});

  router.Get("/truy-xuat/{code}",
             [r](Request& req) {
               const std::string& code = req.Param("code");
               const bool well_formed =
                   code.size() == kPublicCodeLength && std::all_of(code.begin(), code.end(), [](char c) {
                     return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                   });
               if (!well_formed) return BadRequestPage(req, r->renderer, "mã gồm 10 chữ in hoa và số");
               return LotAnswer(req, *r, r->provenance.LotByPublicCode(code), "/truy-xuat/" + code);
             },
             {.max_body = 0});
}

}  // namespace nongsan::trace
