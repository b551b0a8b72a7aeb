// One answer naming every bad field: the error a validator returns once it
// has collected its FieldErrors (http::JsonInput, and the services that check
// their own inputs). Kept apart from result.hpp, which every file includes.
#pragma once

#include <vector>

#include "core/result.hpp"

namespace nongsan {

// kInvalid (400) naming every field; the detail lists them ("a: why; b: why").
Error InvalidFields(std::vector<FieldError> fields);

// The same, as kUnprocessable (422): a well-formed request whose values the
// rules refuse. Type "validation", detail and fields as InvalidFields.
Error UnprocessableFields(std::vector<FieldError> fields);

// Ok when there are no errors, else InvalidFields(errors): for TRY(...).
Status CheckFields(std::vector<FieldError> errors);

}  // namespace nongsan
