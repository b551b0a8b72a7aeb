// Telling buyers and shops what happened to their orders. Every order event
// (placed, confirmed, …, cancelled, returned) writes, in the same transaction
// as the status change:
//   * an in-app notification for the buyer and one for the shop
//     (orders_notifications; GET /api/v1/me/notifications lists them), and
//   * an outbox message for each (orders_outbox), which a channel adapter
//     (SMS, Zalo, e-mail: plugged in later behind ChannelAdapter) delivers
//     through DeliverPending, so a message is queued exactly when its event
//     commits and never for an event that rolled back.
//
// Thread-safety: safe to share between threads. DeliverPending assumes one
// dispatcher at a time (it does not claim rows against other dispatchers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/lifecycle.hpp"

namespace nongsan::orders {

enum class Channel { kSms, kZalo, kEmail };
// Vietnamese buyers and households all have a mobile number; Zalo and e-mail
// need an address the accounts module does not collect yet.
inline constexpr Channel kDefaultChannel = Channel::kSms;
// After this many failed sends a message is marked failed and left alone.
inline constexpr int kMaxDeliveryAttempts = 5;
// Largest page of the in-app list.
inline constexpr int kMaxNotificationPage = 100;

const char* ChannelName(Channel c);

// One status change of one order, as the messages describe it.
struct OrderEvent {
  std::int64_t order_id = 0;
  std::string order_code;
  std::int64_t buyer_id = 0;
  std::int64_t seller_id = 0;
  std::string seller_name;
  OrderStatus status = OrderStatus::kPlaced;
  std::int64_t total_vnd = 0;
  std::string reason;
  std::string tracking_code;
  std::int64_t at = 0;
  std::string from_commune_code;  // the shop's commune the order was placed in
  std::string ship_commune_code;  // where it goes (placed events; "" on others)
};

// A message about an order that is not a status change (a lot recalled),
// for its buyer only.
struct OrderNotice {
  std::int64_t order_id = 0;
  std::int64_t buyer_id = 0;
  std::string event;    // e.g. "lot_recalled"
  std::string message;  // Vietnamese, ready to send
  std::int64_t at = 0;
};

// Notices written per INSERT statement: 6 values a row stays well under
// SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement.
inline constexpr std::size_t kNoticesPerStatement = 500;

struct Notification {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::string event;     // the order status the event moved to
  std::string message;   // Vietnamese, ready to show
  std::string audience;  // "buyer" or "shop"
  std::optional<std::int64_t> shop_id;
  std::int64_t created_at = 0;
  bool read = false;
};

struct NotificationPage {
  std::vector<Notification> items;
  std::optional<std::int64_t> next_before_id;  // cursor for the next page
  std::int64_t unread = 0;
};

struct OutboxMessage {
  std::int64_t id = 0;
  std::string recipient_kind;  // "buyer" (a user id) or "shop" (a seller id)
  std::int64_t recipient_id = 0;
  Channel channel = kDefaultChannel;
  std::string message;
  int attempts = 0;
};

// Sends outbox messages on one channel; resolving the recipient's address
// (through the accounts or sellers service) is the adapter's business.
class ChannelAdapter {
 public:
  virtual ~ChannelAdapter() = default;
  virtual Channel channel() const = 0;
  virtual Status Send(const OutboxMessage& message) = 0;
};

// Told of every order event inside the transaction that writes it, so what
// it records commits or rolls back with the event (the programme module's
// roll-ups). Orders own this interface; the app wires an implementation. It
// must only write on the connection it is handed, and be cheap: it runs on
// the checkout path.
class OrderEventObserver {
 public:
  virtual ~OrderEventObserver() = default;
  virtual Status OnOrderEvents(db::Connection& c, const std::vector<OrderEvent>& events) = 0;
};

// The message text for an event (Vietnamese), for the buyer or the shop.
std::string EventMessage(const OrderEvent& event, bool for_shop);

class Notifications {
 public:
  explicit Notifications(db::Database& db) : db_(db) {}

  // Queues both notifications and both outbox messages of every event, in
  // the caller's write transaction.
  Status QueueWith(db::Connection& c, const std::vector<OrderEvent>& events) const;
  // Queues an in-app notification and an outbox message (SMS) for the buyer
  // of each notice, in the caller's write transaction.
  Status QueueNotices(db::Connection& c, const std::vector<OrderNotice>& notices) const;

  // Newest first: the user's own (as a buyer) and those of the shops given.
  // before_id 0 starts at the newest.
  Result<NotificationPage> List(std::int64_t user_id, const std::vector<std::int64_t>& shop_ids,
                                std::int64_t before_id, int limit);
  // Marks as read everything up to and including up_to_id the user can see.
  Result<std::int64_t> MarkRead(std::int64_t user_id, const std::vector<std::int64_t>& shop_ids,
                                std::int64_t up_to_id, std::int64_t now);

  // Hands up to `limit` pending messages, oldest first, to the adapter for
  // their channel (messages with no adapter stay pending); returns how many
  // were sent.
  Result<int> DeliverPending(const std::vector<ChannelAdapter*>& adapters, int limit, std::int64_t now);

  // Start-up wiring only: QueueWith hands every event to it (nullptr: none).
  void SetObserver(OrderEventObserver* observer) { observer_ = observer; }

 private:
  db::Database& db_;
  OrderEventObserver* observer_ = nullptr;
};

}  // namespace nongsan::orders
