// Reviews on both backends: only a buyer with a delivered order may review,
// once per product of an order; ratings and bad input; the shop's single
// reply; reports and officer moderation; averages per product and shop.
#include "quality/review_service.hpp"

#include <gtest/gtest.h>

#include "quality/evidence.hpp"
#include "quality/quality_test_fixture.hpp"
#include "support/images.hpp"

namespace nongsan::quality::testing {
namespace {

constexpr std::int64_t kBuyer = 500;
constexpr std::int64_t kOtherBuyer = 501;
constexpr std::int64_t kDeliveredOrder = 7001;
constexpr std::int64_t kShippedOrder = 7002;
constexpr std::int64_t kOtherBuyersOrder = 7003;
constexpr std::int64_t kSecondDelivered = 7004;

class ReviewServiceTest : public QualityFixture {
 protected:
  void SetUp() override {
    QualityFixture::SetUp();
    orders_.AddOrder(
        {kDeliveredOrder, kShopTea, kBuyer, "delivered", kNowMs - kMsPerDay, {kTeaBuds, kTeaDust}});
    orders_.AddOrder({kShippedOrder, kShopTea, kBuyer, "shipped", std::nullopt, {kTeaBuds}});
    orders_.AddOrder(
        {kOtherBuyersOrder, kShopTea, kOtherBuyer, "completed", kNowMs - 2 * kMsPerDay, {kTeaBuds}});
    orders_.AddOrder({kSecondDelivered, kShopTea, kBuyer, "completed", kNowMs - kMsPerDay, {kTeaBuds}});
    staged_ = std::make_unique<StagedUploads>(*db_, *clock_);
    reviews_ = std::make_unique<ReviewService>(*db_, *clock_, shops_, orders_, areas_, *staged_);
  }

  ReviewInput Input(std::int64_t order, std::int64_t product, int rating,
                    std::string text = "Chè thơm, nước xanh") {
    ReviewInput in;
    in.order_id = order;
    in.product_id = product;
    in.rating = rating;
    in.body = std::move(text);
    return in;
  }

  std::unique_ptr<StagedUploads> staged_;  // outlives the services that claim from it
  std::unique_ptr<ReviewService> reviews_;
  Principal buyer_ = User(kBuyer, {{Role::kBuyer, ""}}, "Nguyễn Thị Lan");
  Principal other_buyer_ = User(kOtherBuyer, {{Role::kBuyer, ""}}, "Đỗ Văn Minh");
  Principal tea_owner_ = User(kTeaOwner, {{Role::kShopOwner, "1"}});
  Principal officer_ = CommuneOfficer(900, kTanCuong);
};

TEST_P(ReviewServiceTest, OnlyABuyerWithADeliveredOrderMayReviewOncePerLine) {
  auto shipped = reviews_->Create(&buyer_, Input(kShippedOrder, kTeaBuds, 5));
  ASSERT_FALSE(shipped.ok());
  EXPECT_EQ(shipped.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(shipped.error().type, "not_delivered");
  EXPECT_EQ(reviews_->Create(&buyer_, Input(kOtherBuyersOrder, kTeaBuds, 5)).error().code,
            ErrorCode::kNotFound)
      << "someone else's order is not revealed";
  EXPECT_EQ(reviews_->Create(&buyer_, Input(kDeliveredOrder, kRice, 5)).error().type, "not_delivered")
      << "a product not in the order";
  EXPECT_EQ(reviews_->Create(&buyer_, Input(9999, kTeaBuds, 5)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(reviews_->Create(nullptr, Input(kDeliveredOrder, kTeaBuds, 5)).error().code,
            ErrorCode::kUnauthorized);
  EXPECT_EQ(Count("quality_reviews"), 0);

  auto review = reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, 5));
  ASSERT_TRUE(review.ok()) << review.error().detail;
  EXPECT_EQ(review->rating, 5);
  EXPECT_EQ(review->buyer_name, "Lan N.");
  EXPECT_EQ(review->seller_id, kShopTea);
  EXPECT_EQ(review->status, ReviewStatus::kPublished);

  auto again = reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "already_reviewed");
  // Another product of the same order, and the same product from another order, are new lines.
  EXPECT_TRUE(reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaDust, 4)).ok());
  EXPECT_TRUE(reviews_->Create(&buyer_, Input(kSecondDelivered, kTeaBuds, 3)).ok());
  EXPECT_EQ(Count("quality_reviews"), 3);
}

