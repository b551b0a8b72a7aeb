#include "trace/routes.hpp"

#include <charconv>

#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "trace/symbols.hpp"
#include "trace/trace_json.hpp"

namespace nongsan::trace {
namespace {

using accounts::JsonInput;
using accounts::Presence;
using http::Request;
using http::Response;
using nlohmann::json;

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

// The body of a POST that may be empty: {} then.
Result<json> OptionalJsonBody(const Request& req) {
  if (text::Trim(req.body).empty()) return json::object();
  return req.JsonBody();
}

Response Image(std::string bytes, ImageFormat format) {
  Response res =
      Response::Text(200, std::move(bytes), format == ImageFormat::kSvg ? "image/svg+xml" : "image/png");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Cache-Control", "public, max-age=3600");
  return res;
}

std::vector<FarmingEntry> ReadFarmingLog(const json& body, JsonInput& in) {
  std::vector<FarmingEntry> log;
  const json& v = body["farming_log"];
  if (!v.is_array()) {
    in.Fail("farming_log", "must be a list of {date, activity, input, note}");
    return log;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = "farming_log[" + std::to_string(i) + "]";
    if (!v[i].is_object()) {
      in.Fail(at, "must be an object {date, activity, input, note}");
      continue;
    }
    JsonInput entry(v[i]);
    FarmingEntry e;
    e.date = entry.String("date", Presence::kRequired).value_or("");
    e.activity = entry.String("activity", Presence::kRequired).value_or("");
    e.input = entry.String("input", Presence::kOptional).value_or("");
    e.note = entry.String("note", Presence::kOptional).value_or("");
    if (Status st = entry.Finish(); !st.ok()) {
      for (const auto& f : st.error().fields) in.Fail(at + "." + f.field, f.message);
    }
    log.push_back(std::move(e));
  }
  return log;
}

Result<LotInput> ReadLotInput(const json& body, Presence presence) {
  JsonInput in(body);
  LotInput lot;
  lot.code = in.String("code", presence);
  lot.produced_on = in.String("produced_on", presence);
  lot.harvested_on = in.String("harvested_on", Presence::kOptional);
  lot.expires_on = in.String("expires_on", Presence::kOptional);
  lot.quantity = in.Int("quantity", presence);
  lot.origin_commune_code = in.String("origin_commune_code", Presence::kOptional);
  lot.plot = in.String("plot", Presence::kOptional);
  if (body.contains("farming_log") && !body["farming_log"].is_null())
    lot.farming_log = ReadFarmingLog(body, in);
  TRY(in.Finish());
  return lot;
}

void AddPrefixRoutes(http::Router& router, TraceModule& m) {
  router.Put("/api/v1/sellers/{id}/gs1-prefix",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(json body, req.JsonBody());
                 JsonInput in(body);
                 auto prefix = in.String("company_prefix", Presence::kRequired);
                 TRY(in.Finish());
                 TRY_ASSIGN(Gs1Prefix p, m.trace.SetPrefix(PrincipalOf(req), seller_id, *prefix));
                 return Response::Json(200, PrefixJson(p));
               });
             },
             {.max_body = kSmallMaxBody});

  router.Get("/api/v1/sellers/{id}/gs1-prefix",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(Gs1Prefix p, m.trace.GetPrefix(PrincipalOf(req), seller_id));
                 return Response::Json(200, PrefixJson(p));
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/sellers/{id}/gs1-prefix/verify",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                  TRY_ASSIGN(Gs1Prefix p, m.trace.VerifyPrefix(PrincipalOf(req), seller_id));
                  return Response::Json(200, PrefixJson(p));
                });
              },
              {.max_body = kSmallMaxBody});
}

