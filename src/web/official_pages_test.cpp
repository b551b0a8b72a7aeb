// The officials' pages over real HTTP on both backends, signed in by the
// session cookie as a browser is: the certificate queue with the evidence
// inline, a rejection without a reason re-shown with the Vietnamese message
// by the field and nothing changed, a verification that reaches the public
// badge; shops verified and suspended with a reason, the history that says so.
#include <gtest/gtest.h>

#include "accounts/auth.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "quality/quality_api_world.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::web {
namespace {

using nongsan::orders::testing::Person;
using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;

constexpr const char* kForm = "application/x-www-form-urlencoded";

class OfficialPages : public quality::testing::QualityApiWorld {
 protected:
  // A browser of this person: the session cookie, and the form's CSRF field.
  static ClientHeaders Browser(const Person& person) {
    return {{"Cookie", std::string(accounts::kSessionCookieName) + "=" + person.token}};
  }
  static ClientHeaders FormOf(const Person& person) {
    ClientHeaders headers = Browser(person);
    headers["Content-Type"] = kForm;
    return headers;
  }
  static std::string Csrf(const Person& person) {
    return "csrf_token=" + accounts::CsrfTokenForSessionToken(person.token);
  }

  quality::Certificate Submit(const std::string& number) {
    quality::QualityModule& quality = *app_->app().services().quality;
    const std::int64_t today = quality.certificates.Today();
    quality::CertificateInput input;
    input.kind = "ocop";
    input.number = number;
    input.issuer = "UBND tỉnh Thái Nguyên";
    input.ocop_stars = 4;
    input.ocop_group = "drinks";
    input.issued_on = timefmt::IsoDate(today - 10);
    input.expires_on = timefmt::IsoDate(today + 700);
    input.product_ids = {tea_};
    input.evidence = {{quality::testing::SamplePng(), "image/png"}};
    const Principal owner = seeder_->PrincipalOf(shop_.owner);
    auto submitted = quality.certificates.Submit(&owner, shop_.id, std::move(input));
    EXPECT_TRUE(submitted.ok()) << submitted.error().detail;
    return submitted->certificate;
  }
};

TEST_P(OfficialPages, CertificateQueueShowsEvidenceAndVerifiesOrRejectsWithAReason) {
  const quality::Certificate cert = Submit("OCOP-TN-2026-0099");
  const std::string id = std::to_string(cert.id);
  HttpClient client = app_->Client();

  ClientResponse queue = client.Get("/can-bo/chung-nhan", Browser(officer_));
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find("OCOP-TN-2026-0099"), std::string::npos);
  EXPECT_NE(queue.body.find("HTX Chè Đức Xuân"), std::string::npos);
  EXPECT_NE(queue.body.find("Chè búp Đức Xuân"), std::string::npos) << "the products it covers";
  const std::string evidence =
      "/api/v1/certificates/" + id + "/evidence/" + std::to_string(cert.evidence.at(0).id);
  EXPECT_NE(queue.body.find("<img src=\"" + evidence + "\""), std::string::npos) << "the evidence inline";
  ClientResponse image = client.Get(evidence, Browser(officer_));
  EXPECT_EQ(image.status, 200);
  // Evidence images are re-encoded as JPEG, metadata stripped (src/images/).
  EXPECT_EQ(image.Header("content-type"), "image/jpeg");

  // Outside the area: the queue does not show it.
  ClientResponse far = client.Get("/can-bo/chung-nhan", Browser(far_officer_));
  ASSERT_EQ(far.status, 200);
  EXPECT_EQ(far.body.find("OCOP-TN-2026-0099"), std::string::npos);
  EXPECT_EQ(client.Get("/can-bo/chung-nhan", Browser(buyer_)).status, 403);

  // No reason: the message by the field, what was typed kept, nothing decided.
  ClientResponse refused =
      client.Post("/can-bo/chung-nhan/" + id + "/tu-choi", Csrf(officer_) + "&reason=sai", FormOf(officer_));
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"reason-" + id + "-err\">Vui lòng nhập lý do"), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find(">sai</textarea>"), std::string::npos);
  EXPECT_EQ(client.Get("/api/v1/certificates/" + id, officer_.auth).Json()["status"], "pending");

  ClientResponse verified =
      client.Post("/can-bo/chung-nhan/" + id + "/xac-nhan", Csrf(officer_), FormOf(officer_));
  ASSERT_EQ(verified.status, 303) << verified.body;
  EXPECT_EQ(verified.Header("location"), "/can-bo/chung-nhan?xong=verified&so=OCOP-TN-2026-0099");
  ClientResponse after = client.Get(verified.Header("location"), Browser(officer_));
  EXPECT_NE(after.body.find("Đã xác nhận chứng nhận OCOP-TN-2026-0099"), std::string::npos);
  EXPECT_EQ(after.body.find("id=\"cn-" + id + "\""), std::string::npos) << "it left the queue";
  const auto badges = client.Get("/api/v1/products/" + std::to_string(tea_) + "/certifications").Json();
  ASSERT_EQ(badges["certifications"].size(), 1u);
  EXPECT_EQ(badges["certifications"][0]["ocop_stars"], 4);

  const quality::Certificate second = Submit("OCOP-TN-2026-0100");
  const std::string second_id = std::to_string(second.id);
  ClientResponse rejected = client.Post(
      "/can-bo/chung-nhan/" + second_id + "/tu-choi",
      Csrf(officer_) + "&reason=" + http::UrlEncode("Ảnh mờ, không đọc được số"), FormOf(officer_));
  ASSERT_EQ(rejected.status, 303) << rejected.body;
  const auto shown = client.Get("/api/v1/certificates/" + second_id, shop_.owner.auth).Json();
  EXPECT_EQ(shown["status"], "rejected");
  EXPECT_EQ(shown["reason"], "Ảnh mờ, không đọc được số");
}

