// The review pages over real HTTP on both backends, as a browser posts them:
// a review through the form of an order not yet delivered comes back with the
// Vietnamese reason and what was typed kept, nothing stored; once delivered
// the review is stored and shown under #danh-gia with the shop's reply.
#include <gtest/gtest.h>

#include "accounts/auth.hpp"
#include "app/services.hpp"
#include "quality/quality_api_world.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"

namespace nongsan::web {
namespace {

using nongsan::orders::testing::Move;
using nongsan::orders::testing::Person;
using nongsan::orders::testing::PostCheckout;
using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;

constexpr const char* kBoundary = "----nongsan-review-form";

class ReviewPages : public quality::testing::QualityApiWorld {
 protected:
  static ClientHeaders Browser(const Person& person) {
    return {{"Cookie", std::string(accounts::kSessionCookieName) + "=" + person.token}};
  }
  static std::string Csrf(const Person& person) { return accounts::CsrfTokenForSessionToken(person.token); }

  ClientResponse PostReview(HttpClient& client, std::int64_t order_id, const std::string& rating,
                            const std::string& text) {
    std::string body;
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"csrf_token", Csrf(buyer_)},
                                                          {"product_id", std::to_string(tea_)},
                                                          {"rating", rating},
                                                          {"text", text}}) {
      body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    }
    body += std::string("--") + kBoundary + "--\r\n";
    ClientHeaders headers = Browser(buyer_);
    headers["Content-Type"] = std::string("multipart/form-data; boundary=") + kBoundary;
    return client.Post("/don-hang/" + std::to_string(order_id) + "/danh-gia", body, headers);
  }

  struct Part {
    std::string name, value, filename, content_type;  // a file part when filename is set
  };
  // The form as `person`'s browser posts it, with any parts (files included).
  ClientResponse PostReviewAs(HttpClient& client, const Person& person, std::int64_t order_id,
                              std::vector<Part> parts) {
    parts.push_back({"csrf_token", Csrf(person), "", ""});
    parts.push_back({"product_id", std::to_string(tea_), "", ""});
    std::string body;
    for (const auto& part : parts) {
      body +=
          std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
      if (!part.filename.empty())
        body += "; filename=\"" + part.filename + "\"\r\nContent-Type: " + part.content_type;
      body += "\r\n\r\n" + part.value + "\r\n";
    }
    body += std::string("--") + kBoundary + "--\r\n";
    ClientHeaders headers = Browser(person);
    headers["Content-Type"] = std::string("multipart/form-data; boundary=") + kBoundary;
    return client.Post("/don-hang/" + std::to_string(order_id) + "/danh-gia", body, headers);
  }

  // An order of tea by `person`, delivered.
  std::int64_t DeliveredOrder(HttpClient& client, const Person& person, const std::string& key,
                              const std::string& tracking) {
    ClientResponse placed = PostCheckout(
        client, person, key, orders::testing::CheckoutBody({{tea_, 1}}, quality::testing::kShopCommune));
    EXPECT_EQ(placed.status, 201) << placed.body;
    const std::int64_t order = placed.Json()["orders"][0]["id"].get<std::int64_t>();
    for (const char* to : {"confirmed", "packed", "shipped", "delivered"}) {
      EXPECT_EQ(Move(client, shop_.owner, order, to, "", std::string(to) == "shipped" ? tracking : "").status,
                200);
    }
    return order;
  }
};

// The value of the first hidden `name` input on a page ("" when there is none).
std::string HiddenValue(const std::string& body, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const std::size_t at = body.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t from = at + marker.size();
  return body.substr(from, body.find('"', from) - from);
}

