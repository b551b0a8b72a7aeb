// Reading an RFC 3339 date-time ("2026-11-20T08:00:00Z", "…+07:00", with or
// without fractions) into Unix milliseconds. Shared by trace's EPCIS capture
// and live's session times; writing one is timefmt::Rfc3339 in clock.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nongsan::timefmt {

// "2026-11-20T08:00:00Z" or with ±hh:mm and fractions → Unix ms; nullopt if invalid.
std::optional<std::int64_t> ParseRfc3339(std::string_view s);

}  // namespace nongsan::timefmt
