// The seller's product form keeps a photo already chosen when it comes back
// with an error (issue #12, item 5): over real HTTP on both backends, a bad
// price re-shows the form with the photo attached by a hidden token, the
// corrected form without a new file creates the product with that photo,
// another person cannot use the token, and a file that is not an image is an
// error beside the photo field with nothing created.
#include <gtest/gtest.h>

#include <regex>
#include <vips/vips8>

#include "accounts/auth.hpp"
#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "support/accounts_world.hpp"
#include "support/test_db.hpp"

namespace nongsan::web {
namespace {

using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::TestApp;
using nongsan::testing::World;

constexpr const char* kBoundary = "----nongsan-photo-form";

std::string Jpeg(int width, int height) {
  vips::VImage image = vips::VImage::black(width, height)
                           .new_from_image(std::vector<double>{40, 160, 60})
                           .cast(VIPS_FORMAT_UCHAR);
  VipsBlob* blob = image.jpegsave_buffer();
  std::size_t n = 0;
  const void* data = vips_blob_get(blob, &n);
  std::string out(static_cast<const char*>(data), n);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

struct Part {
  std::string name;
  std::string value;
  bool file = false;
};

std::string Multipart(const std::vector<Part>& parts) {
  std::string body;
  for (const auto& part : parts) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (part.file) body += "; filename=\"anh.jpg\"\r\nContent-Type: image/jpeg";
    body += "\r\n\r\n" + part.value + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

class ProductPhotoForm : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(catalog::InitImageLibrary());
    app_ = std::make_unique<TestApp>(GetParam());
    World world(*app_);
    const auto owner = world.CreateUser("Chị Hoa");
    shop_ =
        world.CreateShop(owner.id, sellers::SellerType::kHousehold, nongsan::testing::kCommuneIn, "Chè Hoa");
    owner_token_ = world.Token(owner.id);
    other_token_ = world.Token(world.CreateUser("Anh Khác").id);
  }

  ClientResponse Post(const std::string& token, const std::string& path, std::vector<Part> parts) {
    parts.push_back({"csrf_token", accounts::CsrfTokenForSessionToken(token)});
    ClientHeaders headers = {{"Cookie", std::string(accounts::kSessionCookieName) + "=" + token},
                             {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
    return app_->Client().Post(path + "?shop=" + std::to_string(shop_), Multipart(parts), headers);
  }

  std::vector<Part> Fields(const std::string& price) const {
    return {{"name", "Chè búp giữ ảnh"}, {"price_vnd", price},     {"unit", "kg"},      {"stock", "5"},
            {"category", "tea-bud"},     {"weight_grams", "1 kg"}, {"status", "active"}};
  }

  std::int64_t Count(const std::string& sql) {
    auto n = app_->app().db().Read([&](db::Connection& c) { return c.QueryInt(sql); });
    return n.ok() ? *n : -1;
  }

  static std::string TokenIn(const std::string& html) {
    std::smatch match;
    static const std::regex field(R"re(name="photo_token" value="([A-Za-z0-9_-]+)")re");
    return std::regex_search(html, match, field) ? match[1].str() : "";
  }

  std::unique_ptr<TestApp> app_;
  std::int64_t shop_ = 0;
  std::string owner_token_;
  std::string other_token_;
};

TEST_P(ProductPhotoForm, APhotoChosenIsKeptWhenThePriceIsWrongAndSavedWithTheFixedForm) {
  std::vector<Part> first = Fields("3.00.0");
  first.push_back({"photo", Jpeg(800, 600), true});
  ClientResponse invalid = Post(owner_token_, "/kenh-ban/san-pham/moi", first);
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_NE(invalid.body.find("id=\"price_vnd-err\">Giá phải là số nguyên dương"), std::string::npos);
  const std::string token = TokenIn(invalid.body);
  ASSERT_FALSE(token.empty()) << "the photo travels with the form";
  EXPECT_NE(invalid.body.find("<img class=\"staged\" src=\"/photos/" + token + "-160"), std::string::npos)
      << "and is shown";
  EXPECT_EQ(app_->Client().Get("/photos/" + token + "-160.webp").status, 200);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_products"), 0) << "nothing saved half-way";

  // Someone else's form cannot take the photo.
  std::vector<Part> stolen = Fields("250000");
  stolen.push_back({"photo_token", token});
  EXPECT_EQ(TokenIn(Post(other_token_, "/kenh-ban/san-pham/moi", stolen).body), "");

  std::vector<Part> fixed = Fields("250.000");
  fixed.push_back({"photo_token", token});
  ClientResponse created = Post(owner_token_, "/kenh-ban/san-pham/moi", fixed);
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.Header("location"), "/kenh-ban/san-pham?da-luu=1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_products"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_photos"), 1);
  auto cover = app_->app().db().Read(
      [](db::Connection& c) { return c.QueryOne("SELECT cover_photo, price_vnd FROM catalog_products"); });
  ASSERT_TRUE(cover.ok() && *cover);
  EXPECT_EQ((*cover)->Text(0), token) << "the product's cover is the photo chosen on the first try";
  EXPECT_EQ((*cover)->Int(1), 250000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_pending_photos"), 0) << "the token is used once";

  // Sent again (a second tap), the spent token attaches nothing more.
  Post(owner_token_, "/kenh-ban/san-pham/moi", fixed);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_photos"), 1);
}

TEST_P(ProductPhotoForm, AFileThatIsNotAPhotoIsAnErrorBesideTheFieldAndNothingIsCreated) {
  std::vector<Part> parts = Fields("250000");
  parts.push_back({"photo", "%PDF-1.4 not a photo", true});
  ClientResponse refused = Post(owner_token_, "/kenh-ban/san-pham/moi", parts);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("id=\"photo-err\">Tệp không phải ảnh hợp lệ"), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("value=\"Chè búp giữ ảnh\""), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_products"), 0);
}

TEST_P(ProductPhotoForm, TheEditFormKeepsANewPhotoThroughAnError) {
  ClientResponse created = Post(owner_token_, "/kenh-ban/san-pham/moi", Fields("250000"));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::int64_t id = Count("SELECT id FROM catalog_products");
  const std::string path = "/kenh-ban/san-pham/" + std::to_string(id);
  std::vector<Part> bad = Fields("300k");
  bad[0].value = "";
  bad.push_back({"photo", Jpeg(640, 480), true});
  ClientResponse invalid = Post(owner_token_, path, bad);
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  const std::string token = TokenIn(invalid.body);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_photos"), 0);
  std::vector<Part> fixed = Fields("300k");
  fixed.push_back({"photo_token", token});
  ClientResponse saved = Post(owner_token_, path, fixed);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("location"), path + "?da-luu=1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM catalog_photos"), 1);
  EXPECT_EQ(Count("SELECT price_vnd FROM catalog_products"), 300000);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProductPhotoForm, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nongsan::web
