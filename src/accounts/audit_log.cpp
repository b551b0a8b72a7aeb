#include "accounts/audit_log.hpp"

#include <algorithm>

#include "core/clock.hpp"

namespace nongsan::accounts {

namespace {

constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (actor_user_id, on_behalf_of_user_id, action, object_type, object_id, "
    "before_json, after_json, province_code, request_ip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

constexpr const char* kSelectAudit =
    "SELECT id, actor_user_id, on_behalf_of_user_id, action, object_type, object_id, before_json, "
    "after_json, province_code, request_ip, at FROM audit_log "
    "WHERE province_code = ? AND (? = '' OR object_type = ?) AND (? = '' OR object_id = ?) "
    "AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";

db::Value JsonOrNull(const nlohmann::json& value) {
  if (value.is_null()) return std::monostate{};
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json ParseOrNull(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto parsed = nlohmann::json::parse(*text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

}  // namespace

Status RecordAudit(db::Connection& c, const AuditEntry& entry, std::int64_t at_ms) {
  db::Params params;
  params.reserve(10);
  params.push_back(entry.actor_user_id == 0 ? db::Value() : db::Value(entry.actor_user_id));
  params.push_back(entry.on_behalf_of_user_id ? db::Value(*entry.on_behalf_of_user_id) : db::Value());
  params.insert(params.end(), {entry.action, entry.object_type, entry.object_id, JsonOrNull(entry.before),
                               JsonOrNull(entry.after), entry.province_code, entry.ip, at_ms});
  TRY(c.Exec(kInsertAudit, params));
  return Ok{};
}

Result<std::vector<AuditRecord>> ListAudit(db::Database& db, const AuditQuery& query) {
  const auto limit = static_cast<std::int64_t>(std::clamp<std::size_t>(query.limit, 1, kMaxAuditPage));
  return db.Read([&](db::Connection& c) -> Result<std::vector<AuditRecord>> {
    TRY_ASSIGN(db::Rows rows, c.Query(kSelectAudit, {query.province_code, query.object_type,
                                                     query.object_type, query.object_id, query.object_id,
                                                     query.before_id, query.before_id, limit}));
    std::vector<AuditRecord> out;
    for (const auto& row : rows) {
      AuditRecord record;
      record.id = row.Int(0);
      record.entry.actor_user_id = row.Int(1);
      record.entry.on_behalf_of_user_id = row.OptInt(2);
      record.entry.action = row.Text(3);
      record.entry.object_type = row.Text(4);
      record.entry.object_id = row.Text(5);
      record.entry.before = ParseOrNull(row.OptText(6));
      record.entry.after = ParseOrNull(row.OptText(7));
      record.entry.province_code = row.Text(8);
      record.entry.ip = row.Text(9);
      record.at_ms = row.Int(10);
      out.push_back(std::move(record));
    }
    return out;
  });
}

nlohmann::json AuditRecordJson(const AuditRecord& record) {
  const AuditEntry& e = record.entry;
  return {
      {"id", record.id},
      {"actor_user_id", e.actor_user_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(e.actor_user_id)},
      {"on_behalf_of_user_id",
       e.on_behalf_of_user_id ? nlohmann::json(*e.on_behalf_of_user_id) : nlohmann::json(nullptr)},
      {"action", e.action},
      {"object_type", e.object_type},
      {"object_id", e.object_id},
      {"before", e.before},
      {"after", e.after},
      {"at", timefmt::Rfc3339(record.at_ms)},
  };
}

}  // namespace nongsan::accounts
