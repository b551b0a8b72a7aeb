// The single place where an Error becomes an HTTP status and an RFC 9457
// problem+json body.
#include <algorithm>
#include <string>

#include "http/request.hpp"

namespace nongsan::http {

namespace {

constexpr std::string_view kProblemContentType = "application/problem+json";
// Shown instead of the real detail of a kInternal error, which may name
// tables, hosts or secrets; the request id lets support find the log line.
constexpr std::string_view kInternalDetail =
    "Something went wrong on our side. Please try again; if it keeps happening, quote the "
    "request id to support.";

const char* TitleFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return "Invalid request";
    case ErrorCode::kUnauthorized:
      return "Authentication required";
    case ErrorCode::kForbidden:
      return "Forbidden";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kConflict:
      return "Conflict";
    case ErrorCode::kUnprocessable:
      return "Request refused";
    case ErrorCode::kTooLarge:
      return "Payload too large";
    case ErrorCode::kRateLimited:
      return "Too many requests";
    case ErrorCode::kUnavailable:
      return "Service unavailable";
    case ErrorCode::kInternal:
      return "Internal error";
  }
  return "Internal error";
}

// Slug for errors built without one, so `type` is always a real URI.
const char* DefaultSlug(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return "validation";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnprocessable:
      return "unprocessable";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json ProblemJson(const Error& error, const std::string& instance) {
  const bool internal = error.code == ErrorCode::kInternal;
  const std::string slug = internal || error.type.empty() ? DefaultSlug(error.code) : error.type;

  nlohmann::json body = nlohmann::json::object();
  body["type"] = std::string(kProblemTypeBase) + UrlEncode(slug);
  body["code"] = slug;
  body["title"] = TitleFor(error.code);
  body["status"] = StatusFor(error.code);
  body["detail"] = internal ? std::string(kInternalDetail) : error.detail;
  nlohmann::json errors = nlohmann::json::array();
  if (!internal) {
    for (const auto& field : error.fields) {
      errors.push_back({{"field", field.field}, {"message", field.message}});
    }
  }
  body["errors"] = std::move(errors);
  if (!instance.empty()) body["instance"] = instance;
  if (error.code == ErrorCode::kRateLimited && error.retry_after_seconds > 0) {
    body["retry_after"] = error.retry_after_seconds;
  }
  // Extra members never overwrite the standard ones clients rely on.
  if (!internal && error.extra.is_object()) {
    for (const auto& [key, value] : error.extra.items()) {
      if (!body.contains(key)) body[key] = value;
    }
  }
  return body;
}

Response ProtocolProblem(int status, std::string_view slug, std::string_view title, std::string detail,
                         const std::string& instance) {
  Error error = Error::Invalid(std::move(detail));
  error.type = slug;
  nlohmann::json body = ProblemJson(error, instance);
  body["title"] = title;
  body["status"] = status;
  Response response = Response::Json(status, body);
  response.content_type = kProblemContentType;
  return response;
}

Response Response::Problem(const Error& error, const std::string& instance) {
  Response response = Json(StatusFor(error.code), ProblemJson(error, instance));
  response.content_type = kProblemContentType;
  if (error.code == ErrorCode::kRateLimited) {
    response.SetHeader("Retry-After", std::to_string(std::max(error.retry_after_seconds, 1)));
  }
  return response;
}

}  // namespace nongsan::http
