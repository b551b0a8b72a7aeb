#include "quality/complaint_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "db/sql_lists.hpp"
#include "quality/officer_scope.hpp"
#include "quality/outbox.hpp"
#include "quality/text_input.hpp"

namespace nongsan::quality {
namespace {

constexpr std::string_view kComplaintColumns =
    "id, order_id, seller_id, buyer_user_id, product_id, body, status, created_at, shop_response, "
    "responded_at, "
    "resolution, resolution_note, resolved_by, resolved_at";
constexpr std::string_view kActionColumns =
    "id, target_type, target_id, seller_id, action, reason, complaint_id, actor_user_id, at, flagged_orders";

// Order statuses (the orders module's names) in which the buyer has the goods
// or had them: a quality complaint needs the product in hand.
constexpr std::array<std::string_view, 4> kReceivedStatuses = {"shipped", "delivered", "completed",
                                                               "returned"};
constexpr double kMsPerHour = 3600.0 * 1000.0;

Complaint ComplaintFromRow(const db::Row& r) {
  Complaint c;
  c.id = r.Int(0);
  c.order_id = r.Int(1);
  c.seller_id = r.Int(2);
  c.buyer_user_id = r.Int(3);
  c.product_id = r.OptInt(4);
  c.body = r.Text(5);
  c.status = r.Text(6) == "resolved" ? ComplaintStatus::kResolved : ComplaintStatus::kOpen;
  c.created_at_ms = r.Int(7);
  c.shop_response = r.OptText(8);
  c.responded_at_ms = r.OptInt(9);
  c.resolution = ParseResolution(r.Text(10));
  c.resolution_note = r.Text(11);
  c.resolved_by = r.OptInt(12);
  c.resolved_at_ms = r.OptInt(13);
  return c;
}

EnforcementAction ActionFromRow(const db::Row& r) {
  EnforcementAction a;
  a.id = r.Int(0);
  a.target = r.Text(1) == "shop" ? EnforcementTarget::kShop : EnforcementTarget::kProduct;
  a.target_id = r.Int(2);
  a.seller_id = r.Int(3);
  a.suspend = r.Text(4) == "suspend";
  a.reason = r.Text(5);
  a.complaint_id = r.OptInt(6);
  a.actor_user_id = r.Int(7);
  a.at_ms = r.Int(8);
  a.flagged_orders = r.OptInt(9);
  return a;
}

}  // namespace

std::string_view ComplaintStatusName(ComplaintStatus status) {
  return status == ComplaintStatus::kResolved ? "resolved" : "open";
}

std::string_view ResolutionName(Resolution resolution) {
  return resolution == Resolution::kUpheld ? "upheld" : "dismissed";
}

std::optional<Resolution> ParseResolution(std::string_view name) {
  if (name == "upheld") return Resolution::kUpheld;
  if (name == "dismissed") return Resolution::kDismissed;
  return std::nullopt;
}

std::string_view EnforcementTargetName(EnforcementTarget target) {
  return target == EnforcementTarget::kShop ? "shop" : "product";
}

ComplaintService::ComplaintService(db::Database& db, const Clock& clock, ShopPort& shops,
                                   ProductPort& products, OrderPort& orders, const AreaPort& areas,
                                   ReviewService& reviews)
    : db_(db),
      clock_(clock),
      shops_(shops),
      products_(products),
      orders_(orders),
      areas_(areas),
      reviews_(reviews) {}

Result<Complaint> ComplaintService::Load(std::int64_t complaint_id) {
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) {
    return c.QueryOne("SELECT " + std::string(kComplaintColumns) + " FROM quality_complaints WHERE id = ?",
                      {complaint_id});
  }));
  if (!row) return Error::NotFound("complaint");
  return ComplaintFromRow(*row);
}

