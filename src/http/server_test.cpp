#include "http/server.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"

namespace nongsan::http {
namespace {

using namespace std::chrono_literals;
using testing::ClientHeaders;
using testing::ClientResponse;
using testing::HttpClient;
using testing::RawConnection;
using testing::SendRaw;

constexpr std::size_t kSmallBody = 1024;
constexpr const char* kLoopback = "127.0.0.1";

// One test server on an ephemeral port, served on a background thread.
class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Get("/hello", [](Request&) { return Response::Text(200, "hello"); });
    router_.Post("/echo", [](Request& r) { return Response::Text(200, r.body); }, {.max_body = kSmallBody});
    router_.Get("/items/{id}", [](Request& r) {
      return Response::Json(200, {{"id", r.Param("id")}, {"route", r.route}});
    });
    router_.Get("/ip", [](Request& r) { return Response::Json(200, {{"ip", r.remote_ip}, {"tls", r.tls}}); });
    router_.Get("/boom", [](Request&) -> Response {
      throw std::runtime_error("cannot reach postgres://admin:hunter2@db");
    });
    router_.Get("/slow", [this](Request&) {
      {
        std::lock_guard lock(mutex_);
        slow_started_ = true;
      }
      started_cv_.notify_all();
      std::this_thread::sleep_for(700ms);
      return Response::Text(200, "done");
    });
  }

  ~ServerTest() override { StopServer(); }

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
    Status listening = server_->Listen();
    ASSERT_TRUE(listening.ok()) << listening.error().detail;
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  HttpClient Client() const { return HttpClient(kLoopback, server_->port()); }
  unsigned short port() const { return server_->port(); }

  void WaitForSlowHandler() {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(started_cv_.wait_for(lock, 5s, [this] { return slow_started_; }));
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable started_cv_;
  bool slow_started_ = false;
};

void ExpectSecurityHeaders(const ClientResponse& response) {
  EXPECT_EQ(response.Header("content-security-policy"),
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
            "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  EXPECT_EQ(response.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.Header("referrer-policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(response.Header("x-frame-options"), "DENY");
  EXPECT_EQ(response.Header("server"), "nongsan");
  EXPECT_FALSE(response.Header("x-request-id").empty());
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  HttpClient client = Client();
  for (int i = 0; i < 5; ++i) {
    ClientResponse response = client.Get("/hello");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.body, "hello");
    EXPECT_EQ(response.Header("content-type"), "text/plain; charset=utf-8");
    EXPECT_FALSE(response.Header("date").empty());
  }
  ClientResponse item = client.Get("/items/ch%C3%A8");
  ASSERT_EQ(item.status, 200);
  EXPECT_EQ(item.Json()["id"], "ch\xC3\xA8");
  EXPECT_EQ(item.Json()["route"], "/items/{id}");
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  HttpClient client = Client();
  ClientResponse response = client.Get("/hello", {{"Connection", "close"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_EQ(client.Get("/hello").status, 200);
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  const std::string received =
      SendRaw(kLoopback, port(),
              "GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: x\r\n"
              "Connection: close\r\n\r\n",
              3s);
  const std::size_t first = received.find("\"id\":\"1\"");
  const std::size_t second = received.find("\"id\":\"2\"");
  ASSERT_NE(first, std::string::npos) << received;
  ASSERT_NE(second, std::string::npos) << received;
  EXPECT_LT(first, second);
}

TEST_F(ServerTest, UnknownPathIsA404Problem) {
  StartServer();
  ClientResponse response = Client().Get("/nowhere?x=1");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  const auto body = response.Json();
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["status"], 404);
  EXPECT_EQ(body["instance"], "/nowhere");
  ExpectSecurityHeaders(response);
}

TEST_F(ServerTest, WrongMethodIsA405ProblemWithAllow) {
  StartServer();
  ClientResponse response = Client().Delete("/hello");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("allow"), "GET, HEAD");
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  EXPECT_EQ(response.Json()["code"], "method_not_allowed");
}

TEST_F(ServerTest, HeadSendsHeadersWithoutBody) {
  StartServer();
  HttpClient client = Client();
  ClientResponse head = client.Head("/hello");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "5");
  EXPECT_TRUE(head.body.empty());
  // No stray body bytes: the next response on the connection parses cleanly.
  ClientResponse get = client.Get("/hello");
  EXPECT_EQ(get.body, "hello");
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, BodyWithinRouteLimitIsDelivered) {
  StartServer();
  const std::string body(kSmallBody, 'x');
  ClientResponse response = Client().Post("/echo", body, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, body);
}

TEST_F(ServerTest, HugeBodyToSmallRouteIs413AndServerKeepsServing) {
  StartServer();
  HttpClient client = Client();
  ClientResponse response = client.Post("/echo", std::string(10 * 1024 * 1024, 'x'));
  EXPECT_EQ(response.status, 413) << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_EQ(response.Json()["code"], "body_too_large");

  EXPECT_EQ(Client().Get("/hello").status, 200);
  EXPECT_EQ(client.Get("/hello").status, 200);  // reconnects after the close
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  StartServer();
  RawConnection connection(kLoopback, port());
  const std::string chunk(2 * kSmallBody, 'y');
  std::string request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  request += fmt::format("{:x}\r\n{}\r\n0\r\n\r\n", chunk.size(), chunk);
  connection.Send(request);
  const std::string received = connection.Receive(3s);
  EXPECT_EQ(received.rfind("HTTP/1.1 413", 0), 0u) << received;
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  StartServer();
  RawConnection connection(kLoopback, port());
  connection.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n"
      "Expect: 100-continue\r\nConnection: close\r\n\r\n");
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (received.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    received += connection.Receive(100ms);
  }
  EXPECT_EQ(received.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u) << received;
  connection.Send("ping");
  received += connection.Receive(3s);
  EXPECT_NE(received.find("HTTP/1.1 200 OK"), std::string::npos) << received;
  EXPECT_NE(received.find("\r\n\r\nping"), std::string::npos) << received;
}

