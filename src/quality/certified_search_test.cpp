// Certificates in the catalogue, end to end on both backends over real HTTP
// against a real App: the search filters ocop_min and certified and their
// facet counts, "certifications" on product responses, the badges on product
// and shop pages linking to /c/{code} — and that only verified certificates
// valid today ever count: pending, rejected and revoked ones never show, and
// one whose expiry day passes (the FakeClock moves) drops out of the filter
// and the badges at once, with no job run.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "orders/orders_test_support.hpp"
#include "quality/quality_api_world.hpp"
#include "quality/quality_test_fixture.hpp"
#include "web/format.hpp"

namespace nongsan::quality::testing {
namespace {

using nlohmann::json;
using nongsan::orders::testing::Person;
using nongsan::orders::testing::ProductSpec;
using nongsan::orders::testing::Seeder;
using nongsan::orders::testing::Shop;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using nongsan::testing::TestApp;

class CertifiedSearch : public QualityApiWorld {
 protected:
  void SetUp() override {
    QualityApiWorld::SetUp();
    if (HasFatalFailure()) return;
    client_ = std::make_unique<HttpClient>(app_->Client());
    ProductSpec dust;
    dust.name = "Chè cám Đức Xuân";
    dust_ = seeder_->NewProduct(shop_, dust);
  }
  void TearDown() override {
    client_.reset();
    QualityApiWorld::TearDown();
  }

  static json Ocop(std::int64_t product, int stars, const std::string& number) {
    return {{"kind", "ocop"},
            {"number", number},
            {"issuer", "UBND tỉnh Thái Nguyên"},
            {"ocop_stars", stars},
            {"ocop_group", "drinks"},
            {"issued_on", "2026-02-01"},
            {"expires_on", "2027-01-31"},
            {"product_ids", {product}}};
  }
  static json VietGap(std::int64_t product, const std::string& number,
                      const std::string& expires_on = "2027-01-31") {
    return {{"kind", "vietgap"},
            {"number", number},
            {"issuer", "Trung tâm Kiểm nghiệm Thái Nguyên"},
            {"issued_on", "2026-02-01"},
            {"expires_on", expires_on},
            {"product_ids", {product}}};
  }

  // Submits for the shop; returns {id, code}.
  std::pair<std::string, std::string> Submit(const Shop& shop, const json& body) {
    ClientResponse r =
        client_->Post("/api/v1/sellers/" + std::to_string(shop.id) + "/certificates", body, shop.owner.auth);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {"0", ""};
    return {std::to_string(r.Json()["id"].get<std::int64_t>()), r.Json()["code"].get<std::string>()};
  }
  void Decide(const std::string& id, const std::string& action, const Person& officer,
              const json& body = "") {
    ClientResponse r = body.is_string()
                           ? client_->Post("/api/v1/certificates/" + id + "/" + action, "", officer.auth)
                           : client_->Post("/api/v1/certificates/" + id + "/" + action, body, officer.auth);
    ASSERT_EQ(r.status, 200) << action << ": " << r.body;
  }

