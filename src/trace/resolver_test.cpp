// The resolver and provenance page on both backends, over real HTTP: what a
// scanned pack shows (the minimum traceability data, only the certificates
// valid on the lot's production date), the RFC 9264 linkset, the 301 from a
// GTIN-13, junk paths answered 400 and unknown ones 404 — never a 500 — and
// scans counted per lot.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>
#include <tuple>

#include "catalog/catalog_module.hpp"
#include "db/migrations.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "support/test_db.hpp"
#include "trace/migrations.hpp"
#include "trace/trace_module.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::trace::testing {
namespace {

using nlohmann::json;

class Resolver : public TraceWorld {
 protected:
  // A certificate of shop_ covering tea_, verified by its officer; its id
  // in certificate_id_.
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
    certificate_id_ = submitted->certificate.id;
  }

  std::int64_t certificate_id_ = 0;

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
  EXPECT_NE(after.body.find("</strong> Tạm dừng bán — Chờ kết quả kiểm nghiệm</li>"), std::string::npos)
      << "the decision, with its reason, on the lot's timeline";

  // Released: on sale again, and the timeline keeps the hold before the release.
  ASSERT_EQ(client
                .Post("/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>()) + "/release", "",
                      shop_.owner.auth)
                .status,
            200);
  auto released = client.Get(page);
  ASSERT_EQ(released.status, 200);
  EXPECT_EQ(released.body.find("đang tạm dừng bán"), std::string::npos) << "no banner";
  const auto held_line = released.body.find("</strong> Tạm dừng bán — Chờ kết quả kiểm nghiệm</li>");
  const auto release_line = released.body.find("</strong> Mở bán lại</li>");
  ASSERT_NE(held_line, std::string::npos) << released.body;
  ASSERT_NE(release_line, std::string::npos) << released.body;
  EXPECT_LT(held_line, release_line);
}

// The shared page is the pre-rendered layout around the written body; any
// other visitor's page goes through the renderer. For an anonymous visitor
// with a cookie (not shared, nothing personal to show) both must give the
// very same bytes, so the two paths cannot drift apart.
TEST_P(Resolver, TheSharedPageIsTheRenderersPageByteForByte) {
  VerifiedCertificate("VietGAP-TN-0042", "2026-02-01", "2027-01-31");
  TeaLot();
  auto client = app_->Client();
  for (const char* target : {"/01/08935012000002/10/CHE-26.11", "/01/08935012000002/10/CHE-26.11?17=270520",
                             "/01/08935012000002"}) {
    auto shared = client.Get(target);
    auto rendered = client.Get(target, {{"Cookie", "seen=1"}});
    ASSERT_EQ(shared.status, 200) << target;
    ASSERT_EQ(rendered.status, 200) << target;
    EXPECT_EQ(shared.body, rendered.body) << target;
    EXPECT_NE(shared.body.find("VietGAP-TN-0042"), std::string::npos) << target;
    EXPECT_NE(shared.body.find("<link rel=\"canonical\" href=\"" + std::string(kBaseUrl)), std::string::npos);
  }
  // A signed-in visitor's page is their own (their name in the layout) with the same facts.
  auto own = client.Get("/01/08935012000002/10/CHE-26.11", shop_.owner.auth);
  ASSERT_EQ(own.status, 200);
  EXPECT_NE(own.body.find("VietGAP-TN-0042"), std::string::npos);
  EXPECT_NE(own.body.find("/dang-xuat"), std::string::npos) << "the sign-out form of a signed-in visitor";
  EXPECT_EQ(client.Get("/01/08935012000002/10/CHE-26.11").body.find("/dang-xuat"), std::string::npos);
}

// Issue 14: a certificate decision and a product change reach a kept page on
// the next scan, not after the contexts' 30 s.
TEST_P(Resolver, ARevokedCertificateLeavesTheNextScansPage) {
  VerifiedCertificate("VietGAP-TN-0042", "2026-02-01", "2027-01-31");
  TeaLot();
  auto client = app_->Client();
  const std::string page = "/01/08935012000002/10/CHE-26.11";
  ASSERT_NE(client.Get(page).body.find("VietGAP-TN-0042"), std::string::npos);
  ASSERT_NE(client.Get(page).body.find("VietGAP-TN-0042"), std::string::npos);  // the kept copy
  const Principal officer = seeder_->PrincipalOf(officer_);
  auto revoked = app_->app().services().quality->certificates.Revoke(&officer, certificate_id_,
                                                                     "Hồ sơ kiểm nghiệm giả mạo");
  ASSERT_TRUE(revoked.ok()) << revoked.error().detail;
  auto after = client.Get(page);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body.find("VietGAP-TN-0042"), std::string::npos) << "revoked, still shown";
  EXPECT_NE(after.body.find("Chưa có chứng nhận nào"), std::string::npos);
}

