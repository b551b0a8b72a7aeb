#include "quality/held_orders.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "quality/officer_scope.hpp"
#include "quality/outbox.hpp"
#include "quality/quality_service.hpp"
#include "quality/text_input.hpp"

namespace nongsan::quality {

Result<HeldOrderPage> HeldOrderService::ForOfficer(const Principal* officer, std::size_t page,
                                                   std::size_t page_size) {
  TRY(RequireSignedIn(officer));
  if (!IsOfficer(*officer))
    return Error::Forbidden("Only a commune officer or the province administration may do this.");
  // The shops with holds are few (each was suspended); keep those of the
  // officer's area, then read only their orders.
  TRY_ASSIGN(auto held_sellers, orders_.HeldSellers());
  TRY_ASSIGN(auto shops, shops_.FindMany(held_sellers));
  std::map<std::int64_t, ShopRef> in_area;
  for (auto& shop : shops) {
    if (CoversCommune(*officer, areas_, shop.commune_code)) in_area.emplace(shop.id, std::move(shop));
  }
  HeldOrderPage out;
  out.page = page;
  if (in_area.empty()) return out;
  std::vector<std::int64_t> ids;
  for (const auto& entry : in_area) ids.push_back(entry.first);
  page_size = std::max<std::size_t>(page_size, 1);
  // One more than the page tells whether a next page exists.
  TRY_ASSIGN(auto held, orders_.HeldOrders(ids, page * page_size, page_size + 1));
  out.has_more = held.size() > page_size;
  if (out.has_more) held.resize(page_size);
  for (auto& order : held) {
    auto shop = in_area.find(order.seller_id);
    if (shop != in_area.end()) out.items.push_back({std::move(order), shop->second});
  }
  return out;
}

Result<HeldOrderRef> HeldOrderService::Decide(const Principal* officer, std::int64_t order_id,
                                              HoldOutcome outcome, std::string note) {
  TRY(RequireSignedIn(officer));
  TRY_ASSIGN(auto held, orders_.FindHeld(order_id));
  if (!held) return Error::NotFound("order");
  TRY_ASSIGN(ShopRef shop, RequireOfficerOf(officer, shops_, areas_, held->seller_id, "order"));
  std::vector<FieldError> errors;
  auto clean = CleanText(note, "reason", kMinReasonChars, kMaxReasonChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));

  // The orders module decides in its own transaction (a cancellation puts
  // the stock back and tells buyer and shop); the record follows. A
  // cancelled order cannot be un-cancelled, so a failed record is logged
  // rather than undone.
  TRY_ASSIGN(HeldOrderRef decided, orders_.ResolveHold(order_id, outcome, *clean, officer->user_id));
  const bool cancel = outcome == HoldOutcome::kCancel;
  const std::int64_t now = clock_.NowMs();
  auto recorded = db_.Write([&](db::Connection& c) -> Status {
    accounts::AuditEntry entry;
    entry.actor_user_id = officer->user_id;
    entry.action = cancel ? "order.hold_cancelled" : "order.hold_released";
    entry.object_type = "order";
    entry.object_id = std::to_string(order_id);
    entry.before = {{"held", true}, {"status", held->status}};
    entry.after = {{"held", false}, {"status", decided.status}, {"reason", *clean}, {"seller_id", shop.id}};
    entry.province_code = areas_.ProvinceOf(shop.commune_code).value_or("");
    TRY(accounts::RecordAudit(c, entry, now));
    const std::string message =
        cancel ? "Đơn hàng " + decided.code + " đã bị cán bộ huỷ sau khi bị tạm giữ. Ghi chú: " + *clean
               : "Đơn hàng " + decided.code +
                     " được cán bộ cho tiếp tục; bạn có thể xử lý đơn như bình thường. Ghi chú: " + *clean;
    TRY(QueueShopMessage(c, shop.id, cancel ? "order_hold_cancelled" : "order_hold_released", order_id,
                         "hold:" + std::to_string(order_id) + ":" + std::to_string(held->held_at_ms), message,
                         now));
    return Ok{};
  });
  if (!recorded.ok()) {
    spdlog::error("quality: hold decision on order {} not recorded: {}", order_id, recorded.error().detail);
  }
  return decided;
}

}  // namespace nongsan::quality
