// A small blocking HTTP/1.1 client for tests, on plain POSIX sockets (no
// Beast, so test files compile fast). It speaks just enough HTTP for the
// nongsan server: Content-Length request bodies; Content-Length, chunked or
// read-to-close response bodies; keep-alive reuse with one transparent retry
// when a reused connection turns out to be closed; an opt-in cookie jar.
// RawConnection and SendRaw push arbitrary bytes for malformed-input tests.
//
// Thread-safety: one HttpClient or RawConnection per thread.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::testing {

inline constexpr std::chrono::milliseconds kDefaultClientTimeout{10'000};

struct ClientResponse {
  int status = 0;                              // 0: no response (connection failed); `body` then says why
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined by ", "
  std::vector<std::string> set_cookies;        // every Set-Cookie value, in order
  std::string body;

  // The body parsed as JSON; a test failure (and null) if it is not JSON.
  nlohmann::json Json() const;
  // A header by lower-case name, "" when absent.
  std::string Header(const std::string& name) const;
};

using ClientHeaders = std::map<std::string, std::string>;

// Whether an RFC 9457 problem (its JSON) names `field` among its errors.
inline bool HasField(const nlohmann::json& problem, const std::string& field) {
  if (!problem.contains("errors")) return false;
  for (const auto& e : problem["errors"]) {
    if (e.value("field", "") == field) return true;
  }
  return false;
}

class HttpClient {
 public:
  HttpClient(std::string host, unsigned short port);
  ~HttpClient();
  HttpClient(HttpClient&& other) noexcept;
  HttpClient& operator=(HttpClient&& other) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request. A non-empty body without a Content-Type header is
  // sent as application/json, the API's format.
  ClientResponse Request(const std::string& method, const std::string& target, const std::string& body = "",
                         const ClientHeaders& headers = {});
  ClientResponse Get(const std::string& target, const ClientHeaders& headers = {}) {
    return Request("GET", target, "", headers);
  }
  ClientResponse Head(const std::string& target, const ClientHeaders& headers = {}) {
    return Request("HEAD", target, "", headers);
  }
  ClientResponse Post(const std::string& target, const std::string& body = "",
                      const ClientHeaders& headers = {}) {
    return Request("POST", target, body, headers);
  }
  // A literal body is text; without this overload it would be ambiguous
  // between std::string and nlohmann::json.
  ClientResponse Post(const std::string& target, const char* body, const ClientHeaders& headers = {}) {
    return Request("POST", target, body, headers);
  }
  ClientResponse Post(const std::string& target, const nlohmann::json& body,
                      const ClientHeaders& headers = {}) {
    return Request("POST", target, body.dump(), headers);
  }
  ClientResponse Put(const std::string& target, const std::string& body = "",
                     const ClientHeaders& headers = {}) {
    return Request("PUT", target, body, headers);
  }
  ClientResponse Put(const std::string& target, const nlohmann::json& body,
                     const ClientHeaders& headers = {}) {
    return Request("PUT", target, body.dump(), headers);
  }
  ClientResponse Put(const std::string& target, const char* body, const ClientHeaders& headers = {}) {
    return Request("PUT", target, body, headers);
  }
  ClientResponse Patch(const std::string& target, const std::string& body = "",
                       const ClientHeaders& headers = {}) {
    return Request("PATCH", target, body, headers);
  }
  ClientResponse Patch(const std::string& target, const char* body, const ClientHeaders& headers = {}) {
    return Request("PATCH", target, body, headers);
  }
  ClientResponse Patch(const std::string& target, const nlohmann::json& body,
                       const ClientHeaders& headers = {}) {
    return Request("PATCH", target, body.dump(), headers);
  }
  ClientResponse Delete(const std::string& target, const ClientHeaders& headers = {}) {
    return Request("DELETE", target, "", headers);
  }

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  // With keep-alive off every request uses a new connection.
  void set_keep_alive(bool keep_alive) { keep_alive_ = keep_alive; }
  // The jar stores name=value from Set-Cookie (a Max-Age=0 or empty value
  // deletes) and sends them back in a Cookie header. Off by default so tests
  // say when they rely on cookies.
  void EnableCookieJar(bool enabled = true) { cookie_jar_enabled_ = enabled; }
  std::map<std::string, std::string>& cookies() { return cookies_; }

  // TCP connections opened so far; lets tests check keep-alive reuse.
  int connections_opened() const { return connections_opened_; }
  void Close();

 private:
  bool Connect(std::string* error);
  ClientResponse Exchange(const std::string& method, const std::string& request, bool* retryable);
  void RememberCookies(const ClientResponse& response);

  std::string host_;
  unsigned short port_;
  int fd_ = -1;
  std::string pending_;  // bytes read past the previous response
  std::chrono::milliseconds timeout_ = kDefaultClientTimeout;
  bool keep_alive_ = true;
  bool cookie_jar_enabled_ = false;
  std::map<std::string, std::string> cookies_;
  int connections_opened_ = 0;
  int requests_on_connection_ = 0;
};

// A raw TCP connection for feeding the server malformed or slow input.
class RawConnection {
 public:
  RawConnection(const std::string& host, unsigned short port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False once the peer has closed or reset the connection.
  bool Send(std::string_view bytes);
  // Everything received until the peer closes or `timeout` passes.
  std::string Receive(std::chrono::milliseconds timeout);
  // True when the peer closed (EOF or reset) within `timeout`; data received
  // meanwhile is discarded.
  bool WaitForClose(std::chrono::milliseconds timeout);
  bool peer_closed() const { return peer_closed_; }

 private:
  int fd_ = -1;
  bool peer_closed_ = false;
};

// Connects, sends `bytes`, returns all bytes received until the server
// closes or `timeout` passes.
std::string SendRaw(const std::string& host, unsigned short port, std::string_view bytes,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(5'000));

}  // namespace nongsan::testing
