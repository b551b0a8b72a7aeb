// Counts of shops for reports (the programme module's figures), read from
// the sellers module's own table: how many shops of a type were created on
// each Vietnam day in each commune of a province. Aggregates only; no shop
// is named. Stateless over the database; thread-safe.
#pragma once

#include "core/result.hpp"
#include "db/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nongsan::sellers {

struct ShopsCreated {
  std::string commune_code;  // the shop's current commune
  std::int64_t day = 0;      // Vietnam calendar day of creation
  std::int64_t shops = 0;
};

// type: household | cooperative | enterprise. Days [from_day, to_day].
Result<std::vector<ShopsCreated>> CountShopsCreated(db::Database& db, const std::string& province_code,
                                                   const std::string& type, std::int64_t from_day,
                                                   std::int64_t to_day);

}  // namespace nongsan::sellers
