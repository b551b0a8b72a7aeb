// Holding, releasing and recalling a lot, and who took it.
//
//  * hold: an active lot stops being packed while something is checked;
//    release puts it back (closed again if nothing is left);
//  * recall: final. In one transaction the lot becomes recalled and every
//    buyer of an order that took it gets an in-app notification and an SMS
//    in the orders module's outbox (BuyerNotifier); unshipped orders holding
//    it can no longer ship (orders ask TraceLotLedger::ShipBlocker), their
//    order pages and the provenance page show the recall;
//  * destroy: once a recalled lot's goods are destroyed, the decision is
//    recorded once, as EPCIS records it (a DELETE event, bizStep destroying,
//    disposition destroyed) with the units destroyed: by default what was
//    never sold, or the number given (goods brought back by buyers too);
//  * the order lines that took a lot are listed for the shop and the
//    officials of its area, oldest first, a page at a time.
// The shop's managers and the officials covering the shop's commune act;
// anyone else gets kNotFound, anonymous kUnauthorized.
//
// Thread-safety: stateless over the database and the ports; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trace/ports.hpp"
#include "trace/trace_service.hpp"

namespace nongsan::trace {

inline constexpr std::size_t kMaxRecallReasonChars = 500;
inline constexpr std::int64_t kDefaultLotOrdersPage = 100;
inline constexpr std::int64_t kMaxLotOrdersPage = 1000;
inline constexpr std::int64_t kMaxRecallsListed = 200;

struct LotOrderLine {
  std::int64_t id = 0;  // the record's id (the list's cursor)
  std::int64_t order_id = 0;
  std::string order_code;
  std::int64_t line_id = 0;
  std::int64_t product_id = 0;
  std::int64_t buyer_id = 0;
  std::int64_t quantity = 0;
  std::int64_t packed_at = 0;
};

struct LotOrdersPage {
  std::vector<LotOrderLine> items;
  std::optional<std::int64_t> next_after_id;
};

// A recalled lot as an official's list shows it.
struct RecalledLot {
  Lot lot;
  std::int64_t order_lines = 0;  // lines that took it
};

struct RecallResult {
  Lot lot;
  std::int64_t buyers_notified = 0;  // notices queued, one per order
};

struct DestroyedLot {
  Lot lot;
  std::int64_t quantity = 0;  // units recorded as destroyed
};

class RecallService {
 public:
  RecallService(TraceService& trace, BuyerNotifier& notifier);

  Result<RecallResult> Recall(const Principal* principal, std::int64_t lot_id, const std::string& reason);
  Result<Lot> Hold(const Principal* principal, std::int64_t lot_id, const std::string& reason);
  Result<Lot> Release(const Principal* principal, std::int64_t lot_id);
  // kConflict unless the lot is recalled, or when its destruction is already
  // recorded; `quantity` (default: the units never sold) is 1 to the lot's
  // quantity, else a field error.
  Result<DestroyedLot> Destroy(const Principal* principal, std::int64_t lot_id, const std::string& reason,
                               std::optional<std::int64_t> quantity);
  // The units recorded as destroyed, nullopt while none are (the lot's
  // readers: its shop and the officials of its area).
  Result<std::optional<std::int64_t>> DestroyedQuantity(const Principal* principal, std::int64_t lot_id);
  Result<LotOrdersPage> Orders(const Principal* principal, std::int64_t lot_id, std::int64_t after_id,
                               std::int64_t limit);
  // Recalled lots grown in the official's area (a commune officer's communes,
  // a province admin's province), newest recall first; kForbidden for anyone else.
  Result<std::vector<RecalledLot>> RecallsInArea(const Principal* principal, std::int64_t limit);

 private:
  // The lot when the principal may act on it (its shop's managers, officials of the shop's area).
  Result<Lot> ActOn(const Principal* principal, std::int64_t lot_id);

  TraceService& trace_;
  BuyerNotifier& notifier_;
};

}  // namespace nongsan::trace
