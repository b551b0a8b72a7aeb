// GS1 rules the traceability module applies: company prefixes issued by GS1
// Vietnam, GTIN-13 numbering under a prefix, the batch/lot number of
// Application Identifier (10), and GS1 Digital Link URIs for a pack's QR.
// Check digits come from catalog/gtin (one implementation). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nongsan::trace::gs1 {

// GS1 Vietnam's prefix: every company prefix it issues begins with it.
inline constexpr std::string_view kVietnamPrefix = "893";
// A GS1 company prefix is 7 to 10 digits here (GS1 Vietnam issues these).
inline constexpr std::size_t kMinCompanyPrefixDigits = 7;
inline constexpr std::size_t kMaxCompanyPrefixDigits = 10;
// AI (10) batch/lot: up to 20 characters of GS1's character set 82.
inline constexpr std::size_t kMaxLotCodeChars = 20;

// Why `prefix` is not a GS1 Vietnam company prefix, or nullopt.
std::optional<std::string> CompanyPrefixProblem(std::string_view prefix);

// How many item references a prefix has room for: 10^(12 − prefix length).
std::int64_t ItemReferenceCapacity(std::string_view prefix);

// The GTIN-13 for item reference `item` under `prefix` (zero-padded, check
// digit computed); nullopt when `item` is outside the prefix's range.
std::optional<std::string> Gtin13(std::string_view prefix, std::int64_t item);

// The 14-digit form of a valid GTIN-8/12/13/14 (left-padded with zeros; the
// check digit stays right because padding zeros weigh nothing).
std::string ToGtin14(std::string_view gtin);

// Why `code` is not an AI (10) batch/lot number, or nullopt: 1..20
// characters, each from GS1's character set 82 (letters, digits and
// ! " % & ' ( ) * + , - . / : ; < = > ? _).
std::optional<std::string> LotCodeProblem(std::string_view code);

// Percent-encodes a lot code for a URI path segment (RFC 3986 unreserved
// characters stay as they are), as GS1 Digital Link requires.
std::string EncodePathSegment(std::string_view s);

// "261231" for the day (days since 1970-01-01), the YYMMDD of AI (17).
std::string Yymmdd(std::int64_t day);

// {base}/01/{gtin14}/10/{lot}?17={YYMMDD}, the expiry part only when given.
std::string DigitalLink(std::string_view base_url, std::string_view gtin14, std::string_view lot,
                        std::optional<std::int64_t> expires_day);

}  // namespace nongsan::trace::gs1
