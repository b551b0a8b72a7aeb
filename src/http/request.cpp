#include "http/request.hpp"

#include <algorithm>
#include <cstddef>
#include <unordered_set>

#include "core/text.hpp"
#include "http/encoding.hpp"

namespace nongsan::http {

namespace {

const std::string kEmpty;

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Nesting depth of a JSON text, counted without parsing so that a hostile
// body such as 100,000 '[' is refused before the recursive parser sees it.
std::size_t JsonNestingDepth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Error InvalidBody(std::string type, std::string detail) {
  Error error = Error::Invalid(std::move(detail));
  error.type = std::move(type);
  return error;
}

}  // namespace

// ---------------------------------------------------------------- Request

std::optional<std::string> Request::Header(std::string_view name) const {
  // Stored names are lower-case; comparing without case forgives a caller
  // who writes "Content-Type".
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (auto& [key, value] : ParseUrlEncoded(query_string)) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

std::vector<std::string> Request::QueryAll(std::string_view name) const {
  std::vector<std::string> values;
  for (auto& [key, value] : ParseUrlEncoded(query_string)) {
    if (key == name) values.push_back(std::move(value));
  }
  return values;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  // Several Cookie headers may arrive (some proxies split them); all count.
  for (const auto& [key, value] : headers) {
    if (key != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
      std::string_view cookie_value = Trim(pair.substr(eq + 1));
      if (cookie_value.size() >= 2 && cookie_value.front() == '"' && cookie_value.back() == '"') {
        cookie_value = cookie_value.substr(1, cookie_value.size() - 2);
      }
      return std::string(cookie_value);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::Form(std::string_view name) const {
  // Only a form body is parsed as a form, so a JSON body can never be read as
  // form fields by accident.
  const auto content_type = Header("content-type");
  if (!content_type || !StartsWithIgnoreCase(*content_type, kFormContentType)) return std::nullopt;
  for (auto& [key, value] : ParseUrlEncoded(body)) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

const std::string& Request::Param(const std::string& name) const {
  const auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

Result<nlohmann::json> Request::JsonBody() const {
  if (Trim(body).empty()) {
    return InvalidBody("invalid_json", "A JSON object is required in the request body.");
  }
  if (!text::IsValidUtf8(body)) {
    return InvalidBody("invalid_json", "The request body is not valid UTF-8.");
  }
  if (JsonNestingDepth(body) > kMaxJsonDepth) {
    return InvalidBody("invalid_json", "The JSON body is nested more than " + std::to_string(kMaxJsonDepth) +
                                           " levels deep.");
  }
  // nlohmann keeps the last of duplicate keys while other parsers keep the
  // first, so a body with {"price_vnd":1,"price_vnd":2} could be checked by
  // one reader and acted on with another value by the next. Refused instead
  // (RFC 8259 §4: names SHOULD be unique). One set of keys per open object.
  std::vector<std::unordered_set<std::string>> open_objects;
  std::optional<std::string> duplicate;
  const nlohmann::json::parser_callback_t check_keys = [&](int, nlohmann::json::parse_event_t event,
                                                           nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end && !open_objects.empty()) {
      open_objects.pop_back();
    } else if (event == Event::key && !open_objects.empty() &&
               !open_objects.back().insert(parsed.get<std::string>()).second && !duplicate) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  nlohmann::json parsed = nlohmann::json::parse(body, check_keys, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return InvalidBody("invalid_json", "The request body is not valid JSON.");
  }
  if (duplicate) {
    Error error = Error::Field(*duplicate, "appears more than once in the JSON body");
    error.type = "duplicate_json_key";
    error.detail = *duplicate + ": appears more than once in the JSON body";
    return error;
  }
  if (!parsed.is_object()) {
    return InvalidBody("invalid_json", "The request body must be a JSON object.");
  }
  return parsed;
}

// ---------------------------------------------------------------- Response

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Response::GetHeader(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

Response Response::Json(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  // Replacing invalid UTF-8 instead of throwing: a stray byte in stored data
  // must not turn a whole page of results into a 500.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response Response::Html(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = "text/html; charset=utf-8";
  return response;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = std::move(content_type);
  return response;
}

Response Response::Redirect(std::string location, int status) {
  Response response;
  response.status = status;
  response.content_type.clear();
  response.SetHeader("Location", std::move(location));
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

// ---------------------------------------------------------------- URL coding

std::optional<std::string> UrlDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int high = HexValue(s[i + 1]);
      const int low = HexValue(s[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!text::IsValidUtf8(out)) return std::nullopt;
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                            byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!s.empty()) {
    const std::size_t amp = s.find('&');
    const std::string_view piece = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view{} : s.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    auto key = UrlDecode(piece.substr(0, eq), /*plus_as_space=*/true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>(std::string{})
                                              : UrlDecode(piece.substr(eq + 1), /*plus_as_space=*/true);
    // A NUL byte is never text a person typed; it only serves to cut strings
    // short in whatever reads them later.
    const auto has_nul = [](const std::string& text) { return text.find('\0') != std::string::npos; };
    if (!key || !value || key->empty() || has_nul(*key) || has_nul(*value)) continue;
    pairs.emplace_back(std::move(*key), std::move(*value));
  }
  return pairs;
}

}  // namespace nongsan::http
