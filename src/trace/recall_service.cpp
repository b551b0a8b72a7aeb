#include "trace/recall_service.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "accounts/audit_log.hpp"
#include "core/text.hpp"
#include "trace/epcis.hpp"

namespace nongsan::trace {
namespace {

Result<std::string> CleanReason(const std::string& raw, bool required) {
  std::string reason = text::ToNfc(text::Trim(raw));
  if (required && reason.empty()) return Error::Field("reason", "is required");
  if (text::CodePointCount(reason) > kMaxRecallReasonChars) {
    return Error::Field("reason", "must be at most " + std::to_string(kMaxRecallReasonChars) + " characters");
  }
  return reason;
}

// An EPCIS event of a decision on the lot, at its origin commune (the time is
// set when it is recorded): OBSERVE unless said otherwise.
PlatformEvent DecisionEvent(std::string biz_step, std::string disposition, std::string action = "OBSERVE",
                            std::optional<std::int64_t> quantity = std::nullopt) {
  PlatformEvent event;
  event.action = std::move(action);
  event.biz_step = std::move(biz_step);
  event.disposition = std::move(disposition);
  event.quantity = quantity;
  event.at_origin = true;
  return event;
}

// A decision on a lot (hold, release, recall, destroy) as it is kept, in the
// change's own transaction: the audit log's row (these decisions reach buyers
// and officials, so who took them stays on record) and the EPCIS event, both
// at `at`.
Status RecordDecision(db::Connection& c, const Principal& principal, const Lot& lot,
                      const std::string& action, LotStatus after, const std::string& reason, std::int64_t at,
                      PlatformEvent event) {
  accounts::AuditEntry entry;
  entry.actor_user_id = principal.user_id;
  entry.action = "lot." + action;
  entry.object_type = "lot";
  entry.object_id = std::to_string(lot.id);
  entry.before = {{"status", LotStatusName(lot.status)}, {"reason", lot.status_reason}};
  entry.after = {{"status", LotStatusName(after)}, {"reason", reason}};
  entry.province_code = lot.origin_province_code;
  TRY(accounts::RecordAudit(c, entry, at));
  event.at_ms = at;
  event.reason = reason;
  return RecordPlatformEvent(c, lot, event);
}

}  // namespace

RecallService::RecallService(TraceService& trace, BuyerNotifier& notifier)
    : trace_(trace), notifier_(notifier) {}

Result<Lot> RecallService::ActOn(const Principal* principal, std::int64_t lot_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto lot, trace_.FindLot(lot_id));
  if (!lot) return Error::NotFound("lot");
  TRY_ASSIGN(auto shop, trace_.shops().Find(lot->seller_id));
  if (!shop) return Error::NotFound("lot");
  if (!trace_.shops().CanManage(principal, lot->seller_id) &&
      !trace_.shops().OfficerCovers(*principal, shop->commune_code)) {
    return Error::NotFound("lot");
  }
  return *lot;
}

Result<RecallResult> RecallService::Recall(const Principal* principal, std::int64_t lot_id,
                                           const std::string& raw) {
  TRY_ASSIGN(Lot lot, ActOn(principal, lot_id));
  TRY_ASSIGN(std::string reason, CleanReason(raw, true));
  TRY_ASSIGN(auto product, trace_.products().Find(lot.product_id));
  TRY_ASSIGN(auto shop, trace_.shops().Find(lot.seller_id));
  const std::string product_name = product ? product->name : "sản phẩm";
  const std::string shop_name = shop ? shop->name : "người bán";
  const std::int64_t now = trace_.clock().NowMs();
  RecallResult result;
  TRY(trace_.db().WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t changed,
               c.Exec("UPDATE trace_lots SET status = 'recalled', status_reason = ?, updated_at = ? "
                      "WHERE id = ? AND status <> 'recalled'",
                      {reason, now, lot_id}));
    if (changed == 0) return Error::Conflict("already_recalled", "The lot was already recalled.");
    // As EPCIS records it: the lot observed, now recalled.
    TRY(RecordDecision(c, *principal, lot, "recall", LotStatus::kRecalled, reason, now,
                       DecisionEvent("holding", "recalled")));
    TRY_ASSIGN(db::Rows orders,
               c.Query("SELECT order_id, MIN(order_code), MIN(buyer_id) FROM trace_lot_lines "
                       "WHERE lot_id = ? GROUP BY order_id ORDER BY order_id",
                       {lot_id}));
    std::vector<BuyerNotice> notices;
    notices.reserve(orders.size());
    for (const auto& o : orders) {
      notices.push_back({o.Int(0), o.Int(2),
                         "Thu hồi: lô " + lot.code + " của " + product_name + " trong đơn hàng " + o.Text(1) +
                             " bị thu hồi (" + reason + "). Vui lòng không sử dụng; liên hệ " + shop_name +
                             " để được hoàn tiền.",
                         now});
    }
    TRY(notifier_.NotifyRecall(c, notices));
    result.buyers_notified = static_cast<std::int64_t>(notices.size());
    return Ok{};
  }));
  lot.status = LotStatus::kRecalled;
  lot.status_reason = reason;
  lot.updated_at = now;
  result.lot = std::move(lot);
  return result;
}

