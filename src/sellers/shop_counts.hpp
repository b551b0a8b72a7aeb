// Counts of shops for reports (the programme module's figures), read from
// the sellers module's own table: how many shops of a type were created in
// each period (a month, say) in each commune of a province. Aggregates only;
// no shop is named. Stateless over the database; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::sellers {

struct ShopsCreated {
  std::string commune_code;  // the shop's current commune
  std::size_t period = 0;    // index into the periods asked for
  std::int64_t shops = 0;
};

// Most periods one count may ask for: ten years of months and a cut month
// at each end.
inline constexpr std::size_t kMaxCountPeriods = 124;

// type: household | cooperative | enterprise. Periods are consecutive:
// period i runs from period_starts_ms[i] to the next start (the last to
// end_ms), as Unix milliseconds. Grouped in SQL, one row per commune and
// period leaves the database.
Result<std::vector<ShopsCreated>> CountShopsCreated(db::Database& db, const std::string& province_code,
                                                    const std::string& type,
                                                    const std::vector<std::int64_t>& period_starts_ms,
                                                    std::int64_t end_ms);

}  // namespace nongsan::sellers
