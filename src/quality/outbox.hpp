// Messages to shops from the quality module (certificate decided or about to
// expire, product or shop suspended, complaint filed), kept in the
// quality_outbox table until a sender delivers them. A message has a dedupe
// key, so queuing the same notice twice (a timer run repeated, a retried
// request) stores it once. Delivery (SMS, the shop's inbox page) reads
// Pending() and marks what it sent. Thread-safe (no state besides the db).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::quality {

struct OutboxMessage {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string topic;  // certificate_expiring, certificate_verified, product_suspended, …
  std::int64_t subject_id = 0;
  std::string message;  // Vietnamese text for the shop
  std::int64_t created_at_ms = 0;
};

// Queues a message inside the caller's transaction; a message with the same
// dedupe_key already queued is left alone. Returns true when queued now.
Result<bool> QueueShopMessage(db::Connection& c, std::int64_t seller_id, const std::string& topic,
                              std::int64_t subject_id, const std::string& dedupe_key,
                              const std::string& message, std::int64_t now_ms);

class ShopOutbox {
 public:
  ShopOutbox(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Unsent messages, oldest first.
  Result<std::vector<OutboxMessage>> Pending(std::size_t limit);
  // Messages for one shop, newest first (the shop's notices page).
  Result<std::vector<OutboxMessage>> ForShop(std::int64_t seller_id, std::size_t limit);
  Status MarkSent(const std::vector<std::int64_t>& ids);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace nongsan::quality
