// Errors as values. Every function that can fail for a reason a user or an
// operator should hear about returns Result<T> (or Status); exceptions are kept
// for bugs and are caught once per request by the HTTP layer.
//
// An Error carries a coarse ErrorCode (mapped to an HTTP status in exactly one
// place, src/http/problem.cpp), a stable machine-readable `type` slug such as
// "out_of_stock" that clients switch on, a human detail, and per-field messages.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nongsan {

enum class ErrorCode {
  kInvalid,        // 400/422: the input is wrong
  kUnauthorized,   // 401: who are you?
  kForbidden,      // 403: you may not
  kNotFound,       // 404: no such thing (or not yours)
  kConflict,       // 409: state forbids it (stock, transitions, duplicates)
  kUnprocessable,  // 422: well-formed but semantically refused
  kTooLarge,       // 413
  kRateLimited,    // 429
  kUnavailable,    // 503: a dependency is down
  kInternal,       // 500: a bug; details are logged, never shown
};

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string type;    // stable slug, e.g. "validation", "out_of_stock"
  std::string detail;  // human sentence, safe to show
  std::vector<FieldError> fields;
  nlohmann::json extra = nlohmann::json::object();  // merged into the problem body
  int retry_after_seconds = 0;                      // for kRateLimited

  static Error Invalid(std::string detail, std::vector<FieldError> fields = {});
  static Error Field(std::string field, std::string message);
  static Error NotFound(std::string what = "resource");
  static Error Forbidden(std::string detail = "You may not do this.");
  static Error Unauthorized(std::string detail = "Sign in first.");
  static Error Conflict(std::string type, std::string detail);
  static Error Unprocessable(std::string type, std::string detail);
  static Error RateLimited(int retry_after_seconds);
  static Error Unavailable(std::string detail);
  static Error Internal(std::string detail);
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Ok) {}                                                  // NOLINT
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace nongsan

// TRY(expr): evaluate a Result/Status; on failure return its error from the
// enclosing function. TRY_ASSIGN(var, expr) also binds the value.
#define NONGSAN_CONCAT_INNER(a, b) a##b
#define NONGSAN_CONCAT(a, b) NONGSAN_CONCAT_INNER(a, b)
#define TRY(expr)                                                   \
  do {                                                              \
    auto&& nongsan_try_ = (expr);                                   \
    if (!nongsan_try_.ok()) return std::move(nongsan_try_).error(); \
  } while (0)
#define TRY_ASSIGN_IMPL(tmp, decl, expr)        \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define TRY_ASSIGN(decl, expr) TRY_ASSIGN_IMPL(NONGSAN_CONCAT(nongsan_try_, __LINE__), decl, expr)
