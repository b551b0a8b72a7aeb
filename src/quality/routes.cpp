#include "quality/routes.hpp"

#include <algorithm>
#include <charconv>

#include "accounts/auth.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "http/json_input.hpp"
#include "quality/evidence.hpp"
#include "quality/public_pages.hpp"
#include "quality/quality_json.hpp"

namespace nongsan::quality {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

// The longest text member a quality body may carry (a 2,000-character review
// or complaint is at most 8,000 bytes of UTF-8); the services then check
// each text against its own limit in characters.
constexpr std::size_t kMaxTextMemberBytes = 4 * std::max(kMaxReviewChars, kMaxComplaintChars);

using http::Presence;

// Quality's JSON bodies, read through the one validator (http::JsonInput):
// texts are taken as sent, up to kMaxTextMemberBytes (the services clean
// them against their own limits); inline files are decoded here.
class Body {
 public:
  explicit Body(const json& j) : in_(j) {}

  std::string Text(const std::string& name, Presence presence) {
    return in_.String(name, presence, kMaxTextMemberBytes).value_or("");
  }
  std::optional<std::string> OptText(const std::string& name) {
    return in_.String(name, http::Presence::kOptional, kMaxTextMemberBytes);
  }
  std::optional<std::int64_t> Int(const std::string& name, Presence presence) {
    return in_.Int(name, presence);
  }
  std::vector<std::int64_t> IntArray(const std::string& name, Presence presence) {
    return in_.IntArray(name, presence, kMaxScopeProducts).value_or(std::vector<std::int64_t>{});
  }
  // Files sent inline: each a base64 string, or {content_base64, content_type}.
  std::vector<UploadInput> Files(const std::string& name, std::size_t max_files, std::size_t max_bytes,
                                 Error* too_large) {
    std::vector<UploadInput> out;
    const json* v = in_.Value(name, http::Presence::kOptional);
    if (v == nullptr) return out;
    if (!v->is_array()) return in_.Fail(name, "must be a list of files"), out;
    if (v->size() > max_files) return in_.Fail(name, "at most " + std::to_string(max_files) + " files"), out;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string field = name + "[" + std::to_string(i) + "]";
      const json& item = (*v)[i];
      std::string encoded;
      std::optional<std::string> type;
      if (item.is_string()) {
        encoded = item.get<std::string>();
      } else if (item.is_object() && item.contains("content_base64") && item["content_base64"].is_string()) {
        encoded = item["content_base64"].get<std::string>();
        if (item.contains("content_type") && item["content_type"].is_string()) {
          type = item["content_type"].get<std::string>();
        }
      } else {
        in_.Fail(field, "must be base64 text or {content_base64, content_type}");
        continue;
      }
      auto bytes = DecodeBase64(encoded, max_bytes, field);
      if (!bytes.ok()) {
        if (bytes.error().code == ErrorCode::kTooLarge) *too_large = bytes.error();
        for (const auto& f : bytes.error().fields) in_.Fail(f.field, f.message);
        continue;
      }
      out.push_back({std::move(bytes).value(), type});
    }
    return out;
  }
  Status Finish() const { return in_.Finish(); }

 private:
  http::JsonInput in_;
};

// The body of a POST that may be empty (verify): {} then.
Result<json> OptionalJsonBody(const Request& req) {
  if (text::Trim(req.body).empty()) return json::object();
  return req.JsonBody();
}

std::size_t LimitParam(const Request& req) {
  const auto text = req.Query("limit");
  if (!text) return kDefaultPageSize;
  std::size_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v == 0) return kDefaultPageSize;
  return std::min(v, kMaxPageSize);
}

json NextCursor(const std::optional<std::string>& cursor) { return cursor ? json(*cursor) : json(nullptr); }

Response FileResponse(const std::string& bytes, const std::string& content_type,
                      const std::string& filename) {
  Response res = Response::Text(200, bytes, content_type);
  res.SetHeader("Content-Disposition", "inline; filename=\"" + filename + "\"");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  // Uploaded files are never run as a page, even if a browser were fooled.
  res.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  res.SetHeader("Cache-Control", "private, max-age=3600");
  return res;
}

