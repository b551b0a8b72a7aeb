// The HTTP/1.1 server: accepts connections, reads requests with per-route
// body limits and timeouts, runs the middleware pipeline and the route's
// handler, and writes the response with keep-alive. Boost.Beast/Asio live
// only in server.cpp behind a pimpl, so including this header stays cheap.
//
// Handlers are synchronous and run on the I/O threads (they block on the
// database, hence the generous default thread count).
//
// Thread-safety: configure (AddBefore/AddAfter, metrics().AddGauge) before
// Run(); afterwards the hooks are read-only. Dispatch() may be called from any
// thread. Stop() may be called from any thread, any number of times.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace nongsan::http {

inline constexpr std::size_t kDefaultMaxHeaderBytes = 16 * 1024;
// A whole request (header and body) must arrive within this time of its first
// byte, which cuts off clients trickling one byte at a time.
inline constexpr std::chrono::milliseconds kDefaultReadTimeout{15'000};
// The request header must arrive within this time of its first byte (and a
// new connection must start sending within it): a browser sends its header
// in one packet, so only slow-header attacks need longer.
inline constexpr std::chrono::milliseconds kDefaultHeaderTimeout{5'000};
// How long a keep-alive connection may sit idle between requests.
inline constexpr std::chrono::milliseconds kDefaultIdleTimeout{60'000};
// A client must accept the whole response within this time.
inline constexpr std::chrono::milliseconds kDefaultWriteTimeout{30'000};
inline constexpr std::size_t kDefaultMaxConnections = 10'000;
// Open connections one client address may hold; more are refused with 429 so
// one address cannot fill max_connections for everyone. Generous because
// mobile carriers put many phones behind one address (CGNAT) and a browser
// opens ~6 connections. Not applied with trust_proxy: every connection then
// comes from the proxy, which must limit its clients itself.
inline constexpr std::size_t kDefaultMaxConnectionsPerClient = 256;
// On Stop(), in-flight requests get this long to finish before their
// connections are closed.
inline constexpr std::chrono::milliseconds kDefaultDrainTimeout{10'000};

struct ServerLimits {
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;  // larger → 431, close
  std::chrono::milliseconds read_timeout = kDefaultReadTimeout;
  std::chrono::milliseconds header_timeout = kDefaultHeaderTimeout;  // capped by read_timeout
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;
  std::chrono::milliseconds write_timeout = kDefaultWriteTimeout;
  std::size_t max_connections = kDefaultMaxConnections;  // over the cap: 503, close
  // Over the per-address cap: 429, close. 0 = no per-address cap.
  std::size_t max_connections_per_client = kDefaultMaxConnectionsPerClient;
  std::chrono::milliseconds drain_timeout = kDefaultDrainTimeout;
  // Body limits are per route: RouteOptions::max_body (413 problem, close).
};

// 2 × hardware threads (at least 2): handlers block on the database.
int DefaultServerThreads();

struct ServerConfig {
  std::string host = "127.0.0.1";        // address or name to bind
  unsigned short port = 8080;            // 0 = an ephemeral port, see Server::port()
  int threads = DefaultServerThreads();  // ≤ 0 also means the default
  ServerLimits limits;
  std::string static_dir;  // served under /static/; empty disables
  bool access_log = true;  // one JSON line per request to spdlog logger "access"
  // Behind a reverse proxy: take the client address from the last
  // X-Forwarded-For entry and `tls` from X-Forwarded-Proto.
  bool trust_proxy = false;
  // Run() stops the server on SIGINT/SIGTERM (the safe way to react to
  // signals; a raw signal handler should not call Stop()).
  bool handle_signals = false;
};

// Runs before the handler of a matched route (auth, CSRF, rate limits); a
// returned Response short-circuits the handler.
using BeforeHook = std::function<std::optional<Response>(Request&, const Route&)>;
// Runs after the handler (or a short-circuiting BeforeHook) on matched routes.
using AfterHook = std::function<void(const Request&, Response&)>;
// Serves requests for other host names (a shop's own domain) from the same
// routes: returns the path to serve instead of Request::path (e.g. the
// shop's site for "/"), or nullopt to serve the request as it came. Runs
// first, before static files and routing; it must treat the Host header as
// the untrusted input it is.
using HostRewrite = std::function<std::optional<std::string>(const Request&)>;

// A request head read the way the server reads it (Beast's parser, then the
// server's own checks), without a socket: for the fuzzer and for tests.
// Exactly one of `request` (the head was accepted) and `error` (what the
// server would answer before closing) is set, unless `incomplete`.
struct ParsedHead {
  std::optional<Request> request;
  std::optional<Response> error;
  bool incomplete = false;  // the bytes end before the head does
};
ParsedHead ParseRequestHead(std::string_view bytes, const ServerConfig& config = {});

class Server {
 public:
  // `router` must outlive the server and not change once Run() starts.
  Server(ServerConfig config, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void AddBefore(BeforeHook hook);
  void AddAfter(AfterHook hook);
  // Answers a path no route knows under any method (a site's own "page not
  // found"), through the before and after hooks like a route with an empty
  // pattern (metrics label it unmatched). Without one, such a path gets a
  // problem+json 404.
  void SetFallback(Handler handler);
  // At most one; set before Run().
  void SetHostRewrite(HostRewrite rewrite);

  // Binds and listens; with port 0 the kernel picks a port (see port()).
  Status Listen();
  unsigned short port() const;

  // Serves on config.threads threads (the caller's included) until Stop()
  // has drained the connections. Calls Listen() first if needed.
  void Run();
  // Stops accepting, closes idle keep-alive connections, lets in-flight
  // requests finish (answering them with Connection: close) and closes what
  // is left after the drain timeout. Returns at once; Run() returns when done.
  void Stop();

  // The whole request pipeline without sockets: request id, static files,
  // routing (404/405), before hooks, handler (exceptions → 500), after hooks,
  // security headers, metrics and the access log. A HEAD response keeps its
  // body here; the socket layer sends only the headers.
  Response Dispatch(Request& request);

  Metrics& metrics();
  const ServerConfig& config() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nongsan::http
