#include "http/pipeline.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <random>

namespace nongsan::http {

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxRequestIdLength = 64;
constexpr std::string_view kServerName = "nongsan";
constexpr std::string_view kStaticRoute = "/static/*";

struct SecurityHeader {
  std::string_view name;
  std::string_view value;
};
constexpr SecurityHeader kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
     "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"X-Frame-Options", "DENY"},
    // No page uses these browser features; denying them limits what an
    // injected script or a framed third party could ask the phone for.
    {"Permissions-Policy",
     "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"},
};
// Sent on responses that arrived over TLS: a year, the usual preload minimum.
constexpr std::string_view kStrictTransportSecurity = "max-age=31536000; includeSubDomains";

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string GenerateRequestId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

void EnsureRequestId(Request& request) {
  if (!request.request_id.empty()) return;
  const auto incoming = request.Header("x-request-id");
  request.request_id = incoming && IsSaneRequestId(*incoming) ? *incoming : GenerateRequestId();
}

// Server name and security headers. The security headers are set only when
// absent so a page with special needs can send its own.
void ApplyStandardHeaders(Response& response) {
  response.SetHeader("Server", std::string(kServerName));
  for (const auto& header : kSecurityHeaders) {
    if (!response.GetHeader(header.name)) {
      response.SetHeader(std::string(header.name), std::string(header.value));
    }
  }
}

// UTC with milliseconds, for the access log.
std::string LogTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(seconds), millis);
}

std::shared_ptr<spdlog::logger> AccessLogger() {
  if (auto existing = spdlog::get("access")) return existing;
  auto logger = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  // The line is already JSON; decorations would break line-per-record parsing.
  logger->set_pattern("%v");
  try {
    spdlog::register_logger(logger);
  } catch (const spdlog::spdlog_ex&) {
    // Another server registered it first; use theirs.
    if (auto existing = spdlog::get("access")) return existing;
  }
  return logger;
}

}  // namespace

const std::string& HttpDate() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    cached = fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[utc.tm_wday], utc.tm_mday,
                         kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    cached_second = now;
  }
  return cached;
}

// Three memchr scans, not find_first_of: libstdc++'s find_first_of looks each
// character up in the set with a memchr call of its own, which made this check
// of the response's headers a tenth of a small request's user-space work.
bool HasLineBreak(std::string_view s) {
  return s.find('\n') != std::string_view::npos || s.find('\r') != std::string_view::npos ||
         s.find('\0') != std::string_view::npos;
}

bool IsBodylessStatus(int status) { return status < 200 || status == 204 || status == 304; }

Response InternalErrorResponse(const Request& request) {
  nlohmann::json body = ProblemJson(Error::Internal(""), request.path);
  body["request_id"] = request.request_id;
  Response response = Response::Json(500, body);
  response.content_type = "application/problem+json";
  return response;
}

Error BodyTooLarge(std::string detail) {
  Error error;
  error.code = ErrorCode::kTooLarge;
  error.type = "body_too_large";
  error.detail = std::move(detail);
  return error;
}

Response MalformedRequest(std::string detail) {
  Error error = Error::Invalid(std::move(detail));
  error.type = "malformed_request";
  Response response = Response::Problem(error);
  response.close = true;
  return response;
}

