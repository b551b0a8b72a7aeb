#include "core/ids.hpp"

#include <sodium.h>

#include <vector>

namespace nongsan::ids {

bool InitCrypto() { return sodium_init() >= 0; }

std::string RandomToken(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string RandomCode(std::size_t length) {
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  constexpr std::uint32_t kSize = sizeof(kAlphabet) - 1;
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out += kAlphabet[randombytes_uniform(kSize)];
  return out;
}

std::string RandomDigits(std::size_t n) {
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

std::string Sha256Hex(std::string_view s) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

bool SecureEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace nongsan::ids
