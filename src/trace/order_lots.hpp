// The traceability side of packing: implements orders::LotLedger over trace's
// own tables (trace_lots, trace_lot_lines), inside the orders module's
// transaction. A line packed without a choice takes the active lots of its
// product in order of expiry (earliest first, lots without expiry last); a
// product that has no lots at all packs without one.
// Thread-safety: stateless; safe to share.
#pragma once

#include "orders/lot_ledger.hpp"

namespace nongsan::trace {

class TraceLotLedger final : public orders::LotLedger {
 public:
  Status Pack(db::Connection& c, const orders::PackedOrder& order,
              const std::vector<orders::LotChoice>& choices) override;
  Result<std::optional<std::string>> ShipBlocker(db::Connection& c, std::int64_t order_id) override;
  // Records EPCIS shipping (at the lot's origin) or receiving events, one per lot.
  Status Moved(db::Connection& c, std::int64_t order_id, orders::LotMove move, std::int64_t at) override;
  Status Unpacked(db::Connection& c, std::int64_t order_id, std::int64_t at) override;
  Result<std::vector<orders::LineLot>> LotsOf(db::Connection& c, std::int64_t order_id) override;
};

}  // namespace nongsan::trace
