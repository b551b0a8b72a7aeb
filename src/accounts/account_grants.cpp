// AccountService's roles: grants given and taken inside a caller's
// transaction, a province admin's grants to officials of the province, and
// the command line's first accounts. Declarations in account_service.hpp.
#include <algorithm>

#include "accounts/audit_log.hpp"
#include "accounts/password.hpp"
#include "accounts/user_rows.hpp"
#include "core/phone.hpp"
#include "places/places.hpp"

namespace nongsan::accounts {
namespace {

constexpr const char* kSelectGrantId =
    "SELECT id FROM user_grants WHERE user_id = ? AND role = ? AND scope = ?";
constexpr const char* kInsertGrant =
    "INSERT INTO user_grants (user_id, role, scope, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* kDeleteGrant = "DELETE FROM user_grants WHERE user_id = ? AND role = ? AND scope = ?";
constexpr const char* kDeleteGrantById = "DELETE FROM user_grants WHERE id = ?";
constexpr const char* kSelectGrantById = "SELECT id, user_id, role, scope FROM user_grants WHERE id = ?";
constexpr const char* kSelectGrantHolders =
    "SELECT g.id, g.role, g.scope, u.id, u.phone, u.full_name, u.status FROM user_grants g "
    "JOIN users u ON u.id = g.user_id WHERE g.role = ? AND g.scope = ? ORDER BY g.id";
bool IsScopeToken(const std::string& scope) {
  return !scope.empty() && scope.size() <= kMaxScopeBytes &&
         std::all_of(scope.begin(), scope.end(), [](char ch) {
           return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
         });
}
}  // namespace

// ---------------------------------------------------------------- grants

Status AccountService::GrantWith(db::Connection& c, std::int64_t user_id, Role role, const std::string& scope,
                                 std::int64_t granted_by) {
  // Checked first because a failed INSERT would abort a PostgreSQL transaction.
  TRY_ASSIGN(auto existing, c.QueryOne(kSelectGrantId, {user_id, std::string(RoleName(role)), scope}));
  if (existing) return Ok{};
  db::Value by = granted_by == 0 ? db::Value{} : db::Value{granted_by};
  TRY(c.QueryInt(kInsertGrant, {user_id, std::string(RoleName(role)), scope, by, clock_.NowMs()}));
  return Ok{};
}

Status AccountService::RevokeGrantWith(db::Connection& c, std::int64_t user_id, Role role,
                                       const std::string& scope) {
  TRY(c.Exec(kDeleteGrant, {user_id, std::string(RoleName(role)), scope}));
  return Ok{};
}

Result<std::vector<GrantHolder>> AccountService::ListGrantHoldersWith(db::Connection& c, Role role,
                                                                      const std::string& scope) {
  TRY_ASSIGN(db::Rows rows, c.Query(kSelectGrantHolders, {std::string(RoleName(role)), scope}));
  std::vector<GrantHolder> out;
  for (const auto& row : rows) {
    GrantHolder h;
    h.grant_id = row.Int(0);
    ParseRole(row.Text(1), &h.role);
    h.scope = row.Text(2);
    h.user_id = row.Int(3);
    h.phone = row.Text(4);
    h.full_name = row.Text(5);
    ParseUserStatus(row.Text(6), &h.status);
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<GrantHolder>> AccountService::ListGrantHolders(Role role, const std::string& scope) {
  return db_.Read([&](db::Connection& c) { return ListGrantHoldersWith(c, role, scope); });
}

namespace {

// The province a grant belongs to, as far as admin rights go: "" for grants no
// province admin manages.
std::string GrantProvince(const places::PlaceService* places, Role role, const std::string& scope) {
  switch (role) {
    case Role::kProvinceAdmin:
      return scope;
    case Role::kCommuneOfficer:
      if (places) {
        if (auto province = places->ProvinceOf(scope)) return *province;
      }
      return "";
    default:
      return "";
  }
}

std::vector<std::string> AdminProvinces(const Principal& admin) {
  std::vector<std::string> out;
  for (const auto& g : admin.grants) {
    if (g.role == Role::kProvinceAdmin) out.push_back(g.scope);
  }
  return out;
}

}  // namespace

Result<GrantRecord> AccountService::AdminGrant(const Principal& admin, std::string_view raw_phone, Role role,
                                               const std::string& scope, const ClientInfo& client) {
  const auto provinces = AdminProvinces(admin);
  if (provinces.empty()) return Error::Forbidden("Only a province administrator may appoint people.");
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  std::string province;
  switch (role) {
    case Role::kCommuneOfficer:
      if (!places_ || !places_->IsCommune(scope)) return Error::Field("scope", "Not a current commune code.");
      province = GrantProvince(places_, role, scope);
      break;
    case Role::kProvinceAdmin:
      province = scope;
      break;
    case Role::kCarrier:
      if (!IsScopeToken(scope)) {
        return Error::Field("scope", "Name the carrier with lower-case letters, digits, - or _.");
      }
      province = provinces.front();
      break;
    default:
      return Error::Field("role", "Only commune_officer, province_admin or carrier can be granted here.");
  }
  if (std::find(provinces.begin(), provinces.end(), province) == provinces.end()) {
    return Error::Forbidden("This is outside your province.");
  }
  TRY_ASSIGN(auto target, FindByPhone(phone));
  if (!target) {
    return Error::Unprocessable("user_not_found",
                                "No account uses this phone number; ask the person to register first.");
  }
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<GrantRecord> {
    TRY(GrantWith(c, target->id, role, scope, admin.user_id));
    TRY_ASSIGN(auto row, c.QueryOne(kSelectGrantId, {target->id, std::string(RoleName(role)), scope}));
    if (!row) return Error::Internal("grant vanished");
    GrantRecord record{row->Int(0), target->id, role, scope};
    AuditEntry audit;
    audit.actor_user_id = admin.user_id;
    audit.on_behalf_of_user_id = target->id;
    audit.action = "grant.add";
    audit.object_type = "user";
    audit.object_id = std::to_string(target->id);
    audit.after = GrantJson(role, scope);
    audit.province_code = province;
    audit.ip = client.ip;
    TRY(RecordAudit(c, audit, now));
    return record;
  });
}

Status AccountService::AdminRevokeGrant(const Principal& admin, std::int64_t grant_id,
                                        const ClientInfo& client) {
  const auto provinces = AdminProvinces(admin);
  if (provinces.empty()) return Error::Forbidden("Only a province administrator may remove appointments.");
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto row, c.QueryOne(kSelectGrantById, {grant_id}));
    if (!row) return Error::NotFound("grant");
    Role role;
    if (!ParseRole(row->Text(2), &role)) return Error::NotFound("grant");
    const std::string scope = row->Text(3);
    std::string province = role == Role::kCarrier ? provinces.front() : GrantProvince(places_, role, scope);
    if (std::find(provinces.begin(), provinces.end(), province) == provinces.end()) {
      return Error::NotFound("grant");
    }
    TRY(c.Exec(kDeleteGrantById, {grant_id}));
    AuditEntry audit;
    audit.actor_user_id = admin.user_id;
    audit.on_behalf_of_user_id = row->Int(1);
    audit.action = "grant.remove";
    audit.object_type = "user";
    audit.object_id = std::to_string(row->Int(1));
    audit.before = GrantJson(role, scope);
    audit.province_code = province;
    audit.ip = client.ip;
    return RecordAudit(c, audit, now);
  });
}
// ---------------------------------------------------------------- CLI

