// The traceability API end to end on both backends, over real HTTP against a
// real App: a GS1 prefix recorded and verified, GTINs numbered from it and
// drawn as barcodes that Debian's zbarimg reads back, production lots with
// their refusals (nothing stored), and each lot's QR code decoded to the
// GS1 Digital Link URI or the household trace page.
#include <gtest/gtest.h>

#include "trace/trace_test_support.hpp"

namespace nongsan::trace::testing {
namespace {

using nlohmann::json;

class TraceApi : public TraceWorld {};

TEST_P(TraceApi, PrefixIsCheckedThenVerifiedByTheCommunesOfficer) {
  auto client = app_->Client();
  const std::string path = ShopPath(shop_) + "/gs1-prefix";
  for (const char* bad : {"8945012", "893501", "89350123456", "89350AB"}) {
    auto refused = client.Put(path, json{{"company_prefix", bad}}, shop_.owner.auth);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_TRUE(HasField(refused.Json(), "company_prefix")) << refused.body;
  }
  EXPECT_EQ(CountRows("trace_gs1_prefixes"), 0);

  auto put = client.Put(path, json{{"company_prefix", "8935012"}}, shop_.owner.auth);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["status"], "pending");
  EXPECT_EQ(put.Json()["gtins_capacity"], 100000);

  // A GTIN cannot be numbered from a prefix nobody checked.
  auto early = client.Post(ProductPath(tea_) + "/gtin", json::object(), shop_.owner.auth);
  EXPECT_EQ(early.status, 409) << early.body;

  EXPECT_EQ(client.Post(path + "/verify", json::object(), far_officer_.auth).status, 404);
  EXPECT_EQ(client.Post(path + "/verify", json::object(), buyer_.auth).status, 404);
  EXPECT_EQ(client.Post(path + "/verify", json::object(), shop_.owner.auth).status, 403);
  auto verified = client.Post(path + "/verify", json::object(), officer_.auth);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.Json()["status"], "verified");

  // Another shop cannot record the same prefix.
  auto taken = client.Put(ShopPath(other_shop_) + "/gs1-prefix", json{{"company_prefix", "8935012"}},
                          other_shop_.owner.auth);
  EXPECT_EQ(taken.status, 400);
  EXPECT_TRUE(HasField(taken.Json(), "company_prefix"));
}

TEST_P(TraceApi, GtinsAreNumberedInSequenceAndTheirBarcodesDecode) {
  VerifiedPrefix("8935012");
  auto client = app_->Client();
  auto first = client.Post(ProductPath(tea_) + "/gtin", "", shop_.owner.auth);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json()["gtin"], "8935012000002");
  EXPECT_EQ(first.Json()["gtin14"], "08935012000002");
  EXPECT_EQ(client.Get(ProductPath(tea_), shop_.owner.auth).Json()["gtin"], "8935012000002");

  // The product already has one: nothing is numbered.
  EXPECT_EQ(client.Post(ProductPath(tea_) + "/gtin", "", shop_.owner.auth).status, 409);
  orders::testing::ProductSpec green;
  green.name = "Chè xanh";
  const std::int64_t green_tea = seeder_->NewProduct(shop_, green);
  auto second = client.Post(ProductPath(green_tea) + "/gtin", "", shop_.owner.auth);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.Json()["gtin"], "8935012000019");

  // zbar checks the EAN-13 check digit itself: a wrong one would not decode.
  auto png = client.Get(ProductPath(tea_) + "/barcode.png");
  ASSERT_EQ(png.status, 200) << png.body;
  EXPECT_EQ(png.Header("content-type"), "image/png");
  EXPECT_EQ(DecodeWithZbar(png.body, false), "8935012000002");
  auto svg = client.Get(ProductPath(green_tea) + "/barcode.svg");
  ASSERT_EQ(svg.status, 200) << svg.body;
  EXPECT_EQ(svg.Header("content-type"), "image/svg+xml");
  EXPECT_NE(svg.body.find(">8<"), std::string::npos) << "human-readable digits drawn";
  EXPECT_EQ(DecodeWithZbar(svg.body, true), "8935012000019");

  // Another shop's manager cannot number this shop's products.
  orders::testing::ProductSpec third;
  third.name = "Chè móc câu";
  const std::int64_t hook_tea = seeder_->NewProduct(shop_, third);
  EXPECT_EQ(client.Post(ProductPath(hook_tea) + "/gtin", "", other_shop_.owner.auth).status, 404);
}