void AddGtinRoutes(http::Router& router, TraceModule& m) {
  router.Post("/api/v1/products/{id}/gtin",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t product_id, accounts::IdParam(req, "id", "product"));
                  TRY_ASSIGN(json body, OptionalJsonBody(req));
                  JsonInput in(body);
                  auto given = in.String("gtin", Presence::kOptional);
                  TRY(in.Finish());
                  TRY_ASSIGN(ProductGtin g, m.trace.AssignGtin(PrincipalOf(req), product_id, given));
                  return Response::Json(201, GtinJson(g));
                });
              },
              {.max_body = kSmallMaxBody});

  for (ImageFormat format : {ImageFormat::kSvg, ImageFormat::kPng}) {
    const std::string ext = format == ImageFormat::kSvg ? "svg" : "png";
    router.Get("/api/v1/products/{id}/barcode." + ext,
               [&m, format](Request& req) {
                 return accounts::Reply(req, [&]() -> Result<Response> {
                   TRY_ASSIGN(std::int64_t product_id, accounts::IdParam(req, "id", "product"));
                   TRY_ASSIGN(std::string gtin, m.trace.VisibleGtin(PrincipalOf(req), product_id));
                   TRY_ASSIGN(std::string image, GtinBarcode(gtin, format));
                   return Image(std::move(image), format);
                 });
               },
               {.max_body = 0});
  }
}

void AddLotRoutes(http::Router& router, TraceModule& m) {
  router.Post("/api/v1/products/{id}/lots",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t product_id, accounts::IdParam(req, "id", "product"));
                  TRY_ASSIGN(json body, req.JsonBody());
                  TRY_ASSIGN(LotInput input, ReadLotInput(body, Presence::kRequired));
                  TRY_ASSIGN(Lot lot, m.trace.CreateLot(PrincipalOf(req), product_id, input));
                  Response res = Response::Json(201, LotJson(lot, m.base_url));
                  res.SetHeader("Location", "/api/v1/lots/" + std::to_string(lot.id));
                  return res;
                });
              },
              {.max_body = kLotMaxBody});

  router.Get("/api/v1/products/{id}/lots",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t product_id, accounts::IdParam(req, "id", "product"));
                 TRY_ASSIGN(auto lots, m.trace.ListLots(PrincipalOf(req), product_id));
                 json items = json::array();
                 for (const auto& lot : lots) items.push_back(LotJson(lot, m.base_url));
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/lots/{id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                 TRY_ASSIGN(Lot lot, m.trace.GetLot(PrincipalOf(req), lot_id));
                 return Response::Json(200, LotJson(lot, m.base_url));
               });
             },
             {.max_body = 0});

  router.Patch("/api/v1/lots/{id}",
               [&m](Request& req) {
                 return accounts::Reply(req, [&]() -> Result<Response> {
                   TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                   TRY_ASSIGN(json body, req.JsonBody());
                   TRY_ASSIGN(LotInput input, ReadLotInput(body, Presence::kOptional));
                   TRY_ASSIGN(Lot lot, m.trace.UpdateLot(PrincipalOf(req), lot_id, input));
                   return Response::Json(200, LotJson(lot, m.base_url));
                 });
               },
               {.max_body = kLotMaxBody});

  for (ImageFormat format : {ImageFormat::kSvg, ImageFormat::kPng}) {
    const std::string ext = format == ImageFormat::kSvg ? "svg" : "png";
    router.Get("/api/v1/lots/{id}/qr." + ext,
               [&m, format](Request& req) {
                 return accounts::Reply(req, [&]() -> Result<Response> {
                   TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                   TRY_ASSIGN(Lot lot, m.trace.GetLot(PrincipalOf(req), lot_id));
                   TRY_ASSIGN(std::string image, QrCode(LotUri(lot, m.base_url), format));
                   return Image(std::move(image), format);
                 });
               },
               {.max_body = 0});
  }
}

std::int64_t IntQuery(const Request& req, std::string_view name, std::int64_t fallback) {
  const auto text = req.Query(name);
  if (!text || text->empty()) return fallback;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 0) return -1;
  return v;
}