Result<Complaint> ComplaintService::File(const Principal* buyer, ComplaintInput input) {
  TRY(RequireSignedIn(buyer));
  TRY_ASSIGN(auto order, orders_.FindVisible(*buyer, input.order_id));
  // Someone who cannot see the order learns nothing of it; the shop side sees
  // it but is not its buyer.
  if (!order) return Error::NotFound("order");
  if (order->buyer_user_id != buyer->user_id) {
    return Error::Forbidden("Only the buyer of an order may complain about it.");
  }
  const bool received =
      std::find(kReceivedStatuses.begin(), kReceivedStatuses.end(), order->status) != kReceivedStatuses.end();
  if (!received) {
    return Error::Conflict("order_not_received",
                           "A quality complaint can be filed once the order has been shipped to you.");
  }
  std::vector<FieldError> errors;
  if (input.product_id && std::find(order->product_ids.begin(), order->product_ids.end(),
                                    *input.product_id) == order->product_ids.end()) {
    errors.push_back({"product_id", "is not a product of this order"});
  }
  auto body = CleanText(input.body, "text", kMinComplaintChars, kMaxComplaintChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));

  TRY_ASSIGN(auto shop, shops_.Find(order->seller_id));
  const std::string commune = shop ? shop->commune_code : "";
  const std::string province = areas_.ProvinceOf(commune).value_or("");
  const std::int64_t now = clock_.NowMs();
  const db::Value product = input.product_id ? db::Value{*input.product_id} : db::Value{};
  TRY_ASSIGN(std::int64_t id, db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(auto open,
               c.QueryOne("SELECT id FROM quality_complaints WHERE order_id = ? AND status = 'open' AND "
                          "COALESCE(product_id, 0) = ?",
                          {input.order_id, input.product_id.value_or(0)}));
    if (open) {
      return Error::Conflict("complaint_open", "A complaint about this is already open (number " +
                                                   std::to_string(open->Int(0)) + ").");
    }
    TRY_ASSIGN(
        std::int64_t complaint_id,
        c.QueryInt(
            "INSERT INTO quality_complaints (order_id, seller_id, buyer_user_id, product_id, body, "
            "status, created_at, commune_code, province_code) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?) "
            "RETURNING id",
            {input.order_id, order->seller_id, buyer->user_id, product, *body, now, commune, province}));
    TRY(QueueShopMessage(c, order->seller_id, "complaint_filed", complaint_id,
                         "complaint:" + std::to_string(complaint_id) + ":filed",
                         "Khách hàng đã gửi khiếu nại về chất lượng cho đơn hàng #" +
                             std::to_string(input.order_id) +
                             ". Hãy trả lời sớm: thời gian phản hồi được tính vào uy tín gian hàng.",
                         now));
    return complaint_id;
  }));
  return Load(id);
}

Result<Complaint> ComplaintService::Respond(const Principal* principal, std::int64_t complaint_id,
                                            std::string body) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Complaint complaint, Load(complaint_id));
  TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, complaint.seller_id));
  if (!may_manage) {
    if (principal->user_id == complaint.buyer_user_id) {
      return Error::Forbidden("Only the shop may answer a complaint.");
    }
    return Error::NotFound("complaint");
  }
  std::vector<FieldError> errors;
  auto clean = CleanText(body, "text", 1, kMaxComplaintReplyChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t changed,
               c.Exec("UPDATE quality_complaints SET shop_response = ?, responded_by = ?, responded_at = ? "
                      "WHERE id = ? AND shop_response IS NULL AND status = 'open'",
                      {*clean, principal->user_id, now, complaint_id}));
    if (changed == 0) {
      return Error::Conflict("already_answered",
                             "The shop has already answered, or the complaint is resolved.");
    }
    return Ok{};
  }));
  return Load(complaint_id);
}

