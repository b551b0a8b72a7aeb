#include "core/principal.hpp"

namespace nongsan {

namespace {
struct RoleNameEntry {
  Role role;
  const char* name;
};
constexpr RoleNameEntry kRoleNames[] = {
    {Role::kBuyer, "buyer"},
    {Role::kShopOwner, "shop_owner"},
    {Role::kShopStaff, "shop_staff"},
    {Role::kCoopManager, "coop_manager"},
    {Role::kCommuneOfficer, "commune_officer"},
    {Role::kProvinceAdmin, "province_admin"},
    {Role::kCarrier, "carrier"},
};
}  // namespace

const char* RoleName(Role role) {
  for (const auto& e : kRoleNames)
    if (e.role == role) return e.name;
  return "unknown";
}

bool ParseRole(const std::string& name, Role* out) {
  for (const auto& e : kRoleNames) {
    if (name == e.name) {
      *out = e.role;
      return true;
    }
  }
  return false;
}

}  // namespace nongsan
