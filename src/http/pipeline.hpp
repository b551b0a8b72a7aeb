// What happens to a request once it has been read, and to every response
// before it is written, without sockets or Boost.Beast: the request id,
// static files, routing (404/405), the before hooks, the handler (an
// exception becomes a 500), the after hooks, the standard and security
// headers, metrics and the access log. Server::Impl (server.cpp, the only
// Beast translation unit) owns one and calls it from its connections; the
// helpers below are the responses and header values that the I/O layer
// sends itself (before a request is complete, or over a connection cap).
// Internal to http/.
//
// Thread-safety: configure (hooks, fallback, host rewrite, gauges) before
// the server runs; afterwards Dispatch, Complete and BodyLimitFor may be
// called from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace spdlog {
class logger;
}

namespace nongsan::http {

class Pipeline {
 public:
  // `router` must outlive the pipeline.
  Pipeline(const ServerConfig& config, const Router& router);

  void AddBefore(BeforeHook hook) { before_.push_back(std::move(hook)); }
  void AddAfter(AfterHook hook) { after_.push_back(std::move(hook)); }
  void SetFallback(Handler handler);
  void SetHostRewrite(HostRewrite rewrite) { host_rewrite_ = std::move(rewrite); }
  Metrics& metrics() { return metrics_; }

  // See Server::Dispatch.
  Response Dispatch(Request& request);
  // Request id, standard headers, metrics and the access log: everything
  // every response gets, also the ones made before routing (400, 413, 431).
  void Complete(Request& request, Response& response);
  // The most body bytes the request's route takes (0 for a static file).
  std::size_t BodyLimitFor(const Request& request) const;

 private:
  Response Respond(Request& request);
  void RunAfterHooks(Request& request, Response& response);
  bool IsStatic(const Request& request) const;

  const Router& router_;
  StaticFiles static_files_;
  Metrics metrics_;
  std::vector<BeforeHook> before_;
  std::vector<AfterHook> after_;
  std::unique_ptr<Route> fallback_;
  HostRewrite host_rewrite_;  // see Server::SetHostRewrite
  std::shared_ptr<spdlog::logger> access_log_;
};

// A generic 500 problem naming the request id (the cause is only logged).
Response InternalErrorResponse(const Request& request);
// 413: the body is larger than the route takes.
Error BodyTooLarge(std::string detail);
// 400 for a request the server cannot read; the connection closes after it.
Response MalformedRequest(std::string detail);
// The bytes of a refusal sent before a connection is set up (over a
// connection cap): a problem+json with the standard headers, then close.
std::string CannedRefusal(std::string_view status_line, const Error& error);
// IMF-fixdate for the Date header, formatted once per second per thread.
const std::string& HttpDate();
// A CR, LF or NUL: such a header name or value is never sent.
bool HasLineBreak(std::string_view s);
// 1xx, 204 and 304 carry no body and no Content-Length.
bool IsBodylessStatus(int status);

}  // namespace nongsan::http
