// What the orders module needs from production lots, which belong to the
// traceability module: when a shop packs an order it says which lot each line
// came from (or the lot with the earliest expiry is taken), the lots' books
// follow in the same transaction, and an order holding a recalled or held lot
// may not ship. Orders never read trace's tables: the traceability module
// implements this interface (trace/order_lots.*) and the app wires it
// (OrderService::SetLotLedger); without one, orders know nothing of lots.
//
// Thread-safety: implementations must be safe to call from any thread. Every
// method runs inside the caller's write or read transaction on `c`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::orders {

// Most lot choices one packing may carry (an order has far fewer lines).
inline constexpr std::size_t kMaxLotChoices = 200;

// A shop's choice in the packing transition: {line_id, lot_id, quantity}.
struct LotChoice {
  std::int64_t line_id = 0;  // the line's id in the order's JSON (its line number)
  std::int64_t lot_id = 0;
  std::int64_t quantity = 0;
};

struct PackedLine {
  std::int64_t line_id = 0;
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
};

struct PackedOrder {
  std::int64_t order_id = 0;
  std::string order_code;
  std::int64_t seller_id = 0;
  std::int64_t buyer_id = 0;
  std::vector<PackedLine> lines;
  std::int64_t at = 0;
};

// Which lot (part of) a line came from, as shown on the order.
struct LineLot {
  std::int64_t line_id = 0;
  std::int64_t lot_id = 0;
  std::string lot_code;
  std::int64_t quantity = 0;
  std::string status;  // the lot's: active, on_hold, recalled, closed
  std::string reason;  // why it was held or recalled
};

// Where an order that holds lots went.
enum class LotMove { kShipped, kDelivered };

class LotLedger {
 public:
  virtual ~LotLedger() = default;
  // Takes the packed quantities from lots and records which lot each line
  // came from. Errors name the body's field (lots[i].lot_id …): another
  // shop's or product's lot, a line that is not on the order, quantities that
  // do not add up; 409 for a recalled, held or short lot.
  virtual Status Pack(db::Connection& c, const PackedOrder& order, const std::vector<LotChoice>& choices) = 0;
  // Why the order may not ship (it holds a recalled or held lot), or nullopt.
  virtual Result<std::optional<std::string>> ShipBlocker(db::Connection& c, std::int64_t order_id) = 0;
  // The order left the shop or reached the buyer: its lots' books note it.
  virtual Status Moved(db::Connection& c, std::int64_t order_id, LotMove move, std::int64_t at) = 0;
  // A packed order was cancelled before it left the shop: what it took goes
  // back to its lots (a lot it had sold out is active again unless held or
  // recalled) and the order no longer counts among the lots' orders.
  virtual Status Unpacked(db::Connection& c, std::int64_t order_id, std::int64_t at) = 0;
  virtual Result<std::vector<LineLot>> LotsOf(db::Connection& c, std::int64_t order_id) = 0;
};

}  // namespace nongsan::orders
