// One 400 naming every bad field: the error a validator returns once it has
// collected its FieldErrors (http::JsonInput, and the services that check
// their own inputs). Kept apart from result.hpp, which every file includes.
#pragma once

#include <vector>

#include "core/result.hpp"

namespace nongsan {

// kInvalid naming every field; the detail lists them ("a: why; b: why").
Error InvalidFields(std::vector<FieldError> fields);

}  // namespace nongsan