TEST_P(OfficialPages, ShopsAreVerifiedSuspendedWithAReasonAndTheHistorySaysSo) {
  HttpClient client = app_->Client();
  const std::string shop = std::to_string(other_shop_.id);
  ClientResponse pending = client.Get("/can-bo/cua-hang?trang-thai=pending", Browser(far_officer_));
  ASSERT_EQ(pending.status, 200);
  EXPECT_NE(pending.body.find("Gạo Phong Quang"), std::string::npos);
  EXPECT_NE(pending.body.find("action=\"/can-bo/cua-hang/" + shop + "/xac-minh\""), std::string::npos);

  ClientResponse verified =
      client.Post("/can-bo/cua-hang/" + shop + "/xac-minh", Csrf(far_officer_), FormOf(far_officer_));
  ASSERT_EQ(verified.status, 303) << verified.body;
  EXPECT_EQ(verified.Header("location").rfind("/can-bo/cua-hang?trang-thai=verified&xong=shop_verified", 0),
            0u);
  EXPECT_EQ(app_->app().services().sellers->Get(other_shop_.id)->status, sellers::SellerStatus::kVerified);

  ClientResponse no_reason = client.Post("/can-bo/cua-hang/" + shop + "/tam-ngung",
                                         Csrf(far_officer_) + "&reason=", FormOf(far_officer_));
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("id=\"reason-" + shop + "-err\""), std::string::npos) << no_reason.body;
  EXPECT_EQ(app_->app().services().sellers->Get(other_shop_.id)->status, sellers::SellerStatus::kVerified);

  // The officer of another commune may not touch it.
  EXPECT_EQ(
      client
          .Post("/can-bo/cua-hang/" + shop + "/tam-ngung",
                Csrf(officer_) + "&reason=" + http::UrlEncode("Bán gạo không rõ nguồn gốc"), FormOf(officer_))
          .status,
      404);
  ClientResponse suspended = client.Post(
      "/can-bo/cua-hang/" + shop + "/tam-ngung",
      Csrf(far_officer_) + "&reason=" + http::UrlEncode("Bán gạo không rõ nguồn gốc"), FormOf(far_officer_));
  ASSERT_EQ(suspended.status, 303) << suspended.body;
  EXPECT_EQ(app_->app().services().sellers->Get(other_shop_.id)->status, sellers::SellerStatus::kSuspended);

  ClientResponse history = client.Get("/can-bo/cua-hang/" + shop + "/lich-su", Browser(far_officer_));
  ASSERT_EQ(history.status, 200);
  EXPECT_NE(history.body.find("Bán gạo không rõ nguồn gốc"), std::string::npos);
  EXPECT_NE(history.body.find("Tạm ngừng"), std::string::npos);
  EXPECT_EQ(client.Get("/can-bo/cua-hang/" + shop + "/lich-su", Browser(officer_)).status, 404);
}

TEST_P(OfficialPages, AProductIsSuspendedFromItsPageAndReinstatedFromTheShopsHistory) {
  HttpClient client = app_->Client();
  const std::string product = std::to_string(tea_);
  ClientHeaders form = FormOf(officer_);
  ClientResponse suspended =
      client.Post("/can-bo/san-pham/" + product + "/tam-ngung",
                  Csrf(officer_) + "&reason=" + http::UrlEncode("Mẫu vượt dư lượng thuốc BVTV"), form);
  ASSERT_EQ(suspended.status, 303) << suspended.body;
  EXPECT_EQ(suspended.Header("location"),
            "/can-bo/cua-hang/" + std::to_string(shop_.id) + "/lich-su?xong=product_suspended");
  EXPECT_EQ(client.Get("/api/v1/products/" + product).status, 404) << "gone from the public catalogue";

  ClientResponse history = client.Get(suspended.Header("location"), Browser(officer_));
  EXPECT_NE(history.body.find("id=\"sp-" + product + "\""), std::string::npos)
      << "listed with a reinstate form";
  ClientResponse no_reason =
      client.Post("/can-bo/san-pham/" + product + "/mo-lai", Csrf(officer_) + "&reason=", form);
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("id=\"reason-" + product + "-err\""), std::string::npos) << no_reason.body;
  EXPECT_EQ(
      client
          .Post("/can-bo/san-pham/" + product + "/mo-lai",
                Csrf(far_officer_) + "&reason=" + http::UrlEncode("Đã kiểm tra lại"), FormOf(far_officer_))
          .status,
      404);
  ClientResponse reinstated =
      client.Post("/can-bo/san-pham/" + product + "/mo-lai",
                  Csrf(officer_) + "&reason=" + http::UrlEncode("Mẫu kiểm lại đạt"), form);
  ASSERT_EQ(reinstated.status, 303) << reinstated.body;
  EXPECT_EQ(client.Get("/api/v1/products/" + product).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, OfficialPages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::web
