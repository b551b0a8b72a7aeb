// Trademark certificates over real HTTP on both backends: the application
// number, filing date and status are stored and returned; bad trademark fields
// are refused naming the field with nothing written; only a granted,
// verified trademark becomes a badge.
#include <gtest/gtest.h>

#include "app/services.hpp"
#include "quality/quality_api_world.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "web/format.hpp"

namespace nongsan::quality::testing {
namespace {

using nlohmann::json;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;

bool HasField(const json& problem, const std::string& field) {
  for (const auto& e : problem["errors"]) {
    if (e["field"] == field) return true;
  }
  return false;
}

class TrademarkApi : public QualityApiWorld {
 protected:
  json Trademark(const std::string& status) const {
    return {{"kind", "trademark"},
            {"issuer", "Cục Sở hữu trí tuệ"},
            {"application_number", "4-2024-12345"},
            {"filing_date", "2024-03-15"},
            {"trademark_status", status},
            {"product_ids", {tea_}}};
  }
  std::string CertPath() const { return "/api/v1/sellers/" + std::to_string(shop_.id) + "/certificates"; }
  std::string Badges() const { return "/api/v1/products/" + std::to_string(tea_) + "/certifications"; }
};

TEST_P(TrademarkApi, GrantedTrademarkIsStoredReturnedAndBecomesABadgeOnceVerified) {
  HttpClient client = app_->Client();
  json body = Trademark("granted");
  body["number"] = "512345";
  body["issued_on"] = "2025-06-20";
  ClientResponse created = client.Post(CertPath(), body, shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const json cert = created.Json();
  EXPECT_EQ(cert["application_number"], "4-2024-12345");
  EXPECT_EQ(cert["filing_date"], "2024-03-15");
  EXPECT_EQ(cert["trademark_status"], "granted");
  EXPECT_EQ(cert["number"], "512345");
  EXPECT_EQ(cert["issued_on"], "2025-06-20");
  EXPECT_EQ(cert["expires_on"], "2034-03-15");  // ten years from filing
  EXPECT_TRUE(cert["refusal_reason"].is_null());

  const std::string id = std::to_string(cert["id"].get<std::int64_t>());
  const json read = client.Get("/api/v1/certificates/" + id, shop_.owner.auth).Json();
  EXPECT_EQ(read["trademark_status"], "granted");
  EXPECT_EQ(read["filing_date"], "2024-03-15");

  ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  const json shown = client.Get(Badges()).Json()["certifications"];
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0]["kind"], "trademark");
  EXPECT_EQ(shown[0]["number"], "512345");
}

TEST_P(TrademarkApi, FiledTrademarkUsesItsApplicationNumberAndIsNoBadgeEvenVerified) {
  HttpClient client = app_->Client();
  ClientResponse created = client.Post(CertPath(), Trademark("filed"), shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const json cert = created.Json();
  EXPECT_EQ(cert["number"], "4-2024-12345");
  EXPECT_EQ(cert["issued_on"], "2024-03-15");
  EXPECT_EQ(cert["trademark_status"], "filed");
  const std::string id = std::to_string(cert["id"].get<std::int64_t>());
  ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  EXPECT_TRUE(client.Get(Badges()).Json()["certifications"].empty());
  // Its public page says what it is: a filing, not a registration.
  const std::string code = cert["code"];
  const json check = client.Get("/api/v1/quality/verify/" + code).Json();
  EXPECT_EQ(check["valid_today"], false);
  EXPECT_EQ(check["trademark_status"], "filed");
  const std::string page = client.Get("/c/" + code).body;
  EXPECT_NE(page.find("Nhãn hiệu chưa được cấp văn bằng"), std::string::npos) << page;
  EXPECT_EQ(page.find("hợp lệ hôm nay"), std::string::npos);
  const std::string shop_badges = "/api/v1/sellers/" + std::to_string(shop_.id) + "/certifications";
  EXPECT_TRUE(client.Get(shop_badges).Json()["certifications"].empty()) << client.Get(shop_badges).body;

  // The same application cannot be entered twice.
  EXPECT_EQ(client.Post(CertPath(), Trademark("filed"), shop_.owner.auth).status, 409);
}

TEST_P(TrademarkApi, RefusedTrademarkKeepsItsReason) {
  HttpClient client = app_->Client();
  json body = Trademark("refused");
  body["refusal_reason"] = "Trùng với nhãn hiệu đã đăng ký trước";
  ClientResponse created = client.Post(CertPath(), body, shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["trademark_status"], "refused");
  EXPECT_EQ(created.Json()["refusal_reason"], "Trùng với nhãn hiệu đã đăng ký trước");
}

TEST_P(TrademarkApi, BadTrademarkFieldsAreRefusedNamingTheFieldAndNothingIsWritten) {
  HttpClient client = app_->Client();
  const std::int64_t before = seeder_->CountRows("quality_certificates");
  struct Case {
    std::string field;
    json value;
    std::string expected_field;
  };
  const std::vector<Case> cases = {
      {"application_number", "2024-12345", "application_number"},
      {"application_number", "4-24-12345", "application_number"},
      {"application_number", "4-2024-1234X", "application_number"},
      {"filing_date", "2024-02-30", "filing_date"},
      {"filing_date", "2099-01-01", "filing_date"},
      {"trademark_status", "pending", "trademark_status"},
      {"trademark_status", "granted", "number"},      // granted without its certificate number
      {"refusal_reason", "không", "refusal_reason"},  // only a refused one has a reason
  };
  for (const auto& c : cases) {
    json body = Trademark("filed");
    body[c.field] = c.value;
    ClientResponse r = client.Post(CertPath(), body, shop_.owner.auth);
    EXPECT_EQ(r.status, 400) << c.field << ": " << r.body;
    EXPECT_TRUE(HasField(r.Json(), c.expected_field)) << c.field << ": " << r.body;
  }
  json missing = Trademark("filed");
  missing.erase("application_number");
  missing.erase("filing_date");
  ClientResponse r = client.Post(CertPath(), missing, shop_.owner.auth);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(HasField(r.Json(), "application_number"));
  EXPECT_TRUE(HasField(r.Json(), "filing_date"));

  // Another kind carries no trademark fields.
  json vietgap = {
      {"kind", "vietgap"},          {"number", "VietGAP-TN-0042"}, {"issuer", "Trung tâm Thái Nguyên"},
      {"issued_on", "2026-02-01"},  {"expires_on", "2027-01-31"},  {"product_ids", {tea_}},
      {"trademark_status", "filed"}};
  r = client.Post(CertPath(), vietgap, shop_.owner.auth);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(HasField(r.Json(), "trademark_status"));
  EXPECT_EQ(seeder_->CountRows("quality_certificates"), before);
}

// Filed first, granted later: the shop records the grant with its number,
// the certificate waits for an officer again, and once confirmed the
// registered trademark is a badge and shows on the product page. A decided
// trademark is not decided twice; bad decisions name the field.
TEST_P(TrademarkApi, AFiledTrademarkIsGrantedByTheShopAndShowsOnceAnOfficerConfirms) {
  HttpClient client = app_->Client();
  ClientResponse created = client.Post(CertPath(), Trademark("filed"), shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.Json()["id"].get<std::int64_t>());
  const std::string path = "/api/v1/certificates/" + id + "/trademark";
  ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  EXPECT_TRUE(client.Get(Badges()).Json()["certifications"].empty());

  struct Case {
    json body;
    std::string field;
  };
  const std::vector<Case> bad = {
      {{{"trademark_status", "granted"}}, "number"},
      {{{"trademark_status", "granted"}, {"number", "512345"}, {"granted_on", "2099-01-01"}}, "granted_on"},
      {{{"trademark_status", "granted"}, {"number", "512345"}, {"granted_on", "2024-01-01"}}, "granted_on"},
      {{{"trademark_status", "granted"}, {"number", "512345"}, {"refusal_reason", "Trùng nhãn"}},
       "refusal_reason"},
      {{{"trademark_status", "refused"}}, "refusal_reason"},
      {{{"trademark_status", "filed"}}, "trademark_status"},
      {{{"trademark_status", "granted"}, {"number", "512345\n678"}}, "number"},
      {{{"trademark_status", "granted"}, {"number", "---"}}, "number"},
  };
  for (const auto& c : bad) {
    ClientResponse r = client.Post(path, c.body, shop_.owner.auth);
    EXPECT_EQ(r.status, 400) << c.body.dump() << ": " << r.body;
    EXPECT_TRUE(HasField(r.Json(), c.field)) << c.body.dump() << ": " << r.body;
  }
  const json grant = {{"trademark_status", "granted"}, {"number", "512345"}, {"granted_on", "2025-06-20"}};
  EXPECT_EQ(client.Post(path, grant, buyer_.auth).status, 404);
  EXPECT_EQ(client.Post(path, grant, far_officer_.auth).status, 404);
  EXPECT_EQ(client.Post(path, grant).status, 401);
  EXPECT_EQ(client.Get("/api/v1/certificates/" + id, shop_.owner.auth).Json()["trademark_status"], "filed")
      << "nothing written by the refusals";

  ClientResponse granted = client.Post(path, grant, shop_.owner.auth);
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(granted.Json()["trademark_status"], "granted");
  EXPECT_EQ(granted.Json()["number"], "512345");
  EXPECT_EQ(granted.Json()["issued_on"], "2025-06-20");
  EXPECT_EQ(granted.Json()["application_number"], "4-2024-12345");
  EXPECT_EQ(granted.Json()["status"], "pending") << "the shop's word waits for an officer";
  EXPECT_TRUE(client.Get(Badges()).Json()["certifications"].empty());
  EXPECT_TRUE(app_->app().services().quality->certificates.GrantedTrademarks(shop_.id)->empty());

  ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  auto marks = app_->app().services().quality->certificates.GrantedTrademarks(shop_.id);
  ASSERT_TRUE(marks.ok());
  ASSERT_EQ(marks->size(), 1u);
  EXPECT_EQ(marks->at(0).number, "512345");
  const json shown = client.Get(Badges()).Json()["certifications"];
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0]["number"], "512345");
  const std::string page = client.Get(web::ProductPath("Chè búp Đức Xuân", tea_)).body;
  EXPECT_NE(page.find("Nhãn hiệu đã đăng ký: <a href=\""), std::string::npos) << page;
  EXPECT_NE(page.find("số 512345</a>"), std::string::npos);

