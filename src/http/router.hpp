// Method + path routing with {name} path parameters, e.g.
//   router.Get("/api/v1/products/{id}", handler, {.max_body = 0});
// Matching is exact on literal segments; a parameter matches one non-empty
// segment. A path that exists under another method answers 405 with Allow.
// A lookup looks only at the routes of the path's segment count and first
// segment, not at every route the platform registers.
// Routes are registered at start-up, then the router is read-only (thread-safe).
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace nongsan::http {

using Handler = std::function<Response(Request&)>;

// Default body limit for routes that take a body; named so config can raise it.
inline constexpr std::size_t kDefaultMaxBodyBytes = 64 * 1024;

struct RouteOptions {
  std::size_t max_body = kDefaultMaxBodyBytes;  // bytes; larger bodies get 413
  bool csrf_exempt = false;                     // e.g. webhook callbacks authenticated by signature
  // Sign-in and register forms: a visitor has no session, so a visitor's POST
  // needs a same-origin Origin header or the pre-session CSRF token instead
  // (against login CSRF: signing a victim into the attacker's account).
  bool pre_session_csrf = false;
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;
  RouteOptions options;
};

struct Match {
  const Route* route = nullptr;  // nullptr: no route
  bool method_mismatch = false;  // path exists under other methods
  std::string allow;             // for 405
  std::map<std::string, std::string> params;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  void Get(std::string pattern, Handler h, RouteOptions o = {}) {
    Add("GET", std::move(pattern), std::move(h), o);
  }
  void Post(std::string pattern, Handler h, RouteOptions o = {}) {
    Add("POST", std::move(pattern), std::move(h), o);
  }
  void Patch(std::string pattern, Handler h, RouteOptions o = {}) {
    Add("PATCH", std::move(pattern), std::move(h), o);
  }
  void Put(std::string pattern, Handler h, RouteOptions o = {}) {
    Add("PUT", std::move(pattern), std::move(h), o);
  }
  void Delete(std::string pattern, Handler h, RouteOptions o = {}) {
    Add("DELETE", std::move(pattern), std::move(h), o);
  }

  // HEAD is matched as GET.
  Match Find(const std::string& method, const std::string& path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  using RouteList = std::vector<const Route*>;
  // The routes a path of this many segments could match, by their first
  // segment: a literal (nearly every route), or a parameter.
  struct Bucket {
    std::map<std::string, RouteList, std::less<>> by_first;
    RouteList param_first;
  };
  // The (at most two) lists holding every route that could match `segments`.
  std::array<const RouteList*, 2> Candidates(const std::vector<std::string_view>& segments) const;

  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<Bucket> buckets_;  // by segment count
};

}  // namespace nongsan::http