Result<Lot> RecallService::Hold(const Principal* principal, std::int64_t lot_id, const std::string& raw) {
  TRY_ASSIGN(Lot lot, ActOn(principal, lot_id));
  TRY_ASSIGN(std::string reason, CleanReason(raw, false));
  const std::int64_t now = trace_.clock().NowMs();
  TRY(trace_.db().WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t changed,
               c.Exec("UPDATE trace_lots SET status = 'on_hold', status_reason = ?, updated_at = ? "
                      "WHERE id = ? AND status IN ('active', 'closed')",
                      {reason, now, lot_id}));
    if (changed == 0)
      return Error::Conflict("invalid_transition", "Only an active or sold-out lot can be held.");
    // Held for inspection: not for sale until released.
    return RecordDecision(c, *principal, lot, "hold", LotStatus::kOnHold, reason, now,
                          DecisionEvent("holding", "non_sellable_other"));
  }));
  lot.status = LotStatus::kOnHold;
  lot.status_reason = reason;
  lot.updated_at = now;
  return lot;
}

Result<Lot> RecallService::Release(const Principal* principal, std::int64_t lot_id) {
  TRY_ASSIGN(Lot lot, ActOn(principal, lot_id));
  const std::int64_t now = trace_.clock().NowMs();
  TRY(trace_.db().WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(
        std::int64_t changed,
        c.Exec("UPDATE trace_lots SET status = CASE WHEN packed >= quantity THEN 'closed' ELSE 'active' END, "
               "status_reason = '', updated_at = ? WHERE id = ? AND status = 'on_hold'",
               {now, lot_id}));
    if (changed == 0) return Error::Conflict("invalid_transition", "Only a lot on hold can be released.");
    // Inspected and found fit: on sale again.
    return RecordDecision(c, *principal, lot, "release",
                          lot.remaining() > 0 ? LotStatus::kActive : LotStatus::kClosed, "", now,
                          DecisionEvent("inspecting", "sellable_accessible"));
  }));
  lot.status = lot.remaining() > 0 ? LotStatus::kActive : LotStatus::kClosed;
  lot.status_reason.clear();
  lot.updated_at = now;
  return lot;
}

