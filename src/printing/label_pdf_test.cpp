// Labels as PDF over real HTTP on each backend, read back with poppler,
// qpdf and zbar (printing/pdf_tools.hpp): every mandatory field with its
// diacritics, the page size, embedded fonts, the EAN-13 and the lot's QR;
// A4 sheets; who may print; and every refusal.
#include "printing/label_pdf.hpp"

#include <cmath>

#include "printing/pdf_tools.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::printing::testing {
namespace {

using nlohmann::json;
using nongsan::testing::ClientResponse;
using nongsan::trace::testing::HasField;

// A valid GTIN-13 under the test prefix 8935012 (DOMAIN.md's example).
constexpr const char* kGtin = "8935012345677";
// pdfinfo's page size against the asked one (the tolerance).
constexpr double kSizeToleranceMm = 0.5;

std::size_t Count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

class LabelPdf : public trace::testing::TraceWorld {
 protected:
  void SetUp() override {
    TraceWorld::SetUp();
    client_ = std::make_unique<nongsan::testing::HttpClient>(app_->Client());
  }
  void TearDown() override {
    client_.reset();
    TraceWorld::TearDown();
  }

  std::string LabelPath(std::int64_t product, const std::string& query = "") const {
    return ProductPath(product) + "/label.pdf" + (query.empty() ? "" : "?" + query);
  }

