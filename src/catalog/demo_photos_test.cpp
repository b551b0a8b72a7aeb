// The demo catalogue's drawn photos on both backends: every product without a
// photo gets its category's drawing as a cover, served like an upload at each
// width; products of one category share the drawing but not the stored
// files (removing one product's photo leaves the other's); a product that
// has a photo keeps it.
#include "catalog/demo_photos.hpp"

#include <gtest/gtest.h>

#include <vips/vips8>

#include "catalog/catalog_test_support.hpp"

namespace nongsan::testing {
namespace {

using PhotoDemo = CatalogFixture;

TEST_P(PhotoDemo, EveryProductWithoutAPhotoGetsItsCategorysDrawing) {
  ASSERT_TRUE(catalog::InitImageLibrary());
  TestShop shop = MakeShop();
  const std::int64_t tea = CreateProduct(shop, ProductBody("CHE-1", "Chè móc câu Tân Cương"));
  const std::int64_t tea2 = CreateProduct(shop, ProductBody("CHE-2", "Chè nõn tôm"));
  const std::int64_t rice =
      CreateProduct(shop, ProductBody("GAO-1", "Gạo Bao Thai", {{"category", "rice-white"}}));

  auto given = catalog::AddDemoPhotos(catalog());
  ASSERT_TRUE(given.ok()) << given.error().detail;
  EXPECT_EQ(*given, 3u);
  // Run again: nothing left without a photo.
  EXPECT_EQ(*catalog::AddDemoPhotos(catalog()), 0u);

  std::map<std::int64_t, nlohmann::json> photo_of;
  for (std::int64_t id : {tea, tea2, rice}) {
    ClientResponse product = client_.Get("/api/v1/products/" + std::to_string(id));
    ASSERT_EQ(product.status, 200);
    const nlohmann::json photos = product.Json()["photos"];
    ASSERT_EQ(photos.size(), 1u) << product.body;
    photo_of[id] = photos[0];
    for (const char* width : {"160", "480", "1080"}) {
      ClientResponse file = client_.Get(photos[0]["webp"][width].get<std::string>());
      ASSERT_EQ(file.status, 200) << width;
      EXPECT_EQ(file.Header("content-type"), "image/webp");
      // Decoded by libvips itself, not our pipeline: a real square image.
      vips::VImage image = vips::VImage::new_from_buffer(file.body.data(), file.body.size(), "");
      EXPECT_EQ(image.width(), image.height());
      EXPECT_LE(image.width(), catalog::kDemoPhotoSide);
    }
  }
  // Same category, same drawing; another category, another drawing.
  const std::string tea_bytes = client_.Get(photo_of[tea]["jpeg"]["480"].get<std::string>()).body;
  EXPECT_EQ(client_.Get(photo_of[tea2]["jpeg"]["480"].get<std::string>()).body, tea_bytes);
  EXPECT_NE(client_.Get(photo_of[rice]["jpeg"]["480"].get<std::string>()).body, tea_bytes);

  // Removing one product's photo leaves the other's files in place.
  ClientResponse removed = client_.Delete("/api/v1/products/" + std::to_string(tea) + "/photos/" +
                                              std::to_string(photo_of[tea]["id"].get<std::int64_t>()),
                                          As(shop.owner));
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(client_.Get(photo_of[tea]["jpeg"]["480"].get<std::string>()).status, 404);
  EXPECT_EQ(client_.Get(photo_of[tea2]["jpeg"]["480"].get<std::string>()).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Catalog, PhotoDemo, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
