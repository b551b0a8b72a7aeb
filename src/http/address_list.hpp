// A list of client addresses and networks ("127.0.0.1, ::1, 10.0.0.0/8"),
// for settings that open an endpoint to some addresses only (`metrics_allow`).
// IPv4-mapped IPv6 clients ("::ffff:127.0.0.1") match their IPv4 entries.
//
// Thread-safety: immutable after Parse; Contains may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::http {

class AddressList {
 public:
  // Comma- or space-separated addresses and CIDR networks; "" allows nobody.
  // A malformed entry is an error naming it.
  static Result<AddressList> Parse(std::string_view text);

  bool Contains(std::string_view address) const;

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4 bytes
    bool v4 = false;
    int prefix_bits = 0;
  };
  std::vector<Network> networks_;
};

}  // namespace nongsan::http