Result<RegisterQuery> RegisterQueryOf(const Request& req) {
  RegisterQuery q;
  q.province = req.Query("province").value_or("");
  q.commune = req.Query("commune").value_or("");
  q.cursor = req.Query("cursor").value_or("");
  q.limit = LimitParam(req);
  if (auto kind = req.Query("kind"); kind && !kind->empty()) {
    q.kind = ParseCertKind(*kind);
    if (!q.kind)
      return Error::Field("kind", "must be one of ocop, vietgap, organic, globalgap, trademark, other");
  }
  return q;
}

void AddCertificateRoutes(http::Router& router, QualityModule& m) {
  router.Post(
      "/api/v1/sellers/{id}/certificates",
      [&m](Request& req) {
        return accounts::Reply(req, [&]() -> Result<Response> {
          TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
          TRY_ASSIGN(json j, req.JsonBody());
          Body body(j);
          CertificateInput in;
          in.kind = body.Text("kind", Presence::kRequired);
          in.number = body.Text("number", Presence::kOptional);  // a trademark not yet granted has none
          in.issuer = body.Text("issuer", Presence::kRequired);
          in.ocop_stars = body.Int("ocop_stars", Presence::kOptional);
          in.ocop_group = body.OptText("ocop_group");
          in.issued_on =
              body.Text("issued_on", Presence::kOptional);  // a trademark's default from its filing date
          in.expires_on = body.Text("expires_on", Presence::kOptional);
          in.trademark.application_number = body.OptText("application_number");
          in.trademark.filing_date = body.OptText("filing_date");
          in.trademark.trademark_status = body.OptText("trademark_status");
          in.trademark.refusal_reason = body.OptText("refusal_reason");
          in.product_ids = body.IntArray("product_ids", Presence::kRequired);
          Error too_large;
          in.evidence = body.Files("evidence", kMaxEvidenceFiles, kMaxEvidenceBytes, &too_large);
          if (too_large.code == ErrorCode::kTooLarge) return too_large;
          TRY(body.Finish());
          TRY_ASSIGN(SubmitResult r, m.certificates.Submit(PrincipalOf(req), seller_id, std::move(in)));
          json out = CertificateJson(r.certificate, m.certificates.VerifyUrl(r.certificate.code));
          out["warnings"] = r.warnings;
          Response res = Response::Json(201, out);
          res.SetHeader("Location", "/api/v1/certificates/" + std::to_string(r.certificate.id));
          return res;
        });
      },
      {.max_body = kSubmitMaxBody});

  router.Get("/api/v1/sellers/{id}/certificates",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(auto certs, m.certificates.ListForShop(PrincipalOf(req), seller_id));
                 json items = json::array();
                 for (const auto& c : certs)
                   items.push_back(CertificateJson(c, m.certificates.VerifyUrl(c.code)));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/certificates/{id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "certificate"));
                 TRY_ASSIGN(Certificate c, m.certificates.Get(PrincipalOf(req), id));
                 return Response::Json(200, CertificateJson(c, m.certificates.VerifyUrl(c.code)));
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/certificates/{id}/verify",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "certificate"));
                  TRY(OptionalJsonBody(req));
                  TRY_ASSIGN(Certificate c, m.certificates.Verify(PrincipalOf(req), id));
                  return Response::Json(200, CertificateJson(c, m.certificates.VerifyUrl(c.code)));
                });
              },
              {.max_body = kSmallMaxBody});

  for (const char* action : {"reject", "revoke"}) {
    const bool reject = std::string_view(action) == "reject";
    router.Post(std::string("/api/v1/certificates/{id}/") + action,
                [&m, reject](Request& req) {
                  return accounts::Reply(req, [&]() -> Result<Response> {
                    TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "certificate"));
                    TRY_ASSIGN(json j, req.JsonBody());
                    Body body(j);
                    std::string reason = body.Text("reason", Presence::kRequired);
                    TRY(body.Finish());
                    TRY_ASSIGN(Certificate c,
                               reject ? m.certificates.Reject(PrincipalOf(req), id, std::move(reason))
                                      : m.certificates.Revoke(PrincipalOf(req), id, std::move(reason)));
                    return Response::Json(200, CertificateJson(c, m.certificates.VerifyUrl(c.code)));
                  });
                },
                {.max_body = kSmallMaxBody});
  }

  // The IP Office's grant or refusal of a filed trademark (QualityService::DecideTrademark).
  router.Post("/api/v1/certificates/{id}/trademark",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "certificate"));
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  TrademarkDecision decision;
                  decision.trademark_status = body.Text("trademark_status", Presence::kRequired);
                  decision.number = body.Text("number", Presence::kOptional);
                  decision.granted_on = body.Text("granted_on", Presence::kOptional);
                  decision.refusal_reason = body.Text("refusal_reason", Presence::kOptional);
                  TRY(body.Finish());
                  TRY_ASSIGN(Certificate c,
                             m.certificates.DecideTrademark(PrincipalOf(req), id, std::move(decision)));
                  return Response::Json(200, CertificateJson(c, m.certificates.VerifyUrl(c.code)));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/certificates/{id}/evidence",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "certificate"));
                  TRY_ASSIGN(EvidenceFile f,
                             m.certificates.AddEvidence(PrincipalOf(req), id,
                                                        {req.body, req.Header("content-type")}));
                  return Response::Json(201, {{"id", f.id},
                                              {"content_type", f.content_type},
                                              {"byte_size", f.byte_size},
                                              {"sha256", f.sha256},
                                              {"url", "/api/v1/certificates/" + std::to_string(id) +
                                                          "/evidence/" + std::to_string(f.id)}});
                });
              },
              {.max_body = kEvidenceUploadMaxBody});

  router.Get("/api/v1/certificates/{id}/evidence/{evidence_id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "certificate"));
                 TRY_ASSIGN(std::int64_t evidence_id, accounts::IdParam(req, "evidence_id", "evidence file"));
                 TRY_ASSIGN(EvidenceBlob blob, m.certificates.GetEvidence(PrincipalOf(req), id, evidence_id));
                 const std::string ext = blob.file.content_type == "application/pdf" ? "pdf"
                                         : blob.file.content_type == "image/png"     ? "png"
                                         : blob.file.content_type == "image/webp"    ? "webp"
                                                                                     : "jpg";
                 return FileResponse(
                     blob.bytes, blob.file.content_type,
                     "certificate-" + std::to_string(id) + "-" + std::to_string(evidence_id) + "." + ext);
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/quality/pending-certificates",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(auto certs, m.certificates.PendingForOfficer(PrincipalOf(req), LimitParam(req)));
                 json items = json::array();
                 for (const auto& c : certs)
                   items.push_back(CertificateJson(c, m.certificates.VerifyUrl(c.code)));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/products/{id}/certifications",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "product"));
                 TRY_ASSIGN(auto badges, m.certificates.Certifications(id));
                 return Response::Json(200, {{"product_id", id}, {"certifications", BadgesJson(badges)}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/certifications",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(auto badges, m.certificates.ShopCertifications(id));
                 return Response::Json(200, {{"seller_id", id}, {"certifications", BadgesJson(badges)}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/quality-notices",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(auto notices, m.certificates.Notices(PrincipalOf(req), id, LimitParam(req)));
                 json items = json::array();
                 for (const auto& n : notices) items.push_back(OutboxJson(n));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});
}

void AddRegisterRoutes(http::Router& router, QualityModule& m) {
  auto csv = [&m](Request& req) {
    return accounts::Reply(req, [&]() -> Result<Response> {
      TRY_ASSIGN(RegisterQuery q, RegisterQueryOf(req));
      TRY_ASSIGN(auto rows, m.certificates.RegisterAll(q));
      Response res = Response::Text(200, RegisterCsv(rows, *m.areas), "text/csv; charset=utf-8");
      res.SetHeader("Content-Disposition",
                    "attachment; filename=\"" + RegisterCsvFilename(m.certificates.Today()) + "\"");
      return res;
    });
  };
  router.Get("/api/v1/quality/register",
             [&m, csv](Request& req) {
               if (req.Query("format").value_or("") == "csv") return csv(req);
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(RegisterQuery q, RegisterQueryOf(req));
                 TRY_ASSIGN(RegisterPage page, m.certificates.Register(q));
                 json items = json::array();
                 for (const auto& e : page.items) items.push_back(RegisterEntryJson(e, *m.areas));
                 return Response::Json(200, {{"items", std::move(items)},
                                             {"next_cursor", NextCursor(page.next_cursor)},
                                             {"as_of", timefmt::IsoDate(m.certificates.Today())}});
               });
             },
             {.max_body = 0});
  router.Get("/api/v1/quality/register.csv", csv, {.max_body = 0});

  router.Get("/api/v1/quality/verify/{code}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(auto check, m.certificates.CheckCode(req.Param("code")));
                 if (!check) return Error::NotFound("certificate");
                 return Response::Json(
                     200, PublicCheckJson(*check, m.certificates.VerifyUrl(check->certificate.code)));
               });
             },
             {.max_body = 0});

  router.Get("/c/{code}",
             [&m](Request& req) {
               const PageLang lang = PageLangOf(req.Query("lang"));
               auto check = m.certificates.CheckCode(req.Param("code"));
               if (!check.ok()) return Response::Html(503, VerificationPageUnavailable(lang));
               if (!*check) return Response::Html(404, VerificationPageUnknown(req.Param("code"), lang));
               Response res = Response::Html(
                   200,
                   VerificationPage(**check, m.certificates.VerifyUrl((*check)->certificate.code), lang));
               // The answer changes at midnight and on any decision: never cache it.
               res.SetHeader("Cache-Control", "no-store");
               return res;
             },
             {.max_body = 0});

  router.Get("/c/{code}/qr.svg",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(auto check, m.certificates.CheckCode(req.Param("code")));
                 if (!check) return Error::NotFound("certificate");
                 TRY_ASSIGN(std::string svg, QrSvg(m.certificates.VerifyUrl(check->certificate.code)));
                 Response res = Response::Text(200, std::move(svg), "image/svg+xml");
                 res.SetHeader("Cache-Control", "public, max-age=86400");
                 return res;
               });
             },
             {.max_body = 0});

  router.Get("/chat-luong",
             [&m](Request& req) {
               auto q = RegisterQueryOf(req);
               if (!q.ok()) return Response::Problem(q.error(), req.path);
               auto rows = m.certificates.RegisterAll(*q);
               if (!rows.ok()) return Response::Problem(rows.error(), req.path);
               return Response::Html(200, RegisterPageHtml(*rows, *q, *m.areas, m.certificates.Today(),
                                                           PageLangOf(req.Query("lang"))));
             },
             {.max_body = 0});
}