namespace {

// The platform's destroying event of a lot: its quantity, or nullopt.
Result<std::optional<std::int64_t>> DestroyedIn(db::Connection& c, std::int64_t lot_id) {
  TRY_ASSIGN(auto row, c.QueryOne("SELECT COALESCE(quantity, 0) FROM trace_epcis_events WHERE lot_id = ? AND "
                                  "source = 'platform' AND biz_step = 'destroying' ORDER BY id LIMIT 1",
                                  {lot_id}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

}  // namespace

Result<DestroyedLot> RecallService::Destroy(const Principal* principal, std::int64_t lot_id,
                                            const std::string& raw, std::optional<std::int64_t> quantity) {
  TRY_ASSIGN(Lot lot, ActOn(principal, lot_id));
  TRY_ASSIGN(std::string reason, CleanReason(raw, true));
  if (!quantity) {
    if (lot.remaining() < 1)
      return Error::Field("quantity",
                          "is required: every unit of the lot was sold, so say how many came back");
    quantity = lot.remaining();
  }
  if (*quantity < 1 || *quantity > lot.quantity)
    return Error::Field("quantity", "must be 1 to the lot's quantity (" + std::to_string(lot.quantity) + ")");
  const std::int64_t now = trace_.clock().NowMs();
  TRY(trace_.db().WriteWith([&](db::Connection& c) -> Status {
    // The lot's row first: a second decision taken at the same moment waits
    // here for this one's commit, then finds its event below.
    TRY_ASSIGN(
        std::int64_t changed,
        c.Exec("UPDATE trace_lots SET updated_at = ? WHERE id = ? AND status = 'recalled'", {now, lot_id}));
    if (changed == 0) return Error::Conflict("not_recalled", "Only a recalled lot can be destroyed.");
    TRY_ASSIGN(auto before, DestroyedIn(c, lot_id));
    if (before) return Error::Conflict("already_destroyed", "The lot's destruction is already recorded.");
    return RecordDecision(c, *principal, lot, "destroy", LotStatus::kRecalled, reason, now,
                          DecisionEvent("destroying", "destroyed", "DELETE", *quantity));
  }));
  lot.updated_at = now;
  return DestroyedLot{std::move(lot), *quantity};
}

Result<std::optional<std::int64_t>> RecallService::DestroyedQuantity(const Principal* principal,
                                                                     std::int64_t lot_id) {
  TRY(ActOn(principal, lot_id));
  return trace_.db().Read(
      [&](db::Connection& c) -> Result<std::optional<std::int64_t>> { return DestroyedIn(c, lot_id); });
}

Result<std::vector<RecalledLot>> RecallService::RecallsInArea(const Principal* principal,
                                                              std::int64_t limit) {
  if (principal == nullptr) return Error::Unauthorized();
  std::vector<std::string> communes;
  std::vector<std::string> provinces;
  for (const auto& grant : principal->grants) {
    if (grant.role == Role::kCommuneOfficer) communes.push_back(grant.scope);
    if (grant.role == Role::kProvinceAdmin) provinces.push_back(grant.scope);
  }
  if (communes.empty() && provinces.empty())
    return Error::Forbidden("Only officials see the recalls of their area.");
  limit = std::clamp(limit, std::int64_t{1}, kMaxRecallsListed);
  std::string where = "l.status = 'recalled' AND (1 = 0";
  db::Params params;
  for (const auto& c : communes) {
    where += " OR l.origin_commune_code = ?";
    params.emplace_back(c);
  }
  for (const auto& p : provinces) {
    where += " OR l.origin_province_code = ?";
    params.emplace_back(p);
  }
  where += ")";
  params.emplace_back(limit);
  TRY_ASSIGN(
      auto rows,
      trace_.db().Read([&](db::Connection& c) -> Result<std::vector<std::pair<std::int64_t, std::int64_t>>> {
        std::string sql =
            "SELECT l.id, (SELECT COUNT(*) FROM trace_lot_lines ll WHERE ll.lot_id = l.id) FROM trace_lots l "
            "WHERE ";
        sql += where;
        sql += " ORDER BY l.updated_at DESC, l.id DESC LIMIT ?";
        TRY_ASSIGN(db::Rows found, c.Query(sql, params));
        std::vector<std::pair<std::int64_t, std::int64_t>> out;
        for (const auto& r : found) out.emplace_back(r.Int(0), r.Int(1));
        return out;
      }));
  std::vector<RecalledLot> out;
  for (const auto& [lot_id, lines] : rows) {
    TRY_ASSIGN(auto lot, trace_.FindLot(lot_id));
    if (lot) out.push_back({std::move(*lot), lines});
  }
  return out;
}

Result<LotOrdersPage> RecallService::Orders(const Principal* principal, std::int64_t lot_id,
                                            std::int64_t after_id, std::int64_t limit) {
  TRY(ActOn(principal, lot_id));
  limit = std::clamp(limit, std::int64_t{1}, kMaxLotOrdersPage);
  return trace_.db().Read([&](db::Connection& c) -> Result<LotOrdersPage> {
    TRY_ASSIGN(db::Rows rows,
               c.Query("SELECT id, order_id, order_code, line_id, product_id, buyer_id, quantity, "
                       "created_at FROM trace_lot_lines WHERE lot_id = ? AND id > ? ORDER BY id LIMIT ?",
                       {lot_id, after_id, limit + 1}));
    LotOrdersPage page;
    for (const auto& r : rows) {
      if (static_cast<std::int64_t>(page.items.size()) == limit) {
        page.next_after_id = page.items.back().id;
        break;
      }
      page.items.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7)});
    }
    return page;
  });
}

}  // namespace nongsan::trace
