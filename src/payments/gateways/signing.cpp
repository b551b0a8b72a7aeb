#include "payments/gateways/signing.hpp"

#include <sodium.h>

#include <cctype>
#include <cstdio>
#include <ctime>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace nongsan::payments::gateways {

namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string Hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string HmacSha512Hex(std::string_view key, std::string_view message) {
  // The streaming interface takes keys of any length (the one-shot call wants
  // exactly 32 bytes, and merchants' secrets are longer).
  crypto_auth_hmacsha512_state state;
  crypto_auth_hmacsha512_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha512_update(&state, Bytes(message), message.size());
  unsigned char mac[crypto_auth_hmacsha512_BYTES];
  crypto_auth_hmacsha512_final(&state, mac);
  return Hex(mac, sizeof mac);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return Hex(mac, sizeof mac);
}

bool SignatureMatches(std::string_view expected, std::string_view received) {
  return ids::SecureEquals(LowerAscii(expected), LowerAscii(received));
}

std::string FormEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '*') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string VietnamTimestamp(std::int64_t unix_ms) {
  const std::time_t local_seconds = static_cast<std::time_t>((unix_ms + kVietnamOffsetMs) / 1000);
  std::tm fields{};
  gmtime_r(&local_seconds, &fields);
  char text[64];  // room for any int the compiler imagines; 14 digits in practice
  std::snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d", fields.tm_year + 1900, fields.tm_mon + 1,
                fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec);
  return text;
}

std::string JsonFieldText(const nlohmann::json& body, const char* name) {
  if (!body.is_object()) return "";
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return it->dump();
}

}  // namespace nongsan::payments::gateways