TEST_F(ServerTest, OversizedHeadersAre431AndClose) {
  StartServer();
  RawConnection connection(kLoopback, port());
  connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " +
                  std::string(kDefaultMaxHeaderBytes + 100, 'a') + "\r\n\r\n");
  const std::string received = connection.Receive(5s);
  EXPECT_EQ(received.rfind("HTTP/1.1 431", 0), 0u) << received.substr(0, 200);
  EXPECT_NE(received.find("Connection: close"), std::string::npos);
  EXPECT_NE(received.find("header_too_large"), std::string::npos);
  EXPECT_TRUE(connection.peer_closed());
}

TEST_F(ServerTest, MalformedRequestsAre400AndClose) {
  StartServer();
  for (const char* garbage :
       {"GARBAGE\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n", "GET /he llo HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /hello HTTP/1.1\r\n\r\n" /* no Host */,
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"}) {
    const std::string received = SendRaw(kLoopback, port(), garbage, 3s);
    EXPECT_EQ(received.rfind("HTTP/1.1 400", 0), 0u) << garbage << " → " << received;
    EXPECT_NE(received.find("Connection: close"), std::string::npos) << garbage;
  }
  EXPECT_EQ(Client().Get("/hello").status, 200);
}

TEST_F(ServerTest, SlowClientIsCutOffByReadTimeout) {
  ServerConfig config = TestConfig();
  config.limits.read_timeout = 1s;
  StartServer(config);
  RawConnection connection(kLoopback, port());
  const std::string request = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (char byte : request) {
    // One byte every 300 ms: each byte is "progress", but the whole request
    // would take ~10 s, far over the 1 s budget.
    if (!connection.Send(std::string_view(&byte, 1)) || connection.WaitForClose(300ms)) {
      closed = true;
      break;
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, 3s);
  EXPECT_GE(elapsed, 900ms);
  EXPECT_EQ(Client().Get("/hello").status, 200);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerConfig config = TestConfig();
  config.limits.idle_timeout = 300ms;
  StartServer(config);
  RawConnection connection(kLoopback, port());
  connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(connection.WaitForClose(3s));
}

TEST_F(ServerTest, GracefulStopLetsInFlightRequestFinish) {
  StartServer();
  HttpClient idle = Client();
  ASSERT_EQ(idle.Get("/hello").status, 200);  // an idle keep-alive connection

  auto in_flight =
      std::async(std::launch::async, [port = port()] { return HttpClient(kLoopback, port).Get("/slow"); });
  WaitForSlowHandler();
  const auto stop_at = std::chrono::steady_clock::now();
  server_->Stop();
  server_->Stop();  // idempotent

  ClientResponse response = in_flight.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(response.Header("connection"), "close");

  thread_.join();  // Run() returns once drained, well before the drain timeout
  EXPECT_LT(std::chrono::steady_clock::now() - stop_at, 5s);
  EXPECT_NE(HttpClient(kLoopback, port()).Get("/hello").status, 200);
}

TEST_F(ServerTest, StopBeforeRunReturnsPromptly) {
  server_ = std::make_unique<Server>(TestConfig(), router_);
  ASSERT_TRUE(server_->Listen().ok());
  server_->Stop();
  const auto start = std::chrono::steady_clock::now();
  server_->Run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(ServerTest, ConnectionsOverTheCapGet503) {
  ServerConfig config = TestConfig();
  config.limits.max_connections = 1;
  StartServer(config);
  HttpClient first = Client();
  ASSERT_EQ(first.Get("/hello").status, 200);  // holds the only slot (keep-alive)
  const std::string refused = SendRaw(kLoopback, port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 3s);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("X-Frame-Options: DENY"), std::string::npos) << refused;
  EXPECT_NE(refused.find("application/problem+json"), std::string::npos) << refused;
  first.Close();
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutDetails) {
  StartServer();
  ClientResponse response = Client().Get("/boom", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("postgres"), std::string::npos);
  const auto body = response.Json();
  EXPECT_EQ(body["code"], "internal");
  EXPECT_EQ(body["request_id"], "trace-42");
  EXPECT_EQ(response.Header("x-request-id"), "trace-42");
  ExpectSecurityHeaders(response);
}

TEST_F(ServerTest, RequestIdIsHonouredOnlyWhenSane) {
  StartServer();
  HttpClient client = Client();
  EXPECT_EQ(client.Get("/hello", {{"X-Request-Id", "abc-DEF_123"}}).Header("x-request-id"), "abc-DEF_123");
  for (const std::string& bad : {std::string("has space"), std::string("semi;colon"), std::string(65, 'a')}) {
    const std::string id = client.Get("/hello", {{"X-Request-Id", bad}}).Header("x-request-id");
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 16u);
  }
  EXPECT_NE(client.Get("/hello").Header("x-request-id"), client.Get("/hello").Header("x-request-id"));
}

TEST_F(ServerTest, MetricsCountServedRequests) {
  StartServer();
  HttpClient client = Client();
  client.Get("/items/1");
  client.Get("/items/2");
  client.Get("/missing");
  const std::string text = server_->metrics().Render();
  EXPECT_NE(text.find("nongsan_http_requests_total{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("nongsan_http_connections "), std::string::npos);
}

TEST_F(ServerTest, ForwardedHeadersOnlyWhenProxyIsTrusted) {
  StartServer();
  const ClientHeaders forwarded = {{"X-Forwarded-For", "198.51.100.1, 203.0.113.9"},
                                   {"X-Forwarded-Proto", "https"}};
  const auto direct = Client().Get("/ip", forwarded).Json();
  EXPECT_EQ(direct["ip"], "127.0.0.1");
  EXPECT_EQ(direct["tls"], false);
  StopServer();

  ServerConfig config = TestConfig();
  config.trust_proxy = true;
  StartServer(config);
  const auto proxied = Client().Get("/ip", forwarded).Json();
  EXPECT_EQ(proxied["ip"], "203.0.113.9");  // the entry our proxy appended
  EXPECT_EQ(proxied["tls"], true);
}

TEST_F(ServerTest, AccessLogWritesOneJsonLinePerRequest) {
  std::ostringstream lines;
  spdlog::drop("access");
  auto logger =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
  logger->set_pattern("%v");
  spdlog::register_logger(logger);

  ServerConfig config = TestConfig();
  config.access_log = true;
  StartServer(config);
  HttpClient client = Client();
  EXPECT_EQ(client.Get("/items/7?token=s3cr3t", {{"X-Request-Id", "log-1"}}).status, 200);
  EXPECT_EQ(client.Get("/missing").status, 404);
  StopServer();
  server_.reset();  // releases the logger before `lines` goes away
  spdlog::drop("access");

  std::istringstream in(lines.str());
  std::string first;
  std::string second;
  ASSERT_TRUE(std::getline(in, first));
  ASSERT_TRUE(std::getline(in, second));
  EXPECT_EQ(first.find("s3cr3t"), std::string::npos);  // query strings stay out of logs
  const auto entry = nlohmann::json::parse(first);
  EXPECT_EQ(entry["method"], "GET");
  EXPECT_EQ(entry["path"], "/items/7");
  EXPECT_EQ(entry["status"], 200);
  EXPECT_EQ(entry["request_id"], "log-1");
  EXPECT_EQ(entry["remote_ip"], "127.0.0.1");
  EXPECT_GT(entry["bytes"].get<int>(), 0);
  EXPECT_GE(entry["duration_ms"].get<double>(), 0.0);
  EXPECT_TRUE(entry.contains("ts"));
  EXPECT_EQ(nlohmann::json::parse(second)["status"], 404);
}

// ----------------------------------------------------------- static files

class ServerStaticTest : public ServerTest {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("nongsan-static-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(root_ / "static" / "img");
    Write(root_ / "static" / "app.css", "body{color:green}");
    Write(root_ / "static" / "img" / "logo.svg", "<svg/>");
    Write(root_ / "static" / ".env", "SECRET=1");
    Write(root_ / "secret.txt", "top secret");
    std::filesystem::create_symlink(root_ / "secret.txt", root_ / "static" / "link.txt");
    ServerConfig config = TestConfig();
    config.static_dir = (root_ / "static").string();
    StartServer(config);
  }
  void TearDown() override {
    StopServer();
    std::filesystem::remove_all(root_);
  }
  static void Write(const std::filesystem::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
  }
  std::filesystem::path root_;
};

TEST_F(ServerStaticTest, ServesFilesWithTypesAndCaching) {
  HttpClient client = Client();
  ClientResponse css = client.Get("/static/app.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{color:green}");
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("cache-control"), "public, max-age=3600");
  const std::string etag = css.Header("etag");
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');  // strong
  ExpectSecurityHeaders(css);

  ClientResponse versioned = client.Get("/static/app.css?v=abc123");
  EXPECT_EQ(versioned.Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(versioned.Header("etag"), etag);

  ClientResponse svg = client.Get("/static/img/logo.svg");
  EXPECT_EQ(svg.Header("content-type"), "image/svg+xml");

  ClientResponse head = client.Head("/static/app.css");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "17");
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerStaticTest, IfNoneMatchGives304) {
  HttpClient client = Client();
  const std::string etag = client.Get("/static/app.css").Header("etag");
  ClientResponse cached = client.Get("/static/app.css", {{"If-None-Match", etag}});
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(cached.Header("etag"), etag);
  EXPECT_EQ(client.Get("/static/app.css", {{"If-None-Match", "\"other\", W/" + etag}}).status, 304);
  EXPECT_EQ(client.Get("/static/app.css", {{"If-None-Match", "\"other\""}}).status, 200);

  // A changed file gets a new ETag and is served again.
  Write(root_ / "static" / "app.css", "body{color:red}");
  std::filesystem::last_write_time(root_ / "static" / "app.css",
                                   std::filesystem::file_time_type::clock::now() + 5s);
  ClientResponse changed = client.Get("/static/app.css", {{"If-None-Match", etag}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "body{color:red}");
  EXPECT_NE(changed.Header("etag"), etag);
}

TEST_F(ServerStaticTest, NoTraversalDotfilesOrEscapingSymlinks) {
  HttpClient client = Client();
  for (const char* target :
       {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/img/../../secret.txt",
        "/static/%2E%2E%2Fsecret.txt", "/static/link.txt", "/static/.env", "/static/img", "/static/",
        "/static//etc/passwd", "/static/missing.css"}) {
    ClientResponse response = client.Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.body.find("top secret"), std::string::npos) << target;
    EXPECT_EQ(response.body.find("SECRET=1"), std::string::npos) << target;
  }
}

// ------------------------------------------------- the pipeline, no sockets

class HttpDispatchTest : public ::testing::Test {
 protected:
  HttpDispatchTest() {
    router_.Get("/items/{id}", [](Request& r) { return Response::Text(200, "item " + r.Param("id")); });
    router_.Post("/items", [](Request&) { return Response::Json(201, {{"ok", true}}); });
  }
  static ServerConfig Config() {
    ServerConfig config;
    config.port = 0;
    config.threads = 1;
    config.access_log = false;
    return config;
  }
  static Request Make(std::string method, std::string path) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.target = request.path;
    return request;
  }
  Router router_;
};

TEST_F(HttpDispatchTest, BeforeHookCanShortCircuit) {
  Server server(Config(), router_);
  std::string seen_pattern;
  server.AddBefore([&](Request& request, const Route& route) -> std::optional<Response> {
    seen_pattern = route.pattern;
    if (request.method == "POST") return Response::Problem(Error::Unauthorized());
    return std::nullopt;
  });
  server.AddAfter(
      [](const Request& request, Response& response) { response.SetHeader("X-Route", request.route); });

  Request get = Make("GET", "/items/5");
  Response ok = server.Dispatch(get);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "item 5");
  EXPECT_EQ(seen_pattern, "/items/{id}");
  EXPECT_EQ(ok.GetHeader("X-Route"), "/items/{id}");
  EXPECT_EQ(ok.GetHeader("X-Request-Id"), get.request_id);
  EXPECT_EQ(ok.GetHeader("X-Frame-Options"), "DENY");

  Request post = Make("POST", "/items");
  Response refused = server.Dispatch(post);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.GetHeader("X-Route"), "/items");  // after-hooks see short-circuits too
}

