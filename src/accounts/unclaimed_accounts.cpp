#include "accounts/unclaimed_accounts.hpp"

#include <algorithm>
#include <unordered_map>

#include "db/sql_lists.hpp"

namespace nongsan::accounts {

namespace {

constexpr const char* kInsertUsers =
    "INSERT INTO users (phone, full_name, email, password_hash, status, phone_verified_at, created_by, "
    "created_at, updated_at) VALUES ";
constexpr std::size_t kUserColumns = 9;
constexpr const char* kInsertGrants =
    "INSERT INTO user_grants (user_id, role, scope, created_by, created_at) VALUES ";
constexpr std::size_t kGrantColumns = 5;
constexpr const char* kInsertAudits =
    "INSERT INTO audit_log (actor_user_id, on_behalf_of_user_id, action, object_type, object_id, "
    "before_json, after_json, province_code, request_ip, at) VALUES ";
constexpr std::size_t kAuditColumns = 10;

db::Value IdOrNull(std::int64_t id) { return id == 0 ? db::Value{} : db::Value{id}; }

db::Value JsonOrNull(const nlohmann::json& value) {
  if (value.is_null()) return std::monostate{};
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Error PhoneRegistered() {
  return Error::Conflict("phone_registered",
                         "This phone number already has an account; its owner can open a shop themselves.");
}

}  // namespace

Result<std::vector<Result<User>>> CreateUnclaimedUsersWith(db::Connection& c,
                                                           const std::vector<UnclaimedAccount>& accounts,
                                                           std::int64_t created_by, std::int64_t now_ms) {
  // The accounts these phones have already: one query per chunk.
  std::vector<std::string> phones;
  std::unordered_map<std::string, std::size_t> first_of;  // phone → first index asking for it
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (first_of.emplace(accounts[i].phone, i).second) phones.push_back(accounts[i].phone);
  }
  std::unordered_map<std::string, Result<User>> by_phone;
  std::vector<std::int64_t> reused;
  for (std::size_t start = 0; start < phones.size(); start += kAccountRowsPerStatement) {
    const std::size_t end = std::min(phones.size(), start + kAccountRowsPerStatement);
    db::Params params(phones.begin() + static_cast<std::ptrdiff_t>(start),
                      phones.begin() + static_cast<std::ptrdiff_t>(end));
    TRY_ASSIGN(db::Rows rows,
               c.Query("SELECT id, phone, full_name, email, status, phone_verified_at, created_at "
                       "FROM users WHERE phone IN " +
                           db::InList(end - start),
                       params));
    for (const auto& row : rows) {
      if (row.Text(4) != UserStatusName(UserStatus::kUnclaimed)) {
        by_phone.emplace(row.Text(1), PhoneRegistered());
        continue;
      }
      User user;
      user.id = row.Int(0);
      user.phone = row.Text(1);
      user.full_name = row.Text(2);
      user.email = row.OptText(3);
      user.status = UserStatus::kUnclaimed;
      user.phone_verified_at = row.OptInt(5);
      user.created_at = row.Int(6);
      reused.push_back(user.id);
      by_phone.emplace(user.phone, std::move(user));
    }
  }
  // The grants of the reused accounts, as a loaded User carries them.
  if (!reused.empty()) {
    std::unordered_map<std::int64_t, std::vector<Grant>> grants;
    for (std::size_t start = 0; start < reused.size(); start += kAccountRowsPerStatement) {
      const std::size_t end = std::min(reused.size(), start + kAccountRowsPerStatement);
      db::Params params(reused.begin() + static_cast<std::ptrdiff_t>(start),
                        reused.begin() + static_cast<std::ptrdiff_t>(end));
      TRY_ASSIGN(db::Rows rows, c.Query("SELECT user_id, role, scope FROM user_grants WHERE user_id IN " +
                                            db::InList(end - start) + " ORDER BY id",
                                        params));
      for (const auto& row : rows) {
        Grant g;
        if (ParseRole(row.Text(1), &g.role)) {
          g.scope = row.Text(2);
          grants[row.Int(0)].push_back(std::move(g));
        }
      }
    }
    for (auto& [phone, user] : by_phone) {
      if (user.ok()) user->grants = grants[user->id];
    }
  }
  // New accounts for the rest, with their buyer grant.
  std::vector<std::string> fresh;
  for (const std::string& phone : phones) {
    if (!by_phone.count(phone)) fresh.push_back(phone);
  }
  std::vector<NewGrant> buyer_grants;
  for (std::size_t start = 0; start < fresh.size(); start += kAccountRowsPerStatement) {
    const std::size_t end = std::min(fresh.size(), start + kAccountRowsPerStatement);
    db::Params params;
    params.reserve((end - start) * kUserColumns);
    for (std::size_t i = start; i < end; ++i) {
      params.insert(params.end(), {fresh[i], accounts[first_of.at(fresh[i])].full_name, std::monostate{},
                                   std::monostate{}, std::string(UserStatusName(UserStatus::kUnclaimed)),
                                   std::monostate{}, IdOrNull(created_by), now_ms, now_ms});
    }
    TRY_ASSIGN(db::Rows rows, c.Query(std::string(kInsertUsers) + db::ValuesList(end - start, kUserColumns) +
                                          " RETURNING id, phone",
                                      params));
    if (rows.size() != end - start) return Error::Internal("users not all inserted");
    for (const auto& row : rows) {
      User user;
      user.id = row.Int(0);
      user.phone = row.Text(1);
      user.full_name = accounts[first_of.at(user.phone)].full_name;
      user.status = UserStatus::kUnclaimed;
      user.created_at = now_ms;
      user.grants = {Grant{Role::kBuyer, ""}};
      buyer_grants.push_back({user.id, Role::kBuyer, ""});
      by_phone.emplace(user.phone, std::move(user));
    }
  }
  TRY(InsertNewGrantsWith(c, buyer_grants, created_by, now_ms));
  std::vector<Result<User>> out;
  out.reserve(accounts.size());
  for (const UnclaimedAccount& account : accounts) out.push_back(by_phone.at(account.phone));
  return out;
}

Status InsertNewGrantsWith(db::Connection& c, const std::vector<NewGrant>& grants, std::int64_t granted_by,
                           std::int64_t now_ms) {
  const db::MultiRowStatement insert{kInsertGrants, "", kGrantColumns, kAccountRowsPerStatement};
  TRY(db::ExecInChunks(c, insert, grants.size(), [&](std::size_t i, db::Params& params) {
    params.insert(params.end(), {grants[i].user_id, std::string(RoleName(grants[i].role)), grants[i].scope,
                                 IdOrNull(granted_by), now_ms});
  }));
  return Ok{};
}

Status RecordAudits(db::Connection& c, const std::vector<AuditEntry>& entries, std::int64_t at_ms) {
  const db::MultiRowStatement insert{kInsertAudits, "", kAuditColumns, kAccountRowsPerStatement};
  TRY(db::ExecInChunks(c, insert, entries.size(), [&](std::size_t i, db::Params& params) {
    const AuditEntry& e = entries[i];
    params.push_back(IdOrNull(e.actor_user_id));
    params.push_back(e.on_behalf_of_user_id ? db::Value(*e.on_behalf_of_user_id) : db::Value());
    params.insert(params.end(), {e.action, e.object_type, e.object_id, JsonOrNull(e.before),
                                 JsonOrNull(e.after), e.province_code, e.ip, at_ms});
  }));
  return Ok{};
}

}  // namespace nongsan::accounts
