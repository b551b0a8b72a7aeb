// Times as payment notifications and bank statements carry them: RFC 3339
// ("2026-11-29T10:05:00+07:00", "…Z", fractions of a second ignored), a
// Vietnamese statement's "29/11/2026 10:05:00" (Vietnam time), or Unix
// milliseconds as a JSON integer. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace nongsan::payments {

std::optional<std::int64_t> ParseTimeText(std::string_view s);
// A JSON string in one of the text forms, or a non-negative integer of ms.
std::optional<std::int64_t> ParseTransferTime(const nlohmann::json& v);

}  // namespace nongsan::payments