  // Product ids of a search, in order.
  std::vector<std::int64_t> Search(const std::string& query) {
    ClientResponse r = client_->Get("/api/v1/products?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::int64_t> ids;
    if (r.status != 200) return ids;
    const json items = r.Json()["items"];  // a copy: the temporary would not outlive the loop
    for (const auto& item : items) ids.push_back(item["id"].get<std::int64_t>());
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  json Facets(const std::string& query) {
    ClientResponse r = client_->Get("/api/v1/products?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json()["facets"] : json::object();
  }
  json ProductCertifications(std::int64_t product) {
    ClientResponse r = client_->Get("/api/v1/products/" + std::to_string(product));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return json::array();
    EXPECT_TRUE(r.Json().contains("certifications")) << r.body;
    return r.Json().value("certifications", json::array());
  }
  std::string ProductPage(std::int64_t product, const std::string& name) {
    ClientResponse r = client_->Get(web::ProductPath(name, product));
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
    return r.body;
  }
  std::vector<std::int64_t> Ids(std::initializer_list<std::int64_t> ids) {
    std::vector<std::int64_t> out(ids);
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<HttpClient> client_;
  std::int64_t dust_ = 0;
};

TEST_P(CertifiedSearch, OcopAndKindFiltersWithFacetCounts) {
  auto [ocop, ocop_code] = Submit(shop_, Ocop(tea_, 4, "OCOP-TN-2026-017"));
  auto [gap, gap_code] = Submit(other_shop_, VietGap(rice_, "VietGAP-TN-0042"));
  // Pending: nothing yet.
  EXPECT_EQ(Search("ocop_min=3"), Ids({}));
  EXPECT_EQ(Search("certified=vietgap"), Ids({}));
  Decide(ocop, "verify", officer_);
  Decide(gap, "verify", far_officer_);

  EXPECT_EQ(Search("ocop_min=4"), Ids({tea_}));
  EXPECT_EQ(Search("ocop_min=3"), Ids({tea_}));
  EXPECT_EQ(Search("ocop_min=5"), Ids({}));
  EXPECT_EQ(Search("certified=ocop"), Ids({tea_}));
  EXPECT_EQ(Search("certified=vietgap"), Ids({rice_}));
  EXPECT_EQ(Search("certified=organic"), Ids({}));
  EXPECT_EQ(Search("certified=vietgap&ocop_min=3"), Ids({}));
  EXPECT_EQ(Search("q=che&ocop_min=4"), Ids({tea_}));
  EXPECT_EQ(Search("q=gao&ocop_min=4"), Ids({}));
  EXPECT_EQ(Search(""), Ids({tea_, dust_, rice_}));

  const json all = Facets("");
  EXPECT_EQ(all["certified"]["ocop"], 1) << all.dump();
  EXPECT_EQ(all["certified"]["vietgap"], 1);
  EXPECT_EQ(all["certified"]["organic"], 0);
  EXPECT_EQ(all["ocop_min"]["3"], 1);
  EXPECT_EQ(all["ocop_min"]["4"], 1);
  EXPECT_EQ(all["ocop_min"]["5"], 0);
  // Certification facets count under every other filter, but not their own.
  const json filtered = Facets("ocop_min=4");
  EXPECT_EQ(filtered["certified"]["vietgap"], 1) << filtered.dump();
  EXPECT_EQ(filtered["ocop_min"]["4"], 1);
  const json rice_only = Facets("q=gao");
  EXPECT_EQ(rice_only["certified"]["vietgap"], 1) << rice_only.dump();
  EXPECT_EQ(rice_only["certified"]["ocop"], 0);
  EXPECT_EQ(rice_only["ocop_min"]["3"], 0);
  // And the other facets respect the certification filter.
  ClientResponse narrowed = client_->Get("/api/v1/products?certified=vietgap");
  ASSERT_EQ(narrowed.status, 200);
  EXPECT_EQ(narrowed.Json()["total"], 1);

  // Results say what each product holds, from the same snapshot.
  ClientResponse listed = client_->Get("/api/v1/products?ocop_min=4");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json()["items"].size(), 1u);
  EXPECT_EQ(listed.Json()["items"][0]["certified"], json::array({"ocop"}));
  EXPECT_EQ(listed.Json()["items"][0]["ocop_stars"], 4);

  // Bad values are refused with the field named.
  for (const std::string bad :
       {"ocop_min=2", "ocop_min=6", "ocop_min=four", "certified=halal", "certified=OCOP"}) {
    ClientResponse r = client_->Get("/api/v1/products?" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_NE(r.body.find(bad.substr(0, bad.find('='))), std::string::npos) << r.body;
  }
}

TEST_P(CertifiedSearch, ProductJsonCarriesOnlyVerifiedCertificates) {
  auto [pending, pending_code] = Submit(shop_, Ocop(tea_, 5, "OCOP-PENDING"));
  auto [rejected, rejected_code] = Submit(shop_, Ocop(tea_, 5, "OCOP-REJECTED"));
  auto [revoked, revoked_code] = Submit(shop_, VietGap(tea_, "VG-REVOKED"));
  auto [good, good_code] = Submit(shop_, Ocop(tea_, 3, "OCOP-TN-2026-003"));
  Decide(rejected, "reject", officer_, json{{"reason", "Số không có trong sổ của tổ chức cấp"}});
  Decide(revoked, "verify", officer_);
  EXPECT_EQ(Search("certified=vietgap"), Ids({tea_})) << "verified: counts";
  EXPECT_EQ(ProductCertifications(tea_).size(), 1u);
  Decide(revoked, "revoke", officer_, json{{"reason", "Tổ chức cấp đã huỷ chứng nhận"}});
  EXPECT_EQ(Search("certified=vietgap"), Ids({})) << "revoked: gone at once";
  EXPECT_TRUE(ProductCertifications(tea_).empty());
  EXPECT_EQ(Search("ocop_min=3"), Ids({})) << "pending and rejected never count";
  EXPECT_EQ(Facets("")["ocop_min"]["3"], 0);

  Decide(good, "verify", officer_);
  EXPECT_EQ(Search("ocop_min=3"), Ids({tea_}));
  EXPECT_EQ(Search("ocop_min=4"), Ids({})) << "the 5★ certificate is still pending";
  const json certs = ProductCertifications(tea_);
  ASSERT_EQ(certs.size(), 1u) << certs.dump();
  const json& c = certs[0];
  EXPECT_EQ(c["kind"], "ocop");
  EXPECT_EQ(c["ocop_stars"], 3);
  EXPECT_EQ(c["number"], "OCOP-TN-2026-003");
  EXPECT_EQ(c["issuer"], "UBND tỉnh Thái Nguyên");
  EXPECT_EQ(c["expires_on"], "2027-01-31");
  EXPECT_TRUE(c["verify_url"].get<std::string>().ends_with("/c/" + good_code)) << c.dump();
  EXPECT_EQ(c.size(), 6u) << "exactly {kind, ocop_stars, number, issuer, expires_on, verify_url}: "
                          << c.dump();
  EXPECT_TRUE(ProductCertifications(dust_).empty());
  // The shop's response too: its verified certificates valid today only.
  ClientResponse shop = client_->Get("/api/v1/sellers/" + std::to_string(shop_.id));
  ASSERT_EQ(shop.status, 200) << shop.body;
  ASSERT_EQ(shop.Json()["certifications"].size(), 1u) << shop.body;
  EXPECT_EQ(shop.Json()["certifications"][0]["number"], "OCOP-TN-2026-003");
  EXPECT_EQ(shop.Json()["certifications"][0]["ocop_stars"], 3);

  const std::string page = ProductPage(tea_, "Chè búp Đức Xuân");
  EXPECT_EQ(page.find("OCOP-PENDING"), std::string::npos);
  EXPECT_EQ(page.find("/c/" + pending_code), std::string::npos);
  EXPECT_EQ(page.find("/c/" + rejected_code), std::string::npos);
  EXPECT_EQ(page.find("/c/" + revoked_code), std::string::npos);
  EXPECT_NE(page.find("href=\"/c/" + good_code + "\""), std::string::npos);
}

TEST_P(CertifiedSearch, ExpiryDropsOutOfFilterAndBadgesWithoutAJob) {
  auto [gap, gap_code] = Submit(shop_, VietGap(tea_, "VietGAP-TN-0042", "2026-12-31"));
  Decide(gap, "verify", officer_);
  EXPECT_EQ(Search("certified=vietgap"), Ids({tea_}));
  EXPECT_EQ(Facets("")["certified"]["vietgap"], 1);
  EXPECT_EQ(ProductCertifications(tea_).size(), 1u);
  EXPECT_EQ(client_->Get("/api/v1/sellers/" + std::to_string(shop_.id)).Json()["certifications"].size(), 1u);
  EXPECT_NE(ProductPage(tea_, "Chè búp Đức Xuân").find("/c/" + gap_code), std::string::npos);

  // Its last day: still valid.
  app_->clock().Set(*timefmt::ParseIsoDate("2026-12-31") * kMsPerDay - kVietnamOffsetMs + 23 * 3'600'000LL);
  EXPECT_EQ(Search("certified=vietgap"), Ids({tea_}));
  // The next morning: gone everywhere, though nothing ran.
  app_->clock().Set(*timefmt::ParseIsoDate("2027-01-01") * kMsPerDay - kVietnamOffsetMs + 60'000);
  EXPECT_EQ(Search("certified=vietgap"), Ids({}));
  EXPECT_EQ(Facets("")["certified"]["vietgap"], 0);
  EXPECT_TRUE(ProductCertifications(tea_).empty());
  EXPECT_TRUE(client_->Get("/api/v1/sellers/" + std::to_string(shop_.id)).Json()["certifications"].empty());
  const std::string page = ProductPage(tea_, "Chè búp Đức Xuân");
  EXPECT_EQ(page.find("/c/" + gap_code), std::string::npos);
  EXPECT_EQ(page.find("VietGAP-TN-0042"), std::string::npos);
}

TEST_P(CertifiedSearch, PagesShowBadgesRatingsReputationAndFilters) {
  auto [ocop, ocop_code] = Submit(shop_, Ocop(tea_, 4, "OCOP-TN-2026-017"));
  Decide(ocop, "verify", officer_);

  const std::string page = ProductPage(tea_, "Chè búp Đức Xuân");
  EXPECT_NE(page.find("OCOP 4★"), std::string::npos);
  EXPECT_NE(page.find("href=\"/c/" + ocop_code + "\""), std::string::npos)
      << "the badge links its verify page";
  EXPECT_NE(page.find("Chưa có đánh giá"), std::string::npos) << "the review count (none yet)";
  EXPECT_EQ(ProductPage(dust_, "Chè cám Đức Xuân").find("/c/" + ocop_code), std::string::npos);

  ClientResponse shop = client_->Get(web::ShopPath("HTX Chè Đức Xuân", shop_.id));
  ASSERT_EQ(shop.status, 200) << shop.body.substr(0, 300);
  EXPECT_NE(shop.body.find("href=\"/c/" + ocop_code + "\""), std::string::npos);
  EXPECT_NE(shop.body.find("Uy tín (90 ngày gần nhất)"), std::string::npos);
  EXPECT_NE(shop.body.find("Khiếu nại"), std::string::npos);
  ClientResponse other = client_->Get(web::ShopPath("Gạo Phong Quang", other_shop_.id));
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.body.find("/c/" + ocop_code), std::string::npos);

  ClientResponse search = client_->Get("/tim-kiem?ocop_min=4");
  ASSERT_EQ(search.status, 200) << search.body.substr(0, 300);
  EXPECT_NE(search.body.find("Chè búp Đức Xuân"), std::string::npos);
  EXPECT_EQ(search.body.find("Gạo nếp Phong Quang"), std::string::npos);
  EXPECT_NE(search.body.find("name=\"ocop_min\""), std::string::npos);
  EXPECT_NE(search.body.find("<option value=\"4\" selected>"), std::string::npos);
  EXPECT_NE(search.body.find("name=\"certified\""), std::string::npos);
  EXPECT_EQ(client_->Get("/tim-kiem?ocop_min=9").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Quality, CertifiedSearch, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
