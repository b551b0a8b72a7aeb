// How a request proves who it is, and the guards every route uses:
//  * the before-hook the server runs on every matched route: it reads
//    "Authorization: Bearer TOKEN" (API clients) or the `nongsan_session`
//    cookie (web pages), fills Request::principal, and refuses a
//    cookie-authenticated unsafe request (POST/PUT/PATCH/DELETE) that lacks
//    the session's CSRF token in the X-CSRF-Token header or the `csrf_token`
//    form field. Bearer requests are exempt (a browser never adds that header
//    on its own), and so are routes with RouteOptions::csrf_exempt.
//    A visitor (no session) posting to a route with
//    RouteOptions::pre_session_csrf (sign-in, register) must send an Origin
//    header of this host or the pre-session CSRF token: the
//    `nongsan_presession` cookie the form page set, hashed as below.
//  * the CSRF token of a session, for the page layer to put into forms. It is
//    derived from the session token by a one-way hash, so it needs no storage
//    and changes whenever the session does; a visitor's comes from the
//    pre-session cookie the same way.
//  * cookie construction and small handler helpers.
// A bad bearer token answers 401; a stale cookie is treated as no cookie, so
// public pages keep working after a session ends. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/account_service.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace nongsan::accounts {

inline constexpr std::string_view kSessionCookieName = "nongsan_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";
inline constexpr std::string_view kCsrfFormField = "csrf_token";
inline constexpr std::string_view kPreSessionCookieName = "nongsan_presession";
// Long enough to fill in a form after a slow page load; a stale one only
// means the visitor's next form page sets a fresh one.
inline constexpr std::int64_t kPreSessionLifetimeSeconds = 2 * 60 * 60;

// The before-hook for http::Server::AddBefore.
std::function<std::optional<http::Response>(http::Request&, const http::Route&)> MakeAuthHook(
    AccountService& accounts);

std::string CsrfTokenForSessionToken(std::string_view session_token);
std::string CsrfTokenForPreSession(std::string_view pre_session_token);
// The CSRF token for the request's session cookie, else for its pre-session
// cookie; nullopt without either.
std::optional<std::string> CsrfToken(const http::Request& request);
// For a form page shown to a visitor: when the request has neither a session
// nor a pre-session cookie, makes a pre-session token, adds it to the
// request's cookies (so the page rendered from the request carries the
// matching CSRF token) and returns the Set-Cookie value to send with it.
std::optional<std::string> EnsurePreSession(http::Request& request);

// Set-Cookie values: the session cookie (HttpOnly; SameSite=Lax; Path=/;
// Secure over TLS) and one that deletes it.
std::string SessionCookie(const std::string& token, std::int64_t max_age_seconds, bool secure);
std::string ClearSessionCookie(bool secure);

ClientInfo ClientOf(const http::Request& request);

// The signed-in principal, or kUnauthorized.
Result<const Principal*> RequireSignIn(const http::Request& request);

// Runs a handler body; an Error becomes its problem+json response.
http::Response Reply(const http::Request& request, const std::function<Result<http::Response>()>& body);

// Path parameter as a positive id; kNotFound otherwise (a malformed id names
// nothing).
Result<std::int64_t> IdParam(const http::Request& request, const std::string& name, const std::string& what);

}  // namespace nongsan::accounts
