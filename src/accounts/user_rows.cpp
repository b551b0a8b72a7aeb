#include "accounts/user_rows.hpp"

namespace nongsan::accounts {
namespace {

constexpr const char* kUserColumns =
    "SELECT id, phone, full_name, email, status, phone_verified_at, created_at, password_hash FROM users ";
constexpr const char* kSelectGrants = "SELECT role, scope FROM user_grants WHERE user_id = ? ORDER BY id";

}  // namespace

bool ParseUserStatus(const std::string& name, UserStatus* out) {
  if (name == "active")
    *out = UserStatus::kActive;
  else if (name == "unclaimed")
    *out = UserStatus::kUnclaimed;
  else if (name == "disabled")
    *out = UserStatus::kDisabled;
  else
    return false;
  return true;
}
UserRow ReadUser(const db::Row& row) {
  UserRow out;
  out.user.id = row.Int(0);
  out.user.phone = row.Text(1);
  out.user.full_name = row.Text(2);
  out.user.email = row.OptText(3);
  ParseUserStatus(row.Text(4), &out.user.status);
  out.user.phone_verified_at = row.OptInt(5);
  out.user.created_at = row.Int(6);
  out.password_hash = row.Text(7);
  return out;
}

Result<std::vector<Grant>> LoadGrants(db::Connection& c, std::int64_t user_id) {
  TRY_ASSIGN(db::Rows rows, c.Query(kSelectGrants, {user_id}));
  std::vector<Grant> grants;
  for (const auto& row : rows) {
    Role role;
    if (ParseRole(row.Text(0), &role)) grants.push_back(Grant{role, row.Text(1)});
  }
  return grants;
}

Result<std::optional<UserRow>> LoadUserWhere(db::Connection& c, const std::string& where,
                                             const db::Params& params) {
  TRY_ASSIGN(auto row, c.QueryOne(std::string(kUserColumns) + where, params));
  if (!row) return std::optional<UserRow>();
  UserRow out = ReadUser(*row);
  TRY_ASSIGN(out.user.grants, LoadGrants(c, out.user.id));
  return std::optional<UserRow>(std::move(out));
}

nlohmann::json GrantJson(Role role, const std::string& scope) {
  return {{"role", RoleName(role)}, {"scope", scope}};
}

}  // namespace nongsan::accounts
