#include "http/client.hpp"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

namespace nongsan::http {

namespace {

constexpr std::string_view kHttpScheme = "http://";
constexpr std::string_view kHttpsScheme = "https://";

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

// One connection's bytes: straight on the socket, or through TLS.
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  ~Channel() {
    if (ssl_) {
      SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
    if (ctx_) SSL_CTX_free(ctx_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // TLS 1.2+ with the server's certificate and name verified; false (and a
  // log line naming the reason) when the handshake fails.
  bool StartTls(const std::string& host, std::string_view log_name) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (!ctx_) return false;
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(ctx_) != 1) return false;
    ssl_ = SSL_new(ctx_);
    if (!ssl_) return false;
    SSL_set_fd(ssl_, fd_);
    // The certificate must name this host: an IP address against its IP
    // entries, a name against its DNS names (and SNI for name-based hosting).
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      SSL_set_tlsext_host_name(ssl_, host.c_str());
      if (SSL_set1_host(ssl_, host.c_str()) != 1) return false;
    }
    if (SSL_connect(ssl_) != 1) {
      const long verify = SSL_get_verify_result(ssl_);
      spdlog::warn("{}: TLS with {} failed: {}", log_name, host,
                   verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                       : ERR_reason_error_string(ERR_get_error()));
      return false;
    }
    return true;
  }