void AddReviewRoutes(http::Router& router, QualityModule& m) {
  router.Post("/api/v1/reviews",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  ReviewInput in;
                  in.order_id = body.Int("order_id", Presence::kRequired).value_or(0);
                  in.product_id = body.Int("product_id", Presence::kRequired).value_or(0);
                  in.rating = body.Int("rating", Presence::kRequired).value_or(0);
                  in.body = body.Text("text", Presence::kOptional);
                  Error too_large;
                  in.photos = body.Files("photos", kMaxReviewPhotos, kMaxReviewPhotoBytes, &too_large);
                  if (too_large.code == ErrorCode::kTooLarge) return too_large;
                  TRY(body.Finish());
                  TRY_ASSIGN(Review r, m.reviews.Create(PrincipalOf(req), std::move(in)));
                  Response res = Response::Json(201, ReviewJson(r));
                  res.SetHeader("Location", "/api/v1/reviews/" + std::to_string(r.id));
                  return res;
                });
              },
              {.max_body = kReviewMaxBody});

  router.Get("/api/v1/reviews/{id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "review"));
                 TRY_ASSIGN(Review r, m.reviews.Get(PrincipalOf(req), id));
                 return Response::Json(200, ReviewJson(r));
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/reviews/{id}/reply",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "review"));
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  std::string text = body.Text("text", Presence::kRequired);
                  TRY(body.Finish());
                  TRY_ASSIGN(Review r, m.reviews.Reply(PrincipalOf(req), id, std::move(text)));
                  return Response::Json(200, ReviewJson(r));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/reviews/{id}/report",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "review"));
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  std::string reason = body.Text("reason", Presence::kRequired);
                  TRY(body.Finish());
                  TRY(m.reviews.Report(PrincipalOf(req), id, std::move(reason)));
                  return Response::Json(202, {{"review_id", id}, {"reported", true}});
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/reviews/{id}/moderate",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "review"));
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  const std::string decision = body.Text("decision", Presence::kRequired);
                  std::string reason = body.Text("reason", Presence::kRequired);
                  TRY(body.Finish());
                  if (decision != "keep" && decision != "hide")
                    return Error::Field("decision", "must be keep or hide");
                  TRY_ASSIGN(Review r, m.reviews.Moderate(PrincipalOf(req), id,
                                                          decision == "hide" ? ModerationDecision::kHide
                                                                             : ModerationDecision::kKeep,
                                                          std::move(reason)));
                  return Response::Json(200, ReviewJson(r));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Get("/api/v1/reviews/{id}/photos/{photo_id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "review"));
                 TRY_ASSIGN(std::int64_t photo_id, accounts::IdParam(req, "photo_id", "photo"));
                 TRY_ASSIGN(PhotoBlob p, m.reviews.Photo(id, photo_id));
                 Response res =
                     FileResponse(p.bytes, p.photo.content_type, "review-photo-" + std::to_string(photo_id));
                 res.SetHeader("Cache-Control", "public, max-age=86400");
                 return res;
               });
             },
             {.max_body = 0});

  for (const char* owner : {"products", "sellers"}) {
    const bool product = std::string_view(owner) == "products";
    router.Get(std::string("/api/v1/") + owner + "/{id}/reviews",
               [&m, product](Request& req) {
                 return accounts::Reply(req, [&]() -> Result<Response> {
                   TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", product ? "product" : "shop"));
                   const std::string cursor = req.Query("cursor").value_or("");
                   TRY_ASSIGN(ReviewPage page, product ? m.reviews.ForProduct(id, cursor, LimitParam(req))
                                                       : m.reviews.ForShop(id, cursor, LimitParam(req)));
                   TRY_ASSIGN(RatingSummary rating,
                              product ? m.reviews.ProductRating(id) : m.reviews.ShopRating(id));
                   json items = json::array();
                   for (const auto& r : page.items) items.push_back(ReviewJson(r));
                   return Response::Json(200, {{"items", std::move(items)},
                                               {"next_cursor", NextCursor(page.next_cursor)},
                                               {"rating", RatingJson(rating)}});
                 });
               },
               {.max_body = 0});
  }

  router.Get("/api/v1/quality/reported-reviews",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(auto reviews, m.reviews.Reported(PrincipalOf(req), LimitParam(req)));
                 json items = json::array();
                 for (const auto& r : reviews) items.push_back(ReviewJson(r));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});
}

