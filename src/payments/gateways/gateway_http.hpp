// The one outbound HTTP call the gateways make: POST a JSON body to the
// gateway's server and read its answer (MoMo's create and refund, VNPay's
// transaction API). HTTP/1.1 over a POSIX socket, "Connection: close",
// bounded by connect and I/O timeouts and a response size cap, the way the
// accounts module's HTTP SMS gateway talks to its provider. VNPay and MoMo
// serve https only, so https:// URLs are spoken over TLS (OpenSSL): TLS 1.2
// or newer, the peer's certificate verified against the system's CA store
// (SSL_CERT_FILE / SSL_CERT_DIR override it, as for every OpenSSL client)
// and its name against the URL's host. http:// stays for the test fakes and
// a local relay. Thread-safe (no shared state; OpenSSL 3 initialises itself).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.hpp"

namespace nongsan::payments::gateways {

inline constexpr std::chrono::milliseconds kGatewayConnectTimeout{5'000};
// MoMo asks callers of its refund API to wait at least 30 s for the answer.
inline constexpr std::chrono::milliseconds kGatewayIoTimeout{30'000};
inline constexpr std::size_t kMaxGatewayResponseBytes = 256 * 1024;

struct GatewayReply {
  int status = 0;
  nlohmann::json body;  // null when the answer was not JSON
};

// The parts of "http[s]://host[:port]/path"; Invalid for anything else.
struct HttpTarget {
  bool tls = false;
  std::string host;
  std::string port = "80";  // 443 for https
  std::string path = "/";
};
Result<HttpTarget> ParseHttpUrl(const std::string& url);

// POSTs `body` as application/json. Unavailable when the server cannot be
// reached or does not answer in time; the reply whatever its status otherwise.
Result<GatewayReply> PostJson(const std::string& url, const nlohmann::json& body);

}  // namespace nongsan::payments::gateways