TEST_P(ReviewServiceTest, BadRatingsTextAndPhotosAreRefused) {
  for (int rating : {0, 6, -1, 100}) {
    auto r = reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, rating));
    ASSERT_FALSE(r.ok()) << rating;
    EXPECT_EQ(r.error().fields.at(0).field, "rating");
  }
  EXPECT_EQ(
      reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, 4, std::string(kMaxReviewChars + 1, 'a')))
          .error()
          .fields.at(0)
          .field,
      "text");
  ReviewInput pdf = Input(kDeliveredOrder, kTeaBuds, 4);
  pdf.photos = {{SamplePdf(), {}}};
  EXPECT_EQ(reviews_->Create(&buyer_, pdf).error().fields.at(0).field, "photos[0]")
      << "photos are images only";
  ReviewInput many = Input(kDeliveredOrder, kTeaBuds, 4);
  many.photos.assign(kMaxReviewPhotos + 1, {SampleJpeg(), {}});
  EXPECT_EQ(reviews_->Create(&buyer_, many).error().fields.at(0).field, "photos");
  EXPECT_EQ(Count("quality_reviews"), 0);
  EXPECT_EQ(Count("quality_review_photos"), 0);

  ReviewInput with_photo = Input(kDeliveredOrder, kTeaBuds, 4, "");
  with_photo.photos = {{SampleJpeg(), "image/jpeg"}, {SamplePng(), {}}};
  auto ok = reviews_->Create(&buyer_, with_photo);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  ASSERT_EQ(ok->photos.size(), 2u);
  auto photo = reviews_->Photo(ok->id, ok->photos[1].id);
  ASSERT_TRUE(photo.ok());
  EXPECT_TRUE(IsDecodableJpeg(photo->bytes)) << "a PNG is kept re-encoded as a JPEG";
  EXPECT_EQ(photo->photo.content_type, "image/jpeg");
}

TEST_P(ReviewServiceTest, TheShopRepliesOnce) {
  auto review = reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, 2, "Chè bị ẩm"));
  ASSERT_TRUE(review.ok());
  Principal rice_owner = User(kRiceOwner, {{Role::kShopOwner, "2"}});
  EXPECT_EQ(reviews_->Reply(&rice_owner, review->id, "Xin lỗi").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(reviews_->Reply(&tea_owner_, review->id, "  ").error().code, ErrorCode::kInvalid);
  auto replied = reviews_->Reply(&tea_owner_, review->id, "Cảm ơn chị, shop sẽ đổi hàng mới.");
  ASSERT_TRUE(replied.ok()) << replied.error().detail;
  EXPECT_EQ(replied->reply, "Cảm ơn chị, shop sẽ đổi hàng mới.");
  EXPECT_EQ(replied->replied_at_ms, kNowMs);
  EXPECT_EQ(reviews_->Reply(&tea_owner_, review->id, "Lần hai").error().type, "already_replied");
}

TEST_P(ReviewServiceTest, ReportedReviewsAreModeratedByOfficersOfTheArea) {
  auto review = reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, 1, "Shop lừa đảo!!!"));
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(
      reviews_->Moderate(&officer_, review->id, ModerationDecision::kHide, "Ngôn từ xúc phạm").error().type,
      "invalid_transition")
      << "nothing to moderate before a report";

  auto reported = reviews_->Report(&tea_owner_, review->id, "Nội dung sai sự thật");
  ASSERT_TRUE(reported.ok()) << reported.error().detail;
  EXPECT_EQ(reported->moderation, Moderation::kReported);
  EXPECT_EQ(reviews_->Report(&tea_owner_, review->id, "Báo cáo lần nữa").error().type, "already_reported");
  EXPECT_EQ(reviews_->Report(&other_buyer_, review->id, "Sai").error().fields.at(0).field, "reason");
  ASSERT_TRUE(reviews_->Report(&other_buyer_, review->id, "Không đúng sự thật").ok());

  auto queue = reviews_->Reported(&officer_, 10);
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].report_count, 2);
  Principal far = CommuneOfficer(901, kBaDinh);
  EXPECT_TRUE(reviews_->Reported(&far, 10)->empty());
  EXPECT_EQ(reviews_->Moderate(&far, review->id, ModerationDecision::kHide, "Ngôn từ xúc phạm").error().code,
            ErrorCode::kNotFound)
      << "an officer of another area learns nothing";
  EXPECT_EQ(
      reviews_->Moderate(&tea_owner_, review->id, ModerationDecision::kHide, "Ngôn từ xúc phạm").error().code,
      ErrorCode::kForbidden);

  auto hidden = reviews_->Moderate(&officer_, review->id, ModerationDecision::kHide, "Ngôn từ xúc phạm");
  ASSERT_TRUE(hidden.ok()) << hidden.error().detail;
  EXPECT_EQ(hidden->status, ReviewStatus::kHidden);
  EXPECT_TRUE(reviews_->Reported(&officer_, 10)->empty());
  EXPECT_TRUE(reviews_->ForProduct(kTeaBuds, "", 20)->items.empty());
  EXPECT_EQ(reviews_->ProductRating(kTeaBuds)->count, 0) << "hidden reviews do not count";
  EXPECT_EQ(reviews_->Get(nullptr, review->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(reviews_->Get(&buyer_, review->id).ok()) << "the author still sees it";
  EXPECT_EQ(Count("audit_log"), 1);

  // A hidden review may be restored by an officer.
  auto kept = reviews_->Moderate(&officer_, review->id, ModerationDecision::kKeep, "Khách có bằng chứng");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->status, ReviewStatus::kPublished);
  EXPECT_EQ(reviews_->ProductRating(kTeaBuds)->count, 1);
}

