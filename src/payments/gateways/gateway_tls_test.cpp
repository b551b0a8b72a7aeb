// PostJson over https: a local TLS server (OpenSSL, a certificate made by the
// openssl command for the test) answers only when its certificate is trusted
// and names the host we asked for.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/ids.hpp"
#include "payments/gateways/gateway_http.hpp"

namespace nongsan::payments::gateways {
namespace {

namespace fs = std::filesystem;

// A one-thread TLS server on a loopback port that answers each POST with a
// fixed JSON body and remembers the last request body.
class TlsServer {
 public:
  TlsServer(const fs::path& cert, const fs::path& key) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    ::listen(fd_, 8);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TlsServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    SSL_CTX_free(ctx_);
  }
  unsigned short port() const { return port_; }
  std::string last_body() const { return last_body_; }

 private:
  void Serve() {
    while (!stopping_) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, client);
      if (SSL_accept(ssl) == 1) {
        std::string request;
        char buffer[4096];
        int n;
        while ((n = SSL_read(ssl, buffer, sizeof buffer)) > 0) {
          request.append(buffer, n);
          const auto head_end = request.find("\r\n\r\n");
          const auto length_at = request.find("Content-Length: ");
          if (head_end != std::string::npos && length_at != std::string::npos &&
              request.size() >= head_end + 4 + std::stoul(request.substr(length_at + 16))) {
            last_body_ = request.substr(head_end + 4);
            break;
          }
        }
        const std::string answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: "
            "close\r\n\r\n"
            "{\"resultCode\":0}";
        SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
        SSL_shutdown(ssl);
      }
      SSL_free(ssl);
      ::close(client);
    }
  }

  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::string last_body_;
  std::thread thread_;
};

// A self-signed certificate for `subject_alt_name` made by the openssl command.
bool MakeCertificate(const fs::path& dir, const std::string& subject_alt_name) {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=gateway.test -keyout '" +
      (dir / "key.pem").string() + "' -out '" + (dir / "cert.pem").string() +
      "' -addext subjectAltName=" + subject_alt_name + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

class GatewayTls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("nongsan-tls-" + ids::RandomDigits(10));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ::unsetenv("SSL_CERT_FILE");
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(GatewayTls, PostsOverTlsOnlyToATrustedCertificateNamingTheHost) {
  ASSERT_TRUE(MakeCertificate(dir_, "IP:127.0.0.1"));
  TlsServer server(dir_ / "cert.pem", dir_ / "key.pem");
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/v2/gateway/api/refund";
  EXPECT_EQ(ParseHttpUrl("https://payment.momo.vn/v2").value().port, "443");

  // Not trusted (the system's CA store does not hold a self-signed test certificate).
  auto untrusted = PostJson(url, {{"amount", 1}});
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().code, ErrorCode::kUnavailable);

  ::setenv("SSL_CERT_FILE", (dir_ / "cert.pem").c_str(), 1);
  auto trusted = PostJson(url, {{"amount", 1}});
  ASSERT_TRUE(trusted.ok()) << trusted.error().detail;
  EXPECT_EQ(trusted.value().status, 200);
  EXPECT_EQ(trusted.value().body, nlohmann::json({{"resultCode", 0}}));
  EXPECT_EQ(server.last_body(), "{\"amount\":1}");
}

TEST_F(GatewayTls, RefusesACertificateForAnotherHost) {
  ASSERT_TRUE(MakeCertificate(dir_, "DNS:other.example"));
  TlsServer server(dir_ / "cert.pem", dir_ / "key.pem");
  ::setenv("SSL_CERT_FILE", (dir_ / "cert.pem").c_str(), 1);
  auto answer = PostJson("https://127.0.0.1:" + std::to_string(server.port()) + "/x", {{"amount", 1}});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace nongsan::payments::gateways
