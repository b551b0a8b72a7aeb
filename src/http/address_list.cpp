#include "http/address_list.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <string>

namespace nongsan::http {
namespace {

constexpr int kIpv4Bits = 32;
constexpr int kIpv6Bits = 128;
constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

// Parses one address; IPv4-mapped IPv6 comes back as IPv4.
bool ParseAddress(std::string_view text, std::array<std::uint8_t, 16>& bytes, bool& v4) {
  const std::string copy(text);  // inet_pton wants a terminated string
  bytes.fill(0);
  if (inet_pton(AF_INET, copy.c_str(), bytes.data()) == 1) {
    v4 = true;
    return true;
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes.data()) != 1) return false;
  v4 = std::memcmp(bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
  if (v4) {
    std::memmove(bytes.data(), bytes.data() + kV4MappedPrefix.size(), 4);
    std::fill(bytes.begin() + 4, bytes.end(), 0);
  }
  return true;
}

bool PrefixMatches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, int bits) {
  const int whole = bits / 8;
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

Result<AddressList> AddressList::Parse(std::string_view text) {
  AddressList list;
  while (!text.empty()) {
    const std::size_t end = text.find_first_of(", ");
    const std::string_view entry = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (entry.empty()) continue;
    const std::size_t slash = entry.find('/');
    Network network;
    if (!ParseAddress(entry.substr(0, slash), network.bytes, network.v4)) {
      return Error::Invalid("not an IP address or network: '" + std::string(entry) + "'");
    }
    const int max_bits = network.v4 ? kIpv4Bits : kIpv6Bits;
    network.prefix_bits = max_bits;
    if (slash != std::string_view::npos) {
      const std::string_view bits = entry.substr(slash + 1);
      const auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), network.prefix_bits);
      if (ec != std::errc() || ptr != bits.data() + bits.size() || network.prefix_bits < 0 ||
          network.prefix_bits > max_bits) {
        return Error::Invalid("not a network prefix length: '" + std::string(entry) + "'");
      }
    }
    list.networks_.push_back(network);
  }
  return list;
}

bool AddressList::Contains(std::string_view address) const {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
  if (!ParseAddress(address, bytes, v4)) return false;
  for (const Network& network : networks_) {
    if (network.v4 == v4 && PrefixMatches(bytes, network.bytes, network.prefix_bits)) return true;
  }
  return false;
}

}  // namespace nongsan::http
