#include "core/field_errors.hpp"

namespace nongsan {

Error InvalidFields(std::vector<FieldError> fields) {
  std::string detail;
  for (const FieldError& f : fields) detail += (detail.empty() ? "" : "; ") + f.field + ": " + f.message;
  return Error::Invalid(std::move(detail), std::move(fields));
}

}  // namespace nongsan