TEST_P(TraceApi, UsedUpPrefixAnswers409AndHandGivenGtinsAreChecked) {
  VerifiedPrefix("8935012345");
  ASSERT_TRUE(app_->app()
                  .db()
                  .WriteWith([](db::Connection& c) -> Status {
                    TRY(c.Exec("UPDATE trace_gs1_prefixes SET next_item_ref = 100"));
                    return Ok{};
                  })
                  .ok());
  auto client = app_->Client();
  auto exhausted = client.Post(ProductPath(tea_) + "/gtin", "", shop_.owner.auth);
  EXPECT_EQ(exhausted.status, 409) << exhausted.body;
  EXPECT_NE(exhausted.body.find("prefix_exhausted"), std::string::npos);

  auto wrong = client.Post(ProductPath(tea_) + "/gtin", json{{"gtin", "8935012345678"}}, shop_.owner.auth);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(HasField(wrong.Json(), "gtin")) << wrong.body;
  EXPECT_EQ(client.Get(ProductPath(tea_) + "/barcode.svg").status, 404);
  EXPECT_EQ(CountRows("trace_gtins"), 0);

  auto given = client.Post(ProductPath(tea_) + "/gtin", json{{"gtin", "4006381333931"}}, shop_.owner.auth);
  ASSERT_EQ(given.status, 201) << given.body;
  EXPECT_EQ(given.Json()["assigned"], false);
  EXPECT_EQ(DecodeWithZbar(client.Get(ProductPath(tea_) + "/barcode.png").body, false), "4006381333931");
  // The same GTIN on a second product is refused.
  auto again =
      client.Post(ProductPath(rice_) + "/gtin", json{{"gtin", "4006381333931"}}, other_shop_.owner.auth);
  EXPECT_EQ(again.status, 400) << again.body;
  EXPECT_TRUE(HasField(again.Json(), "gtin"));
}

TEST_P(TraceApi, BadLotsNameTheFieldAndStoreNothing) {
  auto client = app_->Client();
  const std::string path = ProductPath(tea_) + "/lots";
  json too_long = LotBody(std::string(21, 'L'));
  json bad_chars = LotBody("LÔ#1");
  json expired = LotBody();
  expired["expires_on"] = "2026-11-01";
  json bad_log = LotBody();
  bad_log["farming_log"][1]["date"] = "18/11/2026";
  json bad_commune = LotBody();
  bad_commune["origin_commune_code"] = "99999";
  json zero = LotBody();
  zero["quantity"] = 0;
  const std::pair<json, std::string> cases[] = {{too_long, "code"},
                                                {bad_chars, "code"},
                                                {expired, "expires_on"},
                                                {bad_log, "farming_log[1].date"},
                                                {bad_commune, "origin_commune_code"},
                                                {zero, "quantity"}};
  for (const auto& [body, field] : cases) {
    auto refused = client.Post(path, body, shop_.owner.auth);
    EXPECT_EQ(refused.status, 400) << field << ": " << refused.body;
    EXPECT_TRUE(HasField(refused.Json(), field)) << field << ": " << refused.body;
  }
  EXPECT_EQ(CountRows("trace_lots"), 0);
  EXPECT_EQ(client.Post(path, LotBody(), other_shop_.owner.auth).status, 404);
  EXPECT_EQ(client.Post(path, LotBody()).status, 401);
  EXPECT_EQ(CountRows("trace_lots"), 0);
}