TEST_F(HttpDispatchTest, FallbackAnswersUnknownPathsThroughTheHooks) {
  Server plain(Config(), router_);
  Request before = Make("GET", "/nowhere");
  EXPECT_EQ(plain.Dispatch(before).content_type, "application/problem+json");

  Server server(Config(), router_);
  server.SetFallback([](Request& request) { return Response::Html(404, "<p>not here: " + request.path); });
  bool hook_ran = false;
  server.AddBefore([&](Request&, const Route&) -> std::optional<Response> {
    hook_ran = true;
    return std::nullopt;
  });
  server.AddAfter(
      [](const Request& request, Response& response) { response.SetHeader("X-Route", request.route); });
  Request unknown = Make("GET", "/nowhere");
  Response page = server.Dispatch(unknown);
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.body, "<p>not here: /nowhere");
  EXPECT_TRUE(hook_ran);
  EXPECT_EQ(page.GetHeader("X-Route"), "");
  // A known path under another method stays 405.
  Request other_method = Make("DELETE", "/items");
  EXPECT_EQ(server.Dispatch(other_method).status, 405);
}

TEST_F(HttpDispatchTest, HookExceptionsBecome500) {
  Server server(Config(), router_);
  server.AddBefore([](Request&, const Route&) -> std::optional<Response> {
    throw std::logic_error("bug in middleware: token=abc");
  });
  Request request = Make("GET", "/items/1");
  Response response = server.Dispatch(request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("token=abc"), std::string::npos);
}

