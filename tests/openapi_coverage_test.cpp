// docs/openapi.yaml describes every API route the server registers: each
// /api/v1 route (and /healthz, /metrics, /photos/{name}) must appear under
// `paths:` with its method. The document's validity (OpenAPI 3.1 schema,
// $refs) is linted by tests/e2e/flows/openapi.test.mjs.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/source_dir.hpp"
#include "support/test_app.hpp"

namespace nongsan::testing {
namespace {

// path → methods (lower case) from the `paths:` section, read by
// indentation: paths at two spaces, operations at four.
std::map<std::string, std::set<std::string>> DocumentedOperations(const std::string& file) {
  std::ifstream in(file);
  std::map<std::string, std::set<std::string>> out;
  std::string line, current;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      in_paths = line.rfind("paths:", 0) == 0;
      current.clear();
      continue;
    }
    if (!in_paths) continue;
    if (line.size() > 3 && line.compare(0, 2, "  ") == 0 && line[2] == '/' && line.back() == ':') {
      current = line.substr(2, line.size() - 3);
      out[current];
      continue;
    }
    if (!current.empty() && line.size() > 5 && line.compare(0, 4, "    ") == 0 && line[4] != ' ') {
      const std::string key = line.substr(4, line.find(':') - 4);
      static const std::set<std::string> kMethods = {"get", "post", "put", "patch", "delete", "head"};
      if (kMethods.count(key)) out[current].insert(key);
    }
  }
  return out;
}

bool IsApiRoute(const std::string& pattern) {
  return pattern.rfind("/api/v1/", 0) == 0 || pattern == "/healthz" || pattern == "/metrics" ||
         pattern == "/photos/{name}";
}

TEST(OpenApi, DocumentsEveryApiRouteWithItsMethod) {
  const auto documented = DocumentedOperations(std::string(core::SourceDir()) + "/docs/openapi.yaml");
  ASSERT_GT(documented.size(), 10u) << "docs/openapi.yaml has no paths";
  TestApp app("sqlite");
  int checked = 0;
  for (const auto& route : app.app().router().routes()) {
    if (!IsApiRoute(route->pattern)) continue;
    std::string method = route->method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const auto it = documented.find(route->pattern);
    EXPECT_TRUE(it != documented.end() && it->second.count(method))
        << route->method << " " << route->pattern << " is not in docs/openapi.yaml";
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

TEST(OpenApi, DocumentsNoRouteTheServerLacks) {
  const auto documented = DocumentedOperations(std::string(core::SourceDir()) + "/docs/openapi.yaml");
  TestApp app("sqlite");
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : app.app().router().routes()) {
    std::string method = route->method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    served.emplace(method, route->pattern);
  }
  for (const auto& [path, methods] : documented) {
    for (const auto& method : methods) {
      EXPECT_TRUE(served.count({method, path})) << method << " " << path << " is documented but not served";
    }
  }
}

}  // namespace
}  // namespace nongsan::testing
