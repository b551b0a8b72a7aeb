#include "core/result.hpp"

namespace nongsan {

Error Error::Invalid(std::string detail, std::vector<FieldError> fields) {
  return Error{ErrorCode::kInvalid, "validation", std::move(detail), std::move(fields)};
}
Error Error::Field(std::string field, std::string message) {
  std::string detail = message;
  return Error{ErrorCode::kInvalid, "validation", std::move(detail),
               {FieldError{std::move(field), std::move(message)}}};
}
Error Error::NotFound(std::string what) {
  return Error{ErrorCode::kNotFound, "not_found", "No such " + what + "."};
}
Error Error::Forbidden(std::string detail) {
  return Error{ErrorCode::kForbidden, "forbidden", std::move(detail)};
}
Error Error::Unauthorized(std::string detail) {
  return Error{ErrorCode::kUnauthorized, "unauthorized", std::move(detail)};
}
Error Error::Conflict(std::string type, std::string detail) {
  return Error{ErrorCode::kConflict, std::move(type), std::move(detail)};
}
Error Error::Unprocessable(std::string type, std::string detail) {
  return Error{ErrorCode::kUnprocessable, std::move(type), std::move(detail)};
}
Error Error::RateLimited(int retry_after_seconds) {
  Error e{ErrorCode::kRateLimited, "rate_limited", "Too many requests; try again later."};
  e.retry_after_seconds = retry_after_seconds;
  return e;
}
Error Error::Unavailable(std::string detail) {
  return Error{ErrorCode::kUnavailable, "unavailable", std::move(detail)};
}
Error Error::Internal(std::string detail) {
  return Error{ErrorCode::kInternal, "internal", std::move(detail)};
}

}  // namespace nongsan
