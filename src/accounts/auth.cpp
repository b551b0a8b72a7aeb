#include "accounts/auth.hpp"

#include "core/ids.hpp"

#include <charconv>

namespace nongsan::accounts {

namespace {

constexpr std::string_view kBearerPrefix = "bearer ";
constexpr std::string_view kCsrfContext = "nongsan-csrf-v1:";

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

http::Response InvalidToken(const http::Request& request, const Error& error) {
  http::Response response = http::Response::Problem(error, request.path);
  response.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return response;
}

}  // namespace

std::string CsrfTokenForSessionToken(std::string_view session_token) {
  return ids::Sha256Hex(std::string(kCsrfContext) + std::string(session_token));
}

std::optional<std::string> CsrfToken(const http::Request& request) {
  auto cookie = request.Cookie(kSessionCookieName);
  if (!cookie || cookie->empty()) return std::nullopt;
  return CsrfTokenForSessionToken(*cookie);
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
    if (!cookie || cookie->empty()) return std::nullopt;
    auto principal = accounts.Authenticate(*cookie);
    if (!principal.ok()) {
      if (principal.error().code != ErrorCode::kUnauthorized) {
        return http::Response::Problem(principal.error(), request.path);
      }
      return std::nullopt;  // a stale cookie: carry on as a visitor
    }
    if (IsUnsafe(request.method) && !route.options.csrf_exempt) {
      const std::string expected = CsrfTokenForSessionToken(*cookie);
      std::optional<std::string> presented = request.Header(kCsrfHeader);
      if (!presented) presented = request.Form(kCsrfFormField);
      if (!presented || !ids::SecureEquals(*presented, expected)) {
        Error error = Error::Forbidden(
            "This form has expired or did not come from nongsan; reload the page and try again.");
        error.type = "csrf";
        return http::Response::Problem(error, request.path);
      }
    }
    request.principal = std::move(principal).value();
    request.principal->via_cookie = true;
    return std::nullopt;
  };
}

}  // namespace nongsan::accounts
