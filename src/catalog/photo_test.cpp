// Photos: decoding and re-encoding with libvips (formats, sizes, EXIF
// orientation and stripping, refusals), then the upload API and the long-
// lived file responses on each backend.
#include <future>
#include <iostream>
#include <thread>
#include <vips/vips8>

#include "catalog/catalog_test_support.hpp"
#include "catalog/photo_service.hpp"
#include "images/decode_pool.hpp"
#include "support/images.hpp"

namespace nongsan::testing {
namespace {

using vips::VImage;

std::string Blob(VipsBlob* blob) {
  std::size_t n = 0;
  const void* data = vips_blob_get(blob, &n);
  std::string out(static_cast<const char*>(data), n);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

VImage Solid(int width, int height, int bands = 3) {
  std::vector<double> colour = {40, 160, 60, 255};
  colour.resize(bands);
  return VImage::black(width, height).new_from_image(colour).cast(VIPS_FORMAT_UCHAR);
}

std::string Jpeg(int width, int height) { return Blob(Solid(width, height).jpegsave_buffer()); }
std::string Png(int width, int height, int bands = 3) {
  return Blob(Solid(width, height, bands).pngsave_buffer());
}

VImage Load(const std::string& bytes) { return VImage::new_from_buffer(bytes.data(), bytes.size(), ""); }

class PhotoProcess : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(catalog::InitImageLibrary()); }
};

TEST_F(PhotoProcess, ReencodesJpegAtFixedWidthsInBothFormats) {
  auto photo = catalog::ProcessPhoto(Jpeg(2000, 1500));
  ASSERT_TRUE(photo.ok()) << photo.error().detail;
  EXPECT_EQ(photo->width, 2000);
  EXPECT_EQ(photo->height, 1500);
  ASSERT_EQ(photo->renditions.size(), 2 * catalog::kPhotoWidths.size());
  for (const auto& r : photo->renditions) {
    VImage image = Load(r.bytes);
    EXPECT_EQ(image.width(), r.width) << r.ext;
    EXPECT_EQ(image.height(), r.width * 3 / 4) << r.ext;
    const std::string loader = vips_foreign_find_load_buffer(r.bytes.data(), r.bytes.size());
    EXPECT_NE(loader.find(r.ext == "webp" ? "Webp" : "Jpeg"), std::string::npos) << loader;
  }
}

TEST_F(PhotoProcess, AppliesOrientationAndStripsMetadata) {
  VImage source = Solid(1600, 1200);
  source.set("orientation", 6);  // shot with the phone held upright
  source.set("exif-ifd0-Make", "Máy ảnh của bà Lan");
  source.set("exif-ifd0-Artist", "Nông Thị Lan, xóm Soi");
  const std::string jpeg = Blob(source.jpegsave_buffer());
  ASSERT_NE(Load(jpeg).get_typeof("exif-data"), 0u);  // the upload does carry EXIF
  auto photo = catalog::ProcessPhoto(jpeg);
  ASSERT_TRUE(photo.ok()) << photo.error().detail;
  EXPECT_EQ(photo->width, 1200);
  EXPECT_EQ(photo->height, 1600);
  for (const auto& r : photo->renditions) {
    VImage image = Load(r.bytes);
    EXPECT_EQ(image.width(), r.width);
    EXPECT_EQ(image.height(), r.width * 4 / 3);
    EXPECT_EQ(image.get_typeof("exif-data"), 0u) << r.ext << " " << r.width;
    EXPECT_EQ(r.bytes.find("Artist"), std::string::npos);
  }
}

TEST_F(PhotoProcess, KeepsSmallImagesSmallAndFlattensAlphaForJpeg) {
  auto photo = catalog::ProcessPhoto(Png(100, 80, 4));
  ASSERT_TRUE(photo.ok()) << photo.error().detail;
  for (const auto& r : photo->renditions) {
    VImage image = Load(r.bytes);
    EXPECT_EQ(image.width(), 100);  // never enlarged
    if (r.ext == "jpg") {
      EXPECT_EQ(image.bands(), 3);
    }
  }
}

TEST_F(PhotoProcess, RefusesWhatIsNotAnAcceptablePhoto) {
  auto kind = [](const std::string& bytes) {
    auto r = catalog::ProcessPhoto(bytes);
    return r.ok() ? std::string("ok") : r.error().type;
  };
  EXPECT_EQ(kind(""), "invalid_image");
  EXPECT_EQ(kind("Đây không phải là ảnh, chỉ là chữ."), "invalid_image");
  EXPECT_EQ(kind("%PDF-1.4\n1 0 obj\n"), "invalid_image");
  const std::string gif(
      "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
      "\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00;",
      43);
  EXPECT_EQ(kind(gif), "invalid_image");  // GIF is not one of the accepted formats
  const std::string jpeg = Jpeg(1200, 900);
  EXPECT_EQ(kind(jpeg.substr(0, jpeg.size() / 2)), "invalid_image");  // truncated
  std::string no_header = jpeg;
  no_header[0] = 'X';  // the JPEG start-of-image marker is gone
  EXPECT_EQ(kind(no_header), "invalid_image");
  const std::string png = Png(800, 600);
  EXPECT_EQ(kind(png.substr(0, png.size() - 30)), "invalid_image");
  // Absurd dimensions (a tiny file that would decode to a huge bitmap).
  EXPECT_EQ(kind(Png(catalog::kMaxPhotoSide + 1, 8)), "image_too_large");
  EXPECT_EQ(kind(PngHeaderOnly(9000, 9000)), "image_too_large");  // 81 Mpx, over kMaxPhotoPixels
  EXPECT_EQ(kind(PngHeaderOnly(100000, 100000)), "image_too_large");
  // Over the byte limit.
  auto big = catalog::ProcessPhoto(std::string(catalog::kMaxPhotoBytes + 1, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
}

class PhotoApi : public CatalogFixture {};

TEST_P(PhotoApi, UploadServeAndDelete) {
  ASSERT_TRUE(catalog::InitImageLibrary());
  TestShop shop = MakeShop();
  TestShop other = MakeShop(kCommuneOut, "Hồng không hạt Quảng Bạch");
  const std::int64_t id = CreateProduct(shop, ProductBody("NA-1", "Na dai Võ Nhai"));
  const std::string photos = "/api/v1/products/" + std::to_string(id) + "/photos";
  const std::string jpeg = Jpeg(1500, 1000);
  ClientHeaders as_owner = As(shop.owner);
  as_owner["Content-Type"] = "image/jpeg";

  ClientHeaders anonymous = {{"Content-Type", "image/jpeg"}};
  EXPECT_EQ(client_.Post(photos, jpeg, anonymous).status, 401);
  ClientHeaders as_other = As(other.owner);
  as_other["Content-Type"] = "image/jpeg";
  EXPECT_EQ(client_.Post(photos, jpeg, as_other).status, 404);

  ClientResponse uploaded = client_.Post(photos, jpeg, as_owner);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  auto photo = uploaded.Json();
  EXPECT_EQ(photo["width"], 1500);
  const std::string url = photo["webp"]["480"];
  ClientResponse file = client_.Get(url);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.Header("content-type"), "image/webp");
  EXPECT_NE(file.Header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(Load(file.body).width(), 480);
  EXPECT_EQ(client_.Get(url, {{"If-None-Match", file.Header("etag")}}).status, 304);
  ClientResponse jpg = client_.Get(photo["jpeg"]["1080"].get<std::string>());
  EXPECT_EQ(jpg.Header("content-type"), "image/jpeg");

  // The product shows it, and the first photo is the cover in listings.
  auto product = client_.Get("/api/v1/products/" + std::to_string(id)).Json();
  ASSERT_EQ(product["photos"].size(), 1u);
  EXPECT_EQ(product["cover"]["webp"]["160"], photo["webp"]["160"]);

  // A multipart form upload (what a browser sends) works too.
  const std::string boundary = "----nongsanBoundary7MA4YWxk";
  const std::string form = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"na.png\"\r\n"
                           "Content-Type: image/png\r\n\r\n" +
                           Png(600, 600) + "\r\n--" + boundary + "--\r\n";
  ClientHeaders multipart = As(shop.owner);
  multipart["Content-Type"] = "multipart/form-data; boundary=" + boundary;
  ClientResponse second = client_.Post(photos, form, multipart);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.Json()["position"], 2);

  // Refusals: not an image, a text body, a wrong content type.
  ClientResponse garbage = client_.Post(photos, std::string("không phải ảnh"), as_owner);
  EXPECT_EQ(garbage.status, 422);
  EXPECT_EQ(garbage.Json()["code"], "invalid_image");
  ClientHeaders as_text = As(shop.owner);
  as_text["Content-Type"] = "text/plain";
  EXPECT_EQ(client_.Post(photos, jpeg, as_text).status, 400);
  EXPECT_EQ(client_.Post(photos, std::string(catalog::kMaxPhotoBytes + 100 * 1024, 'x'), as_owner).status,
            413);

  // Deleting the cover promotes the next photo and removes the files.
  const std::string photo_path = photos + "/" + std::to_string(photo["id"].get<std::int64_t>());
  EXPECT_EQ(client_.Delete(photo_path, As(other.owner)).status, 404);
  EXPECT_EQ(client_.Delete(photo_path, As(shop.owner)).status, 204);
  EXPECT_EQ(client_.Get(url).status, 404);
  product = client_.Get("/api/v1/products/" + std::to_string(id)).Json();
  ASSERT_EQ(product["photos"].size(), 1u);
  EXPECT_EQ(product["cover"]["webp"]["160"], second.Json()["webp"]["160"]);
  EXPECT_EQ(client_.Delete(photo_path, As(shop.owner)).status, 404);
  // Names that are not photo names never reach the disk.
  EXPECT_EQ(client_.Get("/photos/..%2F..%2Fnongsan.db").status, 404);
  EXPECT_EQ(client_.Get("/photos/x.txt").status, 404);
}

// Issue 13: four parallel uploads of a 7700×7700 PNG stalled /healthz for
// ~3.7 s because the decoding ran on the request threads. It now runs on
// the decode pool, whose queue is bounded: an upload over it is a 429 with
// Retry-After, and the server keeps answering.
TEST_P(PhotoApi, ParallelHugeUploadsDoNotStallHealthz) {
  ASSERT_TRUE(catalog::InitImageLibrary());
  TestShop shop = MakeShop();
  const std::int64_t id = CreateProduct(shop, ProductBody("NA-2", "Na dai Võ Nhai loại to"));
  const std::string photos = "/api/v1/products/" + std::to_string(id) + "/photos";
  static const std::string huge = Png(7700, 7700);
  ASSERT_LE(huge.size(), catalog::kMaxPhotoBytes);
  ClientHeaders as_owner = As(shop.owner);
  as_owner["Content-Type"] = "image/png";

  constexpr int kUploads = 4;
  std::vector<std::future<ClientResponse>> uploads;
  for (int i = 0; i < kUploads; ++i) {
    uploads.push_back(std::async(std::launch::async, [&] {
      return HttpClient("127.0.0.1", app_.port()).Post(photos, huge, as_owner);
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the uploads are being decoded
  auto slowest = std::chrono::steady_clock::duration::zero();
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(HttpClient("127.0.0.1", app_.port()).Get("/healthz").status, 200);
    slowest = std::max(slowest, std::chrono::steady_clock::now() - start);
  }
  int created = 0;
  int busy = 0;
  for (auto& upload : uploads) {
    const ClientResponse response = upload.get();
    if (response.status == 201) {
      ++created;
    } else {
      EXPECT_EQ(response.status, 429) << response.body;
      EXPECT_EQ(response.Header("retry-after"), std::to_string(images::kDecodeRetryAfterSeconds));
      EXPECT_EQ(response.Json()["code"], "rate_limited");
      ++busy;
    }
  }
  EXPECT_GE(created, 1);
  EXPECT_EQ(created + busy, kUploads);
  const auto slowest_ms = std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count();
  RecordProperty("slowest_healthz_ms", static_cast<int>(slowest_ms));
  std::cout << "[ figures  ] " << created << " uploads created, " << busy
            << " refused with 429; slowest /healthz " << slowest_ms << " ms\n";
  EXPECT_LT(slowest, std::chrono::milliseconds(1500)) << "healthz waited behind the decoding";
}

TEST_F(PhotoProcess, SizeErrorNamesTheRealLimits) {
  // 7800×7800 is under the side limit but over the pixel limit; the old
  // message only named the side limit, which this photo meets.
  auto refused = catalog::ProcessPhoto(PngHeaderOnly(7800, 7800));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "image_too_large");
  EXPECT_NE(refused.error().detail.find("7800×7800"), std::string::npos) << refused.error().detail;
  EXPECT_NE(
      refused.error().detail.find(std::to_string(catalog::kMaxPhotoPixels / 1'000'000) + " million pixels"),
      std::string::npos)
      << refused.error().detail;
}

INSTANTIATE_TEST_SUITE_P(Photo, PhotoApi, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