Result<Complaint> ComplaintService::Resolve(const Principal* officer, std::int64_t complaint_id,
                                            Resolution resolution, std::string note) {
  TRY(RequireSignedIn(officer));
  TRY_ASSIGN(Complaint complaint, Load(complaint_id));
  TRY_ASSIGN(ShopRef shop, RequireOfficerOf(officer, shops_, areas_, complaint.seller_id, "complaint",
                                            officer->user_id == complaint.buyer_user_id));
  std::vector<FieldError> errors;
  auto clean = CleanText(note, "note", kMinReasonChars, kMaxReasonChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));
  const std::int64_t now = clock_.NowMs();
  const std::string resolution_name(ResolutionName(resolution));
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(
        std::int64_t changed,
        c.Exec("UPDATE quality_complaints SET status = 'resolved', resolution = ?, resolution_note = ?, "
               "resolved_by = ?, resolved_at = ? WHERE id = ? AND status = 'open'",
               {resolution_name, *clean, officer->user_id, now, complaint_id}));
    if (changed == 0) return Error::Conflict("invalid_transition", "This complaint is already resolved.");
    accounts::AuditEntry entry;
    entry.actor_user_id = officer->user_id;
    entry.action = "complaint.resolve";
    entry.object_type = "complaint";
    entry.object_id = std::to_string(complaint_id);
    entry.before = {{"status", "open"}};
    entry.after = {{"status", "resolved"}, {"resolution", resolution_name}, {"note", *clean}};
    entry.province_code = areas_.ProvinceOf(shop.commune_code).value_or("");
    TRY(accounts::RecordAudit(c, entry, now));
    TRY(QueueShopMessage(
        c, complaint.seller_id, "complaint_resolved", complaint_id,
        "complaint:" + std::to_string(complaint_id) + ":resolved",
        "Khiếu nại #" + std::to_string(complaint_id) + " đã được cán bộ xử lý (" +
            (resolution == Resolution::kUpheld ? "khiếu nại đúng" : "khiếu nại không có cơ sở") +
            "): " + *clean,
        now));
    return Ok{};
  }));
  return Load(complaint_id);
}

Result<Complaint> ComplaintService::Get(const Principal* principal, std::int64_t complaint_id) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Complaint complaint, Load(complaint_id));
  if (complaint.buyer_user_id == principal->user_id) return complaint;
  TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, complaint.seller_id));
  if (may_manage) return complaint;
  if (IsOfficer(*principal)) {
    TRY_ASSIGN(auto shop, shops_.Find(complaint.seller_id));
    if (shop && CoversCommune(*principal, areas_, shop->commune_code)) return complaint;
  }
  return Error::NotFound("complaint");
}

Result<std::vector<Complaint>> ComplaintService::List(const Principal* principal,
                                                      const ComplaintQuery& query) {
  TRY(RequireSignedIn(principal));
  const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, kMaxPageSize);
  std::string sql = "SELECT " + std::string(kComplaintColumns) + " FROM quality_complaints WHERE ";
  db::Params params;
  if (query.seller_id) {
    TRY_ASSIGN(auto shop, shops_.Find(*query.seller_id));
    if (!shop) return Error::NotFound("shop");
    TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, *query.seller_id));
    if (!may_manage && !CoversCommune(*principal, areas_, shop->commune_code)) return Error::NotFound("shop");
    sql += "seller_id = ?";
    params.emplace_back(*query.seller_id);
  } else if (IsOfficer(*principal)) {
    std::vector<std::string> communes, provinces;
    for (const auto& g : principal->grants) {
      if (g.role == Role::kCommuneOfficer) communes.push_back(g.scope);
      if (g.role == Role::kProvinceAdmin) provinces.push_back(g.scope);
    }
    sql += "(1 = 0";
    if (!communes.empty()) {
      sql += " OR commune_code IN (" + db::Placeholders(communes.size()) + ")";
      for (auto& code : communes) params.emplace_back(code);
    }
    if (!provinces.empty()) {
      sql += " OR province_code IN (" + db::Placeholders(provinces.size()) + ")";
      for (auto& code : provinces) params.emplace_back(code);
    }
    sql += ")";
  } else {
    sql += "buyer_user_id = ?";
    params.emplace_back(principal->user_id);
  }
  if (query.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(ComplaintStatusName(*query.status)));
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) { return c.Query(sql, params); }));
  std::vector<Complaint> out;
  for (const auto& r : rows) out.push_back(ComplaintFromRow(r));
  return out;
}

Result<EnforcementAction> ComplaintService::Suspend(const Principal* officer, EnforcementTarget target,
                                                    std::int64_t target_id, std::string reason,
                                                    std::optional<std::int64_t> complaint_id) {
  return Enforce(officer, target, target_id, true, std::move(reason), complaint_id);
}

