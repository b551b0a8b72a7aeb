#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace nongsan::testing {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int ConnectTo(const std::string& host, unsigned short port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    if (error) *error = std::string("getaddrinfo: ") + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    if (error) *error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd >= 0) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

// Sends everything; false when the peer is gone (EPIPE/ECONNRESET) or on error.
bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

enum class ReadResult { kData, kEof, kReset, kTimeout };

// Appends what is available to `buffer`, waiting until `deadline`.
ReadResult ReadSome(int fd, std::string& buffer, Clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return ReadResult::kTimeout;
    pollfd pfd{fd, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return ReadResult::kReset;
    }
    if (ready == 0) return ReadResult::kTimeout;
    char chunk[kReadChunk];
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got > 0) {
      buffer.append(chunk, static_cast<std::size_t>(got));
      return ReadResult::kData;
    }
    if (got == 0) return ReadResult::kEof;
    if (errno == EINTR || errno == EAGAIN) continue;
    return ReadResult::kReset;
  }
}

ClientResponse Failure(std::string why) {
  ClientResponse response;
  response.body = std::move(why);
  return response;
}

}  // namespace

nlohmann::json ClientResponse::Json() const {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    ADD_FAILURE() << "response body is not JSON (status " << status << "): " << body;
    return nullptr;
  }
  return parsed;
}

std::string ClientResponse::Header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

// ------------------------------------------------------------------ HttpClient

HttpClient::HttpClient(std::string host, unsigned short port) : host_(std::move(host)), port_(port) {}

HttpClient::~HttpClient() { Close(); }

HttpClient::HttpClient(HttpClient&& other) noexcept
    : host_(std::move(other.host_)),
      port_(other.port_),
      fd_(std::exchange(other.fd_, -1)),
      pending_(std::move(other.pending_)),
      timeout_(other.timeout_),
      keep_alive_(other.keep_alive_),
      cookie_jar_enabled_(other.cookie_jar_enabled_),
      cookies_(std::move(other.cookies_)),
      connections_opened_(other.connections_opened_),
      requests_on_connection_(other.requests_on_connection_) {}

HttpClient& HttpClient::operator=(HttpClient&& other) noexcept {
  if (this != &other) {
    Close();
    host_ = std::move(other.host_);
    port_ = other.port_;
    fd_ = std::exchange(other.fd_, -1);
    pending_ = std::move(other.pending_);
    timeout_ = other.timeout_;
    keep_alive_ = other.keep_alive_;
    cookie_jar_enabled_ = other.cookie_jar_enabled_;
    cookies_ = std::move(other.cookies_);
    connections_opened_ = other.connections_opened_;
    requests_on_connection_ = other.requests_on_connection_;
  }
  return *this;
}

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pending_.clear();
  requests_on_connection_ = 0;
}

bool HttpClient::Connect(std::string* error) {
  fd_ = ConnectTo(host_, port_, error);
  if (fd_ < 0) return false;
  ++connections_opened_;
  requests_on_connection_ = 0;
  pending_.clear();
  return true;
}

ClientResponse HttpClient::Request(const std::string& method, const std::string& target,
                                   const std::string& body, const ClientHeaders& headers) {
  std::string request = method + " " + target + " HTTP/1.1\r\n";
  bool has_host = false;
  bool has_content_type = false;
  bool has_cookie = false;
  for (const auto& [name, value] : headers) {
    const std::string lower = Lower(name);
    has_host = has_host || lower == "host";
    has_content_type = has_content_type || lower == "content-type";
    has_cookie = has_cookie || lower == "cookie";
    request += name + ": " + value + "\r\n";
  }
  if (!has_host) request += "Host: " + host_ + ":" + std::to_string(port_) + "\r\n";
  if (!body.empty() && !has_content_type) request += "Content-Type: application/json\r\n";
  if (cookie_jar_enabled_ && !has_cookie && !cookies_.empty()) {
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      if (!cookie.empty()) cookie += "; ";
      cookie += name + "=" + value;
    }
    request += "Cookie: " + cookie + "\r\n";
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  if (!keep_alive_) request += "Connection: close\r\n";
  request += "\r\n";
  request += body;

  // A kept-alive connection the server has meanwhile closed fails before
  // any byte of a response arrives; that one case is retried on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (fd_ < 0) {
      std::string error;
      if (!Connect(&error)) return Failure(error);
    }
    bool retryable = false;
    ClientResponse response = Exchange(method, request, &retryable);
    if (response.status == 0 && retryable && attempt == 0) {
      Close();
      continue;
    }
    RememberCookies(response);
    return response;
  }
  return Failure("unreachable");
}

