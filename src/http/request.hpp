// The HTTP request and response as the rest of nongsan sees them: plain
// structs with no Boost.Beast types, so that Beast stays inside server.cpp and
// handlers compile fast. One Request/Response pair lives for one exchange and
// belongs to the thread running its handler.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"

namespace nongsan::http {

// Deepest JSON nesting Request::JsonBody accepts; no API needs more, and the
// limit keeps a hostile body from exhausting the parser's stack.
inline constexpr std::size_t kMaxJsonDepth = 16;

// Problem `type` URIs are this prefix followed by the Error's slug.
inline constexpr std::string_view kProblemTypeBase = "https://nongsan.vn/problems/";

struct Request {
  std::string method;                                        // "GET", "POST", …
  std::string target;                                        // raw target, "/api/v1/products?q=che"
  std::string path;                                          // percent-decoded path, "/api/v1/products"
  std::string query_string;                                  // raw, after '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_ip;
  std::string request_id;
  bool tls = false;
  std::map<std::string, std::string> params;  // path parameters from the router
  std::optional<Principal> principal;         // set by the auth middleware
  std::string route;                          // matched route pattern, for metrics
  std::chrono::steady_clock::time_point received_at{};

  std::optional<std::string> Header(std::string_view name) const;  // name lower-case
  std::optional<std::string> Query(std::string_view name) const;   // decoded
  std::vector<std::string> QueryAll(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  std::optional<std::string> Form(std::string_view name) const;  // x-www-form-urlencoded body
  const std::string& Param(const std::string& name) const;       // path parameter or ""
  // Parses the body as a JSON object; a clear 400 problem otherwise.
  Result<nlohmann::json> JsonBody() const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  bool close = false;  // ask the server to close the connection afterwards

  void SetHeader(std::string name, std::string value);
  void AddCookie(const std::string& set_cookie_value) {
    headers.emplace_back("Set-Cookie", set_cookie_value);
  }
  std::optional<std::string> GetHeader(std::string_view name) const;

  static Response Json(int status, const nlohmann::json& body);
  static Response Html(int status, std::string body);
  static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response Redirect(std::string location, int status = 303);
  static Response NoContent();
  // RFC 9457 problem+json from an Error (the single Error → status mapping).
  static Response Problem(const Error& error, const std::string& instance = "");
};

// Status code for an ErrorCode: the one place errors become HTTP.
int StatusFor(ErrorCode code);
// The problem+json body Response::Problem sends: {type, code, title, status,
// detail, errors, instance?} plus Error::extra. kInternal errors keep only a
// generic detail, no fields and no extra.
nlohmann::json ProblemJson(const Error& error, const std::string& instance = "");
// A problem+json response for protocol-level statuses that no ErrorCode
// covers (405 Method Not Allowed, 431 Request Header Fields Too Large).
Response ProtocolProblem(int status, std::string_view slug, std::string_view title, std::string detail,
                         const std::string& instance = "");

// Percent-decoding; returns nullopt on malformed escapes or invalid UTF-8.
std::optional<std::string> UrlDecode(std::string_view s, bool plus_as_space);
std::string UrlEncode(std::string_view s);
// Splits "a=1&b=2" into decoded pairs (malformed pairs are skipped).
std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view s);

}  // namespace nongsan::http
