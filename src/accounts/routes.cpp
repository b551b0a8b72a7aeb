#include "accounts/routes.hpp"

#include <charconv>

#include "accounts/audit_log.hpp"
#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "accounts/password.hpp"
#include "accounts/signed_in_route.hpp"

namespace nongsan::accounts {

namespace {

constexpr http::RouteOptions kBodyRoute{.max_body = kAccountsMaxBody};
// Sign-in endpoints act on the credentials or code in their body, never on
// the authority of a session cookie the browser may also send, so a forged
// cross-site request gains nothing from the cookie; they skip the CSRF check
// (a page that still holds an old session can sign in again).
constexpr http::RouteOptions kSignInRoute{.max_body = kAccountsMaxBody, .csrf_exempt = true};
constexpr http::RouteOptions kNoBody{.max_body = 0};
constexpr std::int64_t kMsPerSecond = 1000;

// {user, token, csrf_token, expires_at} and the session cookie.
http::Response SessionResponse(const http::Request& request, int status, const NewSession& session) {
  http::Response response =
      http::Response::Json(status, {{"user", UserJson(session.user)},
                                    {"token", session.token},
                                    {"csrf_token", CsrfTokenForSessionToken(session.token)},
                                    {"expires_at", timefmt::Rfc3339(session.expires_at)}});
  response.AddCookie(SessionCookie(session.token, kSessionLifetimeMs / kMsPerSecond, request.tls));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

nlohmann::json SessionJson(const SessionInfo& s) {
  return {{"id", s.id},
          {"created_at", timefmt::Rfc3339(s.created_at)},
          {"last_seen_at", timefmt::Rfc3339(s.last_seen_at)},
          {"expires_at", timefmt::Rfc3339(s.expires_at)},
          {"user_agent", s.user_agent},
          {"ip", s.ip},
          {"current", s.current}};
}

std::int64_t QueryInt(const http::Request& request, std::string_view name) {
  const std::string text = request.Query(name).value_or("");
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

void AddRoutes(http::Router& router, AccountService& accounts) {
  AccountService* svc = &accounts;

  router.Post(
      "/api/v1/auth/register",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          JsonInput in(body);
          RegisterInput input;
          input.phone = in.String("phone", Presence::kRequired).value_or("");
          input.password = in.String("password", Presence::kRequired, kMaxPasswordBytes + 1).value_or("");
          input.full_name = in.String("full_name", Presence::kRequired).value_or("");
          input.email = in.String("email", Presence::kOptional);
          TRY(in.Finish());
          TRY_ASSIGN(NewSession session, svc->Register(input, ClientOf(req)));
          return SessionResponse(req, 201, session);
        });
      },
      kSignInRoute);

