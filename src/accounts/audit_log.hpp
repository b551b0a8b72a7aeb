// The append-only audit log of officer, admin and on-behalf actions: who did
// it (actor), for whom (on_behalf_of, e.g. the household an officer onboarded
// or the shop owner whose shop a manager changed), what (action + object),
// when, and the object before and after as JSON. The table refuses UPDATE and
// DELETE (database triggers), so an entry once written stays.
//
// Record() writes inside the caller's transaction, so an action and its audit
// entry commit or roll back together. Any module may call it. Thread-safe (no
// state).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::accounts {

struct AuditEntry {
  std::int64_t actor_user_id = 0;                    // 0 = the system (CLI, jobs)
  std::optional<std::int64_t> on_behalf_of_user_id;  // the person acted for
  std::string action;                                // "seller.suspend"
  std::string object_type;                           // "seller"
  std::string object_id;                             // "42"
  nlohmann::json before;                             // null when created
  nlohmann::json after;                              // null when deleted
  std::string province_code;                         // lets a province admin read its part
  std::string ip;
};

struct AuditRecord {
  std::int64_t id = 0;
  AuditEntry entry;
  std::int64_t at_ms = 0;
};

inline constexpr std::size_t kMaxAuditPage = 100;

Status RecordAudit(db::Connection& c, const AuditEntry& entry, std::int64_t at_ms);

struct AuditQuery {
  std::string province_code;  // required: entries of one province
  std::string object_type;    // optional filters
  std::string object_id;
  std::int64_t before_id = 0;  // paging: entries with id < before_id (0 = newest)
  std::size_t limit = 20;
};
Result<std::vector<AuditRecord>> ListAudit(db::Database& db, const AuditQuery& query);

nlohmann::json AuditRecordJson(const AuditRecord& record);

}  // namespace nongsan::accounts
