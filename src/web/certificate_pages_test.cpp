// The seller centre's certificate page over real HTTP on both backends, as a
// browser posts it (multipart, the session cookie, the CSRF field): a file
// that is neither an image nor a PDF comes back with the Vietnamese message by
// the field, what was typed kept and nothing stored; a good one is listed as
// waiting; a rejection shows its reason; the renewal reminder appears 30 days
// before expiry.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "accounts/auth.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "quality/quality_api_world.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"

namespace nongsan::web {
namespace {

using nongsan::orders::testing::Person;
using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;

constexpr const char* kBoundary = "----nongsan-cert-form";

struct Part {
  std::string name;
  std::string value;
  std::string filename;      // a file part when set
  std::string content_type;  // of a file part
};

std::string Multipart(const std::vector<Part>& parts) {
  std::string body;
  for (const auto& part : parts) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty())
      body += "; filename=\"" + part.filename + "\"\r\nContent-Type: " + part.content_type;
    body += "\r\n\r\n" + part.value + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

class CertificatePages : public quality::testing::QualityApiWorld {
 protected:
  ClientHeaders Browser(const Person& person) const {
    return {{"Cookie", std::string(accounts::kSessionCookieName) + "=" + person.token}};
  }
  ClientResponse PostForm(HttpClient& client, const Person& person, std::vector<Part> parts) const {
    parts.push_back({"csrf_token", accounts::CsrfTokenForSessionToken(person.token)});
    ClientHeaders headers = Browser(person);
    headers["Content-Type"] = std::string("multipart/form-data; boundary=") + kBoundary;
    return client.Post("/kenh-ban/chung-nhan", Multipart(parts), headers);
  }
  std::vector<Part> Fields(const std::string& number) const {
    const std::int64_t today = app_->app().services().quality->certificates.Today();
    return {{"kind", "vietgap"},
            {"number", number},
            {"issuer", "Trung tâm Kiểm nghiệm Thái Nguyên"},
            {"issued_on", timefmt::DisplayIsoDays(today - 20)},  // typed as people write dates
            {"expires_on", timefmt::IsoDate(today + 25)},
            {"product_id", std::to_string(tea_)}};
  }
  std::size_t Stored() { return static_cast<std::size_t>(seeder_->CountRows("quality_certificates")); }
};

TEST_P(CertificatePages, ABadFileIsRefusedByTheFieldAndAGoodOneWaitsForAnOfficer) {
  HttpClient client = app_->Client();
  ClientResponse page = client.Get("/kenh-ban/chung-nhan", Browser(shop_.owner));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("name=\"product_id\" value=\"" + std::to_string(tea_) + "\""), std::string::npos);

  std::vector<Part> bad = Fields("VietGAP-TN-7001");
  bad.push_back({"evidence", "MZ this is a program, not a certificate", "giay-chung-nhan.exe",
                 "application/octet-stream"});
  ClientResponse refused = PostForm(client, shop_.owner, bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"evidence-err\">Vui lòng chọn ảnh (JPEG, PNG, WebP) hoặc tệp PDF"),
            std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("value=\"VietGAP-TN-7001\""), std::string::npos) << "what was typed is kept";
  EXPECT_NE(refused.body.find("value=\"" + std::to_string(tea_) + "\" checked"), std::string::npos);
  EXPECT_EQ(Stored(), 0u) << "nothing saved half-way";