TEST_P(Resolver, ARenamedProductShowsOnTheNextScan) {
  TeaLot();
  auto client = app_->Client();
  const std::string page = "/01/08935012000002/10/CHE-26.11";
  ASSERT_NE(client.Get(page).body.find("Chè búp Đức Xuân"), std::string::npos);
  ASSERT_NE(client.Get(page).body.find("Chè búp Đức Xuân"), std::string::npos);  // the kept copy
  const Principal owner = seeder_->PrincipalOf(shop_.owner);
  catalog::ProductPatch patch;
  patch.name = "Chè móc câu Tân Cương";
  auto renamed = app_->app().services().catalog->catalog.Update(&owner, tea_, patch);
  ASSERT_TRUE(renamed.ok()) << renamed.error().detail;
  auto after = client.Get(page);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("Chè móc câu Tân Cương"), std::string::npos) << "the old name still shown";
  EXPECT_EQ(after.body.find("Chè búp Đức Xuân"), std::string::npos);
}

// A repeat scan from the same phone sends the page's ETag back: 304 while
// the lot is unchanged (the scan still counted), the new page once it is not.
TEST_P(Resolver, ARepeatScanOfAnUnchangedLotIsA304) {
  const json lot = TeaLot();
  auto client = app_->Client();
  const std::string page = "/01/08935012000002/10/CHE-26.11";
  auto first = client.Get(page);
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.Header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = client.Get(page, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(client.Get(page, {{"If-None-Match", "\"other\""}}).status, 200);
  ASSERT_EQ(client
                .Post("/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>()) + "/recall",
                      json{{"reason", "Dư lượng thuốc bảo vệ thực vật"}}, shop_.owner.auth)
                .status,
            200);
  auto changed = client.Get(page, {{"If-None-Match", etag}});
  ASSERT_EQ(changed.status, 200);
  EXPECT_NE(changed.Header("etag"), etag);
  EXPECT_NE(changed.body.find("THU HỒI"), std::string::npos);
  ASSERT_TRUE(app_->app().services().trace->provenance.FlushScans().ok());
  auto read = client.Get("/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>()), shop_.owner.auth);
  EXPECT_EQ(read.Json()["scans"], 4);
}

// Scans are written by the service's own thread once a batch is full: no
// request waits for that write, and no one has to call FlushScans.
TEST_P(Resolver, AFullBatchOfScansIsWrittenInTheBackground) {
  const json lot = TeaLot();
  const auto lot_id = lot["id"].get<std::int64_t>();
  auto& provenance = app_->app().services().trace->provenance;
  for (std::int64_t i = 0; i < kScanFlushBatch; ++i) provenance.CountScan(lot_id);
  auto client = app_->Client();
  std::int64_t scans = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (scans < kScanFlushBatch && std::chrono::steady_clock::now() < deadline) {
    auto read = client.Get("/api/v1/lots/" + std::to_string(lot_id), shop_.owner.auth);
    ASSERT_EQ(read.status, 200);
    scans = read.Json()["scans"].get<std::int64_t>();
    if (scans < kScanFlushBatch) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(scans, kScanFlushBatch);
}

INSTANTIATE_TEST_SUITE_P(Trace, Resolver, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Trace migration 4 moves the scan counts out of the lot rows and records
// each lot's newest captured event: what was counted and captured before it
// is carried over.
class TraceMigration : public ::testing::TestWithParam<std::string> {
 protected:
  // A fresh database with trace's first `count` migrations.
  std::unique_ptr<db::Database> MigratedTo(std::size_t count) {
    auto db = nongsan::testing::OpenFreshTestDatabase(GetParam());
    const db::ModuleMigrations all = Migrations();
    db::ModuleMigrations first{all.module, {all.migrations.begin(), all.migrations.begin() + count}};
    EXPECT_TRUE(db::Migrate(*db, {first}).ok());
    return db;
  }

  // Lots 1..`lots` of one product, with `scans` in their scans column while
  // there is one (before migration 4; empty after); then `events` of them,
  // in order, as (lot id, source, bizStep).
  static Status Seed(db::Connection& c, int lots, const std::vector<std::int64_t>& scans,
                     const std::vector<std::tuple<int, const char*, const char*>>& events) {
    const bool scans_column = !scans.empty();
    for (int i = 0; i < lots; ++i) {
      const std::int64_t lot = i + 1;
      TRY(c.Exec(
          std::string("INSERT INTO trace_lots (id, seller_id, product_id, code, public_code, produced_day, "
                      "quantity, origin_commune_code, status, created_by, created_at, updated_at") +
              (scans_column ? ", scans" : "") +
              ") VALUES (?, 1, 1, ?, ?, 20412, 10, '01840', 'active', 1, 0, 0" + (scans_column ? ", ?" : "") +
              ")",
          scans_column ? db::Params{lot, "L" + std::to_string(lot), "P00000000" + std::to_string(lot),
                                    scans.at(static_cast<std::size_t>(i))}
                       : db::Params{lot, "L" + std::to_string(lot), "P00000000" + std::to_string(lot)}));
    }
    for (const auto& [lot, source, step] : events) {
      TRY(
          c.Exec("INSERT INTO trace_epcis_events (seller_id, lot_id, lot_path, event_time, action, biz_step, "
                 "source, created_at) VALUES (1, ?, '/x', 0, 'OBSERVE', ?, ?, 0)",
                 {lot, std::string(step), std::string(source)}));
    }
    return Ok{};
  }

  // Every migration applied, then each row of `sql` as `line` writes it,
  // each followed by a space.
  static std::string MigrateAndRead(db::Database& db, const std::string& sql,
                                    const std::function<std::string(const db::Row&)>& line) {
    EXPECT_TRUE(db::Migrate(db, {Migrations()}).ok());
    auto read = db.Read([&](db::Connection& c) -> Result<std::string> {
      TRY_ASSIGN(db::Rows rows, c.Query(sql));
      std::string out;
      for (const auto& r : rows) out += line(r) + " ";
      return out;
    });
    EXPECT_TRUE(read.ok()) << nongsan::testing::ErrorText(read);
    return read.ok() ? *read : "";
  }
};

TEST_P(TraceMigration, ScansAndCapturedEventsRecordedBeforeMigration4AreCarriedOver) {
  auto db = MigratedTo(3);
  auto seeded = db->Write([](db::Connection& c) -> Status {
    // Lot 1: two captured events and a platform one after them; lot 2: only
    // the platform's; lot 3 never scanned.
    return Seed(c, 3, {7, 14, 0},
                {{1, "capture", "receiving"},
                 {1, "capture", "receiving"},
                 {2, "platform", "receiving"},
                 {1, "platform", "receiving"}});
  });
  ASSERT_TRUE(seeded.ok()) << nongsan::testing::ErrorText(seeded);
  const std::string read =
      MigrateAndRead(*db,
                     "SELECT l.id, COALESCE(s.scans, -1), l.timeline_version, "
                     "(SELECT MAX(id) FROM trace_epcis_events WHERE source = 'capture') "
                     "FROM trace_lots l LEFT JOIN trace_lot_scans s ON s.lot_id = l.id ORDER BY l.id",
                     [](const db::Row& r) {
                       return std::to_string(r.Int(0)) + ":" + std::to_string(r.Int(1)) + ":" +
                              (r.Int(2) == r.Int(3) ? "newest" : std::to_string(r.Int(2)));
                     });
  // Lot 3 was never scanned: no row (the API reads it as 0).
  EXPECT_EQ(read, "1:7:newest 2:14:0 3:-1:0 ");
}

// Migration 5: a lot's pages read their lines by the newest event they show,
// which is now also a decision of the platform's (not its shipping).
TEST_P(TraceMigration, DecisionsRecordedBeforeMigration5ShowOnTheLotsPage) {
  auto db = MigratedTo(4);
  auto seeded = db->Write([](db::Connection& c) -> Status {
    // Lot 1: captured, then held; lot 2: only shipped; lot 3: held, then captured.
    return Seed(c, 3, {},
                {{1, "capture", "receiving"},
                 {1, "platform", "holding"},
                 {2, "platform", "shipping"},
                 {3, "platform", "holding"},
                 {3, "capture", "receiving"}});
  });
  ASSERT_TRUE(seeded.ok()) << nongsan::testing::ErrorText(seeded);
  const std::string read = MigrateAndRead(*db,
                                          "SELECT l.id, e.source, e.biz_step FROM trace_lots l "
                                          "LEFT JOIN trace_epcis_events e ON e.id = l.timeline_version "
                                          "ORDER BY l.id",
                                          [](const db::Row& r) {
                                            return std::to_string(r.Int(0)) + ":" +
                                                   (r.IsNull(1) ? "none" : r.Text(1) + "/" + r.Text(2));
                                          });
  EXPECT_EQ(read, "1:platform/holding 2:none 3:capture/receiving ");
}

INSTANTIATE_TEST_SUITE_P(Trace, TraceMigration, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::trace::testing
