// The quality API end to end on both backends, over real HTTP against a real
// App with the real sellers, catalogue and orders modules: the certificate
// lifecycle with the badge following the clock, refusals that store nothing,
// reviews gated on delivery, and a suspension that empties search and the
// register at the same instant.
#include <gtest/gtest.h>
#include <sodium.h>

#include "orders/orders_test_support.hpp"
#include "quality/quality_api_world.hpp"
#include "quality/quality_test_fixture.hpp"

namespace nongsan::quality::testing {
namespace {

using nlohmann::json;
using nongsan::orders::testing::CheckoutBody;
using nongsan::orders::testing::Move;
using nongsan::orders::testing::Person;
using nongsan::orders::testing::PostCheckout;
using nongsan::orders::testing::ProductSpec;
using nongsan::orders::testing::Seeder;
using nongsan::orders::testing::Shop;
using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using nongsan::testing::TestApp;

std::string Base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool HasField(const json& problem, const std::string& field) {
  for (const auto& e : problem["errors"]) {
    if (e["field"] == field) return true;
  }
  return false;
}

class QualityApi : public QualityApiWorld {
 protected:
  json Certificate(const std::string& number = "VietGAP-TN-0042") const {
    return {{"kind", "vietgap"},
            {"number", number},
            {"issuer", "Trung tâm Kiểm nghiệm Thái Nguyên"},
            {"issued_on", "2026-02-01"},
            {"expires_on", "2027-01-31"},
            {"product_ids", {tea_}}};
  }
  std::string CertPath() const { return "/api/v1/sellers/" + std::to_string(shop_.id) + "/certificates"; }

  std::int64_t CountRows(const std::string& table) { return seeder_->CountRows(table); }

  // A new session for someone, e.g. after the clock jumped past their old one.
  Person SignInAgain(const Person& person) {
    auto session = app_->app().services().accounts->StartSession(person.user_id, {"127.0.0.1", "test"});
    EXPECT_TRUE(session.ok());
    Person again = person;
    if (session.ok()) {
      again.token = session->token;
      again.auth = {{"Authorization", "Bearer " + session->token}};
    }
    return again;
  }
};

TEST_P(QualityApi, CertificateLifecycleBadgeFollowsTheClockWithoutAJob) {
  HttpClient client = app_->Client();
  json body = Certificate();
  body["evidence"] =
      json::array({{{"content_base64", Base64(SamplePdf())}, {"content_type", "application/pdf"}}});
  ClientResponse created = client.Post(CertPath(), body, shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const json cert = created.Json();
  EXPECT_EQ(cert["status"], "pending");
  EXPECT_EQ(cert["evidence"].size(), 1u);
  const std::string id = std::to_string(cert["id"].get<std::int64_t>());
  const std::string code = cert["code"];
  const std::string badges = "/api/v1/products/" + std::to_string(tea_) + "/certifications";
  EXPECT_TRUE(client.Get(badges).Json()["certifications"].empty());
  EXPECT_EQ(client.Get("/c/" + code).body.find("hợp lệ hôm nay"), std::string::npos);

  EXPECT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", far_officer_.auth).status, 404);
  EXPECT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", shop_.owner.auth).status, 403);
  EXPECT_EQ(client.Post("/api/v1/certificates/" + id + "/verify").status, 401);
  ClientResponse verified = client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.Json()["status"], "verified");

  json shown = client.Get(badges).Json()["certifications"];
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0]["kind"], "vietgap");
  EXPECT_EQ(shown[0]["number"], "VietGAP-TN-0042");
  EXPECT_EQ(shown[0]["issuer"], "Trung tâm Kiểm nghiệm Thái Nguyên");
  EXPECT_EQ(shown[0]["expires_on"], "2027-01-31");
  EXPECT_TRUE(shown[0]["ocop_stars"].is_null());
  const std::string verify_url = shown[0]["verify_url"];
  EXPECT_TRUE(verify_url.ends_with("/c/" + code)) << verify_url;