Result<EnforcementAction> ComplaintService::Reinstate(const Principal* officer, EnforcementTarget target,
                                                      std::int64_t target_id, std::string reason) {
  return Enforce(officer, target, target_id, false, std::move(reason), std::nullopt);
}

Result<EnforcementAction> ComplaintService::Enforce(const Principal* officer, EnforcementTarget target,
                                                    std::int64_t target_id, bool suspend, std::string reason,
                                                    std::optional<std::int64_t> complaint_id) {
  TRY(RequireSignedIn(officer));
  std::int64_t seller_id = target_id;
  std::optional<ProductRef> product;
  if (target == EnforcementTarget::kProduct) {
    TRY_ASSIGN(auto found, products_.FindMany({target_id}));
    if (found.empty()) return Error::NotFound("product");
    product = found[0];
    seller_id = product->seller_id;
  }
  TRY_ASSIGN(ShopRef shop, RequireOfficerOf(officer, shops_, areas_, seller_id,
                                            std::string(EnforcementTargetName(target))));
  // Only now, so that no one outside the area learns whether it is suspended.
  if (product && suspend && product->suspended) {
    return Error::Conflict("already_suspended", "This product is already suspended.");
  }
  if (product && !suspend && !product->suspended) {
    return Error::Conflict("not_suspended", "This product is not suspended.");
  }
  const std::string product_name = product ? product->name : "";
  std::vector<FieldError> errors;
  auto clean = CleanText(reason, "reason", kMinReasonChars, kMaxReasonChars, Lines::kMulti, errors);
  if (complaint_id) {
    auto complaint = Load(*complaint_id);
    if (!complaint.ok() || complaint->seller_id != seller_id) {
      errors.push_back({"complaint_id", "is not a complaint about this shop"});
    }
  }
  TRY(CheckFields(std::move(errors)));

  // Step 1: the owning module suspends or reinstates.
  auto set = [&](bool suspended) -> Status {
    if (target == EnforcementTarget::kProduct)
      return products_.SetSuspended(target_id, suspended, *clean, *officer);
    return shops_.SetSuspended(seller_id, suspended, *clean, *officer);
  };
  TRY(set(suspend));
  auto undo = [&](const Error& cause) {
    Status undone = set(!suspend);
    if (!undone.ok()) {
      spdlog::error("quality: could not undo {} of {} {} after '{}': {}",
                    suspend ? "suspension" : "reinstatement", EnforcementTargetName(target), target_id,
                    cause.detail, undone.error().detail);
    }
  };

  // Step 2: open orders are flagged so the shop and buyers hear before shipping.
  std::optional<std::int64_t> flagged;
  if (suspend) {
    auto flag = orders_.FlagOpenOrders(
        seller_id,
        target == EnforcementTarget::kProduct ? std::optional<std::int64_t>{target_id} : std::nullopt,
        *clean);
    if (!flag.ok()) {
      undo(flag.error());
      return std::move(flag).error();
    }
    flagged = *flag;
  }

  // Step 3: the record, the audit entry and the shop's notice, together.
  const std::int64_t now = clock_.NowMs();
  const std::string target_name(EnforcementTargetName(target));
  const std::string action = suspend ? "suspend" : "reinstate";
  const db::Value complaint = complaint_id ? db::Value{*complaint_id} : db::Value{};
  auto recorded = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(
        std::int64_t id,
        c.QueryInt("INSERT INTO quality_enforcement (target_type, target_id, seller_id, action, reason, "
                   "complaint_id, actor_user_id, at, flagged_orders) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "RETURNING id",
                   {target_name, target_id, seller_id, action, *clean, complaint, officer->user_id, now,
                    flagged ? db::Value{*flagged} : db::Value{}}));
    accounts::AuditEntry entry;
    entry.actor_user_id = officer->user_id;
    entry.action = target_name + "." + action;
    entry.object_type = target_name;
    entry.object_id = std::to_string(target_id);
    entry.before = {{"suspended", !suspend}};
    entry.after = {{"suspended", suspend}, {"reason", *clean}};
    if (flagged) entry.after["flagged_orders"] = *flagged;
    if (complaint_id) entry.after["complaint_id"] = *complaint_id;
    entry.province_code = areas_.ProvinceOf(shop.commune_code).value_or("");
    TRY(accounts::RecordAudit(c, entry, now));
    std::string message;
    if (target == EnforcementTarget::kProduct) {
      message = suspend ? "Sản phẩm «" + product_name + "» đã bị tạm dừng bán. Lý do: " + *clean +
                              (flagged.value_or(0) > 0
                                   ? ". " + std::to_string(*flagged) + " đơn hàng đang mở cần được xem lại."
                                   : "")
                        : "Sản phẩm «" + product_name + "» đã được bán trở lại. Ghi chú: " + *clean;
    } else {
      message = suspend ? "Gian hàng của bạn đã bị tạm dừng. Lý do: " + *clean +
                              (flagged.value_or(0) > 0
                                   ? ". " + std::to_string(*flagged) + " đơn hàng đang mở cần được xem lại."
                                   : "")
                        : "Gian hàng của bạn đã được mở lại. Ghi chú: " + *clean;
    }
    TRY(QueueShopMessage(c, seller_id, target_name + "_" + (suspend ? "suspended" : "reinstated"), target_id,
                         "enforcement:" + std::to_string(id), message, now));
    return id;
  });
  if (!recorded.ok()) {
    undo(recorded.error());
    return std::move(recorded).error();
  }
  EnforcementAction out;
  out.id = *recorded;
  out.target = target;
  out.target_id = target_id;
  out.seller_id = seller_id;
  out.suspend = suspend;
  out.reason = *clean;
  out.complaint_id = complaint_id;
  out.actor_user_id = officer->user_id;
  out.at_ms = now;
  out.flagged_orders = flagged;
  return out;
}

