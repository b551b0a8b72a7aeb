#include "accounts/sms_gateway.hpp"

#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace nongsan::accounts {

namespace {

constexpr std::string_view kHttpScheme = "http://";

constexpr const char* kInsertOutbox =
    "INSERT INTO sms_outbox (to_phone, message, created_at) VALUES (?, ?, ?)";

// Closes a socket when it goes out of scope.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Status SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::Unavailable("The SMS gateway did not accept the message.");
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok{};
}

}  // namespace

std::string ToE164(const std::string& canonical_phone) {
  if (canonical_phone.size() > 1 && canonical_phone[0] == '0') return "+84" + canonical_phone.substr(1);
  return canonical_phone;
}

Status DevSmsGateway::Send(const std::string& to, const std::string& message) {
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kInsertOutbox, {to, message, now}));
    return Ok{};
  }));
  // The development gateway exists so that a developer can read the code.
  spdlog::info("sms (development gateway) to {}: {}", to, message);
  return Ok{};
}

Result<std::unique_ptr<HttpSmsGateway>> HttpSmsGateway::Create(const std::string& url, std::string key) {
  if (!url.starts_with(kHttpScheme)) {
    return Error::Invalid("The SMS gateway URL must start with http:// (use a local TLS relay for https).");
  }
  std::string rest = url.substr(kHttpScheme.size());
  const std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host = authority;
  std::string port = "80";
  if (const std::size_t colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    return Error::Invalid("The SMS gateway URL is not a valid http://host[:port]/path.");
  }
  return std::unique_ptr<HttpSmsGateway>(
      new HttpSmsGateway(std::move(host), std::move(port), std::move(path), std::move(key)));
}

Status HttpSmsGateway::Send(const std::string& to, const std::string& message) {
  const Error unreachable = Error::Unavailable("The SMS gateway cannot be reached; try again shortly.");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found) != 0 || !found) {
    spdlog::warn("sms gateway: cannot resolve {}", host_);
    return unreachable;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  Socket socket(::socket(found->ai_family, found->ai_socktype, found->ai_protocol));
  if (socket.fd() < 0) return unreachable;
  // On Linux SO_SNDTIMEO also bounds connect().
  const timeval connect_timeout = ToTimeval(kSmsConnectTimeout);
  const timeval io_timeout = ToTimeval(kSmsIoTimeout);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &connect_timeout, sizeof connect_timeout);
  if (::connect(socket.fd(), found->ai_addr, found->ai_addrlen) != 0) {
    spdlog::warn("sms gateway: cannot connect to {}:{}: {}", host_, port_, std::strerror(errno));
    return unreachable;
  }
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &io_timeout, sizeof io_timeout);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &io_timeout, sizeof io_timeout);

  const std::string body = nlohmann::json{{"to", ToE164(to)}, {"message", message}}.dump();
  std::string request = "POST " + path_ + " HTTP/1.1\r\nHost: " + host_ +
                        "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + key_ +
                        "\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\nConnection: close\r\n\r\n" + body;
  if (auto st = SendAll(socket.fd(), request); !st.ok()) return unreachable;

  std::string response;
  char buffer[4096];
  while (response.size() < kMaxSmsResponseBytes) {
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
    if (response.find("\r\n") != std::string::npos) break;  // the status line is all we need
  }
  // "HTTP/1.1 202 Accepted"
  const std::size_t space = response.find(' ');
  if (space == std::string::npos || response.size() < space + 4) {
    spdlog::warn("sms gateway: no HTTP status from {}", host_);
    return unreachable;
  }
  const std::string code = response.substr(space + 1, 3);
  if (code.empty() || code[0] != '2') {
    spdlog::warn("sms gateway: {} answered {}", host_, code);
    return Error::Unavailable("The SMS gateway refused the message; try again shortly.");
  }
  return Ok{};
}

Result<std::unique_ptr<SmsGateway>> MakeSmsGateway(const std::string& url, const std::string& key,
                                                   db::Database& db, const Clock& clock) {
  if (url.empty()) return std::unique_ptr<SmsGateway>(std::make_unique<DevSmsGateway>(db, clock));
  TRY_ASSIGN(auto gateway, HttpSmsGateway::Create(url, key));
  return std::unique_ptr<SmsGateway>(std::move(gateway));
}

}  // namespace nongsan::accounts