ClientResponse HttpClient::Exchange(const std::string& method, const std::string& request, bool* retryable) {
  const bool reused = requests_on_connection_ > 0;
  ++requests_on_connection_;
  const auto deadline = Clock::now() + timeout_;
  // The server may answer (413, 431) and stop reading before the request is
  // all sent; the response is still read.
  const bool sent = SendAll(fd_, request);

  std::size_t header_end = std::string::npos;
  ClientResponse response;
  while (true) {
    while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      const ReadResult result = ReadSome(fd_, pending_, deadline);
      if (result == ReadResult::kData) continue;
      const bool nothing = pending_.empty();
      *retryable = reused && nothing && result != ReadResult::kTimeout;
      Close();
      if (result == ReadResult::kTimeout) return Failure("timed out waiting for the response");
      return Failure(sent ? "connection closed before a response" : "send failed, no response");
    }
    const std::string_view head(pending_.data(), header_end);
    const std::size_t line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") {
      Close();
      return Failure("bad status line: " + std::string(status_line));
    }
    response = ClientResponse{};
    response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    std::string_view rest =
        line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
    while (!rest.empty()) {
      const std::size_t eol = rest.find("\r\n");
      const std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 2);
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string name = Lower(std::string(Trim(line.substr(0, colon))));
      const std::string value(Trim(line.substr(colon + 1)));
      if (name == "set-cookie") response.set_cookies.push_back(value);
      auto [it, inserted] = response.headers.emplace(name, value);
      if (!inserted) it->second += ", " + value;
    }
    pending_.erase(0, header_end + 4);
    if (response.status >= 200) break;  // skip 100 Continue and friends
  }

  const auto fill = [&](std::size_t wanted) -> bool {
    while (pending_.size() < wanted) {
      if (ReadSome(fd_, pending_, deadline) != ReadResult::kData) return false;
    }
    return true;
  };

  bool close_after = Lower(response.Header("connection")) == "close" || !keep_alive_;
  const bool no_body = method == "HEAD" || response.status == 204 || response.status == 304;
  if (no_body) {
    // Nothing to read.
  } else if (Lower(response.Header("transfer-encoding")).find("chunked") != std::string::npos) {
    while (true) {
      std::size_t eol;
      while ((eol = pending_.find("\r\n")) == std::string::npos) {
        if (ReadSome(fd_, pending_, deadline) != ReadResult::kData) {
          Close();
          return Failure("truncated chunked body");
        }
      }
      const std::size_t size = std::stoul(pending_.substr(0, eol), nullptr, 16);
      pending_.erase(0, eol + 2);
      if (size == 0) {
        // Trailer fields, if any, end with an empty line.
        while (true) {
          while ((eol = pending_.find("\r\n")) == std::string::npos) {
            if (ReadSome(fd_, pending_, deadline) != ReadResult::kData) {
              Close();
              return Failure("truncated chunked trailer");
            }
          }
          pending_.erase(0, eol + 2);
          if (eol == 0) break;
        }
        break;
      }
      if (!fill(size + 2)) {
        Close();
        return Failure("truncated chunk");
      }
      response.body.append(pending_, 0, size);
      pending_.erase(0, size + 2);
    }
  } else if (const std::string length = response.Header("content-length"); !length.empty()) {
    const std::size_t size = std::stoul(length);
    if (!fill(size)) {
      Close();
      return Failure("truncated body");
    }
    response.body = pending_.substr(0, size);
    pending_.erase(0, size);
  } else {
    while (ReadSome(fd_, pending_, deadline) == ReadResult::kData) {
    }
    response.body = std::move(pending_);
    pending_.clear();
    close_after = true;
  }
  if (close_after) Close();
  return response;
}

void HttpClient::RememberCookies(const ClientResponse& response) {
  if (!cookie_jar_enabled_) return;
  for (const auto& set_cookie : response.set_cookies) {
    const std::string_view pair = std::string_view(set_cookie).substr(0, set_cookie.find(';'));
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string name(Trim(pair.substr(0, eq)));
    const std::string value(Trim(pair.substr(eq + 1)));
    const std::string attributes = Lower(set_cookie);
    if (value.empty() || attributes.find("max-age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
}

// --------------------------------------------------------------- RawConnection

RawConnection::RawConnection(const std::string& host, unsigned short port)
    : fd_(ConnectTo(host, port, nullptr)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(std::string_view bytes) {
  if (fd_ < 0 || peer_closed_) return false;
  if (!SendAll(fd_, bytes)) peer_closed_ = true;
  return !peer_closed_;
}

std::string RawConnection::Receive(std::chrono::milliseconds timeout) {
  std::string received;
  if (fd_ < 0) return received;
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const ReadResult result = ReadSome(fd_, received, deadline);
    if (result == ReadResult::kData) continue;
    if (result != ReadResult::kTimeout) peer_closed_ = true;
    return received;
  }
}

bool RawConnection::WaitForClose(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return true;
  const auto deadline = Clock::now() + timeout;
  std::string discarded;
  while (true) {
    const ReadResult result = ReadSome(fd_, discarded, deadline);
    discarded.clear();
    if (result == ReadResult::kData) continue;
    if (result == ReadResult::kTimeout) return false;
    peer_closed_ = true;
    return true;
  }
}

std::string SendRaw(const std::string& host, unsigned short port, std::string_view bytes,
                    std::chrono::milliseconds timeout) {
  RawConnection connection(host, port);
  if (!connection.connected()) return {};
  connection.Send(bytes);
  return connection.Receive(timeout);
}

}  // namespace nongsan::testing