TEST_P(ReviewPages, AReviewWaitsForDeliveryThenShowsUnderDanhGiaWithTheReply) {
  HttpClient client = app_->Client();
  ClientResponse placed =
      PostCheckout(client, buyer_, "review-pages-1",
                   orders::testing::CheckoutBody({{tea_, 1}}, quality::testing::kShopCommune));
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::int64_t order = placed.Json()["orders"][0]["id"].get<std::int64_t>();
  const std::string form_path =
      "/don-hang/" + std::to_string(order) + "/danh-gia?san-pham=" + std::to_string(tea_);
  ASSERT_EQ(client.Get(form_path, Browser(buyer_)).status, 200);
  EXPECT_EQ(client.Get(form_path, Browser(shop_.owner)).status, 404) << "only the buyer reviews";

  ClientResponse early = PostReview(client, order, "4", "Chè thơm lắm");
  EXPECT_EQ(early.status, 422);
  EXPECT_NE(early.body.find("Bạn chỉ đánh giá được sản phẩm của đơn đã nhận hàng."), std::string::npos)
      << early.body;
  EXPECT_NE(early.body.find(">Chè thơm lắm</textarea>"), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(seeder_->CountRows("quality_reviews"), 0);

  for (const char* to : {"confirmed", "packed", "shipped", "delivered"}) {
    ASSERT_EQ(Move(client, shop_.owner, order, to, "", std::string(to) == "shipped" ? "VNP123" : "").status,
              200)
        << to;
  }
  ClientResponse no_stars = PostReview(client, order, "", "Chè thơm lắm");
  EXPECT_EQ(no_stars.status, 422);
  EXPECT_NE(no_stars.body.find("id=\"rating-err\">Vui lòng chọn từ 1 đến 5 sao."), std::string::npos);
  ClientResponse reviewed = PostReview(client, order, "4", "Chè thơm lắm");
  ASSERT_EQ(reviewed.status, 303) << reviewed.body;
  const std::string location = reviewed.Header("location");
  EXPECT_NE(location.find("?da-danh-gia=1#danh-gia"), std::string::npos) << location;

  const auto reviews = app_->app().services().quality->reviews.ForProduct(tea_, "", 10);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->items.size(), 1u);
  const std::string id = std::to_string(reviews->items[0].id);
  ClientResponse reply =
      client.Post("/kenh-ban/danh-gia/" + id + "/tra-loi",
                  "csrf_token=" + Csrf(shop_.owner) + "&reply=" + http::UrlEncode("Cảm ơn chị!"), [&] {
                    ClientHeaders h = Browser(shop_.owner);
                    h["Content-Type"] = "application/x-www-form-urlencoded";
                    return h;
                  }());
  ASSERT_EQ(reply.status, 303) << reply.body;
  ClientResponse product = client.Get(location.substr(0, location.find('?')));
  ASSERT_EQ(product.status, 200);
  EXPECT_NE(product.body.find("id=\"dg-" + id + "\""), std::string::npos);
  EXPECT_NE(product.body.find("Chè thơm lắm"), std::string::npos);
  EXPECT_NE(product.body.find("Cảm ơn chị!"), std::string::npos);
}

TEST_P(ReviewPages, AnOfficerHidesAReportedReviewWithAReason) {
  HttpClient client = app_->Client();
  ClientResponse placed =
      PostCheckout(client, buyer_, "review-pages-2",
                   orders::testing::CheckoutBody({{tea_, 1}}, quality::testing::kShopCommune));
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::int64_t order = placed.Json()["orders"][0]["id"].get<std::int64_t>();
  for (const char* to : {"confirmed", "packed", "shipped", "delivered"}) {
    ASSERT_EQ(Move(client, shop_.owner, order, to, "", std::string(to) == "shipped" ? "VNP124" : "").status,
              200);
  }
  ASSERT_EQ(PostReview(client, order, "1", "Cửa hàng lừa đảo!!!").status, 303);
  const auto reviews = app_->app().services().quality->reviews.ForProduct(tea_, "", 10);
  ASSERT_TRUE(reviews.ok() && reviews->items.size() == 1u);
  const std::string id = std::to_string(reviews->items[0].id);
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  ASSERT_TRUE(
      app_->app().services().quality->reviews.Report(&owner, reviews->items[0].id, "Vu khống cửa hàng").ok());

  ClientResponse page = client.Get("/can-bo/bao-cao", Browser(officer_));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"dg-" + id + "\""), std::string::npos);
  EXPECT_EQ(client.Get("/can-bo/bao-cao", Browser(far_officer_)).body.find("id=\"dg-" + id + "\""),
            std::string::npos);
  ClientHeaders form = Browser(officer_);
  form["Content-Type"] = "application/x-www-form-urlencoded";
  ClientResponse no_reason = client.Post("/can-bo/bao-cao/danh-gia/" + id,
                                         "csrf_token=" + Csrf(officer_) + "&decision=hide&reason=", form);
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("id=\"reason-" + id + "-err\""), std::string::npos) << no_reason.body;
  ClientResponse hidden = client.Post("/can-bo/bao-cao/danh-gia/" + id,
                                      "csrf_token=" + Csrf(officer_) + "&decision=hide&reason=" +
                                          http::UrlEncode("Nội dung xúc phạm, không có căn cứ"),
                                      form);
  ASSERT_EQ(hidden.status, 303) << hidden.body;
  EXPECT_EQ(hidden.Header("location"), "/can-bo/bao-cao?xong=review");
  EXPECT_TRUE(app_->app().services().quality->reviews.ForProduct(tea_, "", 10)->items.empty())
      << "hidden from buyers";
}

