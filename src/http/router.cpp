#include "http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string_view>

namespace nongsan::http {

namespace {

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// "/a/b/" -> {"a", "b", ""}; "/" -> {}. A trailing slash is kept as an empty
// segment so that "/products/" does not silently match "/products".
template <typename Out>
std::vector<Out> SplitPath(std::string_view path) {
  std::vector<Out> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return segments;
  while (true) {
    const std::size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// Two patterns with the same method and shape could never both be reached.
std::string Shape(const std::vector<std::string>& segments) {
  std::string shape;
  for (const auto& segment : segments) {
    shape += '/';
    shape += IsParam(segment) ? "{}" : segment;
  }
  return shape;
}

bool SegmentsMatch(const Route& route, const std::vector<std::string_view>& path) {
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (IsParam(segment)) {
      if (path[i].empty()) return false;
    } else if (segment != path[i]) {
      return false;
    }
  }
  return true;
}

// True when `a` is more specific than `b`: at the first position where one
// has a literal and the other a parameter, the literal wins, so
// "/products/new" beats "/products/{id}".
bool MoreSpecific(const Route& a, const Route& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    const bool a_param = IsParam(a.segments[i]);
    const bool b_param = IsParam(b.segments[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  // Routes are wired once in main; a bad pattern is a programming error that
  // should stop start-up, not a runtime condition.
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (!handler) throw std::invalid_argument("route without handler: " + pattern);
  auto route = std::make_unique<Route>();
  route->method = std::move(method);
  route->segments = SplitPath<std::string>(pattern);
  std::set<std::string> names;
  for (const auto& segment : route->segments) {
    const bool has_brace = segment.find_first_of("{}") != std::string::npos;
    if (has_brace && !IsParam(segment)) {
      throw std::invalid_argument("a parameter must fill a whole segment: " + pattern);
    }
    if (IsParam(segment) && !names.insert(segment.substr(1, segment.size() - 2)).second) {
      throw std::invalid_argument("duplicate parameter name in " + pattern);
    }
  }
  const std::string shape = Shape(route->segments);
  for (const auto& existing : routes_) {
    if (existing->method == route->method && Shape(existing->segments) == shape) {
      throw std::invalid_argument("route registered twice: " + route->method + " " + pattern);
    }
  }
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->options = options;
  const std::size_t length = route->segments.size();
  if (buckets_.size() <= length) buckets_.resize(length + 1);
  Bucket& bucket = buckets_[length];
  if (length > 0 && IsParam(route->segments.front())) {
    bucket.param_first.push_back(route.get());
  } else {
    bucket.by_first[length > 0 ? route->segments.front() : std::string()].push_back(route.get());
  }
  routes_.push_back(std::move(route));
}

std::array<const Router::RouteList*, 2> Router::Candidates(
    const std::vector<std::string_view>& segments) const {
  std::array<const RouteList*, 2> lists{nullptr, nullptr};
  if (segments.size() >= buckets_.size()) return lists;
  const Bucket& bucket = buckets_[segments.size()];
  const auto literal = bucket.by_first.find(segments.empty() ? std::string_view() : segments.front());
  if (literal != bucket.by_first.end()) lists[0] = &literal->second;
  if (!bucket.param_first.empty()) lists[1] = &bucket.param_first;
  return lists;
}

Match Router::Find(const std::string& method, const std::string& path) const {
  const auto segments = SplitPath<std::string_view>(path);
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const auto candidates = Candidates(segments);

  Match match;
  const Route* head_route = nullptr;  // an explicit HEAD route beats GET
  bool path_exists = false;           // under some method
  for (const RouteList* list : candidates) {
    if (list == nullptr) continue;
    for (const Route* route : *list) {
      if (!SegmentsMatch(*route, segments)) continue;
      path_exists = true;
      if (method == "HEAD" && route->method == "HEAD") {
        if (!head_route || MoreSpecific(*route, *head_route)) head_route = route;
      }
      if (route->method != wanted) continue;
      if (!match.route || MoreSpecific(*route, *match.route)) match.route = route;
    }
  }
  if (head_route) match.route = head_route;

  if (!match.route && path_exists) {
    std::set<std::string> allowed;
    for (const RouteList* list : candidates) {
      if (list == nullptr) continue;
      for (const Route* route : *list) {
        if (SegmentsMatch(*route, segments)) allowed.insert(route->method);
      }
    }
    match.method_mismatch = true;
    if (allowed.count("GET")) allowed.insert("HEAD");
    for (const auto& name : allowed) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += name;
    }
  }
  if (!match.route) return match;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = match.route->segments[i];
    if (IsParam(segment)) {
      match.params.emplace(segment.substr(1, segment.size() - 2), std::string(segments[i]));
    }
  }
  return match;
}

}  // namespace nongsan::http
