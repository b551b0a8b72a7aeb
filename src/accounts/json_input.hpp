// The accounts module's name for the one JSON input validator, which lives
// in http/ (http/json_input.hpp) since every module reads JSON bodies; the
// routes that say accounts::JsonInput keep working unchanged.
#pragma once

#include "http/json_input.hpp"

namespace nongsan::accounts {

using http::JsonInput;
using http::kMaxArrayItems;
using http::kMaxFieldBytes;
using http::Presence;

}  // namespace nongsan::accounts
