#include "core/field_errors.hpp"

namespace nongsan {

Error InvalidFields(std::vector<FieldError> fields) {
  std::string detail;
  for (const FieldError& f : fields) detail += (detail.empty() ? "" : "; ") + f.field + ": " + f.message;
  return Error::Invalid(std::move(detail), std::move(fields));
}

Error UnprocessableFields(std::vector<FieldError> fields) {
  Error e = InvalidFields(std::move(fields));
  e.code = ErrorCode::kUnprocessable;
  return e;
}

Status CheckFields(std::vector<FieldError> errors) {
  if (errors.empty()) return Ok{};
  return InvalidFields(std::move(errors));
}

}  // namespace nongsan
