// The byte-level pieces both payment gateways sign with: HMAC (SHA-512 for
// VNPay, SHA-256 for MoMo) as lower-case hex, the form encoding VNPay hashes
// over, and the Vietnam-time timestamps VNPay puts in its fields. HMAC is
// libsodium's (already linked for passwords and tokens); comparisons of
// signatures go through ids::SecureEquals, in constant time.
// Pure functions, thread-safe once ids::InitCrypto() has run.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace nongsan::payments::gateways {

// HMAC-SHA512(key, message) as 128 lower-case hex digits.
std::string HmacSha512Hex(std::string_view key, std::string_view message);
// HMAC-SHA256(key, message) as 64 lower-case hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// True when `received` is the hex signature `expected`, ignoring the case of
// the hex digits (VNPay sends upper case, MoMo lower), in constant time for
// signatures of the right length.
bool SignatureMatches(std::string_view expected, std::string_view received);

// application/x-www-form-urlencoded as VNPay's samples encode (Java's
// URLEncoder, PHP's urlencode for the characters that matter): A–Z a–z 0–9
// and "-._*" kept, space as '+', every other byte as %XX in upper case.
std::string FormEncode(std::string_view s);

// "yyyyMMddHHmmss" of an instant in Vietnam time (UTC+7), VNPay's date format.
std::string VietnamTimestamp(std::int64_t unix_ms);

// A JSON field as the text a signature covers, whether it was sent as a
// string or an integer ("" when absent or null).
std::string JsonFieldText(const nlohmann::json& body, const char* name);

}  // namespace nongsan::payments::gateways