std::string CannedRefusal(std::string_view status_line, const Error& error) {
  Response response = Response::Problem(error);
  ApplyStandardHeaders(response);
  if (!response.GetHeader("Retry-After")) response.SetHeader("Retry-After", "1");
  std::string out = fmt::format("HTTP/1.1 {}\r\n", status_line);
  for (const auto& [name, value] : response.headers) out += fmt::format("{}: {}\r\n", name, value);
  out += fmt::format("Content-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                     response.content_type, response.body.size(), response.body);
  return out;
}

Pipeline::Pipeline(const ServerConfig& config, const Router& router)
    : router_(router), static_files_(config.static_dir) {
  if (config.access_log) access_log_ = AccessLogger();
}

void Pipeline::SetFallback(Handler handler) {
  fallback_ = std::make_unique<Route>();
  fallback_->method = "*";
  fallback_->handler = std::move(handler);
}

bool Pipeline::IsStatic(const Request& request) const {
  return static_files_.enabled() && (request.method == "GET" || request.method == "HEAD") &&
         request.path.starts_with(kStaticPrefix);
}

std::size_t Pipeline::BodyLimitFor(const Request& request) const {
  if (IsStatic(request)) return 0;
  const Match match = router_.Find(request.method, request.path);
  // Unrouted requests are answered 404/405 anyway; a default-sized body is
  // read (and dropped) so the connection can stay open.
  return match.route ? match.route->options.max_body : kDefaultMaxBodyBytes;
}

Response Pipeline::Respond(Request& request) {
  if (host_rewrite_) {
    if (auto path = host_rewrite_(request)) request.path = std::move(*path);
  }
  if (IsStatic(request)) {
    // Static files bypass the hooks: they are public and need no session.
    request.route = kStaticRoute;
    return static_files_.Serve(request, std::string_view(request.path).substr(kStaticPrefix.size()));
  }

  Match match = router_.Find(request.method, request.path);
  if (!match.route && !match.method_mismatch && fallback_) match.route = fallback_.get();
  if (!match.route) {
    Response refused = Response::Problem(Error::NotFound("page"), request.path);
    if (match.method_mismatch) {
      refused = ProtocolProblem(405, "method_not_allowed", "Method not allowed",
                                fmt::format("{} is not supported here; use {}.", request.method, match.allow),
                                request.path);
      refused.SetHeader("Allow", match.allow);
    }
    // The after hooks see it as any answer: a page path gets the HTML error
    // page, every answer the security headers.
    RunAfterHooks(request, refused);
    return refused;
  }
  request.route = match.route->pattern;
  request.params = std::move(match.params);

  Response response;
  try {
    std::optional<Response> early;
    for (const auto& hook : before_) {
      early = hook(request, *match.route);
      if (early) break;
    }
    response = early ? std::move(*early) : match.route->handler(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, request.method, request.path, e.what());
    response = InternalErrorResponse(request);
  } catch (...) {
    spdlog::error("request {} {} {} failed with a non-standard exception", request.request_id, request.method,
                  request.path);
    response = InternalErrorResponse(request);
  }
  RunAfterHooks(request, response);
  return response;
}

void Pipeline::RunAfterHooks(Request& request, Response& response) {
  try {
    for (const auto& hook : after_) hook(request, response);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {}: after-hook failed: {}", request.request_id, request.method, request.path,
                  e.what());
    response = InternalErrorResponse(request);
  }
}

Response Pipeline::Dispatch(Request& request) {
  if (request.received_at == Clock::time_point{}) request.received_at = Clock::now();
  EnsureRequestId(request);
  Response response = Respond(request);
  Complete(request, response);
  return response;
}

void Pipeline::Complete(Request& request, Response& response) {
  EnsureRequestId(request);
  response.SetHeader("X-Request-Id", request.request_id);
  ApplyStandardHeaders(response);
  // Only over TLS (RFC 6797 §7.2): over plain HTTP the header is ignored and
  // would only mislead.
  if (request.tls && !response.GetHeader("Strict-Transport-Security")) {
    response.SetHeader("Strict-Transport-Security", std::string(kStrictTransportSecurity));
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - request.received_at).count();
  metrics_.ObserveRequest(request.route, request.method, response.status, seconds);

  if (access_log_ && access_log_->should_log(spdlog::level::info)) {
    const bool no_body = request.method == "HEAD" || IsBodylessStatus(response.status);
    // The path, not the target: query strings can carry tokens.
    const nlohmann::json line = {
        {"ts", LogTimestamp()},
        {"method", request.method},
        {"path", request.path},
        {"status", response.status},
        {"bytes", no_body ? 0 : response.body.size()},
        {"duration_ms", std::round(seconds * 1e6) / 1e3},
        {"request_id", request.request_id},
        {"remote_ip", request.remote_ip},
    };
    access_log_->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

}  // namespace nongsan::http
