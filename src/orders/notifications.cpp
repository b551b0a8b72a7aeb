#include "orders/notifications.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/money.hpp"
#include "db/sql_lists.hpp"

namespace nongsan::orders {
namespace {

constexpr const char* kNotificationColumns = "(user_id, seller_id, order_id, event, message, created_at)";
constexpr const char* kOutboxColumns =
    "(recipient_kind, recipient_id, order_id, channel, message, created_at)";

// " AND (user_id = ? OR seller_id IN (?, …))" and its parameters.
std::string AudienceFilter(std::int64_t user_id, const std::vector<std::int64_t>& shop_ids,
                           db::Params& params) {
  std::string sql = "(user_id = ?";
  params.push_back(user_id);
  if (!shop_ids.empty()) {
    sql += " OR seller_id IN (";
    for (std::size_t i = 0; i < shop_ids.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.push_back(shop_ids[i]);
    }
    sql += ")";
  }
  return sql + ")";
}

}  // namespace

const char* ChannelName(Channel c) {
  switch (c) {
    case Channel::kSms:
      return "sms";
    case Channel::kZalo:
      return "zalo";
    case Channel::kEmail:
      return "email";
  }
  return "sms";
}

std::string EventMessage(const OrderEvent& e, bool for_shop) {
  const std::string order = "Đơn hàng " + e.order_code;
  switch (e.status) {
    case OrderStatus::kPlaced:
      return for_shop ? "Đơn hàng mới " + e.order_code + ": " + money::FormatVnd(e.total_vnd) +
                            ", thu tiền khi giao hàng. Vui lòng xác nhận."
                      : order + " đã được đặt tại " + e.seller_name + ": " + money::FormatVnd(e.total_vnd) +
                            ", thanh toán khi nhận hàng.";
    case OrderStatus::kConfirmed:
      return order + " đã được " + e.seller_name + " xác nhận.";
    case OrderStatus::kPacked:
      return order + " đã được đóng gói, chờ giao cho đơn vị vận chuyển.";
    case OrderStatus::kShipped:
      return order + " đang được giao, mã vận đơn " + e.tracking_code + ".";
    case OrderStatus::kDelivered:
      return order + " đã giao thành công.";
    case OrderStatus::kCompleted:
      return order + " đã hoàn tất. Cảm ơn bạn!";
    case OrderStatus::kCancelled:
      return order + " đã bị hủy. Lý do: " + e.reason;
    case OrderStatus::kReturned:
      return order + " đã được trả lại. Lý do: " + e.reason;
  }
  return order;
}

Status Notifications::QueueWith(db::Connection& c, const std::vector<OrderEvent>& events) const {
  if (events.empty()) return Ok{};
  db::Params notifications;
  db::Params outbox;
  for (const OrderEvent& e : events) {
    const std::string status = StatusName(e.status);
    const std::string to_buyer = EventMessage(e, false);
    const std::string to_shop = EventMessage(e, true);
    notifications.insert(notifications.end(), {e.buyer_id, db::Value{}, e.order_id, status, to_buyer, e.at});
    notifications.insert(notifications.end(), {db::Value{}, e.seller_id, e.order_id, status, to_shop, e.at});
    const std::string channel = ChannelName(kDefaultChannel);
    outbox.insert(outbox.end(), {std::string("buyer"), e.buyer_id, e.order_id, channel, to_buyer, e.at});
    outbox.insert(outbox.end(), {std::string("shop"), e.seller_id, e.order_id, channel, to_shop, e.at});
  }
  const std::size_t rows = events.size() * 2;
  TRY(c.Exec(std::string("INSERT INTO orders_notifications ") + kNotificationColumns + " VALUES " +
                 db::ValuesList(rows, 6),
             notifications));
  TRY(c.Exec(
      std::string("INSERT INTO orders_outbox ") + kOutboxColumns + " VALUES " + db::ValuesList(rows, 6),
      outbox));
  if (observer_ != nullptr) TRY(observer_->OnOrderEvents(c, events));
  return Ok{};
}

Status Notifications::QueueNotices(db::Connection& c, const std::vector<OrderNotice>& notices) const {
  const std::string channel = ChannelName(kDefaultChannel);
  const std::string notifications_head =
      std::string("INSERT INTO orders_notifications ") + kNotificationColumns + " VALUES ";
  const std::string outbox_head = std::string("INSERT INTO orders_outbox ") + kOutboxColumns + " VALUES ";
  TRY(db::ExecInChunks(
      c, {notifications_head, "", 6, kNoticesPerStatement}, notices.size(),
      [&](std::size_t i, db::Params& params) {
        const OrderNotice& e = notices[i];
        params.insert(params.end(), {e.buyer_id, db::Value{}, e.order_id, e.event, e.message, e.at});
      }));
  TRY(db::ExecInChunks(
      c, {outbox_head, "", 6, kNoticesPerStatement}, notices.size(), [&](std::size_t i, db::Params& params) {
        const OrderNotice& e = notices[i];
        params.insert(params.end(), {std::string("buyer"), e.buyer_id, e.order_id, channel, e.message, e.at});
      }));
  return Ok{};
}

Result<NotificationPage> Notifications::List(std::int64_t user_id, const std::vector<std::int64_t>& shop_ids,
                                             std::int64_t before_id, int limit) {
  limit = std::clamp(limit, 1, kMaxNotificationPage);
  return db_.Read([&](db::Connection& c) -> Result<NotificationPage> {
    NotificationPage page;
    db::Params params;
    std::string sql =
        "SELECT id, user_id, seller_id, order_id, event, message, created_at, read_at FROM "
        "orders_notifications "
        "WHERE " +
        AudienceFilter(user_id, shop_ids, params);
    if (before_id > 0) {
      sql += " AND id < ?";
      params.push_back(before_id);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.push_back(std::int64_t{limit} + 1);
    TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
    for (const db::Row& r : rows) {
      if (page.items.size() == static_cast<std::size_t>(limit)) {
        page.next_before_id = page.items.back().id;
        break;
      }
      Notification n;
      n.id = r.Int(0);
      n.audience = r.IsNull(1) ? "shop" : "buyer";
      if (!r.IsNull(2)) n.shop_id = r.Int(2);
      n.order_id = r.Int(3);
      n.event = r.Text(4);
      n.message = r.Text(5);
      n.created_at = r.Int(6);
      n.read = !r.IsNull(7);
      page.items.push_back(std::move(n));
    }
    db::Params unread_params;
    const std::string unread_sql = "SELECT COUNT(*) FROM orders_notifications WHERE read_at IS NULL AND " +
                                   AudienceFilter(user_id, shop_ids, unread_params);
    TRY_ASSIGN(page.unread, c.QueryInt(unread_sql, unread_params));
    return page;
  });
}

Result<std::int64_t> Notifications::MarkRead(std::int64_t user_id, const std::vector<std::int64_t>& shop_ids,
                                             std::int64_t up_to_id, std::int64_t now) {
  return db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    db::Params params{now, up_to_id};
    const std::string sql =
        "UPDATE orders_notifications SET read_at = ? WHERE read_at IS NULL AND id <= ? AND " +
        AudienceFilter(user_id, shop_ids, params);
    return c.Exec(sql, params);
  });
}

