// Catalogues as PDF: over real HTTP on each backend (a shop with a photo, a
// GTIN, an OCOP rating), read back with poppler, qpdf and zbar; and the
// grouping of a cooperative's members, through the service over fake ports.
#include <vips/vips8>

#include "printing/catalogue_service.hpp"
#include "printing/label_pdf.hpp"
#include "printing/pdf_tools.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::printing::testing {
namespace {

using nlohmann::json;
using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::trace::testing::HasField;

constexpr const char* kGtin = "8935012345677";
constexpr double kSizeToleranceMm = 0.5;

// A photo as a phone would send it (libvips encodes; the server re-encodes).
std::string PhotoJpeg() {
  vips::VImage image = vips::VImage::black(800, 600).new_from_image(std::vector<double>{40, 160, 60});
  VipsBlob* blob = image.cast(VIPS_FORMAT_UCHAR).jpegsave_buffer();
  std::size_t n = 0;
  const void* data = vips_blob_get(blob, &n);
  std::string out(static_cast<const char*>(data), n);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

// pdftotext's words joined by single spaces (it breaks lines anywhere).
std::string Flat(const std::string& text) {
  std::string out;
  for (char c : text) {
    const char d = (c == '\n' || c == '\f') ? ' ' : c;
    if (d == ' ' && !out.empty() && out.back() == ' ') continue;
    out += d;
  }
  return out;
}

class CataloguePdf : public trace::testing::TraceWorld {
 protected:
  void SetUp() override {
    TraceWorld::SetUp();
    client_ = std::make_unique<nongsan::testing::HttpClient>(app_->Client());
  }
  void TearDown() override {
    client_.reset();
    TraceWorld::TearDown();
  }
  std::string CataloguePath(const std::string& query = "") const {
    return ShopPath(shop_) + "/catalogue.pdf" + (query.empty() ? "" : "?" + query);
  }

  // The tea with a GTIN, its net quantity, a photo and a verified OCOP rating.
  void DressTea() {
    ASSERT_EQ(
        client_->Patch(ProductPath(tea_), json{{"gtin", kGtin}, {"net_quantity", "500 g"}}, shop_.owner.auth)
            .status,
        200);
    ClientHeaders photo = shop_.owner.auth;
    photo["Content-Type"] = "image/jpeg";
    ClientResponse uploaded = client_->Post(ProductPath(tea_) + "/photos", PhotoJpeg(), photo);
    ASSERT_EQ(uploaded.status, 201) << uploaded.body;
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

  std::unique_ptr<nongsan::testing::HttpClient> client_;
};

TEST_P(CataloguePdf, CoverCertificatesAndProductsReadBackWithPoppler) {
  DressTea();
  orders::testing::ProductSpec second;
  second.name = "Chè nõn tôm Đức Xuân";
  second.price_vnd = 350'000;
  seeder_->NewProduct(shop_, second);

  ClientResponse r = client_->Get(CataloguePath());  // anyone: promotional material
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/pdf");
  PdfFile pdf(r.body);
  const ToolRun check = pdf.QpdfCheck();
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(pdf.Pages(), 3);  // cover; contents and certificates; one page of products
  auto [w, h] = pdf.PageSizeMm();
  EXPECT_NEAR(w, kA4WidthMm, kSizeToleranceMm);
  EXPECT_NEAR(h, kA4HeightMm, kSizeToleranceMm);
  std::string fonts;
  EXPECT_TRUE(pdf.AllFontsEmbedded(&fonts)) << fonts;

  const std::string text = Flat(pdf.Text());
  for (const char* expected : {"HTX Chè Đức Xuân", "Mục lục", "Chứng nhận", "OCOP", "OCOP-TN-2026-17",
                               "UBND tỉnh Thái Nguyên", "Chè búp Đức Xuân", "Chè nõn tôm Đức Xuân", "100.000",
                               "350.000", "Định lượng: 500 g", "Trang 2/3", "Trang 3/3", "Xóm 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " not in:\n" << text;
  }
  const std::string decoded = pdf.Decode(3);
  EXPECT_NE(decoded.find(kGtin), std::string::npos) << decoded;
  const std::string page_url =
      std::string(trace::testing::kBaseUrl) + "/san-pham/che-bup-duc-xuan-" + std::to_string(tea_);
  EXPECT_NE(decoded.find(page_url), std::string::npos) << "expected " << page_url << " in:\n" << decoded;

  ClientResponse english = client_->Get(CataloguePath("lang=en"));
  ASSERT_EQ(english.status, 200);
  PdfFile en(english.body);
  const std::string en_text = Flat(en.Text());
  EXPECT_NE(en_text.find("Contents"), std::string::npos) << en_text;
  EXPECT_NE(en_text.find("Page 3/3"), std::string::npos);

  ClientResponse french = client_->Get(CataloguePath("lang=fr"));
  EXPECT_EQ(french.status, 400);
  EXPECT_TRUE(HasField(french.Json(), "lang")) << french.body;
  EXPECT_EQ(client_->Get("/api/v1/sellers/999999/catalogue.pdf").status, 404);
}

TEST_P(CataloguePdf, APhotoIsEmbeddedAsItsJpegAndTheCacheFollowsChanges) {
  DressTea();
  ClientResponse first = client_->Get(CataloguePath());
  ASSERT_EQ(first.status, 200);
  PdfFile pdf(first.body);
  const ToolRun images = RunTool("pdfimages -list '" + pdf.path() + "'");
  EXPECT_NE(images.out.find("jpeg"), std::string::npos) << images.out;

  ClientResponse again = client_->Get(CataloguePath());
  EXPECT_EQ(again.body, first.body);  // unchanged: the cached PDF
  ASSERT_EQ(client_->Patch(ProductPath(tea_), json{{"price_vnd", 120000}}, shop_.owner.auth).status, 200);
  ClientResponse changed = client_->Get(CataloguePath());
  ASSERT_EQ(changed.status, 200);
  EXPECT_NE(changed.body, first.body);
  PdfFile repriced(changed.body);
  EXPECT_NE(Flat(repriced.Text()).find("120.000"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Printing, CataloguePdf, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

// ---- a cooperative's catalogue, over fake ports

class FakeShops final : public ShopPort {
 public:
  Result<std::optional<ShopInfo>> Find(std::int64_t id) override {
    for (const auto& s : shops) {
      if (s.id == id) return std::optional<ShopInfo>(s);
    }
    return std::optional<ShopInfo>();
  }
  bool CanManage(const Principal*, std::int64_t) override { return false; }
  bool OfficerCovers(const Principal&, const std::string&) override { return false; }
  Result<std::vector<ShopInfo>> Members(std::int64_t coop_id) override {
    std::vector<ShopInfo> out;
    for (const auto& s : shops) {
      if (s.id != coop_id) out.push_back(s);
    }
    return out;
  }
  std::vector<ShopInfo> shops;
};

class FakeProducts final : public ProductPort {
 public:
  Result<std::optional<ProductInfo>> Find(std::int64_t) override { return std::optional<ProductInfo>(); }
  Result<std::vector<ProductInfo>> OnSale(std::int64_t seller_id) override {
    std::vector<ProductInfo> out;
    for (const auto& p : products) {
      if (p.seller_id == seller_id) out.push_back(p);
    }
    return out;
  }
  Result<std::string> CoverJpeg(const std::string& key, int width) override {
    ++reads;
    auto it = photos.find({key, width});
    if (it == photos.end()) return Error::NotFound("photo");
    return it->second;
  }
  std::vector<ProductInfo> products;
  std::map<std::pair<std::string, int>, std::string> photos;  // (key, width) → stored JPEG
  int reads = 0;
};

class FakeCertificates final : public CertificatePort {
 public:
  Result<std::optional<int>> OcopStars(std::int64_t, std::int64_t) override { return std::optional<int>(); }
  Result<std::map<std::int64_t, int>> OcopStarsToday(const std::vector<std::int64_t>&) override {
    return std::map<std::int64_t, int>{{2, 5}};
  }
  Result<std::vector<CertificateLine>> ShopCertificates(std::int64_t) override {
    return std::vector<CertificateLine>{};
  }
  Result<std::vector<std::string>> TrademarkNumbers(std::int64_t) override {
    return std::vector<std::string>{};
  }
};

ProductInfo Product(std::int64_t id, std::int64_t seller, const std::string& name) {
  ProductInfo p;
  p.id = id;
  p.seller_id = seller;
  p.name = name;
  p.price_vnd = 90'000;
  p.unit = "kg";
  p.page_path = "/san-pham/" + std::to_string(id);
  return p;
}

TEST(CooperativeCatalogue, GroupsMembersProductsUnderTheirNamesWithPageNumbers) {
  FakeShops shops;
  ShopInfo coop;
  coop.id = 1;
  coop.name = "HTX Miến dong Côn Minh";
  coop.is_public = true;
  coop.is_cooperative = true;
  ShopInfo member_a{2, "Hộ Hà Văn Sơn", "Thôn Nà Ngần", "", true};
  ShopInfo member_b{3, "Hộ Triệu Thị Mai", "Thôn Khuổi Luông", "", true};
  ShopInfo quiet{4, "Hộ chưa bán gì", "", "", true};
  shops.shops = {coop, member_a, member_b, quiet};
  FakeProducts products;
  products.products.push_back(Product(1, 1, "Miến dong đặc biệt"));
  for (int i = 0; i < 7; ++i)
    products.products.push_back(Product(10 + i, 2, "Miến dong loại " + std::to_string(i)));
  products.products.push_back(Product(2, 3, "Bột dong riềng"));
  FakeCertificates certificates;
  FakeClock clock(1'796'000'000'000);  // December 2026
  CatalogueService service(clock, "https://nongsan.example.vn", shops, products, certificates);

  auto content = service.Content(nullptr, 1, CatalogueLang::kVi);
  ASSERT_TRUE(content.ok()) << content.error().detail;
  ASSERT_EQ(content->groups.size(), 3u);  // the member without products is left out
  EXPECT_EQ(content->groups[0].title, "HTX Miến dong Côn Minh");
  EXPECT_EQ(content->groups[1].title, "Hộ Hà Văn Sơn");
  EXPECT_EQ(content->groups[1].products.size(), 7u);
  EXPECT_EQ(content->groups[2].title, "Hộ Triệu Thị Mai");
  EXPECT_EQ(content->groups[2].products[0].ocop_stars, 5);

  auto pdf = service.CataloguePdf(nullptr, 1, CatalogueLang::kVi);
  ASSERT_TRUE(pdf.ok()) << pdf.error().detail;
  PdfFile file(*pdf);
  // Cover, contents; the coop's page 3, the first member's 4–5 (seven
  // products), the second member's 6.
  EXPECT_EQ(file.Pages(), 6);
  const std::string text = Flat(file.LayoutText());
  EXPECT_NE(text.find("Hộ Hà Văn Sơn 4"), std::string::npos) << text;
  EXPECT_NE(text.find("Hộ Triệu Thị Mai 6"), std::string::npos) << text;
  EXPECT_NE(text.find("Trang 6/6"), std::string::npos);

  shops.shops[0].is_public = false;  // suspended: not for the public any more
  EXPECT_EQ(service.Content(nullptr, 1, CatalogueLang::kVi).error().code, ErrorCode::kNotFound);
}

// Each frame prints a stored rendition as it is: the 480 px JPEG within the
// budget, else the 160 px one; a cached catalogue reads no photo file again.
TEST(CataloguePhotos, LightPhotosPrintAt480HeavyOnesAt160AndACachedCatalogueReadsNone) {
  FakeShops shops;
  ShopInfo shop;
  shop.id = 1;
  shop.name = "Chè Hảo Đạt";
  shop.is_public = true;
  shops.shops = {shop};
  FakeProducts products;
  ProductInfo light = Product(1, 1, "Chè búp");
  light.cover_photo = "light";
  ProductInfo heavy = Product(2, 1, "Chè móc câu");
  heavy.cover_photo = "heavy";
  products.products = {light, heavy};
  const std::string light_480(kMaxCataloguePhotoBytes, 'l');
  const std::string heavy_480(kMaxCataloguePhotoBytes + 1, 'h');
  products.photos[{"light", kCataloguePhotoWidth}] = light_480;
  products.photos[{"light", kCatalogueSmallPhotoWidth}] = "light-160";
  products.photos[{"heavy", kCataloguePhotoWidth}] = heavy_480;
  products.photos[{"heavy", kCatalogueSmallPhotoWidth}] = "heavy-160";
  FakeCertificates certificates;
  FakeClock clock(1'796'000'000'000);
  CatalogueService service(clock, "https://nongsan.example.vn", shops, products, certificates);

  auto content = service.Content(nullptr, 1, CatalogueLang::kVi);
  ASSERT_TRUE(content.ok()) << content.error().detail;
  ASSERT_EQ(content->groups.size(), 1u);
  ASSERT_EQ(content->groups[0].products.size(), 2u);
  EXPECT_EQ(content->groups[0].products[0].jpeg, light_480);
  EXPECT_EQ(content->groups[0].products[1].jpeg, "heavy-160");
  EXPECT_EQ(content->cover_jpeg, light_480) << "the cover is the first photo at 480 px";

  products.reads = 0;
  ASSERT_TRUE(service.CataloguePdf(nullptr, 1, CatalogueLang::kVi).ok());
  EXPECT_EQ(products.reads, 3) << "480 px of both, 160 px of the heavy one";
  products.reads = 0;
  ASSERT_TRUE(service.CataloguePdf(nullptr, 1, CatalogueLang::kVi).ok());
  EXPECT_EQ(products.reads, 0) << "cached: no photo file read";
  products.products[1].cover_photo = "light";  // a new photo is a new key: rendered again
  ASSERT_TRUE(service.CataloguePdf(nullptr, 1, CatalogueLang::kVi).ok());
  EXPECT_EQ(products.reads, 2);
}

}  // namespace
}  // namespace nongsan::printing::testing