  ClientResponse page = client.Get("/c/" + code);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("hợp lệ hôm nay"), std::string::npos);
  EXPECT_NE(page.body.find("VietGAP-TN-0042"), std::string::npos);
  EXPECT_EQ(client.Get("/c/ZZZZZZZZ").status, 404);
  // ?lang=en: the same verdict in English, and the register too.
  ClientResponse english = client.Get("/c/" + code + "?lang=en");
  EXPECT_EQ(english.status, 200);
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(english.body.find("Valid today"), std::string::npos);
  EXPECT_EQ(english.body.find("hợp lệ hôm nay"), std::string::npos);
  EXPECT_NE(english.body.find("VietGAP-TN-0042"), std::string::npos);
  EXPECT_NE(client.Get("/c/ZZZZZZZZ?lang=en").body.find("not in the register"), std::string::npos);
  ClientResponse register_en = client.Get("/chat-luong?lang=en");
  EXPECT_EQ(register_en.status, 200);
  EXPECT_NE(register_en.body.find("Register of quality-assured products"), std::string::npos);
  EXPECT_NE(register_en.body.find("Chè búp Đức Xuân"), std::string::npos);
  EXPECT_NE(client.Get("/chat-luong").body.find("Sổ đăng ký sản phẩm đạt chất lượng"), std::string::npos);
  ClientResponse qr = client.Get("/c/" + code + "/qr.svg");
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.Header("content-type"), "image/svg+xml");

  json reg = client.Get("/api/v1/quality/register?province=19").Json();
  ASSERT_EQ(reg["items"].size(), 1u);
  EXPECT_EQ(reg["items"][0]["product_name"], "Chè búp Đức Xuân");
  EXPECT_EQ(reg["items"][0]["certificate"]["number"], "VietGAP-TN-0042");
  EXPECT_TRUE(client.Get("/api/v1/quality/register?province=01").Json()["items"].empty());
  ClientResponse csv = client.Get("/api/v1/quality/register.csv?kind=vietgap");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("Chè búp Đức Xuân"), std::string::npos);
  EXPECT_EQ(client.Get("/api/v1/quality/register?format=csv").body, csv.body);

  // The day after expiry: gone from every view, though nothing ran.
  app_->clock().Set(*timefmt::ParseIsoDate("2027-02-01") * kMsPerDay - kVietnamOffsetMs + 60'000);
  EXPECT_TRUE(client.Get(badges).Json()["certifications"].empty());
  EXPECT_TRUE(client.Get("/api/v1/quality/register").Json()["items"].empty());
  EXPECT_NE(client.Get("/c/" + code).body.find("đã hết hạn"), std::string::npos);
  const Person owner = SignInAgain(shop_.owner);  // two months on, the old session has ended
  EXPECT_EQ(client.Get("/api/v1/certificates/" + id, owner.auth).Json()["status"], "expired");
  EXPECT_EQ(client.Get("/api/v1/certificates/" + id).status, 404);
}

