// The findings of the outside security test (issue 13, item 3) that live in
// the HTTP layer: request framing, connection limits per client, header
// timeouts, security headers, NUL bytes in queries and duplicate JSON keys.
// Each test here failed on the code before the fix.
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "http/request.hpp"
#include "http/server.hpp"
#include "support/http_client.hpp"

namespace nongsan::http {
namespace {

using namespace std::chrono_literals;
using testing::HttpClient;
using testing::RawConnection;
using testing::SendRaw;

constexpr const char* kLoopback = "127.0.0.1";

class HardeningTest : public ::testing::Test {
 protected:
  HardeningTest() {
    router_.Get("/hello",
                [](Request& r) { return Response::Text(200, "hello " + r.Query("q").value_or("-")); });
    router_.Post("/echo", [](Request& r) { return Response::Text(200, "[" + r.body + "]"); },
                 {.max_body = 1024});
  }
  ~HardeningTest() override {
    if (!server_) return;
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  static ServerConfig TestConfig() {
    ServerConfig config;
    config.host = kLoopback;
    config.port = 0;
    config.threads = 3;
    config.access_log = false;
    return config;
  }

  void StartServer(ServerConfig config = TestConfig()) {
    server_ = std::make_unique<Server>(std::move(config), router_);
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }
  unsigned short port() const { return server_->port(); }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// RFC 9112 §6.3: a Transfer-Encoding other than exactly "chunked" must not be
// framed by Content-Length (request smuggling behind a proxy).
TEST_F(HardeningTest, TransferEncodingOtherThanChunkedIs400AndCloses) {
  StartServer();
  for (const char* coding : {"chunked, identity", "identity", "gzip, chunked", "chunked;x=1"}) {
    RawConnection connection(kLoopback, port());
    connection.Send(std::string("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + coding +
                    "\r\nContent-Length: 5\r\n\r\nhello");
    const std::string received = connection.Receive(3s);
    EXPECT_EQ(received.rfind("HTTP/1.1 400", 0), 0u) << coding << " → " << received;
    EXPECT_NE(received.find("Connection: close"), std::string::npos) << coding;
    EXPECT_EQ(received.find("[hello]"), std::string::npos) << coding;
    EXPECT_TRUE(connection.peer_closed()) << coding;
  }
  // Two Transfer-Encoding fields are a list too, and without Content-Length.
  const std::string two = SendRaw(kLoopback, port(),
                                  "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                                  3s);
  EXPECT_EQ(two.rfind("HTTP/1.1 400", 0), 0u) << two;
  // Exactly chunked (any case) is still served.
  const std::string chunked = SendRaw(kLoopback, port(),
                                      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n"
                                      "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                                      3s);
  EXPECT_EQ(chunked.rfind("HTTP/1.1 200", 0), 0u) << chunked;
  EXPECT_NE(chunked.find("[hello]"), std::string::npos) << chunked;
}

TEST(ParseRequestHeadTest, AppliesTheServersChecks) {
  const ParsedHead ok = ParseRequestHead("GET /a%20b?q=ch%C3%A8 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(ok.request.has_value());
  EXPECT_EQ(ok.request->path, "/a b");
  EXPECT_EQ(ok.request->Query("q"), "chè");

  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.1\r\nHost: x\r\n").incomplete);
  for (const char* bad : {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
                          "GET /?q=a%00b HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
                          "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", "NOT HTTP\r\n\r\n"}) {
    const ParsedHead head = ParseRequestHead(bad);
    ASSERT_TRUE(head.error.has_value()) << bad;
    EXPECT_EQ(head.error->status, 400) << bad;
    EXPECT_TRUE(head.error->close) << bad;
  }
  ServerConfig small;
  small.limits.max_header_bytes = 64;
  const ParsedHead big =
      ParseRequestHead("GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(200, 'a') + "\r\n\r\n", small);
  ASSERT_TRUE(big.error.has_value());
  EXPECT_EQ(big.error->status, 431);
}

// A NUL byte from a query string never reaches a handler (and so no page).
TEST_F(HardeningTest, NulByteInQueryIs400) {
  StartServer();
  HttpClient client(kLoopback, port());
  EXPECT_EQ(client.Get("/hello?q=abc").body, "hello abc");
  const auto response = client.Get("/hello?q=ab%00c");
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_NE(response.body.find("NUL"), std::string::npos) << response.body;
}

TEST(UrlEncodedTest, PairsWithNulAreDropped) {
  const auto pairs = ParseUrlEncoded("a=1&b=x%00y&c%00=2&d=4");
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].first, "a");
  EXPECT_EQ(pairs[1].first, "d");
}

// One address holding many idle sockets cannot take every slot.
TEST_F(HardeningTest, ConnectionsPerClientAreCappedWith429) {
  static_assert(kDefaultMaxConnectionsPerClient < kDefaultMaxConnections);
  ServerConfig config = TestConfig();
  config.limits.max_connections_per_client = 3;
  StartServer(config);
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<RawConnection>(kLoopback, port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  std::this_thread::sleep_for(200ms);  // let the server accept them
  const std::string refused = SendRaw(kLoopback, port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 3s);
  EXPECT_EQ(refused.rfind("HTTP/1.1 429", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("application/problem+json"), std::string::npos) << refused;
  EXPECT_NE(refused.find("At most 3 connections from one address"), std::string::npos) << refused;

  idle.pop_back();  // a slot frees when a connection closes
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(HttpClient(kLoopback, port()).Get("/hello").status, 200);
}

TEST_F(HardeningTest, NoPerClientCapBehindATrustedProxy) {
  ServerConfig config = TestConfig();
  config.limits.max_connections_per_client = 1;
  config.trust_proxy = true;  // every connection comes from the proxy
  StartServer(config);
  RawConnection held(kLoopback, port());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(HttpClient(kLoopback, port()).Get("/hello").status, 200);
}

// A client that sends part of a header and stalls is cut off after the
// header timeout, well before the whole-request timeout (15 s before the fix).
TEST_F(HardeningTest, SlowHeaderIsCutOffByTheHeaderTimeout) {
  static_assert(kDefaultHeaderTimeout < kDefaultReadTimeout);
  StartServer();
  const auto start = std::chrono::steady_clock::now();
  RawConnection connection(kLoopback, port());
  connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  EXPECT_TRUE(connection.WaitForClose(kDefaultHeaderTimeout + 2s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, kDefaultHeaderTimeout - 500ms);

  // A connection that sends nothing at all gets the same time.
  RawConnection silent(kLoopback, port());
  EXPECT_TRUE(silent.WaitForClose(kDefaultHeaderTimeout + 2s));
}

TEST_F(HardeningTest, BodyKeepsTheWholeRequestTimeoutAfterAQuickHeader) {
  ServerConfig config = TestConfig();
  config.limits.header_timeout = 300ms;
  config.limits.read_timeout = 3s;
  StartServer(config);
  RawConnection connection(kLoopback, port());
  connection.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nab");
  std::this_thread::sleep_for(800ms);  // past the header timeout, inside the read timeout
  connection.Send("cd");
  const std::string received = connection.Receive(3s);
  EXPECT_EQ(received.rfind("HTTP/1.1 200", 0), 0u) << received;
  EXPECT_NE(received.find("[abcd]"), std::string::npos) << received;
}

TEST_F(HardeningTest, PermissionsPolicyAlwaysAndHstsOnlyOverTls) {
  ServerConfig config = TestConfig();
  config.trust_proxy = true;
  StartServer(config);
  HttpClient client(kLoopback, port());
  const auto plain = client.Get("/hello");
  EXPECT_NE(plain.Header("permissions-policy").find("geolocation=()"), std::string::npos);
  EXPECT_EQ(plain.Header("strict-transport-security"), "");
  const auto tls = client.Get("/hello", {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(tls.Header("strict-transport-security"), "max-age=31536000; includeSubDomains");
  const auto missing = client.Get("/nope", {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_FALSE(missing.Header("strict-transport-security").empty());
}

TEST(JsonBodyTest, DuplicateKeysAreRefusedNamingTheKey) {
  Request request;
  request.body = R"({"price_vnd": 1000, "name": "Gạo", "price_vnd": 1})";
  auto parsed = request.JsonBody();
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(parsed.error().type, "duplicate_json_key");
  ASSERT_EQ(parsed.error().fields.size(), 1u);
  EXPECT_EQ(parsed.error().fields[0].field, "price_vnd");

  request.body = R"({"items": [{"id": 1, "qty": 2, "qty": 3}]})";
  parsed = request.JsonBody();
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().fields[0].field, "qty");

  // The same key in different objects is fine, as are escapes of other keys.
  request.body = R"({"a": {"id": 1}, "b": {"id": 2}, "items": [{"id": 1}, {"id": 2}], "i\u0064": 3})";
  EXPECT_TRUE(request.JsonBody().ok());
  request.body = R"({"id": 1, "i\u0064": 3})";  // the same key, spelt with an escape
  EXPECT_FALSE(request.JsonBody().ok());
}

}  // namespace
}  // namespace nongsan::http