// issue #12: a photo chosen on a review form that came back with an error (no
// stars) is kept and carried in a hidden token; the corrected form attaches
// it without sending it again; another buyer's form cannot use the token.
TEST_P(ReviewPages, AChosenPhotoIsKeptThroughAnErrorAndOnlyItsSenderUsesIt) {
  HttpClient client = app_->Client();
  const std::int64_t order = DeliveredOrder(client, buyer_, "review-pages-3", "VNP125");
  ClientResponse no_stars =
      PostReviewAs(client, buyer_, order,
                   {{"rating", "", "", ""},
                    {"text", "Chè ngon", "", ""},
                    {"photos", quality::testing::SampleJpeg(), "goi-che.jpg", "image/jpeg"}});
  ASSERT_EQ(no_stars.status, 422) << no_stars.body;
  EXPECT_NE(no_stars.body.find("id=\"rating-err\">"), std::string::npos) << no_stars.body;
  EXPECT_NE(no_stars.body.find("Đã đính kèm: goi-che.jpg"), std::string::npos) << no_stars.body;
  EXPECT_NE(no_stars.body.find("class=\"staged\" src=\"data:image/jpeg;base64,"), std::string::npos);
  const std::string token = HiddenValue(no_stars.body, "photo_token");
  ASSERT_FALSE(token.empty()) << no_stars.body;
  EXPECT_EQ(seeder_->CountRows("quality_reviews"), 0);

  const Person other = seeder_->NewPerson("Lê Văn Nam");
  const std::int64_t other_order = DeliveredOrder(client, other, "review-pages-4", "VNP126");
  ClientResponse stolen =
      PostReviewAs(client, other, other_order, {{"rating", "5", "", ""}, {"photo_token", token, "", ""}});
  EXPECT_EQ(stolen.status, 422);
  EXPECT_NE(stolen.body.find("id=\"photos-err\">Tệp đã chọn trước đó không còn được giữ"), std::string::npos)
      << stolen.body;
  EXPECT_EQ(seeder_->CountRows("quality_reviews"), 0) << "nothing created";
  EXPECT_EQ(seeder_->CountRows("quality_staged_uploads"), 1);

  ClientResponse reviewed =
      PostReviewAs(client, buyer_, order,
                   {{"rating", "4", "", ""}, {"text", "Chè ngon", "", ""}, {"photo_token", token, "", ""}});
  ASSERT_EQ(reviewed.status, 303) << reviewed.body;
  const auto reviews = app_->app().services().quality->reviews.ForProduct(tea_, "", 10);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->items.size(), 1u);
  ASSERT_EQ(reviews->items[0].photos.size(), 1u);
  EXPECT_EQ(reviews->items[0].photos[0].content_type, "image/jpeg");
  EXPECT_EQ(seeder_->CountRows("quality_staged_uploads"), 0) << "used once";
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewPages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::web
