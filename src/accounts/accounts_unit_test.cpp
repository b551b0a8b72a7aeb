// Unit tests of the accounts building blocks that need no server: password
// policy and hashing, rate limiting and login back-off, JSON field reading,
// name cleaning, cookies and the HTTP SMS gateway (against a one-shot local
// listener).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "accounts/account_service.hpp"
#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "accounts/password.hpp"
#include "accounts/rate_limiter.hpp"
#include "accounts/sms_gateway.hpp"

namespace nongsan::accounts {
namespace {

TEST(AccountsPassword, PolicyRefusesShortCommonAndPhonePasswords) {
  EXPECT_FALSE(CheckPasswordPolicy("short7!", "0912345678").ok());
  EXPECT_FALSE(CheckPasswordPolicy("12345678", "0912345678").ok());
  EXPECT_FALSE(CheckPasswordPolicy("PassWord", "0912345678").ok());
  EXPECT_FALSE(CheckPasswordPolicy("matkhau123", "0912345678").ok());
  EXPECT_FALSE(CheckPasswordPolicy("x912345678", "0912345678").ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(kMaxPasswordBytes + 1, 'a'), "").ok());
  EXPECT_FALSE(CheckPasswordPolicy("abc\xff\xfe"
                                   "defgh",
                                   "")
                   .ok());
  EXPECT_TRUE(CheckPasswordPolicy("Chè Thái ngon 1", "0912345678").ok());
  // Eight characters, counted as code points, not bytes.
  EXPECT_TRUE(CheckPasswordPolicy("đường77x", "").ok());
  EXPECT_FALSE(CheckPasswordPolicy("đường7", "").ok());
}

TEST(AccountsPassword, HashIsArgon2idAndVerifies) {
  auto hash = HashPassword("Ca-phe-sua-da-99");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("Ca-phe"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("Ca-phe-sua-da-99", *hash));
  EXPECT_FALSE(VerifyPassword("Ca-phe-sua-da-98", *hash));
  EXPECT_FALSE(VerifyPassword("anything", ""));
  EXPECT_FALSE(NeedsRehash(*hash));
}

TEST(AccountsRateLimiter, BucketEmptiesAndRefills) {
  FakeClock clock(1'000'000);
  RateLimiter limiter(clock);
  const BucketPolicy policy{3, 10'000};
  EXPECT_EQ(limiter.Take("k", policy), 0);
  EXPECT_EQ(limiter.Take("k", policy), 0);
  EXPECT_EQ(limiter.Take("k", policy), 0);
  EXPECT_EQ(limiter.Take("k", policy), 10);
  EXPECT_EQ(limiter.Take("other", policy), 0);  // keys are independent
  clock.Advance(4'000);
  EXPECT_EQ(limiter.Take("k", policy), 6);
  clock.Advance(6'000);
  EXPECT_EQ(limiter.Take("k", policy), 0);
  EXPECT_EQ(limiter.Take("k", policy), 10);
}

TEST(AccountsRateLimiter, StaysWithinItsKeyBudget) {
  FakeClock clock(0);
  RateLimiter limiter(clock, 100);
  const BucketPolicy policy{1, 60'000};
  for (int i = 0; i < 1000; ++i) limiter.Take("ip:" + std::to_string(i), policy);
  // A recent key may have been forgotten under the flood, but the limiter
  // still answers and a fresh key is served.
  EXPECT_EQ(limiter.Take("fresh", policy), 0);
}

TEST(AccountsLoginBackoff, WaitsDoubleAfterFreeFailuresAndResetOnSuccess) {
  FakeClock clock(0);
  LoginBackoff backoff(clock);
  for (int i = 0; i < kLoginFreeFailures - 1; ++i) {
    backoff.RecordFailure("p");
    EXPECT_EQ(backoff.WaitSeconds("p"), 0);
  }
  backoff.RecordFailure("p");
  EXPECT_EQ(backoff.WaitSeconds("p"), kLoginBackoffBaseMs / 1000);
  clock.Advance(kLoginBackoffBaseMs);
  backoff.RecordFailure("p");
  EXPECT_EQ(backoff.WaitSeconds("p"), 2 * kLoginBackoffBaseMs / 1000);
  for (int i = 0; i < 30; ++i) backoff.RecordFailure("p");
  EXPECT_EQ(backoff.WaitSeconds("p"), kLoginBackoffMaxMs / 1000);
  backoff.RecordSuccess("p");
  EXPECT_EQ(backoff.WaitSeconds("p"), 0);
}

TEST(AccountsJsonInput, CollectsEveryFieldError) {
  const auto body = nlohmann::json::parse(R"({"phone": 912, "name": {"x": 1}, "extra": true, "ok": "yes"})");
  JsonInput in(body);
  EXPECT_FALSE(in.String("phone", Presence::kRequired));
  EXPECT_FALSE(in.String("name", Presence::kRequired));
  EXPECT_EQ(in.String("ok", Presence::kRequired).value_or(""), "yes");
  EXPECT_FALSE(in.String("missing", Presence::kRequired));
  Status st = in.Finish();
  ASSERT_FALSE(st.ok());
  std::set<std::string> fields;
  for (const auto& f : st.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"phone", "name", "missing"}));  // "extra" is ignored
}

TEST(AccountsValidation, NamesAreTrimmedNfcAndBounded) {
  // "Hòa" with a combining grave accent becomes the precomposed form.
  auto name = CleanName(
      "  Nguyễn Văn Ho\xcc\x80"
      "a  ",
      kMaxFullNameChars, "full_name");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "Nguyễn Văn Hòa");
  EXPECT_FALSE(CleanName("", kMaxFullNameChars, "full_name").ok());
  EXPECT_FALSE(CleanName(std::string(kMaxFullNameChars + 1, 'a'), kMaxFullNameChars, "full_name").ok());
  EXPECT_FALSE(CleanName("Lan\x01", kMaxFullNameChars, "full_name").ok());
  EXPECT_FALSE(CleanName("Lan\xc3", kMaxFullNameChars, "full_name").ok());
  EXPECT_EQ(CleanPhone("+84 912 345 678").value(), "0912345678");
  EXPECT_FALSE(CleanPhone("+1 415 555 0100").ok());
  EXPECT_FALSE(CleanPhone("0212345678").ok());  // landline prefix
}

TEST(AccountsCookies, SessionCookieFlags) {
  const std::string plain = SessionCookie("tok", 60, false);
  EXPECT_EQ(plain, "nongsan_session=tok; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  EXPECT_NE(SessionCookie("tok", 60, true).find("; Secure"), std::string::npos);
  EXPECT_NE(ClearSessionCookie(false).find("Max-Age=0"), std::string::npos);
  EXPECT_NE(CsrfTokenForSessionToken("a"), CsrfTokenForSessionToken("b"));
  EXPECT_EQ(CsrfTokenForSessionToken("a"), CsrfTokenForSessionToken("a"));
}

// Accepts one connection, stores the request, answers with `status_line`.
class OneShotServer {
 public:
  explicit OneShotServer(std::string status_line) : status_line_(std::move(status_line)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buf[4096];
      while (request_.find("\r\n\r\n") == std::string::npos ||
             request_.size() < request_.find("\r\n\r\n") + 4 + ContentLength()) {
        ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0) break;
        request_.append(buf, static_cast<std::size_t>(n));
      }
      const std::string response = status_line_ + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(client);
    });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  unsigned short port() const { return port_; }
  const std::string& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  std::size_t ContentLength() const {
    const std::size_t at = request_.find("Content-Length: ");
    return at == std::string::npos ? 0 : std::stoul(request_.substr(at + 16));
  }

  std::string status_line_;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::thread thread_;
  std::string request_;
};

TEST(AccountsSmsGateway, PostsJsonWithBearerKey) {
  OneShotServer server("HTTP/1.1 202 Accepted");
  auto gateway =
      HttpSmsGateway::Create("http://127.0.0.1:" + std::to_string(server.port()) + "/v1/sms", "KEY123");
  ASSERT_TRUE(gateway.ok());
  ASSERT_TRUE((*gateway)->Send("0912345678", "ma 123456").ok());
  const std::string& request = server.request();
  EXPECT_EQ(request.rfind("POST /v1/sms HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Authorization: Bearer KEY123\r\n"), std::string::npos);
  EXPECT_NE(request.find("Content-Type: application/json"), std::string::npos);
  const auto body = nlohmann::json::parse(request.substr(request.find("\r\n\r\n") + 4));
  EXPECT_EQ(body["to"], "+84912345678");
  EXPECT_EQ(body["message"], "ma 123456");
}

TEST(AccountsSmsGateway, RefusalAndBadUrlsAreErrors) {
  OneShotServer server("HTTP/1.1 401 Unauthorized");
  auto gateway = HttpSmsGateway::Create("http://127.0.0.1:" + std::to_string(server.port()) + "/", "bad");
  ASSERT_TRUE(gateway.ok());
  Status sent = (*gateway)->Send("0912345678", "x");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(HttpSmsGateway::Create("https://sms.example.vn/send", "k").ok());
  EXPECT_FALSE(HttpSmsGateway::Create("http://:80/x", "k").ok());
  EXPECT_FALSE(HttpSmsGateway::Create("http://host:port/x", "k").ok());
}

}  // namespace
}  // namespace nongsan::accounts