  std::vector<Part> good = Fields("VietGAP-TN-7001");
  good.push_back({"evidence", quality::testing::SamplePng(), "anh.png", "image/png"});
  ClientResponse sent = PostForm(client, shop_.owner, good);
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.Header("location"), "/kenh-ban/chung-nhan?da-gui=VietGAP-TN-7001");
  EXPECT_EQ(Stored(), 1u);
  ClientResponse listed = client.Get(sent.Header("location"), Browser(shop_.owner));
  EXPECT_NE(listed.body.find("VietGAP-TN-7001"), std::string::npos);
  EXPECT_NE(listed.body.find("Chờ duyệt"), std::string::npos);

  // Verified, it expires in 25 days: the page reminds the shop to renew.
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  const auto certs = app_->app().services().quality->certificates.ListForShop(&owner, shop_.id);
  ASSERT_TRUE(certs.ok());
  ASSERT_EQ(certs->size(), 1u);
  const Principal officer = seeder_->PrincipalOf(officer_);
  ASSERT_TRUE(app_->app().services().quality->certificates.Verify(&officer, certs->front().id).ok());
  ClientResponse reminded = client.Get("/kenh-ban/chung-nhan", Browser(shop_.owner));
  EXPECT_NE(reminded.body.find("Chứng nhận hết hạn sau 25 ngày"), std::string::npos) << reminded.body;
  const std::string renew = "/kenh-ban/chung-nhan?gia-han=" + std::to_string(certs->front().id);
  EXPECT_NE(reminded.body.find(renew), std::string::npos);
  ClientResponse renewal = client.Get(renew, Browser(shop_.owner));
  EXPECT_NE(renewal.body.find("Gia hạn chứng nhận VietGAP-TN-7001"), std::string::npos);
  EXPECT_NE(renewal.body.find("value=\"Trung tâm Kiểm nghiệm Thái Nguyên\""), std::string::npos);
}

TEST_P(CertificatePages, ARejectionShowsItsReasonAndAForgedPostChangesNothing) {
  HttpClient client = app_->Client();
  std::vector<Part> fields = Fields("VietGAP-TN-7002");
  fields.push_back({"evidence", quality::testing::SamplePdf(), "giay.pdf", "application/pdf"});
  ASSERT_EQ(PostForm(client, shop_.owner, fields).status, 303);
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  const auto certs = app_->app().services().quality->certificates.ListForShop(&owner, shop_.id);
  ASSERT_TRUE(certs.ok());
  const Principal officer = seeder_->PrincipalOf(officer_);
  ASSERT_TRUE(
      app_->app()
          .services()
          .quality->certificates.Reject(&officer, certs->front().id, "Số trên ảnh không khớp số đã nhập")
          .ok());
  ClientResponse page = client.Get("/kenh-ban/chung-nhan", Browser(shop_.owner));
  EXPECT_NE(page.body.find("Bị từ chối vì: Số trên ảnh không khớp số đã nhập"), std::string::npos);

  ClientHeaders headers = Browser(shop_.owner);
  headers["Content-Type"] = std::string("multipart/form-data; boundary=") + kBoundary;
  ClientResponse forged = client.Post("/kenh-ban/chung-nhan", Multipart(Fields("VietGAP-TN-7003")), headers);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Stored(), 1u);
}

TEST_P(CertificatePages, ATrademarkIsSentWithItsApplicationAndTheOfficerSeesIt) {
  HttpClient client = app_->Client();
  std::vector<Part> fields = {{"kind", "trademark"},
                              {"issuer", "Cục Sở hữu trí tuệ"},
                              {"application_number", "2024-12345"},  // the "4-" is missing
                              {"filing_date", "15/03/2024"},
                              {"trademark_status", "filed"},
                              {"product_id", std::to_string(tea_)},
                              {"evidence", quality::testing::SamplePdf(), "don.pdf", "application/pdf"}};
  ClientResponse refused = PostForm(client, shop_.owner, fields);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"application_number-err\">"
                              "Vui lòng nhập số đơn nhãn hiệu đúng dạng 4-2024-12345."),
            std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("value=\"2024-12345\""), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(Stored(), 0u);

  fields[2].value = "4-2024-12345";
  ClientResponse sent = PostForm(client, shop_.owner, fields);
  ASSERT_EQ(sent.status, 303) << sent.body;
  ClientResponse listed = client.Get("/kenh-ban/chung-nhan", Browser(shop_.owner));
  EXPECT_NE(listed.body.find("Số đơn đăng ký nhãn hiệu 4-2024-12345 · Ngày nộp đơn 15/03/2024 · Đã nộp đơn"),
            std::string::npos)
      << listed.body;
  ClientResponse queue = client.Get("/can-bo/chung-nhan", Browser(officer_));
  ASSERT_EQ(queue.status, 200);
  EXPECT_NE(queue.body.find("<dt>Số đơn đăng ký nhãn hiệu</dt><dd>4-2024-12345</dd>"), std::string::npos)
      << queue.body;
  EXPECT_NE(queue.body.find("<dd>Đã nộp đơn</dd>"), std::string::npos);
}

