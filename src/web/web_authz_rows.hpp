// Helpers for the authorization rows of the HTML pages (support/authz_table.hpp),
// shared by the page modules' *_authz_test.cpp files: a row runs as a browser
// would (session cookie, x-www-form-urlencoded forms with the CSRF token from
// a page), checks where redirects go, and every POST gets the rows without a
// CSRF token and with a wrong one. Test-only; header-only.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "app/services.hpp"
#include "http/request.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing::pages {

constexpr int kSeeOther = 303;  // how the pages redirect (http::Response::Redirect)

// Where a 3xx answer must point, per actor (prefix of Location); nullptr:
// not checked (or not a redirect).
using Where = std::array<const char*, kActorCount>;
constexpr const char* kSignIn = "/dang-nhap?next=";
constexpr const char* kOpenShop = "/kenh-ban/mo-cua-hang";
constexpr Where kAnywhere{};

// anon buyer owner staff other coop offIn offOut admin
constexpr Expect kEveryone{200, 200, 200, 200, 200, 200, 200, 200, 200};
constexpr Expect kSignedIn{kSeeOther, 200, 200, 200, 200, 200, 200, 200, 200};
constexpr Where kSignedInWhere{kSignIn};
inline app::Services& Services(AuthzWorld& w) { return w.app.app().services(); }

inline bool In(Actor actor, std::initializer_list<Actor> actors) {
  for (Actor a : actors) {
    if (a == actor) return true;
  }
  return false;
}

inline bool Contains(const ClientResponse& response, const std::string& text) {
  return response.body.find(text) != std::string::npos;
}

inline std::string Encode(const std::string& text) { return http::UrlEncode(text); }

// ---- building rows

using Prepare = std::function<AuthzRequest(AuthzWorld&)>;

// A browser row; `where` checks the Location of the redirects.
inline AuthzCase Page(std::string method, std::string route, std::string note, Expect expect, Where where,
                      Prepare prepare = {}) {
  auto wrapped = [prepare = std::move(prepare), where](AuthzWorld& w) {
    AuthzRequest r = prepare ? prepare(w) : AuthzRequest{};
    r.browser = true;
    const char* wanted = where[static_cast<std::size_t>(w.actor)];
    if (wanted != nullptr) {
      auto check = std::move(r.after);
      r.after = [wanted, check](AuthzWorld& w, const ClientResponse& response) {
        if (response.status / 100 == 3) {
          EXPECT_EQ(response.Header("location").rfind(wanted, 0), 0u)
              << "redirected to " << response.Header("location") << ", expected " << wanted << "…";
        }
        if (check) check(w, response);
      };
    }
    return r;
  };
  return AuthzCase{std::move(method), std::move(route), std::move(note), expect, std::move(wrapped)};
}

inline AuthzCase Get(std::string route, std::string note, Expect expect, Where where = kAnywhere,
                     Prepare prepare = {}) {
  return Page("GET", std::move(route), std::move(note), expect, where, std::move(prepare));
}

// A POST form. prepare(w, forged) builds the request; `forged` says the row
// sends no or a wrong CSRF token, so the form's checks know that nothing may
// change for anyone with a session (see Genuine).
using PostPrepare = std::function<AuthzRequest(AuthzWorld&, bool forged)>;

// True when the request will be judged on its merits: a valid token, or no
// session (an anonymous visitor is asked for none).
inline bool Genuine(const AuthzWorld& w, bool forged) { return !forged || w.actor == Actor::kAnonymous; }

// Whether a visitor (no session) must bring a token too: the sign-in and
// register forms check a pre-session token against login CSRF.
enum class VisitorToken { kNotAsked, kRequired };

// The row with a valid token, then the one without a token and the one with
// a wrong token: 403 for every actor with a session, and nothing changes.
inline void AddPost(AuthzCaseList& rows, const std::string& route, const std::string& note, Expect expect,
                    Where where, PostPrepare prepare, VisitorToken visitor = VisitorToken::kNotAsked) {
  rows.push_back(
      Page("POST", route, note, expect, where, [prepare](AuthzWorld& w) { return prepare(w, false); }));
  Expect forged_expect;
  forged_expect.fill(403);
  Where forged_where{};
  if (visitor == VisitorToken::kNotAsked) {
    forged_expect[0] = expect[0];
    forged_where[0] = where[0];
  }
  const std::string sep = note.empty() ? "" : ", ";
  for (auto csrf : {AuthzRequest::Csrf::kMissing, AuthzRequest::Csrf::kWrong}) {
    const std::string what = csrf == AuthzRequest::Csrf::kMissing ? "no CSRF token" : "wrong CSRF token";
    rows.push_back(
        Page("POST", route, note + sep + what, forged_expect, forged_where, [prepare, csrf](AuthzWorld& w) {
          AuthzRequest r = prepare(w, true);
          r.csrf = csrf;
          return r;
        }));
  }
}

}  // namespace nongsan::testing::pages