TEST_F(HttpDispatchTest, HandlerMayOverrideContentSecurityPolicy) {
  router_.Get("/embed", [](Request&) {
    Response response = Response::Html(200, "<p>map</p>");
    response.SetHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors *");
    return response;
  });
  Server server(Config(), router_);
  Request request = Make("GET", "/embed");
  EXPECT_EQ(server.Dispatch(request).GetHeader("Content-Security-Policy"),
            "default-src 'self'; frame-ancestors *");
}

// The host seam: a rewrite chooses the path a request is served as, before
// routing and the hooks, so the route's hooks and metrics see the new path.
TEST_F(HttpDispatchTest, HostRewriteServesAnotherPathForItsHost) {
  Server server(Config(), router_);
  server.SetHostRewrite([](const Request& request) -> std::optional<std::string> {
    if (request.Header("host") != "shop.example") return std::nullopt;
    return "/items/7";
  });
  std::string routed;
  server.AddBefore([&routed](Request& request, const Route&) -> std::optional<Response> {
    routed = request.route;
    return std::nullopt;
  });
  Request shop = Make("GET", "/");
  shop.headers.emplace_back("host", "shop.example");
  Response response = server.Dispatch(shop);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "item 7");
  EXPECT_EQ(routed, "/items/{id}");
  Request other = Make("GET", "/items/1");
  other.headers.emplace_back("host", "nongsan.vn");
  EXPECT_EQ(server.Dispatch(other).body, "item 1");
}

}  // namespace
}  // namespace nongsan::http
