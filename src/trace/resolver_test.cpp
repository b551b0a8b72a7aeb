// The resolver and provenance page on both backends, over real HTTP: what a
// scanned pack shows (the minimum traceability data, only the certificates
// valid on the lot's production date), the RFC 9264 linkset, the 301 from a
// GTIN-13, junk paths answered 400 and unknown ones 404 — never a 500 — and
// scans counted per lot.
#include <gtest/gtest.h>

#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "trace/trace_module.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::trace::testing {
namespace {

using nlohmann::json;

class Resolver : public TraceWorld {
 protected:
  // A certificate of shop_ covering tea_, verified by its officer.
  void VerifiedCertificate(const std::string& number, const std::string& issued_on,
                           const std::string& expires_on) {
    auto& quality = app_->app().services().quality->certificates;
    quality::CertificateInput input;
    input.kind = "vietgap";
    input.number = number;
    input.issuer = "Trung tâm Kiểm nghiệm Thái Nguyên";
    input.issued_on = issued_on;
    input.expires_on = expires_on;
    input.product_ids = {tea_};
    input.evidence = {{quality::testing::SamplePdf(), "application/pdf"}};
    const Principal owner = seeder_->PrincipalOf(shop_.owner);
    auto submitted = quality.Submit(&owner, shop_.id, std::move(input));
    ASSERT_TRUE(submitted.ok()) << submitted.error().detail;
    const Principal officer = seeder_->PrincipalOf(officer_);
    auto verified = quality.Verify(&officer, submitted->certificate.id);
    ASSERT_TRUE(verified.ok()) << verified.error().detail;
  }

  // tea_ numbered 8935012000002 with lot CHE-26.11 (produced 20/11/2026).
  json TeaLot() {
    VerifiedPrefix("8935012");
    auto client = app_->Client();
    EXPECT_EQ(client.Post(ProductPath(tea_) + "/gtin", "", shop_.owner.auth).status, 201);
    auto lot = client.Post(ProductPath(tea_) + "/lots", LotBody("CHE-26.11"), shop_.owner.auth);
    EXPECT_EQ(lot.status, 201) << lot.body;
    return lot.Json();
  }
};

TEST_P(Resolver, ProvenancePageShowsWhatTheBuyerNeedsToTrust) {
  VerifiedCertificate("VietGAP-TN-0042", "2026-02-01", "2027-01-31");
  VerifiedCertificate("VietGAP-TN-0099", "2026-11-25", "2027-11-24");  // issued after the lot was made
  TeaLot();
  auto client = app_->Client();
  auto page = client.Get("/01/08935012000002/10/CHE-26.11?17=270520");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.Header("content-type").find("text/html"), std::string::npos);
  for (const char* fact : {"Chè búp Đức Xuân", "HTX Chè Đức Xuân", "Xóm 1", "Đức Xuân", "Thái Nguyên",
                           "CHE-26.11", "08935012000002", "18/11/2026", "20/11/2026", "20/05/2027",
                           "VietGAP-TN-0042", "Bón phân", "Hái một tôm hai lá"}) {
    EXPECT_NE(page.body.find(fact), std::string::npos) << fact;
  }
  EXPECT_EQ(page.body.find("VietGAP-TN-0099"), std::string::npos) << "not valid on the production date";
  EXPECT_EQ(page.body.find("THU HỒI"), std::string::npos);

  // The bare GTIN answers the product, with today's certificates.
  auto product = client.Get("/01/08935012000002");
  ASSERT_EQ(product.status, 200) << product.body;
  EXPECT_NE(product.body.find("VietGAP-TN-0099"), std::string::npos);
}

