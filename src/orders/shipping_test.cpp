#include "orders/shipping.hpp"

#include <gtest/gtest.h>

#include "core/money.hpp"
#include "db/migrations.hpp"
#include "orders/migrations.hpp"
#include "support/test_db.hpp"

namespace nongsan::orders {
namespace {

bool SameTable(const RateTable& a, const RateTable& b) {
  for (std::size_t i = 0; i < kRouteCount; ++i) {
    const RouteRates& x = a.routes[i];
    const RouteRates& y = b.routes[i];
    if (x.extra_step_grams != y.extra_step_grams || x.extra_fee_vnd != y.extra_fee_vnd) return false;
    if (x.bands.size() != y.bands.size()) return false;
    for (std::size_t j = 0; j < x.bands.size(); ++j) {
      if (x.bands[j].up_to_grams != y.bands[j].up_to_grams || x.bands[j].fee_vnd != y.bands[j].fee_vnd)
        return false;
    }
  }
  return true;
}

TEST(OrdersShippingTest, RouteDependsOnCommuneThenProvince) {
  EXPECT_EQ(RouteBetween("05800", "19", "05800", "19"), Route::kSameCommune);
  EXPECT_EQ(RouteBetween("05800", "19", "05801", "19"), Route::kSameProvince);
  EXPECT_EQ(RouteBetween("05800", "19", "00004", "01"), Route::kOtherProvince);
  // A shop with no commune on record is never "same commune".
  EXPECT_EQ(RouteBetween("", "", "", ""), Route::kOtherProvince);
}

TEST(OrdersShippingTest, FeeByBandThenPerStartedStep) {
  const RouteRates rates = DefaultRateTable().routes[static_cast<std::size_t>(Route::kOtherProvince)];
  EXPECT_EQ(*FeeFor(rates, 0), 30000);
  EXPECT_EQ(*FeeFor(rates, 500), 30000);
  EXPECT_EQ(*FeeFor(rates, 501), 35000);
  EXPECT_EQ(*FeeFor(rates, 5000), 55000);
  EXPECT_EQ(*FeeFor(rates, 5001), 60000);  // one started 500 g step
  EXPECT_EQ(*FeeFor(rates, 5500), 60000);
  EXPECT_EQ(*FeeFor(rates, 6000), 65000);  // two steps
  EXPECT_EQ(*FeeFor(rates, 6001), 70000);
  EXPECT_EQ(*FeeFor(rates, 50'000), 55000 + 90 * 5000);
}

TEST(OrdersShippingTest, HugeWeightsOverflowIntoAClearError) {
  RouteRates rates{{{1000, 10000}}, 1, money::kMaxVnd / 2};
  auto fee = FeeFor(rates, 1'000'000'000);
  ASSERT_FALSE(fee.ok());
  EXPECT_EQ(fee.error().type, "amount_too_large");
}

TEST(OrdersShippingTest, ValidatesTablesFromJson) {
  nlohmann::json good = RateTableJson(DefaultRateTable());
  auto parsed = RateTableFromJson(good);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_TRUE(SameTable(*parsed, DefaultRateTable()));

  nlohmann::json missing_route = good;
  missing_route["routes"].erase("same_province");
  auto r1 = RateTableFromJson(missing_route);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().fields.at(0).field, "routes.same_province");

  nlohmann::json falling = good;
  falling["routes"]["same_commune"]["bands"] = {{{"up_to_grams", 2000}, {"fee_vnd", 1}},
                                                {{"up_to_grams", 1000}, {"fee_vnd", 2}}};
  EXPECT_FALSE(RateTableFromJson(falling).ok());

  nlohmann::json negative = good;
  negative["routes"]["other_province"]["extra_fee_vnd"] = -5;
  EXPECT_FALSE(RateTableFromJson(negative).ok());

  nlohmann::json fractional = good;
  fractional["routes"]["other_province"]["bands"][0]["fee_vnd"] = 1.5;
  EXPECT_FALSE(RateTableFromJson(fractional).ok());

  nlohmann::json zero_step = good;
  zero_step["routes"]["same_commune"]["extra_step_grams"] = 0;
  EXPECT_FALSE(RateTableFromJson(zero_step).ok());
}

class OrdersShippingDbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = nongsan::testing::OpenFreshTestDatabase(GetParam());
    ASSERT_TRUE(db::Migrate(*db_, {Migrations()}).ok());
  }
  std::unique_ptr<db::Database> db_;
};

TEST_P(OrdersShippingDbTest, SeededDefaultsMatchTheCodeAndProvincesOverrideThem) {
  ShippingRates rates(*db_);
  auto defaults = rates.ForProvince("19");
  ASSERT_TRUE(defaults.ok()) << defaults.error().detail;
  EXPECT_TRUE(defaults->province_code.empty());
  EXPECT_TRUE(SameTable(*defaults, DefaultRateTable()));

  RateTable own = DefaultRateTable();
  own.province_code = "19";
  own.routes[static_cast<std::size_t>(Route::kSameProvince)] = {{{2000, 18000}}, 1000, 2000};
  own.updated_at = 42;
  own.updated_by = 7;
  ASSERT_TRUE(rates.Replace(own).ok());
  auto mine = rates.ForProvince("19");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->province_code, "19");
  EXPECT_TRUE(SameTable(*mine, own));
  EXPECT_EQ(mine->updated_by, 7);
  // Other provinces keep the defaults.
  EXPECT_TRUE(rates.ForProvince("01")->province_code.empty());

  RateTableCarrier carrier(rates);
  auto quote = carrier.Quote({"05800", "19", "05801", "19", 2500, 0});
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->route, Route::kSameProvince);
  EXPECT_EQ(quote->fee_vnd, 18000 + 2000);

  // An invalid table is refused and the stored one is untouched.
  RateTable broken = own;
  broken.routes[0].bands.clear();
  EXPECT_FALSE(rates.Replace(broken).ok());
  EXPECT_TRUE(SameTable(*rates.ForProvince("19"), own));
}

INSTANTIATE_TEST_SUITE_P(Orders, OrdersShippingDbTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders
