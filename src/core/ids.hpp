// Random identifiers and secrets (libsodium's CSPRNG) and their hashes.
// Thread-safe once sodium_init() has run (done by InitCrypto() at start).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nongsan::ids {

// Must be called once before anything else here; returns false if libsodium
// cannot initialise (then the process must not serve).
bool InitCrypto();

// URL-safe random token with `bytes` bytes of entropy (base64url, no padding).
std::string RandomToken(std::size_t bytes = 32);
// Random string of `length` characters from an unambiguous upper-case
// alphabet (no 0/O, 1/I/L), for codes printed on parcels, e.g. "K7MX4Q".
std::string RandomCode(std::size_t length);
// n random decimal digits (one-time codes).
std::string RandomDigits(std::size_t n);
// Hex SHA-256 of s (tokens are stored hashed).
std::string Sha256Hex(std::string_view s);
// Constant-time equality.
bool SecureEquals(std::string_view a, std::string_view b);

}  // namespace nongsan::ids