  ClientResponse again = client.Post(
      path, {{"trademark_status", "refused"}, {"refusal_reason", "Trùng nhãn hiệu"}}, officer_.auth);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Json()["code"], "trademark_decided");
  EXPECT_EQ(seeder_->CountRows("audit_log WHERE action = 'certificate.trademark_granted'"), 1);
}

TEST_P(TrademarkApi, AnOfficerRecordsARefusalOrAGrantThatIsABadgeAtOnce) {
  HttpClient client = app_->Client();
  ClientResponse refused_one = client.Post(CertPath(), Trademark("filed"), shop_.owner.auth);
  ASSERT_EQ(refused_one.status, 201);
  const std::string refused_id = std::to_string(refused_one.Json()["id"].get<std::int64_t>());
  ClientResponse refused = client.Post(
      "/api/v1/certificates/" + refused_id + "/trademark",
      {{"trademark_status", "refused"}, {"refusal_reason", "Trùng với nhãn hiệu đã đăng ký trước"}},
      officer_.auth);
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(refused.Json()["trademark_status"], "refused");
  EXPECT_EQ(refused.Json()["refusal_reason"], "Trùng với nhãn hiệu đã đăng ký trước");

  json other = Trademark("filed");
  other["application_number"] = "4-2024-54321";
  ClientResponse filed = client.Post(CertPath(), other, shop_.owner.auth);
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string id = std::to_string(filed.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  ClientResponse granted =
      client.Post("/api/v1/certificates/" + id + "/trademark",
                  {{"trademark_status", "granted"}, {"number", "498765"}}, officer_.auth);
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(granted.Json()["status"], "verified");
  const json shown = client.Get(Badges()).Json()["certifications"];
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0]["number"], "498765");

  // A VietGAP certificate has no IP Office decision.
  json vietgap = {
      {"kind", "vietgap"},         {"number", "VietGAP-TN-0077"}, {"issuer", "Trung tâm Thái Nguyên"},
      {"issued_on", "2026-02-01"}, {"expires_on", "2027-01-31"},  {"product_ids", {tea_}}};
  ClientResponse v = client.Post(CertPath(), vietgap, shop_.owner.auth);
  ASSERT_EQ(v.status, 201) << v.body;
  ClientResponse not_tm =
      client.Post("/api/v1/certificates/" + std::to_string(v.Json()["id"].get<std::int64_t>()) + "/trademark",
                  {{"trademark_status", "granted"}, {"number", "1"}}, shop_.owner.auth);
  EXPECT_EQ(not_tm.status, 409);
  EXPECT_EQ(not_tm.Json()["code"], "not_a_trademark");
}

INSTANTIATE_TEST_SUITE_P(Quality, TrademarkApi, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