Result<std::vector<EnforcementAction>> ComplaintService::History(const Principal* officer,
                                                                 std::int64_t seller_id) {
  TRY(RequireOfficerOf(officer, shops_, areas_, seller_id, "shop"));
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query("SELECT " + std::string(kActionColumns) +
                       " FROM quality_enforcement WHERE seller_id = ? ORDER BY id DESC LIMIT ?",
                   {seller_id, static_cast<std::int64_t>(kMaxPageSize)});
  }));
  std::vector<EnforcementAction> out;
  for (const auto& r : rows) out.push_back(ActionFromRow(r));
  return out;
}

Result<Reputation> ComplaintService::ShopReputation(std::int64_t seller_id) {
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  if (!shop) return Error::NotFound("shop");
  const std::int64_t since = clock_.NowMs() - static_cast<std::int64_t>(kReputationWindowDays) * kMsPerDay;
  Reputation rep;
  rep.seller_id = seller_id;
  TRY_ASSIGN(rep.orders, orders_.StatsForShop(seller_id, since));
  if (rep.orders && rep.orders->shipped > 0) {
    rep.on_time_share =
        static_cast<double>(rep.orders->shipped_on_time) / static_cast<double>(rep.orders->shipped);
  }
  if (rep.orders && rep.orders->orders > 0) {
    rep.cancellation_rate =
        static_cast<double>(rep.orders->cancelled) / static_cast<double>(rep.orders->orders);
  }
  TRY_ASSIGN(rep.rating, reviews_.ShopRating(seller_id));
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT created_at, responded_at FROM quality_complaints WHERE seller_id = ? AND created_at >= ?",
        {seller_id, since});
  }));
  std::vector<double> hours;
  for (const auto& r : rows) {
    ++rep.complaints;
    if (auto responded = r.OptInt(1)) {
      ++rep.complaints_answered;
      hours.push_back(static_cast<double>(*responded - r.Int(0)) / kMsPerHour);
    }
  }
  if (!hours.empty()) {
    std::sort(hours.begin(), hours.end());
    const std::size_t mid = hours.size() / 2;
    rep.median_response_hours = hours.size() % 2 == 1 ? hours[mid] : (hours[mid - 1] + hours[mid]) / 2.0;
  }
  return rep;
}

}  // namespace nongsan::quality