TEST_P(QualityApi, RejectedAndRevokedNeverShow) {
  HttpClient client = app_->Client();
  const std::string badges = "/api/v1/products/" + std::to_string(tea_) + "/certifications";
  ClientResponse a = client.Post(CertPath(), Certificate("VG-A"), shop_.owner.auth);
  ClientResponse b = client.Post(CertPath(), Certificate("VG-B"), shop_.owner.auth);
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  const std::string ida = std::to_string(a.Json()["id"].get<std::int64_t>());
  const std::string idb = std::to_string(b.Json()["id"].get<std::int64_t>());
  EXPECT_EQ(client.Post("/api/v1/certificates/" + ida + "/reject", json::object(), officer_.auth).status, 400)
      << "a reason is required";
  ClientResponse rejected =
      client.Post("/api/v1/certificates/" + ida + "/reject",
                  json{{"reason", "Số không có trong sổ của tổ chức cấp"}}, officer_.auth);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(rejected.Json()["status"], "rejected");
  EXPECT_TRUE(client.Get(badges).Json()["certifications"].empty());

  ASSERT_EQ(client.Post("/api/v1/certificates/" + idb + "/verify", "", officer_.auth).status, 200);
  EXPECT_EQ(client.Get(badges).Json()["certifications"].size(), 1u);
  ClientResponse revoked = client.Post("/api/v1/certificates/" + idb + "/revoke",
                                       json{{"reason", "Tổ chức cấp đã huỷ chứng nhận"}}, officer_.auth);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(client.Get(badges).Json()["certifications"].empty());
  EXPECT_TRUE(client.Get("/api/v1/quality/register").Json()["items"].empty());
  EXPECT_EQ(
      client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/certificates").Json()["items"].size(), 0u);
  EXPECT_EQ(client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/certificates", shop_.owner.auth)
                .Json()["items"]
                .size(),
            2u);
  json notices =
      client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/quality-notices", shop_.owner.auth)
          .Json()["items"];
  EXPECT_EQ(notices.size(), 3u) << notices.dump();
}

TEST_P(QualityApi, BadInputGetsClearProblemsAndNothingIsStored) {
  HttpClient client = app_->Client();
  struct Case {
    const char* name;
    json body;
    int status;
    const char* field;
  };
  json before_issue = Certificate();
  before_issue["expires_on"] = "2026-01-01";
  json stars = Certificate();
  stars["kind"] = "ocop";
  stars["ocop_group"] = "drinks";
  stars["ocop_stars"] = 7;
  json other_shop = Certificate();
  other_shop["product_ids"] = {tea_, rice_};
  json forged = Certificate();
  forged["evidence"] =
      json::array({{{"content_base64", Base64(ForgedPdf())}, {"content_type", "application/pdf"}}});
  json not_base64 = Certificate();
  not_base64["evidence"] = json::array({"%%% not base64 %%%"});
  json wrong_type = Certificate();
  wrong_type["product_ids"] = "all";
  const std::vector<Case> cases = {
      {"expiry before issue", before_issue, 400, "expires_on"},
      {"seven stars", stars, 400, "ocop_stars"},
      {"another shop's product", other_shop, 400, "product_ids[1]"},
      {"forged evidence", forged, 400, "evidence[0]"},
      {"not base64", not_base64, 400, "evidence[0]"},
      {"wrong type", wrong_type, 400, "product_ids"},
  };
  for (const auto& c : cases) {
    ClientResponse r = client.Post(CertPath(), c.body, shop_.owner.auth);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.name;
    EXPECT_TRUE(HasField(r.Json(), c.field)) << c.name << ": " << r.body;
  }
  EXPECT_EQ(client.Post(CertPath(), Certificate(), other_shop_.owner.auth).status, 404) << "not their shop";
  EXPECT_EQ(client.Post(CertPath(), Certificate()).status, 401);
  EXPECT_EQ(CountRows("quality_certificates"), 0);
  EXPECT_EQ(CountRows("quality_evidence"), 0);

  // Raw evidence uploads are judged by their bytes.
  ClientResponse created = client.Post(CertPath(), Certificate(), shop_.owner.auth);
  ASSERT_EQ(created.status, 201);
  const std::string upload =
      "/api/v1/certificates/" + std::to_string(created.Json()["id"].get<std::int64_t>()) + "/evidence";
  ClientHeaders pdf = shop_.owner.auth;
  pdf["Content-Type"] = "application/pdf";
  EXPECT_EQ(client.Post(upload, ForgedPdf(), pdf).status, 400);
  EXPECT_EQ(client.Post(upload, std::string("MZ\x90\x00", 4) + std::string(64, 'A'), pdf).status, 400);
  ClientHeaders png = shop_.owner.auth;
  png["Content-Type"] = "image/png";
  ClientResponse stored = client.Post(upload, SamplePng(), png);
  ASSERT_EQ(stored.status, 201) << stored.body;
  EXPECT_EQ(CountRows("quality_evidence"), 1);
  ClientResponse download = client.Get(stored.Json()["url"].get<std::string>(), officer_.auth);
  EXPECT_EQ(download.status, 200);
  EXPECT_NE(download.body, SamplePng()) << "images are re-encoded, not stored byte for byte";
  EXPECT_TRUE(IsDecodableJpeg(download.body));
  EXPECT_EQ(download.Header("content-type"), "image/jpeg");
  EXPECT_EQ(download.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(client.Get(stored.Json()["url"].get<std::string>(), buyer_.auth).status, 404);

  // An officer outside the shop's area changes nothing.
  const std::string id = std::to_string(created.Json()["id"].get<std::int64_t>());
  ClientResponse outside = client.Post("/api/v1/certificates/" + id + "/verify", "", far_officer_.auth);
  EXPECT_EQ(outside.status, 404) << "an officer of another area learns nothing";
  EXPECT_EQ(client.Get("/api/v1/certificates/" + id, shop_.owner.auth).Json()["status"], "pending");
}

TEST_P(QualityApi, OnlyABuyerWithADeliveredOrderMayReview) {
  HttpClient client = app_->Client();
  ClientResponse placed = PostCheckout(client, buyer_, "review-1", CheckoutBody({{tea_, 1}}));
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::int64_t order_id = placed.Json()["orders"][0]["id"];
  const json review = {
      {"order_id", order_id}, {"product_id", tea_}, {"rating", 5}, {"text", "Chè ngon, đóng gói cẩn thận"}};

  ClientResponse early = client.Post("/api/v1/reviews", review, buyer_.auth);
  EXPECT_EQ(early.status, 403) << early.body;
  EXPECT_EQ(early.Json()["code"], "not_delivered");
  Person stranger = seeder_->NewPerson("Người lạ");
  EXPECT_EQ(client.Post("/api/v1/reviews", review, stranger.auth).status, 404);

  ASSERT_EQ(Move(client, shop_.owner, order_id, "confirmed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, order_id, "packed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, order_id, "shipped", "", "VNP0001").status, 200);
  EXPECT_EQ(client.Post("/api/v1/reviews", review, buyer_.auth).status, 403) << "shipped is not delivered";
  ASSERT_EQ(Move(client, shop_.owner, order_id, "delivered").status, 200);

  json bad = review;
  bad["rating"] = 6;
  EXPECT_EQ(client.Post("/api/v1/reviews", bad, buyer_.auth).status, 400);
  ClientResponse created = client.Post("/api/v1/reviews", review, buyer_.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["buyer_name"], "Hoa T.");
  EXPECT_EQ(client.Post("/api/v1/reviews", review, buyer_.auth).status, 409);
  EXPECT_EQ(client.Post("/api/v1/reviews", review, stranger.auth).status, 404);

  json listed = client.Get("/api/v1/products/" + std::to_string(tea_) + "/reviews").Json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["rating"]["count"], 1);
  EXPECT_EQ(listed["rating"]["average"], 5.0);
  const std::string reply =
      "/api/v1/reviews/" + std::to_string(created.Json()["id"].get<std::int64_t>()) + "/reply";
  EXPECT_EQ(client.Post(reply, json{{"text", "Cảm ơn chị"}}, shop_.owner.auth).status, 200);
  EXPECT_EQ(client.Post(reply, json{{"text", "Lần nữa"}}, shop_.owner.auth).status, 409);
  json rep = client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/reputation").Json();
  EXPECT_EQ(rep["rating"]["count"], 1);
}

TEST_P(QualityApi, SuspendedProductVanishesFromSearchAndRegisterInTheSameInstant) {
  HttpClient client = app_->Client();
  ClientResponse created = client.Post(CertPath(), Certificate(), shop_.owner.auth);
  ASSERT_EQ(created.status, 201);
  const std::string id = std::to_string(created.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  auto in_search = [&] {
    const json found = client.Get("/api/v1/products?q=che%20bup").Json();
    for (const auto& item : found["items"]) {
      if (item["id"] == tea_) return true;
    }
    return false;
  };
  auto in_register = [&] { return !client.Get("/api/v1/quality/register").Json()["items"].empty(); };
  ASSERT_TRUE(in_search());
  ASSERT_TRUE(in_register());

  const std::string suspend = "/api/v1/quality/products/" + std::to_string(tea_) + "/suspend";
  EXPECT_EQ(
      client.Post(suspend, json{{"reason", "Mẫu kiểm nghiệm vượt dư lượng thuốc BVTV"}}, far_officer_.auth)
          .status,
      404);
  EXPECT_TRUE(in_search());
  ClientResponse suspended =
      client.Post(suspend, json{{"reason", "Mẫu kiểm nghiệm vượt dư lượng thuốc BVTV"}}, officer_.auth);
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  // The FakeClock has not moved: same instant.
  EXPECT_FALSE(in_search());
  EXPECT_FALSE(in_register());
  EXPECT_TRUE(client.Get("/api/v1/products/" + std::to_string(tea_) + "/certifications")
                  .Json()["certifications"]
                  .size() == 1)
      << "the certificate itself is still valid";

  ClientResponse back = client.Post("/api/v1/quality/products/" + std::to_string(tea_) + "/reinstate",
                                    json{{"reason", "Lô hàng mới đạt kiểm nghiệm"}}, officer_.auth);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_TRUE(in_search());
  EXPECT_TRUE(in_register());

  // A whole shop.
  const std::string shop_suspend = "/api/v1/quality/sellers/" + std::to_string(shop_.id) + "/suspend";
  ClientResponse shop_suspended =
      client.Post(shop_suspend, json{{"reason", "Bán hàng giả nhãn VietGAP"}}, officer_.auth);
  ASSERT_EQ(shop_suspended.status, 200) << shop_suspended.body;
  EXPECT_FALSE(in_search());
  EXPECT_FALSE(in_register());
  json history =
      client.Get("/api/v1/quality/sellers/" + std::to_string(shop_.id) + "/enforcement", officer_.auth)
          .Json()["items"];
  EXPECT_EQ(history.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Quality, QualityApi, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