  router.Post(
      "/api/v1/auth/login",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          JsonInput in(body);
          auto phone = in.String("phone", Presence::kRequired);
          auto password = in.String("password", Presence::kRequired, kMaxPasswordBytes + 1);
          TRY(in.Finish());
          TRY_ASSIGN(NewSession session,
                     svc->Login(*phone, *password, ClientOf(req), req.Cookie(kSessionCookieName)));
          return SessionResponse(req, 200, session);
        });
      },
      kSignInRoute);

  router.Post("/api/v1/auth/logout",
              SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
                TRY(svc->Logout(me));
                http::Response response = http::Response::NoContent();
                response.AddCookie(ClearSessionCookie(req.tls));
                return response;
              }),
              kBodyRoute);

  router.Post(
      "/api/v1/auth/otp/request",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          JsonInput in(body);
          auto phone = in.String("phone", Presence::kRequired);
          auto purpose_name = in.String("purpose", Presence::kOptional).value_or("verify_phone");
          CodePurpose purpose = CodePurpose::kVerifyPhone;
          if (!ParseCodePurpose(purpose_name, &purpose)) {
            in.Fail("purpose", "Use verify_phone, reset_password or claim_account.");
          }
          TRY(in.Finish());
          TRY(svc->RequestCode(*phone, purpose, ClientOf(req)));
          return http::Response::Json(
              202, {{"detail", "If this number has an account that needs it, a code is on its way by SMS."}});
        });
      },
      kSignInRoute);

  router.Post(
      "/api/v1/auth/otp/verify",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          JsonInput in(body);
          auto phone = in.String("phone", Presence::kRequired);
          auto code = in.String("code", Presence::kRequired);
          if (auto purpose = in.String("purpose", Presence::kOptional);
              purpose && *purpose != "verify_phone") {
            in.Fail(
                "purpose",
                "Only verify_phone codes are checked here; reset and claim codes go to their own endpoints.");
          }
          TRY(in.Finish());
          TRY_ASSIGN(User user, svc->VerifyPhone(*phone, *code, ClientOf(req)));
          return http::Response::Json(200, {{"phone", user.phone}, {"phone_verified", true}});
        });
      },
      kSignInRoute);

  router.Post(
      "/api/v1/auth/password/reset",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          JsonInput in(body);
          auto phone = in.String("phone", Presence::kRequired);
          auto code = in.String("code", Presence::kRequired);
          auto password = in.String("password", Presence::kRequired, kMaxPasswordBytes + 1);
          TRY(in.Finish());
          TRY(svc->ResetPassword(*phone, *code, *password, ClientOf(req)));
          http::Response response = http::Response::NoContent();
          response.AddCookie(ClearSessionCookie(req.tls));
          return response;
        });
      },
      kSignInRoute);

  router.Post(
      "/api/v1/auth/claim",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(auto body, req.JsonBody());
          JsonInput in(body);
          auto phone = in.String("phone", Presence::kRequired);
          auto code = in.String("code", Presence::kRequired);
          auto password = in.String("password", Presence::kRequired, kMaxPasswordBytes + 1);
          TRY(in.Finish());
          TRY_ASSIGN(NewSession session, svc->Claim(*phone, *code, *password, ClientOf(req)));
          return SessionResponse(req, 200, session);
        });
      },
      kSignInRoute);

  router.Get("/api/v1/me", SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
               TRY_ASSIGN(User user, svc->GetUser(me.user_id));
               nlohmann::json body = {{"user", UserJson(user)}};
               if (me.via_cookie) body["csrf_token"] = CsrfToken(req).value_or("");
               http::Response response = http::Response::Json(200, body);
               response.SetHeader("Cache-Control", "no-store");
               return response;
             }),
             kNoBody);

  router.Patch("/api/v1/me",
               SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
                 TRY_ASSIGN(auto body, req.JsonBody());
                 JsonInput in(body);
                 auto full_name = in.String("full_name", Presence::kOptional);
                 auto email = in.String("email", Presence::kOptional);
                 TRY(in.Finish());
                 TRY_ASSIGN(User user, svc->UpdateProfile(me, full_name, email));
                 return http::Response::Json(200, {{"user", UserJson(user)}});
               }),
               kBodyRoute);

  router.Post("/api/v1/me/password",
              SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
                TRY_ASSIGN(auto body, req.JsonBody());
                JsonInput in(body);
                auto current = in.String("current_password", Presence::kRequired, kMaxPasswordBytes + 1);
                auto next = in.String("new_password", Presence::kRequired, kMaxPasswordBytes + 1);
                TRY(in.Finish());
                TRY(svc->ChangePassword(me, *current, *next));
                return http::Response::NoContent();
              }),
              kBodyRoute);

  router.Get("/api/v1/me/sessions",
             SignedIn([svc](http::Request&, const Principal& me) -> Result<http::Response> {
               TRY_ASSIGN(auto sessions, svc->ListSessions(me));
               nlohmann::json list = nlohmann::json::array();
               for (const auto& s : sessions) list.push_back(SessionJson(s));
               return http::Response::Json(200, {{"items", std::move(list)}, {"next_cursor", nullptr}});
             }),
             kNoBody);

  router.Delete("/api/v1/me/sessions/{id}",
                SignedInWithId("session",
                               [svc](http::Request& req, const Principal& me,
                                     std::int64_t id) -> Result<http::Response> {
                                 TRY(svc->RevokeSession(me, id));
                                 http::Response response = http::Response::NoContent();
                                 if (id == me.session_id && me.via_cookie)
                                   response.AddCookie(ClearSessionCookie(req.tls));
                                 return response;
                               }),
                kNoBody);

  router.Post("/api/v1/admin/grants",
              SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
                TRY_ASSIGN(auto body, req.JsonBody());
                JsonInput in(body);
                auto phone = in.String("phone", Presence::kRequired);
                auto role_name = in.String("role", Presence::kRequired);
                auto scope = in.String("scope", Presence::kRequired, kMaxScopeBytes);
                Role role = Role::kBuyer;
                if (role_name && !ParseRole(*role_name, &role)) in.Fail("role", "Unknown role.");
                TRY(in.Finish());
                TRY_ASSIGN(GrantRecord grant, svc->AdminGrant(me, *phone, role, *scope, ClientOf(req)));
                return http::Response::Json(201, {{"id", grant.id},
                                                  {"user_id", grant.user_id},
                                                  {"role", RoleName(grant.role)},
                                                  {"scope", grant.scope}});
              }),
              kBodyRoute);

  router.Delete("/api/v1/admin/grants/{id}",
                SignedInWithId("grant",
                               [svc](http::Request& req, const Principal& me,
                                     std::int64_t id) -> Result<http::Response> {
                                 TRY(svc->AdminRevokeGrant(me, id, ClientOf(req)));
                                 return http::Response::NoContent();
                               }),
                kNoBody);

  router.Get(
      "/api/v1/admin/audit",
      SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
        std::vector<std::string> provinces;
        for (const auto& g : me.grants) {
          if (g.role == Role::kProvinceAdmin) provinces.push_back(g.scope);
        }
        if (provinces.empty())
          return Error::Forbidden("Only a province administrator may read the audit log.");
        AuditQuery query;
        query.province_code = req.Query("province").value_or(provinces.front());
        if (std::find(provinces.begin(), provinces.end(), query.province_code) == provinces.end()) {
          return Error::Forbidden("This is outside your province.");
        }
        query.object_type = req.Query("object_type").value_or("");
        query.object_id = req.Query("object_id").value_or("");
        // The cursor is the id of the last entry seen (entries come newest first).
        query.before_id = QueryInt(req, "cursor");
        if (std::int64_t limit = QueryInt(req, "limit"); limit > 0)
          query.limit = static_cast<std::size_t>(limit);
        TRY_ASSIGN(auto records, ListAudit(svc->db(), query));
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& r : records) entries.push_back(AuditRecordJson(r));
        nlohmann::json next = nullptr;
        if (!records.empty() && records.size() == std::min(query.limit, kMaxAuditPage)) {
          next = std::to_string(records.back().id);
        }
        return http::Response::Json(200, {{"items", std::move(entries)}, {"next_cursor", std::move(next)}});
      }),
      kNoBody);
}

}  // namespace nongsan::accounts
