#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace nongsan::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

std::string Call(const Match& match) {
  Request request;
  return match.route->handler(request).body;
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Get("/api/v1/products", Named("list"));
  router.Get("/api/v1/products/{id}", Named("one"));
  router.Get("/api/v1/shops/{shop}/products/{id}", Named("nested"));

  Match list = router.Find("GET", "/api/v1/products");
  ASSERT_NE(list.route, nullptr);
  EXPECT_EQ(Call(list), "list");
  EXPECT_TRUE(list.params.empty());

  Match one = router.Find("GET", "/api/v1/products/42");
  ASSERT_NE(one.route, nullptr);
  EXPECT_EQ(Call(one), "one");
  EXPECT_EQ(one.params.at("id"), "42");
  EXPECT_EQ(one.route->pattern, "/api/v1/products/{id}");

  Match nested = router.Find("GET", "/api/v1/shops/hop-tac-xa/products/7");
  ASSERT_NE(nested.route, nullptr);
  EXPECT_EQ(nested.params.at("shop"), "hop-tac-xa");
  EXPECT_EQ(nested.params.at("id"), "7");
}

TEST(RouterTest, ParameterNeedsOneNonEmptySegment) {
  Router router;
  router.Get("/products/{id}", Named("one"));
  EXPECT_EQ(router.Find("GET", "/products/").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/products").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/products/1/2").route, nullptr);
  EXPECT_FALSE(router.Find("GET", "/products/").method_mismatch);
}

TEST(RouterTest, TrailingSlashIsADifferentPath) {
  Router router;
  router.Get("/products", Named("list"));
  EXPECT_NE(router.Find("GET", "/products").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/products/").route, nullptr);
}

TEST(RouterTest, RootPath) {
  Router router;
  router.Get("/", Named("home"));
  ASSERT_NE(router.Find("GET", "/").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/x").route, nullptr);
}

TEST(RouterTest, LiteralSegmentBeatsParameterRegardlessOfOrder) {
  Router router;
  router.Get("/products/{id}", Named("one"));
  router.Get("/products/new", Named("new"));
  router.Get("/{section}/featured", Named("section"));
  EXPECT_EQ(Call(router.Find("GET", "/products/new")), "new");
  EXPECT_EQ(Call(router.Find("GET", "/products/12")), "one");
  // Leftmost difference decides: "products" literal beats "{section}".
  EXPECT_EQ(Call(router.Find("GET", "/products/featured")), "one");
  EXPECT_EQ(Call(router.Find("GET", "/shops/featured")), "section");
}

TEST(RouterTest, WrongMethodReportsAllowedMethods) {
  Router router;
  router.Get("/cart", Named("get"));
  router.Post("/cart", Named("post"));
  router.Delete("/cart/{id}", Named("delete"));

  Match match = router.Find("PUT", "/cart");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.method_mismatch);
  EXPECT_EQ(match.allow, "GET, HEAD, POST");

  Match item = router.Find("GET", "/cart/3");
  EXPECT_TRUE(item.method_mismatch);
  EXPECT_EQ(item.allow, "DELETE");

  Match missing = router.Find("GET", "/nowhere");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_FALSE(missing.method_mismatch);
  EXPECT_TRUE(missing.allow.empty());
}

TEST(RouterTest, HeadMatchesGetUnlessHeadIsRegistered) {
  Router router;
  router.Get("/a", Named("get-a"));
  router.Get("/b", Named("get-b"));
  router.Add("HEAD", "/b", Named("head-b"));
  EXPECT_EQ(Call(router.Find("HEAD", "/a")), "get-a");
  EXPECT_EQ(Call(router.Find("HEAD", "/b")), "head-b");
  EXPECT_TRUE(router.Find("HEAD", "/nowhere").route == nullptr);
}

TEST(RouterTest, KeepsRouteOptions) {
  Router router;
  router.Post("/upload", Named("upload"), {.max_body = 5 * 1024 * 1024});
  router.Post("/webhook", Named("hook"), {.csrf_exempt = true});
  EXPECT_EQ(router.Find("POST", "/upload").route->options.max_body, 5u * 1024 * 1024);
  EXPECT_EQ(router.Find("POST", "/webhook").route->options.max_body, kDefaultMaxBodyBytes);
  EXPECT_TRUE(router.Find("POST", "/webhook").route->options.csrf_exempt);
}

TEST(RouterTest, RejectsBadPatternsAtStartUp) {
  Router router;
  router.Get("/products/{id}", Named("one"));
  EXPECT_THROW(router.Get("/products/{slug}", Named("dup")), std::invalid_argument);
  EXPECT_THROW(router.Get("products", Named("relative")), std::invalid_argument);
  EXPECT_THROW(router.Get("/a/{x}/{x}", Named("twice")), std::invalid_argument);
  EXPECT_THROW(router.Get("/a/b{x}", Named("partial")), std::invalid_argument);
  EXPECT_NO_THROW(router.Post("/products/{id}", Named("other method")));
}

}  // namespace
}  // namespace nongsan::http