void AddRecallRoutes(http::Router& router, TraceModule& m) {
  router.Post("/api/v1/lots/{id}/recall",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                  TRY_ASSIGN(json body, req.JsonBody());
                  JsonInput in(body);
                  auto reason = in.String("reason", Presence::kRequired);
                  TRY(in.Finish());
                  TRY_ASSIGN(RecallResult r, m.recalls.Recall(PrincipalOf(req), lot_id, *reason));
                  json out = LotJson(r.lot, m.base_url);
                  out["buyers_notified"] = r.buyers_notified;
                  return Response::Json(200, out);
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/lots/{id}/hold",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                  TRY_ASSIGN(json body, OptionalJsonBody(req));
                  JsonInput in(body);
                  auto reason = in.String("reason", Presence::kOptional);
                  TRY(in.Finish());
                  TRY_ASSIGN(Lot lot, m.recalls.Hold(PrincipalOf(req), lot_id, reason.value_or("")));
                  return Response::Json(200, LotJson(lot, m.base_url));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/lots/{id}/release",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                  TRY_ASSIGN(Lot lot, m.recalls.Release(PrincipalOf(req), lot_id));
                  return Response::Json(200, LotJson(lot, m.base_url));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Post("/api/v1/lots/{id}/destroy",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                  TRY_ASSIGN(json body, req.JsonBody());
                  JsonInput in(body);
                  auto reason = in.String("reason", Presence::kRequired);
                  auto quantity = in.Int("quantity", Presence::kOptional);
                  TRY(in.Finish());
                  TRY_ASSIGN(DestroyedLot d, m.recalls.Destroy(PrincipalOf(req), lot_id, *reason, quantity));
                  json out = LotJson(d.lot, m.base_url);
                  out["destroyed_quantity"] = d.quantity;
                  return Response::Json(200, out);
                });
              },
              {.max_body = kSmallMaxBody});

  router.Get("/api/v1/recalls",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 const std::int64_t limit = IntQuery(req, "limit", kMaxRecallsListed);
                 if (limit < 1)
                   return Error::Field("limit", "Must be a whole number from 1 to " +
                                                    std::to_string(kMaxRecallsListed) + ".");
                 TRY_ASSIGN(auto recalls, m.recalls.RecallsInArea(PrincipalOf(req), limit));
                 json items = json::array();
                 for (const auto& r : recalls) {
                   json lot = LotJson(r.lot, m.base_url);
                   lot["order_lines"] = r.order_lines;
                   items.push_back(std::move(lot));
                 }
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/lots/{id}/orders",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t lot_id, accounts::IdParam(req, "id", "lot"));
                 const std::int64_t after = IntQuery(req, "cursor", 0);
                 if (after < 0) return Error::Field("cursor", "Not a cursor this API gave out.");
                 const std::int64_t limit = IntQuery(req, "limit", kDefaultLotOrdersPage);
                 if (limit < 1)
                   return Error::Field("limit", "Must be a whole number from 1 to " +
                                                    std::to_string(kMaxLotOrdersPage) + ".");
                 TRY_ASSIGN(LotOrdersPage page, m.recalls.Orders(PrincipalOf(req), lot_id, after, limit));
                 json items = json::array();
                 for (const auto& l : page.items) {
                   items.push_back({{"order_id", l.order_id},
                                    {"order_code", l.order_code},
                                    {"line_id", l.line_id},
                                    {"product_id", l.product_id},
                                    {"buyer_id", l.buyer_id},
                                    {"quantity", l.quantity},
                                    {"packed_at", timefmt::Rfc3339(l.packed_at)}});
                 }
                 return Response::Json(
                     200, {{"items", std::move(items)},
                           {"next_cursor",
                            page.next_after_id ? json(std::to_string(*page.next_after_id)) : json(nullptr)}});
               });
             },
             {.max_body = 0});
}

