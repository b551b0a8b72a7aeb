#include "live/routes.hpp"

#include <charconv>

#include "accounts/auth.hpp"
#include "http/json_input.hpp"

namespace nongsan::live {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

// Types first (400 naming the field); the rules are the service's (422).
Result<SessionInput> ReadSessionInput(const Request& req) {
  TRY_ASSIGN(json body, req.JsonBody());
  http::JsonInput in(body);
  SessionInput input;
  input.title = in.String("title", http::Presence::kRequired).value_or("");
  input.platform = in.String("platform", http::Presence::kRequired).value_or("");
  input.url = in.String("url", http::Presence::kRequired).value_or("");
  input.started_at = in.String("started_at", http::Presence::kRequired).value_or("");
  input.ended_at = in.String("ended_at", http::Presence::kRequired).value_or("");
  // One more than the service takes, so it can say how many it takes.
  input.product_ids = in.IntArray("product_ids", http::Presence::kOptional, kMaxSessionProducts + 1)
                          .value_or(std::vector<std::int64_t>{});
  input.peak_viewers = in.Int("peak_viewers", http::Presence::kOptional);
  input.orders_reported = in.Int("orders_reported", http::Presence::kOptional);
  TRY(in.Finish());
  return input;
}

Result<std::size_t> LimitParam(const Request& req) {
  const auto text = req.Query("limit");
  if (!text) return kDefaultSessionsPage;
  std::size_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v == 0 || v > kMaxSessionsPage) {
    return Error::Field("limit", "must be a whole number from 1 to " + std::to_string(kMaxSessionsPage));
  }
  return v;
}

json OptionalInt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json SessionJson(const Session& s) {
  return {{"id", s.id},
          {"seller_id", s.seller_id},
          {"title", s.title},
          {"platform", PlatformName(s.platform)},
          {"url", s.url},
          {"started_at", timefmt::Rfc3339(s.started_at)},
          {"ended_at", timefmt::Rfc3339(s.ended_at)},
          {"duration_minutes", (s.ended_at - s.started_at) / 60'000},
          {"product_ids", s.product_ids},
          {"peak_viewers", OptionalInt(s.peak_viewers)},
          {"orders_reported", OptionalInt(s.orders_reported)},
          {"commune_code", s.commune_code},
          {"recorded_by", s.recorded_by},
          {"recorded_at", timefmt::Rfc3339(s.created_at)},
          {"deletable_until", timefmt::Rfc3339(s.created_at + kDeleteWindowMs)}};
}

void AddRoutes(http::Router& router, LiveService& live) {
  router.Post("/api/v1/sellers/{id}/livestreams",
              [&live](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                  if (!req.principal) return Error::Unauthorized();
                  TRY_ASSIGN(SessionInput input, ReadSessionInput(req));
                  TRY_ASSIGN(Session s, live.Record(PrincipalOf(req), seller_id, input));
                  return Response::Json(201, SessionJson(s));
                });
              },
              {.max_body = kSessionMaxBody});

  router.Get("/api/v1/sellers/{id}/livestreams",
             [&live](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(std::size_t limit, LimitParam(req));
                 TRY_ASSIGN(SessionPage page,
                            live.List(PrincipalOf(req), seller_id, req.Query("cursor").value_or(""), limit));
                 json items = json::array();
                 for (const Session& s : page.items) items.push_back(SessionJson(s));
                 return Response::Json(
                     200, {{"items", std::move(items)},
                           {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json(nullptr)}});
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/livestreams/{id}",
             [&live](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "livestream"));
                 TRY_ASSIGN(Session s, live.Get(PrincipalOf(req), id));
                 return Response::Json(200, SessionJson(s));
               });
             },
             {.max_body = 0});

  router.Delete("/api/v1/livestreams/{id}",
                [&live](Request& req) {
                  return accounts::Reply(req, [&]() -> Result<Response> {
                    TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "livestream"));
                    TRY(live.Delete(PrincipalOf(req), id));
                    return Response::NoContent();
                  });
                },
                {.max_body = 0});
}

}  // namespace nongsan::live