TEST_P(Resolver, LinksetForGs1ResolverClients) {
  VerifiedCertificate("VietGAP-TN-0042", "2026-02-01", "2027-01-31");
  TeaLot();
  auto client = app_->Client();
  const std::string anchor = std::string(kBaseUrl) + "/01/08935012000002/10/CHE-26.11";
  for (const auto& [target, headers] : std::vector<std::pair<std::string, nongsan::testing::ClientHeaders>>{
           {"/01/08935012000002/10/CHE-26.11", {{"Accept", "application/linkset+json"}}},
           {"/01/08935012000002/10/CHE-26.11?linkType=all", {}}}) {
    auto res = client.Get(target, headers);
    ASSERT_EQ(res.status, 200) << target << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/linkset+json");
    const json set = res.Json()["linkset"];
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set[0]["anchor"], anchor);
    EXPECT_EQ(set[0]["https://gs1.org/voc/traceability"][0]["href"], anchor);
    EXPECT_NE(set[0]["https://gs1.org/voc/pip"][0]["href"].get<std::string>().find("/san-pham/"),
              std::string::npos);
    EXPECT_NE(set[0]["https://gs1.org/voc/hasRetailers"][0]["href"].get<std::string>().find("/cua-hang/"),
              std::string::npos);
    ASSERT_EQ(set[0]["https://gs1.org/voc/certificationInfo"].size(), 1u);
    EXPECT_NE(set[0]["https://gs1.org/voc/certificationInfo"][0]["title"].get<std::string>().find(
                  "VietGAP-TN-0042"),
              std::string::npos);
  }
}

TEST_P(Resolver, Gtin13RedirectsAndJunkNeverGivesA500) {
  const json lot = TeaLot();
  auto client = app_->Client();
  auto moved = client.Get("/01/8935012000002/10/CHE-26.11?17=270520");
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.Header("location"), "/01/08935012000002/10/CHE-26.11?17=270520");
  auto moved_product = client.Get("/01/8935012000002");
  EXPECT_EQ(moved_product.status, 301);
  EXPECT_EQ(moved_product.Header("location"), "/01/08935012000002");

  for (const char* junk : {"/01/abc", "/01/08935012000003", "/01/0893501200000212",
                           "/01/08935012000002/10/%23x", "/01/08935012000002/10/ABCDEFGHIJKLMNOPQRSTU",
                           "/01/08935012000002/10/%C3%94", "/truy-xuat/abc", "/truy-xuat/%27%3B--AAAAA"}) {
    auto res = client.Get(junk);
    EXPECT_EQ(res.status, 400) << junk << " " << res.body.substr(0, 200);
    EXPECT_NE(res.Header("content-type").find("text/html"), std::string::npos) << junk;
  }
  for (const char* unknown :
       {"/01/08935012000019", "/01/08935012000002/10/CHE-99", "/truy-xuat/AAAAAAAAAA"}) {
    EXPECT_EQ(client.Get(unknown).status, 404) << unknown;
  }
  EXPECT_EQ(client.Get("/truy-xuat/" + lot["public_code"].get<std::string>()).status, 200);
}

TEST_P(Resolver, ScansAreCountedPerLotAlsoWhenThePageIsACopy) {
  const json lot = TeaLot();
  auto client = app_->Client();
  EXPECT_EQ(client.Get("/01/08935012000002/10/CHE-26.11").status, 200);
  EXPECT_EQ(client.Get("/01/08935012000002/10/CHE-26.11").status, 200);  // the kept copy
  EXPECT_EQ(client.Get("/truy-xuat/" + lot["public_code"].get<std::string>()).status, 200);
  EXPECT_EQ(client.Get("/01/08935012000002").status, 200);  // no lot: not a lot's scan
  ASSERT_TRUE(app_->app().services().trace->provenance.FlushScans().ok());
  auto read = client.Get("/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>()), shop_.owner.auth);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.Json()["scans"], 3);
}

TEST_P(Resolver, AKeptPageShowsAHoldAtOnce) {
  const json lot = TeaLot();
  auto client = app_->Client();
  const std::string page = "/01/08935012000002/10/CHE-26.11";
  auto before = client.Get(page);
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body.find("tạm dừng bán"), std::string::npos);
  // The test clock stands still: the lot's status alone tells the versions apart.
  ASSERT_EQ(client
                .Post("/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>()) + "/hold",
                      json{{"reason", "Chờ kết quả kiểm nghiệm"}}, shop_.owner.auth)
                .status,
            200);
  auto after = client.Get(page);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("tạm dừng bán"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Trace, Resolver, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::trace::testing