Result<int> Notifications::DeliverPending(const std::vector<ChannelAdapter*>& adapters, int limit,
                                          std::int64_t now) {
  TRY_ASSIGN(db::Rows pending, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT id, recipient_kind, recipient_id, channel, message, attempts FROM orders_outbox "
        "WHERE state = 'pending' ORDER BY id LIMIT ?",
        {std::int64_t{limit}});
  }));
  int sent = 0;
  for (const db::Row& r : pending) {
    OutboxMessage m;
    m.id = r.Int(0);
    m.recipient_kind = r.Text(1);
    m.recipient_id = r.Int(2);
    const std::string channel = r.Text(3);
    m.channel = channel == "zalo" ? Channel::kZalo : channel == "email" ? Channel::kEmail : Channel::kSms;
    m.message = r.Text(4);
    m.attempts = static_cast<int>(r.Int(5));
    auto adapter = std::find_if(adapters.begin(), adapters.end(),
                                [&](ChannelAdapter* a) { return a != nullptr && a->channel() == m.channel; });
    if (adapter == adapters.end()) continue;
    // Sending happens outside any transaction: a slow gateway must not hold
    // the writer. A crash between send and update sends the message again,
    // which is the right side to err on for "your order was cancelled".
    Status st = (*adapter)->Send(m);
    if (st.ok())
      ++sent;
    else
      spdlog::warn("orders outbox: sending message {} on {} failed: {}", m.id, channel, st.error().detail);
    TRY(db_.Write([&](db::Connection& c) -> Status {
      if (st.ok()) {
        TRY(c.Exec(
            "UPDATE orders_outbox SET state = 'sent', attempts = attempts + 1, sent_at = ? WHERE id = ?",
            {now, m.id}));
      } else {
        TRY(
            c.Exec("UPDATE orders_outbox SET attempts = attempts + 1, last_error = ?, "
                   "state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?",
                   {st.error().detail, std::int64_t{kMaxDeliveryAttempts}, m.id}));
      }
      return Ok{};
    }));
  }
  return sent;
}

}  // namespace nongsan::orders