TEST_P(TraceApi, LotLifecycleAndWhoSeesIt) {
  auto client = app_->Client();
  auto created = client.Post(ProductPath(tea_) + "/lots", LotBody(), shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const json lot = created.Json();
  EXPECT_EQ(lot["status"], "active");
  EXPECT_EQ(lot["remaining"], 120);
  EXPECT_EQ(lot["origin_commune_code"], kShopCommune);
  EXPECT_EQ(lot["origin_province_code"], "19");
  EXPECT_EQ(lot["farming_log"].size(), 2u);
  EXPECT_EQ(lot["farming_log"][1]["note"], "Hái một tôm hai lá");
  const std::string lot_path = "/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>());

  auto duplicate = client.Post(ProductPath(tea_) + "/lots", LotBody(), shop_.owner.auth);
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_TRUE(HasField(duplicate.Json(), "code"));

  EXPECT_EQ(client.Get(lot_path, shop_.owner.auth).status, 200);
  EXPECT_EQ(client.Get(lot_path, officer_.auth).status, 200);
  EXPECT_EQ(client.Get(lot_path, far_officer_.auth).status, 404);
  EXPECT_EQ(client.Get(lot_path, other_shop_.owner.auth).status, 404);
  EXPECT_EQ(client.Get(lot_path).status, 401);
  auto list = client.Get(ProductPath(tea_) + "/lots", shop_.owner.auth);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json()["items"].size(), 1u);

  auto patched = client.Patch(lot_path, json{{"quantity", 150}, {"plot", "Đồi chè số 4"}}, shop_.owner.auth);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["quantity"], 150);
  EXPECT_EQ(patched.Json()["plot"], "Đồi chè số 4");
  auto bad_patch = client.Patch(lot_path, json{{"expires_on", "2026-01-01"}}, shop_.owner.auth);
  EXPECT_EQ(bad_patch.status, 400);
  EXPECT_TRUE(HasField(bad_patch.Json(), "expires_on"));
  EXPECT_EQ(client.Get(lot_path, shop_.owner.auth).Json()["expires_on"], "2027-05-20");

  // Once something was packed from it, the lot's facts are fixed.
  ASSERT_TRUE(app_->app()
                  .db()
                  .WriteWith([](db::Connection& c) -> Status {
                    TRY(c.Exec("UPDATE trace_lots SET packed = 1"));
                    return Ok{};
                  })
                  .ok());
  EXPECT_EQ(client.Patch(lot_path, json{{"quantity", 10}}, shop_.owner.auth).status, 409);
}

TEST_P(TraceApi, QrCodesCarryTheDigitalLinkOrTheTracePage) {
  VerifiedPrefix("8935012");
  auto client = app_->Client();
  ASSERT_EQ(client.Post(ProductPath(tea_) + "/gtin", "", shop_.owner.auth).status, 201);
  auto with_gtin = client.Post(ProductPath(tea_) + "/lots", LotBody("CHE-26.11"), shop_.owner.auth);
  ASSERT_EQ(with_gtin.status, 201) << with_gtin.body;
  const std::string link = std::string(kBaseUrl) + "/01/08935012000002/10/CHE-26.11?17=270520";
  EXPECT_EQ(with_gtin.Json()["uri"], link);
  const std::string qr =
      "/api/v1/lots/" + std::to_string(with_gtin.Json()["id"].get<std::int64_t>()) + "/qr.";
  EXPECT_EQ(DecodeWithZbar(client.Get(qr + "png", shop_.owner.auth).body, false), link);
  EXPECT_EQ(DecodeWithZbar(client.Get(qr + "svg", shop_.owner.auth).body, true), link);

  // A household product without a GTIN: the QR opens the lot's trace page.
  auto plain = client.Post(ProductPath(rice_) + "/lots", LotBody("GAO-1"), other_shop_.owner.auth);
  ASSERT_EQ(plain.status, 201) << plain.body;
  const std::string page =
      std::string(kBaseUrl) + "/truy-xuat/" + plain.Json()["public_code"].get<std::string>();
  const std::string plain_qr =
      "/api/v1/lots/" + std::to_string(plain.Json()["id"].get<std::int64_t>()) + "/qr.png";
  EXPECT_EQ(DecodeWithZbar(client.Get(plain_qr, other_shop_.owner.auth).body, false), page);
}

INSTANTIATE_TEST_SUITE_P(Trace, TraceApi, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::trace::testing
