#include "places/places.hpp"

#include <gtest/gtest.h>

#include "db/migrations.hpp"
#include "support/test_db.hpp"

namespace nongsan::places {
namespace {

class PlacesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = nongsan::testing::OpenFreshTestDatabase(GetParam());
    ASSERT_TRUE(db_);
    ASSERT_TRUE(db::Migrate(*db_, {Migrations()}).ok());
    ASSERT_TRUE(Seed(*db_, DefaultAdminUnitsDir()).ok());
    service_ = std::make_unique<PlaceService>(*db_);
    ASSERT_TRUE(service_->Load().ok());
  }
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<PlaceService> service_;
};

TEST_P(PlacesTest, HasThe2025Scheme) {
  EXPECT_EQ(service_->Children("").size(), 34u);
  auto thai_nguyen = service_->Get("19");
  ASSERT_TRUE(thai_nguyen.has_value());
  EXPECT_EQ(thai_nguyen->short_name, "Thái Nguyên");
  EXPECT_EQ(service_->Children("19").size(), 92u);  // old Thái Nguyên + old Bắc Kạn
  EXPECT_TRUE(service_->IsProvince("19"));
  EXPECT_FALSE(service_->IsCommune("19"));
}

TEST_P(PlacesTest, KeepsLeadingZerosAndProvinceOfCommune) {
  auto ba_dinh = service_->Get("00004");
  ASSERT_TRUE(ba_dinh.has_value());
  EXPECT_EQ(ba_dinh->name, "Phường Ba Đình");
  EXPECT_EQ(service_->ProvinceOf("00004"), "01");
  EXPECT_TRUE(service_->IsCommune("00004"));
  EXPECT_FALSE(service_->Get("4").has_value());
  EXPECT_EQ(service_->FullName("00004"), "Phường Ba Đình, Thành phố Hà Nội");
}

TEST_P(PlacesTest, SearchesWithOrWithoutToneMarks) {
  auto plain = service_->Search("thai nguyen", 5);
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(plain.front().code, "19");  // provinces first
  auto marked = service_->Search("Thái Nguyên", 5);
  ASSERT_FALSE(marked.empty());
  EXPECT_EQ(marked.front().code, "19");
  auto dstroke = service_->Search("dai tu", 10);
  bool found = false;
  for (const auto& u : dstroke) found = found || u.short_name == "Đại Từ";
  EXPECT_TRUE(found);
  EXPECT_TRUE(service_->Search("zzzz", 5).empty());
}

TEST_P(PlacesTest, MapsOldUnitsToNewOnes) {
  auto old = service_->GetPre2025("00013");  // Phường Quán Thánh, Ba Đình district
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->name, "Phường Quán Thánh");
  auto now = service_->CurrentFromOld("00013");
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].code, "00004");
}

TEST_P(PlacesTest, SeedingTwiceChangesNothing) {
  ASSERT_TRUE(Seed(*db_, DefaultAdminUnitsDir()).ok());
  auto count = db_->Read([](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM places_units"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3355 + 10806);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlacesTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

// An address is the line and the place, once: a shop onboarded without a line
// of its own has the place's full name as its line.
TEST(JoinAddress, WritesThePlaceOnceAfterTheLine) {
  EXPECT_EQ(JoinAddress("Xóm 3", "Xã Tân Cương, Tỉnh Thái Nguyên"), "Xóm 3, Xã Tân Cương, Tỉnh Thái Nguyên");
  EXPECT_EQ(JoinAddress("Xã Tân Cương, Tỉnh Thái Nguyên", "Xã Tân Cương, Tỉnh Thái Nguyên"),
            "Xã Tân Cương, Tỉnh Thái Nguyên");
  EXPECT_EQ(JoinAddress("Số 5, Xã Tân Cương, Tỉnh Thái Nguyên", "Xã Tân Cương, Tỉnh Thái Nguyên"),
            "Số 5, Xã Tân Cương, Tỉnh Thái Nguyên");
  EXPECT_EQ(JoinAddress("", "Xã Tân Cương, Tỉnh Thái Nguyên"), "Xã Tân Cương, Tỉnh Thái Nguyên");
  EXPECT_EQ(JoinAddress("Xóm 3", ""), "Xóm 3");
  EXPECT_EQ(JoinAddress("", ""), "");
  // Another commune named in the line is not this one: both are kept.
  EXPECT_EQ(JoinAddress("Xã Phúc Xuân", "Xã Tân Cương, Tỉnh Thái Nguyên"),
            "Xã Phúc Xuân, Xã Tân Cương, Tỉnh Thái Nguyên");
}

}  // namespace
}  // namespace nongsan::places
