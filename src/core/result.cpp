#include "core/result.hpp"

namespace nongsan {

namespace {
Error Make(ErrorCode code, std::string type, std::string detail) {
  Error e;
  e.code = code;
  e.type = std::move(type);
  e.detail = std::move(detail);
  return e;
}
}  // namespace

Error Error::Invalid(std::string detail, std::vector<FieldError> fields) {
  Error e = Make(ErrorCode::kInvalid, "validation", std::move(detail));
  e.fields = std::move(fields);
  return e;
}
Error Error::Field(std::string field, std::string message) {
  std::string detail = message;
  Error e = Make(ErrorCode::kInvalid, "validation", std::move(detail));
  e.fields.push_back(FieldError{std::move(field), std::move(message)});
  return e;
}
Error Error::NotFound(std::string what) {
  return Make(ErrorCode::kNotFound, "not_found", "No such " + what + ".");
}
Error Error::Forbidden(std::string detail) {
  return Make(ErrorCode::kForbidden, "forbidden", std::move(detail));
}
Error Error::Unauthorized(std::string detail) {
  return Make(ErrorCode::kUnauthorized, "unauthorized", std::move(detail));
}
Error Error::Conflict(std::string type, std::string detail) {
  return Make(ErrorCode::kConflict, std::move(type), std::move(detail));
}
Error Error::Unprocessable(std::string type, std::string detail) {
  return Make(ErrorCode::kUnprocessable, std::move(type), std::move(detail));
}
Error Error::RateLimited(int retry_after_seconds) {
  Error e = Make(ErrorCode::kRateLimited, "rate_limited", "Too many requests; try again later.");
  e.retry_after_seconds = retry_after_seconds;
  return e;
}
Error Error::Unavailable(std::string detail) {
  return Make(ErrorCode::kUnavailable, "unavailable", std::move(detail));
}
Error Error::Internal(std::string detail) {
  return Make(ErrorCode::kInternal, "internal", std::move(detail));
}

}  // namespace nongsan