  // The tea product with what its label must carry, a GTIN and (optionally)
  // a verified OCOP rating.
  void CompleteTea(bool ocop) {
    ClientResponse patched = client_->Patch(ProductPath(tea_),
                                            json{{"gtin", kGtin},
                                                 {"brand", "Chè Đức Xuân"},
                                                 {"net_quantity", "500 g"},
                                                 {"storage_instructions", "Nơi khô ráo, tránh ánh nắng"},
                                                 {"shelf_life_days", 365}},
                                            shop_.owner.auth);
    ASSERT_EQ(patched.status, 200) << patched.body;
    if (!ocop) return;
    json cert = {{"kind", "ocop"},
                 {"number", "OCOP-TN-2026-17"},
                 {"issuer", "UBND tỉnh Thái Nguyên"},
                 {"ocop_stars", 4},
                 {"ocop_group", "drinks"},
                 {"issued_on", "2026-02-01"},
                 {"expires_on", "2027-01-31"},
                 {"product_ids", {tea_}}};
    ClientResponse created = client_->Post(ShopPath(shop_) + "/certificates", cert, shop_.owner.auth);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = std::to_string(created.Json()["id"].get<std::int64_t>());
    ASSERT_EQ(client_->Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  }

  // A lot of the product; returns {id, uri}.
  std::pair<std::int64_t, std::string> NewLot(std::int64_t product, const orders::testing::Person& owner,
                                              const std::string& code = "CHE-2026-11") {
    ClientResponse r = client_->Post(ProductPath(product) + "/lots", LotBody(code), owner.auth);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {0, ""};
    return {r.Json()["id"].get<std::int64_t>(), r.Json()["uri"].get<std::string>()};
  }

  std::unique_ptr<nongsan::testing::HttpClient> client_;
};

TEST_P(LabelPdf, SingleLabelCarriesEveryFieldTheBarcodeAndTheLotsQr) {
  CompleteTea(/*ocop=*/true);
  auto [lot, uri] = NewLot(tea_, shop_.owner);
  ASSERT_GT(lot, 0);
  ClientResponse r =
      client_->Get(LabelPath(tea_, "lot=" + std::to_string(lot) + "&size=70x50"), shop_.owner.auth);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/pdf");
  PdfFile pdf(r.body);

  const ToolRun check = pdf.QpdfCheck();
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(pdf.Pages(), 1);
  auto [w, h] = pdf.PageSizeMm();
  EXPECT_NEAR(w, 70.0, kSizeToleranceMm) << pdf.Info();
  EXPECT_NEAR(h, 50.0, kSizeToleranceMm);
  std::string fonts;
  EXPECT_TRUE(pdf.AllFontsEmbedded(&fonts)) << fonts;
  EXPECT_NE(fonts.find("NotoSans"), std::string::npos) << fonts;

  // pdftotext may break a paragraph anywhere; join its lines to search.
  std::string text = pdf.Text();
  for (char& c : text) c = c == '\n' ? ' ' : c;
  std::string flat;
  for (char c : text) {
    if (c == ' ' && !flat.empty() && flat.back() == ' ') continue;
    flat += c;
  }
  for (const char* expected : {"Chè búp Đức Xuân",
                               "Nhãn hiệu:",
                               "Chè Đức Xuân",
                               "Định lượng:",
                               "500 g",
                               "Lô:",
                               "CHE-2026-11",
                               "NSX:",
                               "20/11/2026",
                               "HSD:",
                               "20/05/2027",
                               "Bảo quản:",
                               "Nơi khô ráo, tránh ánh nắng",
                               "Xuất xứ:",
                               "Phường Đức Xuân",
                               "Việt Nam",
                               "Chịu trách nhiệm:",
                               "HTX Chè Đức Xuân",
                               "Xóm 1",
                               "OCOP",
                               "(4 sao)"}) {
    EXPECT_NE(flat.find(expected), std::string::npos) << expected << " not in:\n" << flat;
  }
  // With a lot, its expiry date stands where the shelf life would.
  EXPECT_EQ(flat.find("365 ngày"), std::string::npos);

  const std::string decoded = pdf.Decode();
  EXPECT_NE(decoded.find(kGtin), std::string::npos) << decoded;
  EXPECT_NE(decoded.find(uri), std::string::npos) << "expected " << uri << " in:\n" << decoded;
  EXPECT_EQ(uri.rfind(std::string(trace::testing::kBaseUrl) + "/01/0" + kGtin + "/10/CHE-2026-11", 0), 0u)
      << uri;
}

TEST_P(LabelPdf, WithoutALotTheShelfLifePrintsAndNoQr) {
  CompleteTea(/*ocop=*/false);
  for (const char* size : {"70x50", "100x70"}) {
    ClientResponse r = client_->Get(LabelPath(tea_, std::string("size=") + size), officer_.auth);
    ASSERT_EQ(r.status, 200) << size << ": " << r.body;
    PdfFile pdf(r.body);
    auto [w, h] = pdf.PageSizeMm();
    const LabelSize* spec = FindLabelSize(size);
    ASSERT_NE(spec, nullptr);
    EXPECT_NEAR(w, spec->width_mm, kSizeToleranceMm);
    EXPECT_NEAR(h, spec->height_mm, kSizeToleranceMm);
    std::string text = pdf.Text();
    EXPECT_NE(text.find("365 ngày"), std::string::npos) << text;
    EXPECT_EQ(text.find("OCOP"), std::string::npos);  // not rated
    const std::string decoded = pdf.Decode();
    EXPECT_EQ(decoded, std::string(kGtin) + "\n") << size;  // the barcode alone: no lot, no QR
  }
}

// A registered trademark prints with its certificate number (through
// QualityService::GrantedTrademarks): not while it is only filed, and once
// the grant is recorded on the filing and an officer has confirmed it.
TEST_P(LabelPdf, AGrantedTrademarkPrintsWithItsNumberAndAFilingDoesNot) {
  CompleteTea(/*ocop=*/false);
  ClientResponse filed = client_->Post(ShopPath(shop_) + "/certificates",
                                       json{{"kind", "trademark"},
                                            {"issuer", "Cục Sở hữu trí tuệ"},
                                            {"application_number", "4-2024-12345"},
                                            {"filing_date", "2024-03-15"},
                                            {"trademark_status", "filed"},
                                            {"product_ids", {tea_}}},
                                       shop_.owner.auth);
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string id = std::to_string(filed.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(client_->Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  auto flat_text = [&]() {
    ClientResponse r = client_->Get(LabelPath(tea_, "size=100x70"), shop_.owner.auth);
    EXPECT_EQ(r.status, 200) << r.body;
    std::string flat;
    for (char c : PdfFile(r.body).Text()) {
      c = c == '\n' ? ' ' : c;
      if (c == ' ' && !flat.empty() && flat.back() == ' ') continue;
      flat += c;
    }
    return flat;
  };
  std::string text = flat_text();
  EXPECT_EQ(text.find("Nhãn hiệu đã đăng ký"), std::string::npos) << "a filing is no registration:\n" << text;
  EXPECT_EQ(text.find("4-2024-12345"), std::string::npos);

  ClientResponse granted =
      client_->Post("/api/v1/certificates/" + id + "/trademark",
                    json{{"trademark_status", "granted"}, {"number", "512345"}}, shop_.owner.auth);
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(flat_text().find("512345"), std::string::npos) << "not before an officer confirms the grant";
  ASSERT_EQ(client_->Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  text = flat_text();
  EXPECT_NE(text.find("Nhãn hiệu đã đăng ký: số 512345"), std::string::npos) << text;
  EXPECT_NE(text.find("Chè Đức Xuân"), std::string::npos) << "beside the brand";
}

TEST_P(LabelPdf, A4SheetsHoldTheStocksGrid) {
  CompleteTea(/*ocop=*/false);
  auto [lot, uri] = NewLot(tea_, shop_.owner);
  ClientResponse r = client_->Get(
      LabelPath(tea_, "lot=" + std::to_string(lot) + "&size=70x50&sheet=a4&copies=40"), shop_.owner.auth);
  ASSERT_EQ(r.status, 200) << r.body;
  PdfFile pdf(r.body);
  EXPECT_EQ(pdf.QpdfCheck().exit_code, 0);
  const LabelSize* medium = FindLabelSize("70x50");
  EXPECT_EQ(pdf.Pages(), (40 + medium->per_sheet() - 1) / medium->per_sheet());  // 15 a sheet: three sheets
  auto [w, h] = pdf.PageSizeMm();
  EXPECT_NEAR(w, kA4WidthMm, kSizeToleranceMm);
  EXPECT_NEAR(h, kA4HeightMm, kSizeToleranceMm);
  EXPECT_EQ(Count(pdf.Text(), "CHE-2026-11"), 40u);
  const std::string decoded = pdf.Decode(1);
  EXPECT_GE(Count(decoded, kGtin), 1u) << decoded;
  EXPECT_GE(Count(decoded, uri), 1u) << decoded;

  // Without copies, one full sheet.
  ClientResponse sheet = client_->Get(LabelPath(tea_, "size=100x70&sheet=a4"), shop_.owner.auth);
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  PdfFile one(sheet.body);
  EXPECT_EQ(one.Pages(), 1);
  EXPECT_EQ(Count(one.Text(), "365 ngày"), static_cast<std::size_t>(FindLabelSize("100x70")->per_sheet()));
}

TEST_P(LabelPdf, OnlyTheShopsPeopleAndItsOfficialsPrint) {
  CompleteTea(/*ocop=*/false);
  const std::string path = LabelPath(tea_, "size=70x50");
  EXPECT_EQ(client_->Get(path).status, 401);
  EXPECT_EQ(client_->Get(path, buyer_.auth).status, 404);
  EXPECT_EQ(client_->Get(path, far_officer_.auth).status, 404);
  EXPECT_EQ(client_->Get(path, other_shop_.owner.auth).status, 404);
  EXPECT_EQ(client_->Get(path, officer_.auth).status, 200);
  EXPECT_EQ(client_->Get(path, shop_.owner.auth).status, 200);
  EXPECT_EQ(client_->Get(LabelPath(999999, "size=70x50"), shop_.owner.auth).status, 404);
}

TEST_P(LabelPdf, BadInputIsAProblemNamingTheField) {
  CompleteTea(/*ocop=*/false);
  struct Case {
    std::string query;
    int status;
    std::string field;
  };
  auto [rice_lot, rice_uri] = NewLot(rice_, other_shop_.owner, "GAO-1");
  const std::vector<Case> cases = {
      {"size=60x40", 400, "size"},
      {"sheet=a3", 400, "sheet"},
      {"copies=" + std::to_string(kMaxCopies + 1), 400, "copies"},
      {"copies=0", 400, "copies"},
      {"copies=nhieu", 400, "copies"},
      {"lot=abc", 400, "lot"},
      {"lot=" + std::to_string(rice_lot), 422, "lot"},  // another product's lot
      {"lot=99999999", 422, "lot"},
  };
  for (const Case& c : cases) {
    ClientResponse r = client_->Get(LabelPath(tea_, c.query), shop_.owner.auth);
    EXPECT_EQ(r.status, c.status) << c.query << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.query;
    EXPECT_TRUE(HasField(r.Json(), c.field)) << c.query << ": " << r.body;
  }
}

TEST_P(LabelPdf, MissingMandatoryFieldsAreListed) {
  // Processed food: ingredients, storage, net quantity and an expiry are law.
  ClientResponse made =
      client_->Patch(ProductPath(tea_), json{{"category", "proc-dried-meat"}}, shop_.owner.auth);
  ASSERT_EQ(made.status, 200) << made.body;
  ClientResponse r = client_->Get(LabelPath(tea_), shop_.owner.auth);
  ASSERT_EQ(r.status, 422) << r.body;
  const json problem = r.Json();
  EXPECT_EQ(problem["code"], "label_incomplete") << r.body;
  EXPECT_EQ(problem["missing"],
            json({"net_quantity", "expiry_or_shelf_life_days", "ingredients", "storage_instructions"}));
  for (const char* f : {"net_quantity", "expiry_or_shelf_life_days", "ingredients", "storage_instructions"}) {
    EXPECT_TRUE(HasField(problem, f)) << f;
  }
}

TEST_P(LabelPdf, TextTooLongForTheSizeNamesTheField) {
  CompleteTea(/*ocop=*/false);
  std::string long_usage;
  while (long_usage.size() < 550) long_usage += "Pha với nước sôi 90 độ, ủ ba phút rồi rót ra chén. ";
  ASSERT_EQ(
      client_->Patch(ProductPath(tea_), json{{"usage_instructions", long_usage}}, shop_.owner.auth).status,
      200);
  ClientResponse small = client_->Get(LabelPath(tea_, "size=50x30"), shop_.owner.auth);
  ASSERT_EQ(small.status, 422) << small.body;
  EXPECT_TRUE(HasField(small.Json(), "usage_instructions")) << small.body;
  // The same text shrinks onto the largest label.
  ClientResponse large = client_->Get(LabelPath(tea_, "size=100x70"), shop_.owner.auth);
  EXPECT_EQ(large.status, 200) << large.body;
}

TEST_P(LabelPdf, PrintPageAnswersThePdfOrSaysWhatToFixInVietnamese) {
  const std::string page = "/kenh-ban/san-pham/" + std::to_string(tea_) + "/in-nhan";
  ClientResponse form = client_->Get(page, shop_.owner.auth);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("Cỡ nhãn"), std::string::npos);
  EXPECT_NE(form.body.find("name=\"copies\""), std::string::npos);

  // The tea has no label data yet: the page lists what to fill in.
  ClientResponse missing = client_->Get(page + "?size=50x30&sheet=single&copies=1&lot=", shop_.owner.auth);
  ASSERT_EQ(missing.status, 422) << missing.body;
  EXPECT_NE(missing.body.find("Nghị định 43/2017"), std::string::npos) << missing.body;
  EXPECT_NE(missing.body.find("Định lượng"), std::string::npos);
  ClientResponse copies = client_->Get(page + "?size=50x30&sheet=single&copies=9999&lot=", shop_.owner.auth);
  ASSERT_EQ(copies.status, 422);
  EXPECT_NE(copies.body.find("Số nhãn từ 1 đến 500"), std::string::npos) << copies.body;

  CompleteTea(/*ocop=*/false);
  ClientResponse pdf = client_->Get(page + "?size=70x50&sheet=a4&copies=3&lot=", shop_.owner.auth);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
  PdfFile file(pdf.body);
  EXPECT_EQ(Count(file.Text(), "Chè búp Đức Xuân"), 3u);
  EXPECT_EQ(client_->Get(page, far_officer_.auth).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Printing, LabelPdf, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::printing::testing
