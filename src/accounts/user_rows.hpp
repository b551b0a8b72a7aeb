// What AccountService's source files share (account_service.cpp: sign-up,
// sessions and profile; account_codes.cpp: one-time codes and claims;
// account_grants.cpp: roles): users read back with their grants, and the
// statements more than one of them runs. Internal to the accounts module.
// Stateless; every function runs on the caller's connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::accounts {

inline constexpr const char* kInsertUser =
    "INSERT INTO users (phone, full_name, email, password_hash, status, phone_verified_at, created_by, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
inline constexpr const char* kSetPassword =
    "UPDATE users SET password_hash = ?, phone_verified_at = COALESCE(phone_verified_at, ?), updated_at = ? "
    "WHERE id = ?";

// A user as stored, with the hash a sign-in compares against.
struct UserRow {
  User user;
  std::string password_hash;
};

bool ParseUserStatus(const std::string& name, UserStatus* out);
Result<std::vector<Grant>> LoadGrants(db::Connection& c, std::int64_t user_id);
// The user with its grants; `where` follows "SELECT … FROM users ".
Result<std::optional<UserRow>> LoadUserWhere(db::Connection& c, const std::string& where,
                                             const db::Params& params);
nlohmann::json GrantJson(Role role, const std::string& scope);

}  // namespace nongsan::accounts