void AddComplaintRoutes(http::Router& router, QualityModule& m) {
  router.Post("/api/v1/complaints",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  ComplaintInput in;
                  in.order_id = body.Int("order_id", Presence::kRequired).value_or(0);
                  in.product_id = body.Int("product_id", Presence::kOptional);
                  in.body = body.Text("text", Presence::kRequired);
                  TRY(body.Finish());
                  TRY_ASSIGN(Complaint c, m.complaints.File(PrincipalOf(req), std::move(in)));
                  Response res = Response::Json(201, ComplaintJson(c));
                  res.SetHeader("Location", "/api/v1/complaints/" + std::to_string(c.id));
                  return res;
                });
              },
              {.max_body = kSmallMaxBody});

  router.Get("/api/v1/complaints",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 ComplaintQuery q;
                 q.limit = LimitParam(req);
                 if (auto seller = req.Query("seller_id")) {
                   std::int64_t id = 0;
                   auto [ptr, ec] = std::from_chars(seller->data(), seller->data() + seller->size(), id);
                   if (ec != std::errc() || ptr != seller->data() + seller->size() || id <= 0) {
                     return Error::Field("seller_id", "must be a shop id");
                   }
                   q.seller_id = id;
                 }
                 if (auto status = req.Query("status"); status && !status->empty()) {
                   if (*status == "open") {
                     q.status = ComplaintStatus::kOpen;
                   } else if (*status == "resolved") {
                     q.status = ComplaintStatus::kResolved;
                   } else {
                     return Error::Field("status", "must be open or resolved");
                   }
                 }
                 TRY_ASSIGN(auto list, m.complaints.List(PrincipalOf(req), q));
                 json items = json::array();
                 for (const auto& c : list) items.push_back(ComplaintJson(c));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/complaints/{id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "complaint"));
                 TRY_ASSIGN(Complaint c, m.complaints.Get(PrincipalOf(req), id));
                 return Response::Json(200, ComplaintJson(c));
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/complaints/{id}/respond",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "complaint"));
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  std::string text = body.Text("text", Presence::kRequired);
                  TRY(body.Finish());
                  TRY_ASSIGN(Complaint c, m.complaints.Respond(PrincipalOf(req), id, std::move(text)));
                  return Response::Json(200, ComplaintJson(c));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/complaints/{id}/resolve",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "complaint"));
                  TRY_ASSIGN(json j, req.JsonBody());
                  Body body(j);
                  const std::string resolution = body.Text("resolution", Presence::kRequired);
                  std::string note = body.Text("note", Presence::kRequired);
                  TRY(body.Finish());
                  const auto parsed = ParseResolution(resolution);
                  if (!parsed) return Error::Field("resolution", "must be upheld or dismissed");
                  TRY_ASSIGN(Complaint c,
                             m.complaints.Resolve(PrincipalOf(req), id, *parsed, std::move(note)));
                  return Response::Json(200, ComplaintJson(c));
                });
              },
              {.max_body = kSmallMaxBody});
}

