// Internal to src/web: prices and weights as people type them into the seller
// forms, on a phone keyboard, in Vietnamese habits.
//
//   price:  "300000", "300.000", "300,000", "300 000", "300k", "1,5tr",
//           "300.000đ", "300.000 ₫"  → 300000 (VND; whole đồng only)
//   weight: "500", "500 g", "500gr", "1 kg", "1,5 kg", "1.5kg", "2 lạng",
//           "1.000 g"                → grams (a bare number is grams, as the
//                                      field always was)
//
// Thousands may be grouped with '.', ',' or spaces, in groups of three after
// the first ("3.00.0" is refused, not guessed at). In a weight ',' is the
// decimal mark (Vietnamese), and '.' too unless exactly three digits follow it
// ("1.5 kg" is 1500 g, "1.000 g" is 1000 g). A result that is not a whole
// number of đồng or grams, a unit we do not know, or words ("1 tấn rưỡi")
// give nullopt; the form then says in Vietnamese how to write it. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nongsan::web::detail {

// Far above any price or weight the catalogue accepts (it checks its own
// limits); only keeps the arithmetic from overflowing.
inline constexpr std::int64_t kMaxTypedAmount = 1'000'000'000'000;

std::optional<std::int64_t> ParsePriceVnd(std::string_view typed);
std::optional<std::int64_t> ParseWeightGrams(std::string_view typed);

}  // namespace nongsan::web::detail
