#include "accounts/auth.hpp"

#include <charconv>

#include "core/ids.hpp"
#include "http/encoding.hpp"

namespace nongsan::accounts {

namespace {

constexpr std::string_view kBearerPrefix = "bearer ";
constexpr std::string_view kCsrfContext = "nongsan-csrf-v1:";
constexpr std::string_view kPreSessionCsrfContext = "nongsan-presession-csrf-v1:";
constexpr std::size_t kPreSessionTokenBytes = 32;

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = (s[i] >= 'A' && s[i] <= 'Z') ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (a != prefix[i]) return false;
  }
  return true;
}

http::Response CsrfRefused(const http::Request& request) {
  Error error =
      Error::Forbidden("This form has expired or did not come from nongsan; reload the page and try again.");
  error.type = "csrf";
  return http::Response::Problem(error, request.path);
}

// "https://cho.nongsan.vn" against the Host header "cho.nongsan.vn": the
// scheme is left out because behind a TLS proxy the server sees plain HTTP.
bool IsOwnOrigin(std::string_view origin, const std::optional<std::string>& host) {
  if (!host || host->empty()) return false;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWithIgnoreCase(origin, scheme))
      return http::EqualsIgnoreCase(origin.substr(scheme.size()), *host);
  }
  return false;  // "null" (sandboxed or privacy-stripped) and anything odd
}

// A visitor's POST to a sign-in or register form: a same-origin Origin (every
// current browser sends one on a form POST), or else the pre-session token.
std::optional<http::Response> CheckVisitorCsrf(const http::Request& request, const http::Route& route) {
  if (!route.options.pre_session_csrf || !IsUnsafe(request.method)) return std::nullopt;
  if (const auto origin = request.Header("origin")) {
    if (IsOwnOrigin(*origin, request.Header("host"))) return std::nullopt;
    return CsrfRefused(request);
  }
  const auto pre_session = request.Cookie(kPreSessionCookieName);
  std::optional<std::string> presented = request.Header(kCsrfHeader);
  if (!presented) presented = request.Form(kCsrfFormField);
  if (pre_session && !pre_session->empty() && presented &&
      ids::SecureEquals(*presented, CsrfTokenForPreSession(*pre_session))) {
    return std::nullopt;
  }
  return CsrfRefused(request);
}

http::Response InvalidToken(const http::Request& request, const Error& error) {
  http::Response response = http::Response::Problem(error, request.path);
  response.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return response;
}

}  // namespace

std::string CsrfTokenForSessionToken(std::string_view session_token) {
  return ids::Sha256Hex(std::string(kCsrfContext) + std::string(session_token));
}

std::string CsrfTokenForPreSession(std::string_view pre_session_token) {
  return ids::Sha256Hex(std::string(kPreSessionCsrfContext) + std::string(pre_session_token));
}

std::optional<std::string> CsrfToken(const http::Request& request) {
  if (auto cookie = request.Cookie(kSessionCookieName); cookie && !cookie->empty()) {
    return CsrfTokenForSessionToken(*cookie);
  }
  if (auto pre_session = request.Cookie(kPreSessionCookieName); pre_session && !pre_session->empty()) {
    return CsrfTokenForPreSession(*pre_session);
  }
  return std::nullopt;
}

std::optional<std::string> EnsurePreSession(http::Request& request) {
  if (CsrfToken(request)) return std::nullopt;
  const std::string token = ids::RandomToken(kPreSessionTokenBytes);
  request.headers.emplace_back("cookie", std::string(kPreSessionCookieName) + "=" + token);
  std::string cookie = std::string(kPreSessionCookieName) + "=" + token +
                       "; Path=/; Max-Age=" + std::to_string(kPreSessionLifetimeSeconds) +
                       "; HttpOnly; SameSite=Lax";
  if (request.tls) cookie += "; Secure";
  return cookie;
}

std::string SessionCookie(const std::string& token, std::int64_t max_age_seconds, bool secure) {
  std::string cookie = std::string(kSessionCookieName) + "=" + token +
                       "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string ClearSessionCookie(bool secure) { return SessionCookie("", 0, secure); }

ClientInfo ClientOf(const http::Request& request) {
  return ClientInfo{request.remote_ip, request.Header("user-agent").value_or("")};
}

Result<const Principal*> RequireSignIn(const http::Request& request) {
  if (!request.principal) return Error::Unauthorized();
  return &*request.principal;
}

http::Response Reply(const http::Request& request, const std::function<Result<http::Response>()>& body) {
  Result<http::Response> result = body();
  if (!result.ok()) return http::Response::Problem(result.error(), request.path);
  return std::move(result).value();
}

Result<std::int64_t> IdParam(const http::Request& request, const std::string& name, const std::string& what) {
  const std::string& text = request.Param(name);
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return Error::NotFound(what);
  return id;
}

std::function<std::optional<http::Response>(http::Request&, const http::Route&)> MakeAuthHook(
    AccountService& accounts) {
  return [&accounts](http::Request& request, const http::Route& route) -> std::optional<http::Response> {
    request.principal.reset();
    if (auto header = request.Header("authorization")) {
      if (!StartsWithIgnoreCase(*header, kBearerPrefix)) {
        return InvalidToken(request, Error::Unauthorized("Use \"Authorization: Bearer <token>\"."));
      }
      auto principal = accounts.Authenticate(std::string_view(*header).substr(kBearerPrefix.size()));
      if (!principal.ok()) {
        if (principal.error().code != ErrorCode::kUnauthorized) {
          return http::Response::Problem(principal.error(), request.path);
        }
        return InvalidToken(request, principal.error());
      }
      request.principal = std::move(principal).value();
      request.principal->via_cookie = false;
      return std::nullopt;
    }
    auto cookie = request.Cookie(kSessionCookieName);
    if (!cookie || cookie->empty()) return CheckVisitorCsrf(request, route);
    auto principal = accounts.Authenticate(*cookie);
    if (!principal.ok()) {
      if (principal.error().code != ErrorCode::kUnauthorized) {
        return http::Response::Problem(principal.error(), request.path);
      }
      return CheckVisitorCsrf(request, route);  // a stale cookie: carry on as a visitor
    }
    if (IsUnsafe(request.method) && !route.options.csrf_exempt) {
      const std::string expected = CsrfTokenForSessionToken(*cookie);
      std::optional<std::string> presented = request.Header(kCsrfHeader);
      if (!presented) presented = request.Form(kCsrfFormField);
      if (!presented || !ids::SecureEquals(*presented, expected)) return CsrfRefused(request);
    }
    request.principal = std::move(principal).value();
    request.principal->via_cookie = true;
    return std::nullopt;
  };
}

}  // namespace nongsan::accounts