// The IP Office's answer recorded from the form under a filed trademark: a
// grant without its number comes back with the message by the field and
// nothing changed; with it, the list shows the grant waiting for an officer.
TEST_P(CertificatePages, AFiledTrademarkIsMarkedGrantedFromTheFormUnderIt) {
  HttpClient client = app_->Client();
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  quality::CertificateInput input;
  input.kind = "trademark";
  input.issuer = "Cục Sở hữu trí tuệ";
  input.trademark.application_number = "4-2024-12345";
  input.trademark.filing_date = "2024-03-15";
  input.trademark.trademark_status = "filed";
  input.product_ids = {tea_};
  auto filed = app_->app().services().quality->certificates.Submit(&owner, shop_.id, std::move(input));
  ASSERT_TRUE(filed.ok()) << filed.error().detail;
  const std::string id = std::to_string(filed->certificate.id);
  const std::string action = "/kenh-ban/chung-nhan/" + id + "/nhan-hieu";
  ClientResponse page = client.Get("/kenh-ban/chung-nhan", Browser(shop_.owner));
  EXPECT_NE(page.body.find("action=\"" + action + "\""), std::string::npos)
      << "the form sits under the filing";

  ClientHeaders post = Browser(shop_.owner);
  post["Content-Type"] = "application/x-www-form-urlencoded";
  const std::string csrf = "csrf_token=" + accounts::CsrfTokenForSessionToken(shop_.owner.token);
  ClientResponse refused =
      client.Post(action, csrf + "&trademark_status=granted&number=&granted_on=20%2F06%2F2025", post);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"tm-number-" + id + "-err\""), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("value=\"20/06/2025\""), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(
      app_->app().services().quality->certificates.Get(&owner, filed->certificate.id)->trademark->status,
      quality::TrademarkStatus::kFiled);

  ClientResponse granted =
      client.Post(action, csrf + "&trademark_status=granted&number=512345&granted_on=20%2F06%2F2025", post);
  ASSERT_EQ(granted.status, 303) << granted.body;
  ClientResponse listed = client.Get(granted.Header("location"), Browser(shop_.owner));
  EXPECT_NE(listed.body.find("Đã lưu kết quả đơn nhãn hiệu: 512345"), std::string::npos) << listed.body;
  EXPECT_NE(listed.body.find("Ngày nộp đơn 15/03/2024 · Đã cấp văn bằng"), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find("action=\"" + action + "\""), std::string::npos) << "decided: no form any more";
  auto stored = app_->app().services().quality->certificates.Get(&owner, filed->certificate.id);
  EXPECT_EQ(stored->number, "512345");
  EXPECT_EQ(timefmt::IsoDate(stored->issued_day), "2025-06-20");
}

// The value of the first hidden `name` input on a page ("" when there is none).
std::string HiddenValue(const std::string& body, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const std::size_t at = body.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t from = at + marker.size();
  return body.substr(from, body.find('"', from) - from);
}

