#include "http/request.hpp"

#include <gtest/gtest.h>

#include "http/encoding.hpp"
#include "http/pipeline.hpp"

namespace nongsan::http {
namespace {

TEST(UrlDecodeTest, DecodesEscapesAndPlus) {
  EXPECT_EQ(UrlDecode("a%20b", false), "a b");
  EXPECT_EQ(UrlDecode("a+b", false), "a+b");
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("%2B", true), "+");
  EXPECT_EQ(UrlDecode("%c3%a0%C3%A0", false), "\xC3\xA0\xC3\xA0");  // "àà"
  EXPECT_EQ(UrlDecode("", false), "");
  EXPECT_EQ(UrlDecode("ch%C3%A8", false), "ch\xC3\xA8");
}

TEST(UrlDecodeTest, RejectsMalformedEscapes) {
  EXPECT_EQ(UrlDecode("%", false), std::nullopt);
  EXPECT_EQ(UrlDecode("abc%", false), std::nullopt);
  EXPECT_EQ(UrlDecode("%4", false), std::nullopt);
  EXPECT_EQ(UrlDecode("%zz", false), std::nullopt);
  EXPECT_EQ(UrlDecode("%g1", false), std::nullopt);
  EXPECT_EQ(UrlDecode("%%41", false), std::nullopt);
}

TEST(UrlDecodeTest, RejectsInvalidUtf8) {
  EXPECT_EQ(UrlDecode("%C3", false), std::nullopt);           // truncated
  EXPECT_EQ(UrlDecode("%C0%AF", false), std::nullopt);        // overlong '/'
  EXPECT_EQ(UrlDecode("%E0%80%AF", false), std::nullopt);     // overlong
  EXPECT_EQ(UrlDecode("%ED%A0%80", false), std::nullopt);     // surrogate
  EXPECT_EQ(UrlDecode("%F4%90%80%80", false), std::nullopt);  // > U+10FFFF
  EXPECT_EQ(UrlDecode("%FF", false), std::nullopt);
  EXPECT_EQ(UrlDecode("%80", false), std::nullopt);                 // lone continuation byte
  EXPECT_EQ(UrlDecode("raw\xC3", false), std::nullopt);             // unescaped bytes count too
  EXPECT_EQ(UrlDecode("%F0%9F%8D%85", false), "\xF0\x9F\x8D\x85");  // tomato emoji is fine
}

TEST(UrlDecodeTest, EncodeRoundTrips) {
  const std::string text = "Chè Thái Nguyên / 100% & more?=#";
  const std::string encoded = UrlEncode(text);
  EXPECT_EQ(encoded.find_first_of(" /&?=#"), std::string::npos);
  EXPECT_EQ(UrlDecode(encoded, false), text);
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UrlEncode("a b"), "a%20b");
}

TEST(UrlDecodeTest, ParseUrlEncodedSkipsMalformedPairs) {
  const auto pairs = ParseUrlEncoded("q=ch%C3%A8+xanh&&empty=&flag&bad=%zz&=nokey&q=2");
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"q", "ch\xC3\xA8 xanh"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"empty", ""}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(pairs[3], (std::pair<std::string, std::string>{"q", "2"}));
}

TEST(HttpEncodingTest, ComparesAsciiIgnoringCase) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-type"));
  EXPECT_FALSE(EqualsIgnoreCase("Content-Type", "content-typ"));
}