TEST_P(ReviewServiceTest, AveragesAndCountsPerProductAndShop) {
  ASSERT_TRUE(reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaBuds, 5)).ok());
  ASSERT_TRUE(reviews_->Create(&buyer_, Input(kDeliveredOrder, kTeaDust, 2)).ok());
  ASSERT_TRUE(reviews_->Create(&buyer_, Input(kSecondDelivered, kTeaBuds, 4)).ok());
  ASSERT_TRUE(reviews_->Create(&other_buyer_, Input(kOtherBuyersOrder, kTeaBuds, 4)).ok());

  auto buds = reviews_->ProductRating(kTeaBuds);
  ASSERT_TRUE(buds.ok());
  EXPECT_EQ(buds->count, 3);
  EXPECT_NEAR(buds->average, 13.0 / 3, 1e-9);
  EXPECT_EQ(buds->stars[3], 2);
  EXPECT_EQ(buds->stars[4], 1);
  auto shop = reviews_->ShopRating(kShopTea);
  EXPECT_EQ(shop->count, 4);
  EXPECT_NEAR(shop->average, 15.0 / 4, 1e-9);
  EXPECT_EQ(reviews_->ShopRating(kShopRice)->count, 0);
  auto many = reviews_->ProductRatings({kTeaBuds, kTeaDust, kRice});
  ASSERT_TRUE(many.ok());
  EXPECT_EQ((*many)[kTeaDust].count, 1);
  EXPECT_EQ(many->count(kRice), 0u);

  auto page1 = reviews_->ForProduct(kTeaBuds, "", 2);
  ASSERT_EQ(page1->items.size(), 2u);
  ASSERT_TRUE(page1->next_cursor);
  auto page2 = reviews_->ForProduct(kTeaBuds, *page1->next_cursor, 2);
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_FALSE(page2->next_cursor);
  EXPECT_GT(page1->items[0].id, page1->items[1].id) << "newest first";
  EXPECT_EQ(reviews_->ForShop(kShopTea, "", 20)->items.size(), 4u);
  EXPECT_EQ(reviews_->ForProduct(kTeaBuds, "abc", 2).error().code, ErrorCode::kInvalid);
}

TEST(ReviewNames, ShortDisplayNameKeepsThePersonUnrecognisable) {
  EXPECT_EQ(ShortDisplayName("Nguyễn Thị Lan"), "Lan N.");
  EXPECT_EQ(ShortDisplayName("Đỗ Minh"), "Minh Đ.");
  EXPECT_EQ(ShortDisplayName("  Hà  "), "Hà");
  EXPECT_EQ(ShortDisplayName(""), "Người mua");
}

// Issue 13: review photos were stored and served byte for byte, with the
// buyer's home in their EXIF GPS. They now go through the photo pipeline.
TEST_P(ReviewServiceTest, PhotosAreReencodedWithoutGpsOrCamera) {
  const std::string with_gps = nongsan::testing::WithGpsExif(SampleJpeg());
  ASSERT_TRUE(nongsan::testing::ExifGpsAndCamera(with_gps).contains("GPSLatitude"))
      << "the test photo has GPS";
  ReviewInput in = Input(kDeliveredOrder, kTeaBuds, 5, "Ảnh chụp ở nhà");
  in.photos = {{with_gps, "image/jpeg"}};
  auto review = reviews_->Create(&buyer_, in);
  ASSERT_TRUE(review.ok()) << review.error().detail;
  auto photo = reviews_->Photo(review->id, review->photos.at(0).id);
  ASSERT_TRUE(photo.ok());
  EXPECT_NE(photo->bytes, with_gps);
  EXPECT_TRUE(IsDecodableJpeg(photo->bytes));
  const nlohmann::json tags = nongsan::testing::ExifGpsAndCamera(photo->bytes);
  EXPECT_TRUE(tags.empty()) << "exiftool still finds: " << tags.dump();
}

TEST_P(ReviewServiceTest, DecompressionBombPhotoIsRefusedNamingTheLimit) {
  ReviewInput in = Input(kDeliveredOrder, kTeaBuds, 5);
  in.photos = {{SampleJpeg(), {}}, {nongsan::testing::PngHeaderOnly(30000, 30000), "image/png"}};
  auto refused = reviews_->Create(&buyer_, in);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "photos[1]");
  EXPECT_NE(refused.error().fields[0].message.find("30000×30000"), std::string::npos);
  EXPECT_NE(refused.error().fields[0].message.find(std::to_string(images::kMaxImageSide)), std::string::npos);
  EXPECT_NE(refused.error().fields[0].message.find("60 million pixels"), std::string::npos);
  EXPECT_EQ(Count("quality_reviews"), 0) << "nothing half-written";
  EXPECT_EQ(Count("quality_review_photos"), 0);
}

INSTANTIATE_TEST_SUITE_P(Quality, ReviewServiceTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
