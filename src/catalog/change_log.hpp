// The catalogue's change log (table catalog_changes): every write that can
// change what search shows appends a row in the same transaction, naming a
// product or a whole shop. Search indexes in every app process follow the log
// (see search_sync.hpp), so several servers on one PostgreSQL stay consistent
// and an index never misses a committed write. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

Status LogProductChange(db::Connection& c, std::int64_t product_id, std::int64_t now_ms);
// Many products in one statement (imports).
Status LogProductChanges(db::Connection& c, const std::vector<std::int64_t>& product_ids,
                         std::int64_t now_ms);
// Every product of the shop (visibility changes).
Status LogSellerChange(db::Connection& c, std::int64_t seller_id, std::int64_t now_ms);
// Many shops in one statement (imports whose rows interleave many shops).
Status LogSellerChanges(db::Connection& c, const std::vector<std::int64_t>& seller_ids, std::int64_t now_ms);

}  // namespace nongsan::catalog
