// Money in Vietnam: integer đồng (VND), no fractional unit. Amounts are
// std::int64_t everywhere, computed on the server only. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nongsan::money {

// Largest amount the platform accepts for one price or order (1,000 billion ₫).
inline constexpr std::int64_t kMaxVnd = 1'000'000'000'000;

// "125.000 ₫" (dot thousands separator, non-breaking space before ₫).
std::string FormatVnd(std::int64_t vnd);
// Digits grouped with dots, no symbol: "125.000".
std::string GroupThousands(std::int64_t value);
// Accepts "125000", "125.000", "125,000", "125.000 ₫", "125000đ"; nullopt if not a
// whole non-negative amount ≤ kMaxVnd.
std::optional<std::int64_t> ParseVnd(std::string_view s);
// Overflow-checked a*b and a+b, nullopt past kMaxVnd.
std::optional<std::int64_t> MulVnd(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> AddVnd(std::int64_t a, std::int64_t b);

}  // namespace nongsan::money
