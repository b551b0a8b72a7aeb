// The one outbound HTTP client: a request to another server (a payment
// gateway's API, the SMS provider) and its answer. HTTP/1.1 over a POSIX
// socket, "Connection: close", bounded by a connect timeout, an I/O timeout
// and a response size cap. https:// URLs are spoken over TLS (OpenSSL): TLS
// 1.2 or newer, the peer's certificate verified against the system's CA store
// (SSL_CERT_FILE / SSL_CERT_DIR override it, as for every OpenSSL client) and
// its name against the URL's host; http:// stays for test fakes and local
// relays. Used by payments/gateways (gateway_http.*) and accounts
// (sms_gateway.*). Thread-safe (no shared state; OpenSSL 3 initialises
// itself).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace nongsan::http {

// The parts of "http[s]://host[:port]/path".
struct HttpTarget {
  bool tls = false;
  std::string host;
  std::string port = "80";  // 443 for https
  std::string path = "/";
};
// Invalid for anything but http[s]://host[:port]/path; `what` names the URL
// in the message ("A payment gateway URL").
Result<HttpTarget> ParseHttpUrl(const std::string& url, std::string_view what = "A URL");

struct ClientLimits {
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds io_timeout;
  std::size_t max_response_bytes;
};

// How much of the answer is read: all of it, to the server's close (more than
// max_response_bytes is an error), or only the status line (for a caller
// that needs no more than the status).
enum class ReadUntil { kClose, kStatusLine };

struct ClientReply {
  int status = 0;
  std::string body;  // chunked bodies joined; empty with ReadUntil::kStatusLine
};

// Error types of Post, all kUnavailable: the server could not be reached, did
// not answer (in time, within the size cap, in HTTP), or its certificate did
// not verify.
inline constexpr std::string_view kUnreachable = "unreachable";
inline constexpr std::string_view kTlsUnverified = "tls_unverified";

// POSTs `body` with `headers` (Content-Type among them) and returns the
// answer whatever its status. `log_name` starts the log lines of failures
// ("payment gateway").
Result<ClientReply> Post(const HttpTarget& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::string_view body, const ClientLimits& limits, ReadUntil until,
                         std::string_view log_name);

}  // namespace nongsan::http
