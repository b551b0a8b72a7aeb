#include "quality/outbox.hpp"

namespace nongsan::quality {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO quality_outbox (seller_id, topic, subject_id, dedupe_key, message, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING";
constexpr std::string_view kColumns = "id, seller_id, topic, subject_id, message, created_at";

OutboxMessage FromRow(const db::Row& r) {
  return OutboxMessage{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4), r.Int(5)};
}

}  // namespace

Result<bool> QueueShopMessage(db::Connection& c, std::int64_t seller_id, const std::string& topic,
                              std::int64_t subject_id, const std::string& dedupe_key,
                              const std::string& message, std::int64_t now_ms) {
  TRY_ASSIGN(std::int64_t changed,
             c.Exec(kInsert, {seller_id, topic, subject_id, dedupe_key, message, now_ms}));
  return changed > 0;
}

Result<std::vector<OutboxMessage>> ShopOutbox::Pending(std::size_t limit) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<OutboxMessage>> {
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT " + std::string(kColumns) +
                                          " FROM quality_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?",
                                      {static_cast<std::int64_t>(limit)}));
    std::vector<OutboxMessage> out;
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  });
}

Result<std::vector<OutboxMessage>> ShopOutbox::ForShop(std::int64_t seller_id, std::size_t limit) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<OutboxMessage>> {
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT " + std::string(kColumns) +
                                          " FROM quality_outbox WHERE seller_id = ? ORDER BY id DESC LIMIT ?",
                                      {seller_id, static_cast<std::int64_t>(limit)}));
    std::vector<OutboxMessage> out;
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  });
}

Status ShopOutbox::MarkSent(const std::vector<std::int64_t>& ids) {
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    for (std::int64_t id : ids) {
      TRY(c.Exec("UPDATE quality_outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL", {now, id}));
    }
    return Ok{};
  });
}

}  // namespace nongsan::quality