Request RequestWith(std::string query, std::vector<std::pair<std::string, std::string>> headers,
                    std::string body = "") {
  Request request;
  request.query_string = std::move(query);
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

// A response header value that could end the header early is refused.
TEST(HttpEncodingTest, FindsLineBreaksAndNulAnywhere) {
  using namespace std::string_literals;
  EXPECT_FALSE(HasLineBreak(""));
  EXPECT_FALSE(HasLineBreak("default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'"));
  for (const std::string& bad :
       {"\r"s, "\n"s, "\0"s, "a\r\nSet-Cookie: x=1"s, "x\n"s, std::string(200, 'a') + '\0'}) {
    EXPECT_TRUE(HasLineBreak(bad)) << bad.size();
  }
}

TEST(HttpRequestTest, QueryHeadersAndParams) {
  Request request = RequestWith("q=ch%C3%A8&tag=a&tag=b&page=2", {{"x-forwarded-for", "1.2.3.4"}});
  request.params["id"] = "42";
  EXPECT_EQ(request.Query("q"), "ch\xC3\xA8");
  EXPECT_EQ(request.Query("missing"), std::nullopt);
  EXPECT_EQ(request.QueryAll("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(request.Header("x-forwarded-for"), "1.2.3.4");
  EXPECT_EQ(request.Header("cookie"), std::nullopt);
  EXPECT_EQ(request.Param("id"), "42");
  EXPECT_EQ(request.Param("nope"), "");
}

TEST(HttpRequestTest, Cookies) {
  Request request =
      RequestWith("", {{"cookie", "theme=dark; sid=abc123;  csrf=\"q w\""}, {"cookie", "late=1"}});
  EXPECT_EQ(request.Cookie("sid"), "abc123");
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("csrf"), "q w");
  EXPECT_EQ(request.Cookie("late"), "1");
  EXPECT_EQ(request.Cookie("si"), std::nullopt);
}

TEST(HttpRequestTest, FormOnlyForFormBodies) {
  Request form = RequestWith("", {{"content-type", "application/x-www-form-urlencoded; charset=UTF-8"}},
                             "phone=0912345678&name=Nguy%E1%BB%85n+An");
  EXPECT_EQ(form.Form("phone"), "0912345678");
  EXPECT_EQ(form.Form("name"), "Nguy\xE1\xBB\x85n An");
  Request json = RequestWith("", {{"content-type", "application/json"}}, "phone=1");
  EXPECT_EQ(json.Form("phone"), std::nullopt);
}

TEST(HttpRequestTest, JsonBodyAcceptsObjects) {
  Request request = RequestWith("", {}, R"({"name":"Ch\u00e8","tags":[1,[2,[3]]]})");
  auto body = request.JsonBody();
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["name"], "Ch\xC3\xA8");
}

TEST(HttpRequestTest, JsonBodyRejectsBadInputWith400) {
  for (const char* text : {"", "   ", "{", "[1,2]", "\"text\"", "{\"a\":1}x", "nul"}) {
    auto body = RequestWith("", {}, text).JsonBody();
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(body.error().type, "invalid_json");
    EXPECT_EQ(StatusFor(body.error().code), 400);
  }
  auto utf8 = RequestWith("", {}, "{\"name\":\"\xC3\"}").JsonBody();
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.error().detail.find("UTF-8"), std::string::npos);
}

TEST(HttpRequestTest, JsonBodyNestingLimit) {
  const auto nested = [](std::size_t depth) {
    std::string text;
    for (std::size_t i = 1; i < depth; ++i) text += "{\"a\":";
    text += "{}";
    for (std::size_t i = 1; i < depth; ++i) text += "}";
    return text;
  };
  EXPECT_TRUE(RequestWith("", {}, nested(kMaxJsonDepth)).JsonBody().ok());
  EXPECT_FALSE(RequestWith("", {}, nested(kMaxJsonDepth + 1)).JsonBody().ok());
  // Brackets inside strings do not count.
  EXPECT_TRUE(RequestWith("", {}, "{\"a\":\"" + std::string(100, '[') + "\"}").JsonBody().ok());
  EXPECT_FALSE(RequestWith("", {}, std::string(100000, '[')).JsonBody().ok());
}

TEST(HttpResponseTest, Builders) {
  Response json = Response::Json(201, {{"id", 7}});
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.body, R"({"id":7})");
  EXPECT_EQ(json.content_type, "application/json");

  Response html = Response::Html(200, "<p>xin chào</p>");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");

  Response redirect = Response::Redirect("/login");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.GetHeader("location"), "/login");

  Response none = Response::NoContent();
  EXPECT_EQ(none.status, 204);
  EXPECT_TRUE(none.body.empty());

  Response headers;
  headers.SetHeader("X-A", "1");
  headers.SetHeader("x-a", "2");
  headers.AddCookie("a=1");
  headers.AddCookie("b=2");
  EXPECT_EQ(headers.GetHeader("X-A"), "2");
  EXPECT_EQ(headers.headers.size(), 3u);
}

