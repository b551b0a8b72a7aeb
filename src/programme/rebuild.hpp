// The back-fill of the programme's roll-ups (`nongsan programme
// rebuild-rollups`): for a deployment where orders were placed and products
// listed before the module existed, or where something wrote without the
// observers (a process of an older version).
//
//   orders, gmv_vnd and the shops' order days are recomputed from every
//   order the orders module holds (orders::PlacedOrdersAfter), replacing
//   what the roll-ups held, so the result equals a recount;
//   the listing spans are brought in line with the catalogue
//   (BackfillListings).
//
// The orders journal is folded first; every level snapshot is deleted in the
// same transaction (the back-fill may change the past) and the days that had
// one are snapshotted again afterwards, each in its own transaction.
//
// Support requests and trainings are the programme's own and were always
// rolled up as they happened; they are left as they are. One transaction:
// a failure changes nothing. Safe to run again; run while the app is
// quiet (it holds the writer for its whole run on SQLite).
#pragma once

#include <cstdint>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::programme {

struct RebuildReport {
  std::int64_t orders = 0;         // orders counted
  std::int64_t listing_spans = 0;  // spans opened or closed
  std::int64_t snapshots = 0;      // settled days' level figures taken again
};

Result<RebuildReport> RebuildRollups(db::Database& db, const Clock& clock);

}  // namespace nongsan::programme
