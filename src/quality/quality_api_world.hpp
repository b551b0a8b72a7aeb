// The world the quality API tests start from, on each backend: the two shops
// of orders::testing::TwoShopsWorld (a tea cooperative in Phường Đức Xuân, a
// rice household in Xã Phong Quang), their communes' officers, the province's
// admin and a buyer.
// Thread-safety: one per test.
#pragma once

#include "orders/orders_test_support.hpp"

namespace nongsan::quality::testing {

using orders::testing::kOtherCommune;
using orders::testing::kShopCommune;
using QualityApiWorld = orders::testing::TwoShopsWorld;

}  // namespace nongsan::quality::testing
