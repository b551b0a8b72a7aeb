// The one outbound HTTP call the gateways make: POST a JSON body to the
// gateway's server and read its answer (MoMo's create and refund, VNPay's
// transaction API), through the shared client (http/client.hpp: https with a
// verified certificate, http for the test fakes and a local relay), bounded
// by the gateways' own timeouts and response cap. Thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.hpp"
#include "http/client.hpp"

namespace nongsan::payments::gateways {

inline constexpr std::chrono::milliseconds kGatewayConnectTimeout{5'000};
// MoMo asks callers of its refund API to wait at least 30 s for the answer.
inline constexpr std::chrono::milliseconds kGatewayIoTimeout{30'000};
inline constexpr std::size_t kMaxGatewayResponseBytes = 256 * 1024;

struct GatewayReply {
  int status = 0;
  nlohmann::json body;  // null when the answer was not JSON
};

using http::HttpTarget;
// A gateway's URL: http[s]://host[:port]/path.
Result<HttpTarget> ParseHttpUrl(const std::string& url);

// POSTs `body` as application/json. Unavailable when the server cannot be
// reached or does not answer in time; the reply whatever its status otherwise.
Result<GatewayReply> PostJson(const std::string& url, const nlohmann::json& body);

}  // namespace nongsan::payments::gateways