// issue #12: the evidence chosen on a form that came back with an error is
// kept (named, with a thumbnail for an image) and carried in a hidden token;
// the corrected form attaches it without sending it again, once, and only
// for the person who chose it.
TEST_P(CertificatePages, AChosenFileIsKeptThroughAnErrorAndAttachedOnceByItsSender) {
  HttpClient client = app_->Client();
  std::vector<Part> wrong_date = Fields("VietGAP-TN-7101");
  wrong_date[3].value = "31/02/2025";  // issued_on: no such day
  wrong_date.push_back({"evidence", quality::testing::SamplePng(), "giay-chung-nhan.png", "image/png"});
  ClientResponse refused = PostForm(client, shop_.owner, wrong_date);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("id=\"issued_on-err\""), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("Đã đính kèm: giay-chung-nhan.png"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("class=\"staged\" src=\"data:image/jpeg;base64,"), std::string::npos)
      << "a thumbnail of the kept image";
  const std::string token = HiddenValue(refused.body, "evidence_token");
  ASSERT_FALSE(token.empty()) << refused.body;
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(seeder_->CountRows("quality_staged_uploads"), 1);

  // Another shop's owner sending the token gets the message by the field, and nothing.
  std::vector<Part> stolen = Fields("VietGAP-PQ-7102");
  stolen[5].value = std::to_string(rice_);
  stolen.push_back({"evidence_token", token});
  ClientResponse not_theirs = PostForm(client, other_shop_.owner, stolen);
  EXPECT_EQ(not_theirs.status, 422);
  EXPECT_NE(not_theirs.body.find("id=\"evidence-err\">Tệp đã chọn trước đó không còn được giữ"),
            std::string::npos)
      << not_theirs.body;
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(seeder_->CountRows("quality_staged_uploads"), 1);

  // The corrected form, without the file: the kept one is attached.
  std::vector<Part> fixed = Fields("VietGAP-TN-7101");
  fixed.push_back({"evidence_token", token});
  ClientResponse sent = PostForm(client, shop_.owner, fixed);
  ASSERT_EQ(sent.status, 303) << sent.body;
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  const auto certs = app_->app().services().quality->certificates.ListForShop(&owner, shop_.id);
  ASSERT_TRUE(certs.ok());
  ASSERT_EQ(certs->size(), 1u);
  auto stored = app_->app().services().quality->certificates.Get(&owner, certs->front().id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->evidence.size(), 1u);
  EXPECT_EQ(stored->evidence[0].content_type, "image/jpeg") << "the image as it was re-encoded when kept";
  EXPECT_EQ(seeder_->CountRows("quality_staged_uploads"), 0);

  // The token worked once: a second certificate cannot take the same file.
  std::vector<Part> again = Fields("VietGAP-TN-7103");
  again.push_back({"evidence_token", token});
  ClientResponse reused = PostForm(client, shop_.owner, again);
  EXPECT_EQ(reused.status, 422);
  EXPECT_NE(reused.body.find("id=\"evidence-err\">"), std::string::npos) << reused.body;
  EXPECT_EQ(Stored(), 1u);
}

// A PDF is kept by its name (no thumbnail) and attached as the PDF it was;
// a file that is neither is refused by the field and not kept.
TEST_P(CertificatePages, AKeptPdfIsNamedAndABadFileIsNotKept) {
  HttpClient client = app_->Client();
  std::vector<Part> bad = Fields("VietGAP-TN-7201");
  bad.push_back({"evidence", "<html>not a certificate</html>", "giay.pdf", "application/pdf"});
  ClientResponse refused = PostForm(client, shop_.owner, bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"evidence-err\">Vui lòng chọn ảnh (JPEG, PNG, WebP) hoặc tệp PDF"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(HiddenValue(refused.body, "evidence_token"), "");
  EXPECT_EQ(seeder_->CountRows("quality_staged_uploads"), 0);

  std::vector<Part> no_issuer = Fields("VietGAP-TN-7201");
  no_issuer[2].value = "";
  no_issuer.push_back({"evidence", quality::testing::SamplePdf(), "giay-chung-nhan.pdf", "application/pdf"});
  ClientResponse kept = PostForm(client, shop_.owner, no_issuer);
  ASSERT_EQ(kept.status, 422);
  EXPECT_NE(kept.body.find("Đã đính kèm: giay-chung-nhan.pdf"), std::string::npos) << kept.body;
  EXPECT_EQ(kept.body.find("class=\"staged\""), std::string::npos) << "no thumbnail for a PDF";
  const std::string token = HiddenValue(kept.body, "evidence_token");
  ASSERT_FALSE(token.empty());

  std::vector<Part> fixed = Fields("VietGAP-TN-7201");
  fixed.push_back({"evidence_token", token});
  ASSERT_EQ(PostForm(client, shop_.owner, fixed).status, 303);
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  const auto certs = app_->app().services().quality->certificates.ListForShop(&owner, shop_.id);
  ASSERT_TRUE(certs.ok());
  ASSERT_EQ(certs->size(), 1u);
  auto stored = app_->app().services().quality->certificates.Get(&owner, certs->front().id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->evidence.size(), 1u);
  EXPECT_EQ(stored->evidence[0].content_type, "application/pdf");
  EXPECT_EQ(stored->evidence[0].byte_size, static_cast<std::int64_t>(quality::testing::SamplePdf().size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, CertificatePages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::web
