// "Hữu ích" votes on both backends: one per account, never on one's own
// review nor on a hidden one; most helpful first, ties newest first.
#include "quality/review_votes.hpp"

#include <gtest/gtest.h>

#include "quality/quality_test_fixture.hpp"
#include "quality/review_service.hpp"

namespace nongsan::quality::testing {
namespace {

constexpr std::int64_t kBuyer = 500;
constexpr std::int64_t kOtherBuyer = 501;
constexpr std::int64_t kFirstOrder = 7101;
constexpr std::int64_t kSecondOrder = 7102;
constexpr std::int64_t kThirdOrder = 7103;

class ReviewVotesTest : public QualityFixture {
 protected:
  void SetUp() override {
    QualityFixture::SetUp();
    for (std::int64_t order : {kFirstOrder, kSecondOrder}) {
      orders_.AddOrder({order, kShopTea, kBuyer, "delivered", kNowMs - kMsPerDay, {kTeaBuds}});
    }
    orders_.AddOrder({kThirdOrder, kShopTea, kOtherBuyer, "delivered", kNowMs - kMsPerDay, {kTeaBuds}});
    staged_ = std::make_unique<StagedUploads>(*db_, *clock_);
    reviews_ = std::make_unique<ReviewService>(*db_, *clock_, shops_, orders_, areas_, *staged_);
    votes_ = std::make_unique<ReviewVotes>(*db_, *clock_);
  }

  std::int64_t Review(const Principal& who, std::int64_t order) {
    ReviewInput in;
    in.order_id = order;
    in.product_id = kTeaBuds;
    in.rating = 5;
    in.body = "Chè thơm, nước xanh";
    auto made = reviews_->Create(&who, std::move(in));
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().detail);
    return made.ok() ? made->id : 0;
  }

  std::unique_ptr<StagedUploads> staged_;  // outlives the services that claim from it
  std::unique_ptr<ReviewService> reviews_;
  std::unique_ptr<ReviewVotes> votes_;
  Principal buyer_ = User(kBuyer, {{Role::kBuyer, ""}}, "Nguyễn Thị Lan");
  Principal other_buyer_ = User(kOtherBuyer, {{Role::kBuyer, ""}}, "Đỗ Văn Minh");
  Principal reader_ = User(502, {{Role::kBuyer, ""}}, "Lê Văn Hải");
  Principal officer_ = CommuneOfficer(900, kTanCuong);
};

TEST_P(ReviewVotesTest, OneVotePerAccountNeverOnOnesOwnReview) {
  const std::int64_t review = Review(buyer_, kFirstOrder);
  EXPECT_EQ(votes_->Vote(nullptr, review).error().code, ErrorCode::kUnauthorized);
  auto own = votes_->Vote(&buyer_, review);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().type, "own_review");
  EXPECT_EQ(votes_->Vote(&reader_, review + 1000).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("quality_review_votes"), 0);

  EXPECT_EQ(*votes_->Vote(&reader_, review), 1);
  EXPECT_EQ(votes_->Vote(&reader_, review).error().type, "already_voted");
  EXPECT_EQ(*votes_->Vote(&other_buyer_, review), 2);
  EXPECT_EQ(votes_->Counts({review})->at(review), 2);
  EXPECT_EQ(Count("quality_review_votes"), 2);

  // A hidden review takes no votes.
  ASSERT_TRUE(reviews_->Report(&reader_, review, "Nội dung quảng cáo").ok());
  ASSERT_TRUE(reviews_->Moderate(&officer_, review, ModerationDecision::kHide, "Quảng cáo trá hình").ok());
  EXPECT_EQ(votes_->Vote(&officer_, review).error().code, ErrorCode::kNotFound);
}

TEST_P(ReviewVotesTest, MostHelpfulFirstTiesNewestFirst) {
  const std::int64_t first = Review(buyer_, kFirstOrder);
  const std::int64_t second = Review(buyer_, kSecondOrder);
  const std::int64_t third = Review(other_buyer_, kThirdOrder);
  ASSERT_TRUE(votes_->Vote(&reader_, first).ok());
  ASSERT_TRUE(votes_->Vote(&other_buyer_, first).ok());
  ASSERT_TRUE(votes_->Vote(&reader_, second).ok());
  EXPECT_EQ(*votes_->MostHelpful(kTeaBuds, 10), (std::vector<std::int64_t>{first, second, third}));
  EXPECT_EQ(*votes_->MostHelpful(kTeaBuds, 1), (std::vector<std::int64_t>{first}));
  auto counts = votes_->Counts({first, second, third});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->count(third), 0u);
  EXPECT_EQ(counts->at(second), 1);
}

INSTANTIATE_TEST_SUITE_P(Quality, ReviewVotesTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