// "a|b|c" → {a, b, c}; an error naming `name` past kMaxQueryValues values.
Result<std::vector<std::string>> QueryValues(const Request& req, const char* name) {
  std::vector<std::string> values;
  const auto text = req.Query(name);
  if (!text || text->empty()) return values;
  for (std::size_t start = 0; start <= text->size();) {
    const std::size_t bar = std::min(text->find('|', start), text->size());
    if (bar > start) values.push_back(text->substr(start, bar - start));
    start = bar + 1;
  }
  if (values.size() > kMaxQueryValues) {
    return Error::Field(name, "At most " + std::to_string(kMaxQueryValues) + " values separated by |.");
  }
  return values;
}

Result<std::optional<std::int64_t>> QueryTime(const Request& req, const char* name) {
  const auto text = req.Query(name);
  if (!text || text->empty()) return std::optional<std::int64_t>{};
  auto ms = ParseRfc3339(*text);
  if (!ms) return Error::Field(name, "Must be a date-time (RFC 3339), e.g. 2026-11-20T08:00:00+07:00.");
  return ms;
}

Result<EpcisQuery> ReadEpcisQuery(const Request& req) {
  EpcisQuery q;
  TRY_ASSIGN(q.biz_steps, QueryValues(req, "EQ_bizStep"));
  TRY_ASSIGN(q.epcs, QueryValues(req, "MATCH_epc"));
  TRY_ASSIGN(q.epc_classes, QueryValues(req, "MATCH_anyEPCClass"));
  TRY_ASSIGN(q.from_ms, QueryTime(req, "GE_eventTime"));
  TRY_ASSIGN(q.until_ms, QueryTime(req, "LT_eventTime"));
  q.per_page = IntQuery(req, "perPage", kEpcisDefaultPerPage);
  if (q.per_page < 1 || q.per_page > kEpcisMaxPerPage) {
    return Error::Field("perPage",
                        "Must be a whole number from 1 to " + std::to_string(kEpcisMaxPerPage) + ".");
  }
  q.after_id = IntQuery(req, "nextPageToken", 0);
  if (q.after_id < 0) return Error::Field("nextPageToken", "Not a token this API gave out.");
  return q;
}

// The query string of `req` with nextPageToken set to `token`.
std::string NextPageQuery(const Request& req, std::int64_t token) {
  std::string out;
  for (std::size_t start = 0; start < req.query_string.size();) {
    const std::size_t amp = std::min(req.query_string.find('&', start), req.query_string.size());
    const std::string pair = req.query_string.substr(start, amp - start);
    if (!pair.empty() && pair.rfind("nextPageToken=", 0) != 0 && pair != "nextPageToken") {
      out += (out.empty() ? "" : "&") + pair;
    }
    start = amp + 1;
  }
  return out + (out.empty() ? "" : "&") + "nextPageToken=" + std::to_string(token);
}

void AddEpcisRoutes(http::Router& router, TraceModule& m) {
  router.Get("/api/v1/epcis/events",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(EpcisQuery query, ReadEpcisQuery(req));
                 TRY_ASSIGN(EpcisPage page, m.epcis.Query(query));
                 Response res = Response::Text(200, std::move(page.document), "application/json");
                 if (page.next_after_id) {
                   res.SetHeader("Link", "</api/v1/epcis/events?" + NextPageQuery(req, *page.next_after_id) +
                                             ">; rel=\"next\"");
                 }
                 return res;
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/epcis/capture",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(json body, req.JsonBody());
                  TRY_ASSIGN(std::int64_t stored, m.epcis.Capture(PrincipalOf(req), body));
                  return Response::Json(201, {{"captured", stored}});
                });
              },
              {.max_body = kCaptureMaxBody});
}

}  // namespace

void AddRoutes(http::Router& router, TraceModule& module) {
  AddPrefixRoutes(router, module);
  AddGtinRoutes(router, module);
  AddLotRoutes(router, module);
  AddRecallRoutes(router, module);
  AddEpcisRoutes(router, module);
}

}  // namespace nongsan::trace