TEST(HttpResponseTest, JsonWithInvalidUtf8DoesNotThrow) {
  Response response = Response::Json(200, {{"name", std::string("bad\xC3")}});
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("bad"), std::string::npos);
}

TEST(HttpProblemTest, StatusMapping) {
  EXPECT_EQ(StatusFor(ErrorCode::kInvalid), 400);
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthorized), 401);
  EXPECT_EQ(StatusFor(ErrorCode::kForbidden), 403);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kUnprocessable), 422);
  EXPECT_EQ(StatusFor(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(StatusFor(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(StatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(StatusFor(ErrorCode::kInternal), 500);
}

TEST(HttpProblemTest, ShapeOfAProblem) {
  Error error = Error::Conflict("out_of_stock", "Only 3 kg of Chè Tân Cương are left.");
  error.fields.push_back({"quantity", "At most 3."});
  error.extra = {{"available", 3}, {"status", 999}, {"type", "spoofed"}};
  Response response = Response::Problem(error, "/api/v1/cart/items/9");

  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["type"], "https://nongsan.vn/problems/out_of_stock");
  EXPECT_EQ(body["code"], "out_of_stock");
  EXPECT_EQ(body["title"], "Conflict");
  EXPECT_EQ(body["status"], 409);  // extra cannot override standard members
  EXPECT_EQ(body["detail"], "Only 3 kg of Chè Tân Cương are left.");
  EXPECT_EQ(body["instance"], "/api/v1/cart/items/9");
  EXPECT_EQ(body["available"], 3);
  ASSERT_EQ(body["errors"].size(), 1u);
  EXPECT_EQ(body["errors"][0]["field"], "quantity");
  EXPECT_EQ(body["errors"][0]["message"], "At most 3.");
}

TEST(HttpProblemTest, ValidationProblemWithoutInstance) {
  Response response = Response::Problem(Error::Field("phone", "Enter a 10-digit mobile number."));
  EXPECT_EQ(response.status, 400);
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["code"], "validation");
  EXPECT_FALSE(body.contains("instance"));
  EXPECT_EQ(body["errors"][0]["field"], "phone");
}

TEST(HttpProblemTest, InternalErrorsDoNotLeak) {
  Error error = Error::Internal("connection to postgres://admin:hunter2@db failed");
  error.fields.push_back({"sql", "SELECT secret"});
  error.extra = {{"dsn", "hunter2"}};
  Response response = Response::Problem(error);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["code"], "internal");
  EXPECT_TRUE(body["errors"].empty());
  EXPECT_FALSE(body["detail"].get<std::string>().empty());
}

TEST(HttpProblemTest, RateLimitedSetsRetryAfter) {
  Response response = Response::Problem(Error::RateLimited(30));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.GetHeader("Retry-After"), "30");
  EXPECT_EQ(nlohmann::json::parse(response.body)["retry_after"], 30);
}

TEST(HttpProblemTest, EmptySlugFallsBackToCodeSlug) {
  Error error;
  error.code = ErrorCode::kForbidden;
  error.detail = "No.";
  const auto body = ProblemJson(error);
  EXPECT_EQ(body["code"], "forbidden");
  EXPECT_EQ(body["type"], "https://nongsan.vn/problems/forbidden");
}

TEST(HttpProblemTest, ProtocolProblem) {
  Response response = ProtocolProblem(405, "method_not_allowed", "Method not allowed", "Use GET.");
  EXPECT_EQ(response.status, 405);
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["status"], 405);
  EXPECT_EQ(body["title"], "Method not allowed");
  EXPECT_EQ(body["code"], "method_not_allowed");
}

}  // namespace
}  // namespace nongsan::http
