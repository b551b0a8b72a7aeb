// Orders held after a suspension, decided by officials. Enforcement
// (complaint_service.hpp) holds a shop's open orders through the orders
// module when it suspends the shop or one of its products; an officer of the
// shop's area then releases each order (the shop goes on) or cancels it (the
// stock goes back), with a note. Every decision lands in the audit log and
// the shop's notices; the buyer hears from the orders module.
//
// Thread-safety: all methods may be called from any thread; ports are called
// outside this service's write transactions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/ports.hpp"

namespace nongsan::quality {

// Held orders an officer's page lists at once (holds come from suspensions,
// which are rare; the oldest come first); the rest on the next pages.
inline constexpr std::size_t kHeldOrdersPageSize = 50;

struct HeldOrderView {
  HeldOrderRef order;
  ShopRef shop;
};

struct HeldOrderPage {
  std::vector<HeldOrderView> items;
  std::size_t page = 0;  // from 0
  bool has_more = false;
};

class HeldOrderService {
 public:
  HeldOrderService(db::Database& db, const Clock& clock, ShopPort& shops, OrderPort& orders,
                   const AreaPort& areas)
      : db_(db), clock_(clock), shops_(shops), orders_(orders), areas_(areas) {}

  // Held orders of shops in the officer's area, oldest hold first, one page
  // of page_size (the area is chosen before the orders are read, so an
  // officer sees all of theirs whatever other areas hold); 403 for anyone
  // who is not an officer.
  Result<HeldOrderPage> ForOfficer(const Principal* officer, std::size_t page = 0,
                                   std::size_t page_size = kHeldOrdersPageSize);
  // Releases or cancels one held order of a shop in the officer's area
  // (404 outside it, as if it did not exist); the note is required.
  Result<HeldOrderRef> Decide(const Principal* officer, std::int64_t order_id, HoldOutcome outcome,
                              std::string note);

 private:
  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  OrderPort& orders_;
  const AreaPort& areas_;
};

}  // namespace nongsan::quality
