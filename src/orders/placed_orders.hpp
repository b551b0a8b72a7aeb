// Orders as placed, for figures kept by another module from the orders
// module's OrderEventObserver and back-filled from here when they start
// after orders already exist (the programme's `rebuild-rollups`). Reads the
// orders module's own table on the caller's connection; aggregate use only,
// so no buyer is named. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::orders {

struct PlacedOrder {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string from_commune_code;  // the shop's commune the order was placed in
  std::int64_t total_vnd = 0;
  std::int64_t placed_at = 0;  // Unix ms
};

// Orders with id above `after_id`, by id, at most `limit`.
Result<std::vector<PlacedOrder>> PlacedOrdersAfter(db::Connection& c, std::int64_t after_id, int limit);

}  // namespace nongsan::orders
