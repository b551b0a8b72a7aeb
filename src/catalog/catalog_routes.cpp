#include "catalog/catalog_routes.hpp"

#include <sodium.h>

#include <charconv>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "catalog/catalog_json.hpp"
#include "core/text.hpp"
#include "http/encoding.hpp"
#include "http/json_input.hpp"
#include "http/multipart.hpp"
#include "places/places.hpp"

namespace nongsan::catalog {
namespace {

constexpr std::size_t kMultipartOverheadBytes = 64 * 1024;
constexpr std::size_t kMaxAdminUnitResults = 100;
constexpr std::size_t kDefaultAdminUnitResults = 20;
// ETags are a prefix of the body's SHA-256: plenty to tell versions apart.
// An ETag is a BLAKE2b digest of the body (libsodium; faster than SHA-256,
// and an ETag needs no more than a collision-resistant fingerprint).
constexpr std::size_t kEtagBytes = 16;
constexpr const char* kReferenceCacheControl = "public, max-age=3600";
constexpr const char* kPhotoCacheControl = "public, max-age=31536000, immutable";

const Principal* Who(const http::Request& r) { return r.principal ? &*r.principal : nullptr; }

// Runs a handler body; an Error becomes its problem+json response.
http::Response Handle(const http::Request& request, const std::function<Result<http::Response>()>& body) {
  Result<http::Response> result = body();
  if (!result.ok()) return http::Response::Problem(result.error(), request.path);
  return std::move(result).value();
}

Result<std::int64_t> PathId(const http::Request& request, const std::string& name, const std::string& what) {
  const std::string& raw = request.Param(name);
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
  if (raw.empty() || ec != std::errc() || ptr != raw.data() + raw.size() || id <= 0)
    return Error::NotFound(what);
  return id;
}

bool EtagMatches(const std::string& header, const std::string& etag) {
  if (text::Trim(header) == "*") return true;
  std::string_view rest = header;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string candidate = text::Trim(rest.substr(0, comma));
    if (candidate.starts_with("W/")) candidate.erase(0, 2);
    if (candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

// A 200 read gets an ETag from its body; a matching If-None-Match turns it
// into an empty 304.
http::Response Cacheable(const http::Request& request, http::Response response, const char* cache_control) {
  if (response.status != 200) return response;
  unsigned char digest[kEtagBytes];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(response.body.data()),
                     response.body.size(), nullptr, 0);
  char hex[2 * kEtagBytes + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  const std::string etag = std::string("\"") + hex + "\"";
  response.SetHeader("ETag", etag);
  response.SetHeader("Cache-Control", cache_control);
  if (auto inm = request.Header("if-none-match"); inm && EtagMatches(*inm, etag)) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

// Rendered search pages by query string, valid while the index generation
// they were rendered at is current. Every field a page shows changes only
// through the change log (stock only shows as in/out of stock, logged when it
// crosses zero), so a page is never staler than the index. Thread-safe.
class PageCache {
 public:
  struct Page {
    std::uint64_t generation = 0;
    std::string body;
  };
  std::optional<std::string> Get(const std::string& key, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    if (it->second->second.generation != generation) {
      lru_.erase(it->second);
      index_.erase(it);
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second.body;
  }
  void Put(const std::string& key, std::uint64_t generation, std::string body) {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.erase(it->second);
      index_.erase(it);
    }
    lru_.emplace_front(key, Page{generation, std::move(body)});
    index_.emplace(key, lru_.begin());
    if (lru_.size() > kSearchCacheEntries) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }

 private:
  std::mutex mutex_;
  std::list<std::pair<std::string, Page>> lru_;
  std::unordered_map<std::string, std::list<std::pair<std::string, Page>>::iterator> index_;
};

constexpr std::size_t kMaxTextFieldBytes = 4 * kMaxDescriptionChars;  // four bytes per code point at most
constexpr std::size_t kMaxShortFieldBytes = 4 * kMaxNameChars;
constexpr std::size_t kMaxStatusBytes = 16;

// What a product body may hold: its own fields and the label data.
constexpr std::string_view kProductFields[] = {"sku", "name", "description", "category", "unit", "price_vnd",
                                               "stock", "weight_grams", "status", "gtin", "origin_commune",
                                               // label data (label_data.hpp)
                                               "brand", "net_quantity", "ingredients", "usage_instructions",
                                               "storage_instructions", "warnings", "shelf_life_days"};

using http::Presence;

// A product's status member ("draft", "active", "hidden"), if sent.
std::optional<ProductStatus> StatusMember(http::JsonInput& body) {
  auto s = body.String("status", Presence::kOptional, kMaxStatusBytes);
  if (!s) return std::nullopt;
  auto status = ParseStatus(*s);
  if (!status) body.Fail("status", "Must be draft, active or hidden.");
  return status;
}

Result<ProductInput> ParseProductInput(const http::Request& request) {
  TRY_ASSIGN(const nlohmann::json json, request.JsonBody());
  http::JsonInput body(json);
  body.RefuseUnknown(kProductFields);
  ProductInput in;
  in.sku = body.String("sku", Presence::kRequired, kMaxShortFieldBytes).value_or("");
  in.name = body.String("name", Presence::kRequired, kMaxShortFieldBytes).value_or("");
  in.description = body.String("description", Presence::kOptional, kMaxTextFieldBytes).value_or("");
  in.category = body.String("category", Presence::kRequired, kMaxShortFieldBytes).value_or("");
  in.unit = body.String("unit", Presence::kRequired, kMaxShortFieldBytes).value_or("");
  in.price_vnd = body.Int("price_vnd", Presence::kRequired).value_or(0);
  in.stock = body.Int("stock", Presence::kOptional).value_or(0);
  in.weight_grams = body.Int("weight_grams", Presence::kRequired).value_or(0);
  in.status = StatusMember(body);
  in.gtin = body.String("gtin", Presence::kOptional, kMaxShortFieldBytes);
  in.origin_commune = body.String("origin_commune", Presence::kOptional, kMaxShortFieldBytes);
  for (const auto& f : LabelTextFields())
    in.label.*f.value = body.String(f.name, Presence::kOptional, kMaxTextFieldBytes);
  in.label.shelf_life_days = body.Int(kShelfLifeField, Presence::kOptional);
  TRY(body.Finish());
  return in;
}

Result<ProductPatch> ParseProductPatch(const http::Request& request) {
  TRY_ASSIGN(const nlohmann::json json, request.JsonBody());
  http::JsonInput body(json);
  body.RefuseUnknown(kProductFields);
  ProductPatch patch;
  patch.sku = body.String("sku", Presence::kOptional, kMaxShortFieldBytes);
  patch.name = body.String("name", Presence::kOptional, kMaxShortFieldBytes);
  patch.description = body.String("description", Presence::kOptional, kMaxTextFieldBytes);
  patch.category = body.String("category", Presence::kOptional, kMaxShortFieldBytes);
  patch.unit = body.String("unit", Presence::kOptional, kMaxShortFieldBytes);
  patch.price_vnd = body.Int("price_vnd", Presence::kOptional);
  patch.stock = body.Int("stock", Presence::kOptional);
  patch.weight_grams = body.Int("weight_grams", Presence::kOptional);
  patch.status = StatusMember(body);
  if (body.IsNull("gtin")) {
    patch.gtin = std::optional<std::string>();
  } else if (auto gtin = body.String("gtin", Presence::kOptional, kMaxShortFieldBytes)) {
    patch.gtin = std::optional<std::string>(*gtin);
  }
  patch.origin_commune = body.String("origin_commune", Presence::kOptional, kMaxShortFieldBytes);
  // Label fields: null clears, a value sets, absence keeps.
  for (const auto& f : LabelTextFields()) {
    if (body.IsNull(f.name)) {
      patch.label.*f.patch = std::optional<std::string>();
    } else if (auto value = body.String(f.name, Presence::kOptional, kMaxTextFieldBytes)) {
      patch.label.*f.patch = value;
    }
  }
  if (body.IsNull(kShelfLifeField)) {
    patch.label.shelf_life_days = std::optional<std::int64_t>();
  } else if (auto days = body.Int(kShelfLifeField, Presence::kOptional)) {
    patch.label.shelf_life_days = days;
  }
  TRY(body.Finish());
  return patch;
}

}  // namespace

Result<std::optional<std::string>> QueryParam(const http::Request& request, std::string_view name) {
  std::string_view rest = request.query_string;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    auto key = http::UrlDecode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    auto value =
        http::UrlDecode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!value) return Error::Field(std::string(name), "is not valid UTF-8 or has a malformed %-escape");
    return std::optional<std::string>(std::move(*value));
  }
  return std::optional<std::string>();
}

Result<std::string_view> UploadedImage(const http::Request& request) {
  const std::string content_type = request.Header("content-type").value_or("");
  const std::string lower = http::AsciiLower(content_type);
  std::string_view body = request.body;
  if (lower.starts_with("image/") || lower.starts_with("application/octet-stream")) return body;
  if (!lower.starts_with("multipart/form-data")) {
    return Error::Invalid(
        "Send the photo as the request body with Content-Type image/jpeg, image/png or "
        "image/webp, or as multipart/form-data with a part named \"photo\".");
  }
  TRY_ASSIGN(auto parts, http::ParseMultipart(request));
  // The part named "photo" (or "file"), else the first file sent.
  for (const char* name : {"photo", "file"}) {
    if (const http::MultipartPart* part = http::FindPart(parts, name)) return part->data;
  }
  for (const auto& part : parts) {
    if (!part.filename.empty()) return part.data;
  }
  return Error::Invalid("The multipart body has no part named \"photo\".");
}

void AddRoutes(http::Router& router, CatalogModule& m) {
  const http::RouteOptions kRead{.max_body = 0};
  const places::PlaceService& places = m.places;

  router.Get(
      "/api/v1/categories",
      [](http::Request& req) {
        return Cacheable(req, http::Response::Json(200, CategoriesJson()), kReferenceCacheControl);
      },
      kRead);

  router.Get(
      "/api/v1/admin-units",
      [&places](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto q, QueryParam(req, "q"));
          TRY_ASSIGN(auto parent, QueryParam(req, "parent"));
          TRY_ASSIGN(auto limit_text, QueryParam(req, "limit"));
          std::size_t limit = kDefaultAdminUnitResults;
          if (limit_text && !limit_text->empty()) {
            std::size_t n = 0;
            auto [ptr, ec] = std::from_chars(limit_text->data(), limit_text->data() + limit_text->size(), n);
            if (ec != std::errc() || ptr != limit_text->data() + limit_text->size() || n < 1 ||
                n > kMaxAdminUnitResults) {
              return Error::Field("limit", "must be from 1 to " + std::to_string(kMaxAdminUnitResults));
            }
            limit = n;
          }
          nlohmann::json items = nlohmann::json::array();
          if (q) {
            if (text::CodePointCount(*q) > kMaxQueryChars) {
              return Error::Field("q", "must be at most " + std::to_string(kMaxQueryChars) + " characters");
            }
            for (const auto& unit : places.Search(*q, limit)) items.push_back(AdminUnitJson(unit));
          } else {
            const std::string code = parent.value_or("");
            if (!code.empty() && !places.Get(code)) return Error::NotFound("administrative unit");
            for (const auto& unit : places.Children(code)) items.push_back(AdminUnitJson(unit));
          }
          return Cacheable(req, http::Response::Json(200, {{"items", std::move(items)}}),
                           kReferenceCacheControl);
        });
      },
      kRead);

  router.Get(
      "/api/v1/admin-units/{code}",
      [&places](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          const std::string& code = req.Param("code");
          TRY_ASSIGN(auto scheme, QueryParam(req, "scheme"));
          nlohmann::json body;
          if (scheme && *scheme == "pre2025") {
            TRY_ASSIGN(auto unit, places.GetPre2025(code));
            if (!unit) return Error::NotFound("administrative unit");
            body = AdminUnitJson(*unit);
            nlohmann::json became = nlohmann::json::array();
            TRY_ASSIGN(auto current, places.CurrentFromOld(code));
            for (const auto& u : current) became.push_back(AdminUnitJson(u));
            body["became"] = std::move(became);
          } else if (!scheme || scheme->empty() || *scheme == "2025") {
            auto unit = places.Get(code);
            if (!unit) return Error::NotFound("administrative unit");
            body = AdminUnitJson(*unit);
            body["full_name"] = places.FullName(code);
          } else {
            return Error::Field("scheme", "must be 2025 or pre2025");
          }
          return Cacheable(req, http::Response::Json(200, body), kReferenceCacheControl);
        });
      },
      kRead);

  auto pages = std::make_shared<PageCache>();
  router.Get(
      "/api/v1/products",
      [&m, pages](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          SearchParams params;
          TRY_ASSIGN(params.q, QueryParam(req, "q"));
          TRY_ASSIGN(params.category, QueryParam(req, "category"));
          TRY_ASSIGN(params.province, QueryParam(req, "province"));
          TRY_ASSIGN(params.commune, QueryParam(req, "commune"));
          TRY_ASSIGN(params.seller, QueryParam(req, "seller"));
          TRY_ASSIGN(params.price_min, QueryParam(req, "price_min"));
          TRY_ASSIGN(params.price_max, QueryParam(req, "price_max"));
          TRY_ASSIGN(params.sort, QueryParam(req, "sort"));
          TRY_ASSIGN(params.limit, QueryParam(req, "limit"));
          TRY_ASSIGN(params.cursor, QueryParam(req, "cursor"));
          TRY_ASSIGN(params.ocop_min, QueryParam(req, "ocop_min"));
          TRY_ASSIGN(params.certified, QueryParam(req, "certified"));
          TRY_ASSIGN(SearchRequest request, m.search.ParseSearchParams(params));
          // Read before searching: a page rendered while the index changes is
          // stored under the older generation and never served. Certificates
          // change apart from the index (a decision, an expiry at midnight):
          // the coverage version the request carries is part of the key.
          const std::uint64_t generation = m.search.index().generation();
          const std::string key =
              (request.certifications ? std::to_string(request.certifications->version) : "-") + "|" +
              req.query_string;
          http::Response response;
          response.content_type = "application/json";
          // A cached page starts with one mark: '0' when it found nothing
          // (the demand figures count searches served from the cache too).
          if (auto cached = pages->Get(key, generation)) {
            m.search.NoteSearch(request, cached->front() == '0');
            response.body = cached->substr(1);
          } else {
            TRY_ASSIGN(SearchPage page, m.search.Search(request));
            response.body = SearchPageJson(page, m.places);
            pages->Put(key, generation, (page.response.hits.empty() ? "0" : "1") + response.body);
          }
          return Cacheable(req, std::move(response), "no-cache");
        });
      },
      kRead);

  router.Get(
      "/api/v1/search/suggest",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto q, QueryParam(req, "q"));
          TRY_ASSIGN(Suggestions s, m.search.Suggest(q.value_or("")));
          nlohmann::json products = nlohmann::json::array();
          for (const auto& p : s.products) {
            products.push_back({{"id", p.id},
                                {"name", p.name},
                                {"slug", p.slug},
                                {"price_vnd", p.price_vnd},
                                {"cover", CoverJson(p.cover_photo)}});
          }
          nlohmann::json categories = nlohmann::json::array();
          for (const auto& code : s.category_codes) categories.push_back(CategoryRefJson(code));
          return Cacheable(
              req,
              http::Response::Json(
                  200, {{"q", q.value_or("")}, {"products", products}, {"categories", categories}}),
              "no-cache");
        });
      },
      kRead);

  router.Get(
      "/api/v1/products/{id}",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t id, PathId(req, "id", "product"));
          TRY_ASSIGN(Product p, m.catalog.Get(Who(req), id));
          // Only a non-public product needs the manager check for the private
          // fields: the public view is the same for everyone.
          bool manager = false;
          if (!p.IsPublic() || req.principal) {
            TRY_ASSIGN(manager, m.catalog.CanManage(Who(req), p.seller_id));
          }
          // Verified certificates valid today only (the source never gives others).
          std::vector<CertificationBadge> certifications;
          if (CertificationSource* source = m.search.certifications()) {
            // Most products hold no certificate: the in-memory coverage says
            // so without a query; only certified products read their badges.
            TRY_ASSIGN(auto coverage, source->Coverage());
            if (coverage->by_product.count(p.id)) {
              TRY_ASSIGN(auto badges, source->ProductBadges({p.id}));
              if (auto it = badges.find(p.id); it != badges.end()) certifications = std::move(it->second);
            }
          }
          http::Response response;
          response.content_type = "application/json";
          response.body = ProductJsonText(p, m.places, manager, &certifications);
          return Cacheable(req, std::move(response), manager ? "private, no-cache" : "no-cache");
        });
      },
      kRead);

  router.Patch("/api/v1/products/{id}", [&m](http::Request& req) {
    return Handle(req, [&]() -> Result<http::Response> {
      TRY_ASSIGN(std::int64_t id, PathId(req, "id", "product"));
      if (!req.principal) return Error::Unauthorized();
      TRY_ASSIGN(ProductPatch patch, ParseProductPatch(req));
      TRY_ASSIGN(Product p, m.catalog.Update(Who(req), id, patch));
      return http::Response::Json(200, ProductJson(p, m.places, true));
    });
  });

  router.Delete(
      "/api/v1/products/{id}",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t id, PathId(req, "id", "product"));
          TRY(m.catalog.Delete(Who(req), id));
          return http::Response::NoContent();
        });
      },
      kRead);

  router.Get(
      "/api/v1/sellers/{id}/products",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t seller_id, PathId(req, "id", "shop"));
          SellerListOptions options;
          TRY_ASSIGN(auto limit, QueryParam(req, "limit"));
          TRY_ASSIGN(auto cursor, QueryParam(req, "cursor"));
          TRY_ASSIGN(auto status, QueryParam(req, "status"));
          TRY_ASSIGN(auto members, QueryParam(req, "members"));
          if (limit && !limit->empty()) {
            int n = 0;
            auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
            if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > kMaxPageSize) {
              return Error::Field("limit", "must be from 1 to " + std::to_string(kMaxPageSize));
            }
            options.limit = n;
          }
          if (cursor && !cursor->empty()) {
            std::int64_t before = 0;
            auto [ptr, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), before);
            if (ec != std::errc() || ptr != cursor->data() + cursor->size() || before <= 0) {
              return Error::Field("cursor", "is not a cursor this API returned");
            }
            options.before_id = before;
          }
          if (status && !status->empty()) {
            options.status = ParseStatus(*status);
            if (!options.status) return Error::Field("status", "must be draft, active, hidden or suspended");
          }
          options.include_members = members && (*members == "1" || *members == "true");
          TRY_ASSIGN(ProductPage page, m.catalog.ListForSeller(Who(req), seller_id, options));
          http::Response response;
          response.body = ProductListJson(page.items, page.next_before_id, m.places);
          return Cacheable(req, std::move(response), req.principal ? "private, no-cache" : "no-cache");
        });
      },
      kRead);

  router.Post("/api/v1/sellers/{id}/products", [&m](http::Request& req) {
    return Handle(req, [&]() -> Result<http::Response> {
      TRY_ASSIGN(std::int64_t seller_id, PathId(req, "id", "shop"));
      if (!req.principal) return Error::Unauthorized();
      TRY_ASSIGN(ProductInput input, ParseProductInput(req));
      TRY_ASSIGN(Product p, m.catalog.Create(Who(req), seller_id, std::move(input)));
      http::Response response = http::Response::Json(201, ProductJson(p, m.places, true));
      response.SetHeader("Location", "/api/v1/products/" + std::to_string(p.id));
      return response;
    });
  });

  router.Post("/api/v1/products/{id}/photos",
              [&m](http::Request& req) {
                return Handle(req, [&]() -> Result<http::Response> {
                  TRY_ASSIGN(std::int64_t id, PathId(req, "id", "product"));
                  if (!req.principal) return Error::Unauthorized();
                  TRY_ASSIGN(std::string_view bytes, UploadedImage(req));
                  TRY_ASSIGN(Photo photo, m.photos.Add(Who(req), id, bytes));
                  return http::Response::Json(201, PhotoJson(photo));
                });
              },
              {.max_body = kMaxPhotoBytes + kMultipartOverheadBytes});

  router.Delete(
      "/api/v1/products/{id}/photos/{photo_id}",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t id, PathId(req, "id", "product"));
          TRY_ASSIGN(std::int64_t photo_id, PathId(req, "photo_id", "photo"));
          TRY(m.photos.Remove(Who(req), id, photo_id));
          return http::Response::NoContent();
        });
      },
      kRead);

  router.Get(
      "/photos/{name}",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          const std::string& name = req.Param("name");
          TRY_ASSIGN(std::string bytes, m.photos.ReadFile(name));
          const bool webp = name.ends_with(".webp");
          http::Response response =
              http::Response::Text(200, std::move(bytes), webp ? "image/webp" : "image/jpeg");
          // A photo file never changes (a new upload gets a new name).
          const std::string etag = "\"" + name + "\"";
          response.SetHeader("ETag", etag);
          response.SetHeader("Cache-Control", kPhotoCacheControl);
          if (auto inm = req.Header("if-none-match"); inm && EtagMatches(*inm, etag)) {
            response.status = 304;
            response.body.clear();
          }
          return response;
        });
      },
      kRead);

  router.Post(
      "/api/v1/imports/products",
      [&m](http::Request& req) {
        return Handle(req, [&]() -> Result<http::Response> {
          if (!req.principal) return Error::Unauthorized();
          if (!MayImport(Who(req))) {
            return Error::Forbidden("Only commune officers and province administrators may import products.");
          }
          ImportOptions options;
          options.actor = Who(req);
          TRY_ASSIGN(ImportReport report, m.importer.Import(req.body, options));
          nlohmann::json errors = nlohmann::json::array();
          for (const auto& e : report.errors) errors.push_back({{"line", e.line}, {"reason", e.reason}});
          return http::Response::Json(200, {{"rows", report.rows},
                                            {"created", report.created},
                                            {"updated", report.updated},
                                            {"unchanged", report.unchanged},
                                            {"sellers_created", report.sellers_created},
                                            {"bad_rows", report.bad_rows},
                                            {"errors", std::move(errors)}});
        });
      },
      {.max_body = kMaxImportUploadBytes});
}

}  // namespace nongsan::catalog