void AddEnforcementRoutes(http::Router& router, QualityModule& m) {
  struct Target {
    const char* path;
    EnforcementTarget target;
    const char* what;
  };
  for (const Target& t : {Target{"products", EnforcementTarget::kProduct, "product"},
                          Target{"sellers", EnforcementTarget::kShop, "shop"}}) {
    for (const bool suspend : {true, false}) {
      const std::string path =
          std::string("/api/v1/quality/") + t.path + "/{id}/" + (suspend ? "suspend" : "reinstate");
      router.Post(
          path,
          [&m, t, suspend](Request& req) {
            return accounts::Reply(req, [&]() -> Result<Response> {
              TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", t.what));
              TRY_ASSIGN(json j, req.JsonBody());
              Body body(j);
              std::string reason = body.Text("reason", Presence::kRequired);
              const auto complaint_id =
                  suspend ? body.Int("complaint_id", Presence::kOptional) : std::nullopt;
              TRY(body.Finish());
              TRY_ASSIGN(EnforcementAction a,
                         suspend ? m.complaints.Suspend(PrincipalOf(req), t.target, id, std::move(reason),
                                                        complaint_id)
                                 : m.complaints.Reinstate(PrincipalOf(req), t.target, id, std::move(reason)));
              return Response::Json(200, EnforcementJson(a));
            });
          },
          {.max_body = kSmallMaxBody});
    }
  }

  router.Get("/api/v1/quality/sellers/{id}/enforcement",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(auto actions, m.complaints.History(PrincipalOf(req), id));
                 json items = json::array();
                 for (const auto& a : actions) items.push_back(EnforcementJson(a));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/reputation",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(Reputation rep, m.complaints.ShopReputation(id));
                 json out = ReputationJson(rep);
                 TRY_ASSIGN(auto badges, m.certificates.ShopCertifications(id));
                 out["certifications"] = BadgesJson(badges);
                 return Response::Json(200, out);
               });
             },
             {.max_body = 0});
}

}  // namespace

void AddRoutes(http::Router& router, QualityModule& quality) {
  AddCertificateRoutes(router, quality);
  AddRegisterRoutes(router, quality);
  AddReviewRoutes(router, quality);
  AddComplaintRoutes(router, quality);
  AddEnforcementRoutes(router, quality);
}

}  // namespace nongsan::quality
