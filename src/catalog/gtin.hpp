// GS1 trade item numbers (GTIN-8, GTIN-12, GTIN-13, GTIN-14) as printed under
// a product's barcode. Only the check digit is validated: the company prefix
// belongs to GS1's register, which we do not hold. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nongsan::catalog::gtin {

// The check digit for the data digits (all but the last): weights 3,1,3,1…
// from the rightmost data digit leftwards, (10 − sum mod 10) mod 10.
// Returns -1 if `data` is empty or holds a non-digit.
int CheckDigit(std::string_view data);

// True when s is 8, 12, 13 or 14 digits and its last digit is the check digit.
bool IsValid(std::string_view s);

// Why s is not a valid GTIN ("must be 8, 12, 13 or 14 digits", "check digit
// should be 3"), or nullopt when it is valid.
std::optional<std::string> Problem(std::string_view s);

}  // namespace nongsan::catalog::gtin