Result<User> AccountService::CreateOrGrantFromCli(std::string_view raw_phone, const std::string& full_name,
                                                  std::optional<std::string> password,
                                                  const std::vector<Grant>& grants) {
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY_ASSIGN(auto existing, FindByPhone(phone));
  std::optional<std::string> hash;
  std::string name;
  if (!existing) {
    TRY_ASSIGN(name, CleanName(full_name, kMaxFullNameChars, "name"));
    if (!password) return Error::Field("password", "A new account needs a password.");
    TRY(CheckPasswordPolicy(*password, phone));
    TRY_ASSIGN(std::string hashed, HashPassword(*password));
    hash = std::move(hashed);
  }
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(std::int64_t user_id, db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    std::int64_t id = existing ? existing->id : 0;
    if (!existing) {
      // The operator vouches for the number, so it counts as verified.
      TRY_ASSIGN(id, c.QueryInt(kInsertUser, {phone, name, std::monostate{}, *hash, std::string("active"),
                                              now, std::monostate{}, now, now}));
      TRY(GrantWith(c, id, Role::kBuyer, "", 0));
    }
    for (const auto& grant : grants) {
      TRY(GrantWith(c, id, grant.role, grant.scope, 0));
      AuditEntry audit;
      audit.on_behalf_of_user_id = id;
      audit.action = "grant.add";
      audit.object_type = "user";
      audit.object_id = std::to_string(id);
      audit.after = GrantJson(grant.role, grant.scope);
      audit.province_code = GrantProvince(places_, grant.role, grant.scope);
      audit.ip = "cli";
      TRY(RecordAudit(c, audit, now));
    }
    return id;
  }));
  return GetUser(user_id);
}

}  // namespace nongsan::accounts