  bool SendAll(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                             : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && !ssl_ && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Bytes read (0 at the end of the answer, -1 on a timeout or error).
  ssize_t Receive(char* buffer, std::size_t size) {
    if (!ssl_) {
      ssize_t n;
      do {
        n = ::recv(fd_, buffer, size, 0);
      } while (n < 0 && errno == EINTR);
      return n;
    }
    const int n = SSL_read(ssl_, buffer, static_cast<int>(size));
    if (n > 0) return n;
    const int reason = SSL_get_error(ssl_, n);
    // A server that closes without close_notify has still sent its whole
    // answer under "Connection: close"; the body's parse catches truncation.
    if (reason == SSL_ERROR_ZERO_RETURN || reason == SSL_ERROR_SYSCALL) return ERR_peek_error() == 0 ? 0 : -1;
    return -1;
  }

 private:
  int fd_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Joins the chunks of a chunked body; nullopt if it is malformed.
std::optional<std::string> Unchunk(std::string_view raw) {
  std::string body;
  while (true) {
    const std::size_t line_end = raw.find("\r\n");
    if (line_end == std::string_view::npos) return std::nullopt;
    std::size_t size = 0;
    try {
      size = std::stoul(std::string(raw.substr(0, line_end)), nullptr, 16);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    raw.remove_prefix(line_end + 2);
    if (size == 0) return body;
    if (raw.size() < size + 2) return std::nullopt;
    body.append(raw.substr(0, size));
    raw.remove_prefix(size + 2);
  }
}

// Status and body of a complete response read to the connection's close.
std::optional<ClientReply> ParseResponse(const std::string& response) {
  const std::size_t head_end = response.find("\r\n\r\n");
  const std::size_t space = response.find(' ');
  if (head_end == std::string::npos || space == std::string::npos || space + 4 > head_end)
    return std::nullopt;
  ClientReply reply;
  try {
    reply.status = std::stoi(response.substr(space + 1, 3));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const std::string head = LowerAscii(std::string_view(response).substr(0, head_end));
  std::string body = response.substr(head_end + 4);
  if (head.find("transfer-encoding: chunked") != std::string::npos) {
    auto joined = Unchunk(body);
    if (!joined) return std::nullopt;
    body = std::move(*joined);
  }
  reply.body = std::move(body);
  return reply;
}

// The status of a response's first line ("HTTP/1.1 202 Accepted").
std::optional<int> StatusOf(const std::string& response) {
  const std::size_t space = response.find(' ');
  if (space == std::string::npos || response.size() < space + 4) return std::nullopt;
  try {
    return std::stoi(response.substr(space + 1, 3));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Error Unavailable(std::string_view type, std::string detail) {
  Error e = Error::Unavailable(std::move(detail));
  e.type = std::string(type);
  return e;
}

}  // namespace

Result<HttpTarget> ParseHttpUrl(const std::string& url, std::string_view what) {
  HttpTarget target;
  target.tls = url.starts_with(kHttpsScheme);
  if (!target.tls && !url.starts_with(kHttpScheme)) {
    return Error::Invalid(std::string(what) + " must start with https:// or http://.");
  }
  if (target.tls) target.port = "443";
  const std::string rest = url.substr((target.tls ? kHttpsScheme : kHttpScheme).size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  target.path = slash == std::string::npos ? "/" : rest.substr(slash);
  target.host = authority;
  if (const std::size_t colon = authority.rfind(':'); colon != std::string::npos) {
    target.host = authority.substr(0, colon);
    target.port = authority.substr(colon + 1);
  }
  if (target.host.empty() || target.port.empty() ||
      target.port.find_first_not_of("0123456789") != std::string::npos) {
    return Error::Invalid(std::string(what) + " is not a valid http[s]://host[:port]/path.");
  }
  return target;
}

Result<ClientReply> Post(const HttpTarget& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::string_view body, const ClientLimits& limits, ReadUntil until,
                         std::string_view log_name) {
  const Error unreachable = Unavailable(kUnreachable, std::string(log_name) + " cannot be reached");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &found) != 0 || !found) {
    spdlog::warn("{}: cannot resolve {}", log_name, target.host);
    return unreachable;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  Socket socket(::socket(found->ai_family, found->ai_socktype, found->ai_protocol));
  if (socket.fd() < 0) return unreachable;
  // On Linux SO_SNDTIMEO also bounds connect().
  const timeval connect_timeout = ToTimeval(limits.connect_timeout);
  const timeval io_timeout = ToTimeval(limits.io_timeout);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &connect_timeout, sizeof connect_timeout);
  if (::connect(socket.fd(), found->ai_addr, found->ai_addrlen) != 0) {
    spdlog::warn("{}: cannot connect to {}:{}: {}", log_name, target.host, target.port, std::strerror(errno));
    return unreachable;
  }
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &io_timeout, sizeof io_timeout);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &io_timeout, sizeof io_timeout);
  Channel channel(socket.fd());
  if (target.tls && !channel.StartTls(target.host, log_name)) {
    return Unavailable(kTlsUnverified, std::string(log_name) + "'s TLS certificate could not be verified");
  }

  std::string request = "POST " + target.path + " HTTP/1.1\r\nHost: " + target.host + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  request += body;
  if (!channel.SendAll(request)) return unreachable;

  std::string response;
  char buffer[8192];
  if (until == ReadUntil::kStatusLine) {
    while (response.size() < limits.max_response_bytes && response.find("\r\n") == std::string::npos) {
      const ssize_t n = channel.Receive(buffer, sizeof buffer);
      if (n <= 0) break;
      response.append(buffer, static_cast<std::size_t>(n));
    }
    const auto status = StatusOf(response);
    if (!status) {
      spdlog::warn("{}: no HTTP status from {}", log_name, target.host);
      return unreachable;
    }
    return ClientReply{*status, ""};
  }
  while (true) {
    const ssize_t n = channel.Receive(buffer, sizeof buffer);
    if (n < 0) return unreachable;  // timed out
    if (n == 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
    if (response.size() > limits.max_response_bytes) {
      spdlog::warn("{}: {} answered more than {} bytes", log_name, target.host, limits.max_response_bytes);
      return unreachable;
    }
  }
  auto reply = ParseResponse(response);
  if (!reply) {
    spdlog::warn("{}: no HTTP answer from {}", log_name, target.host);
    return unreachable;
  }
  return std::move(*reply);
}

}  // namespace nongsan::http
