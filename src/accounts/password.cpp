#include "accounts/password.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <semaphore>

#include "core/text.hpp"

namespace nongsan::accounts {

namespace {

// Passwords seen most often in leaked lists, plus Vietnamese favourites. Kept
// small on purpose: it stops the first guesses of a brute-force run, while the
// login back-off stops the rest. Compared lower-cased.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "12345678", "123456789", "1234567890", "11111111",   "00000000", "88888888",  "66666666",    "99999999",
    "12341234", "87654321",  "11223344",   "123123123",  "password", "password1", "password123", "passw0rd",
    "qwertyui", "qwerty123", "qwertyuiop", "abc12345",   "abcd1234", "iloveyou",  "admin123",    "11112222",
    "matkhau",  "matkhau1",  "matkhau123", "anhyeuem",   "emyeuanh", "vietnam1",  "vietnam123",  "123456a@",
    "a1234567", "1q2w3e4r",  "zxcvbnm1",   "nongsan123", "nongsan1", "12345678a", "aaaaaaaa",    "iloveyou1",
};

std::counting_semaphore<kMaxConcurrentHashes>& HashSlots() {
  static std::counting_semaphore<kMaxConcurrentHashes> slots(kMaxConcurrentHashes);
  return slots;
}

// Holds one of the hashing slots for its lifetime.
class HashSlot {
 public:
  HashSlot() { HashSlots().acquire(); }
  ~HashSlot() { HashSlots().release(); }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view phone, const std::string& field) {
  if (password.size() > kMaxPasswordBytes) {
    return Error::Field(field, "Use at most " + std::to_string(kMaxPasswordBytes) + " bytes.");
  }
  if (!text::IsValidUtf8(password)) return Error::Field(field, "The password is not valid text.");
  if (text::CodePointCount(password) < kMinPasswordChars) {
    return Error::Field(field, "Use at least " + std::to_string(kMinPasswordChars) + " characters.");
  }
  const std::string lowered = Lower(password);
  for (std::string_view common : kCommonPasswords) {
    if (lowered == common) return Error::Field(field, "This password is too common; choose another.");
  }
  if (!phone.empty() && lowered.find(std::string(phone.substr(1))) != std::string::npos) {
    return Error::Field(field, "Do not use your phone number in the password.");
  }
  return Ok{};
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  HashSlot slot;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kPasswordOpsLimit, kPasswordMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Unavailable("The server is too busy to set a password now; try again.");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  HashSlot slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(const std::string& hash) {
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kPasswordOpsLimit, kPasswordMemLimit) != 0;
}

void BurnVerificationTime(std::string_view password) {
  static std::once_flag once;
  static std::string dummy;
  std::call_once(once, [] {
    auto hashed = HashPassword("nongsan-timing-equaliser");
    if (hashed.ok()) dummy = *hashed;
  });
  (void)VerifyPassword(password, dummy);
}

}  // namespace nongsan::accounts
