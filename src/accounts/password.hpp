// Password policy and hashing. Hashes are argon2id strings from libsodium
// ("$argon2id$v=19$m=…"), with INTERACTIVE-level limits so a login costs tens of
// milliseconds, not seconds. Because each hash needs kPasswordMemLimit bytes,
// at most kMaxConcurrentHashes run at once; the rest wait, which bounds memory
// when many people sign in together. Thread-safe.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan::accounts {

inline constexpr std::size_t kMinPasswordChars = 8;
// Long enough for any passphrase, short enough that hashing stays bounded.
inline constexpr std::size_t kMaxPasswordBytes = 128;
inline constexpr unsigned long long kPasswordOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
inline constexpr std::size_t kPasswordMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
inline constexpr std::ptrdiff_t kMaxConcurrentHashes = 2;

// Checks length, UTF-8, the common-password list and that the password is not
// the phone number itself. Field errors name `field`.
Status CheckPasswordPolicy(std::string_view password, std::string_view phone,
                           const std::string& field = "password");

// argon2id hash string of password.
Result<std::string> HashPassword(std::string_view password);
// True when password matches the stored hash. An empty hash never matches.
bool VerifyPassword(std::string_view password, const std::string& hash);
// True when the stored hash was made with weaker limits than today's.
bool NeedsRehash(const std::string& hash);
// Spends the time of one verification, so that "no such phone" and "wrong
// password" take equally long.
void BurnVerificationTime(std::string_view password);

}  // namespace nongsan::accounts
