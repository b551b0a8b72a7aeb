// Who is making a request, as established by the accounts module from a
// session cookie or bearer token. Cross-cutting, so it lives in core; only the
// accounts module creates one. Domain services take `const Principal*`
// (nullptr = anonymous) and decide authorization for the specific object.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nongsan {

enum class Role {
  kBuyer,
  kShopOwner,
  kShopStaff,
  kCoopManager,
  kCommuneOfficer,
  kProvinceAdmin,
  kCarrier,
};

// A role held within a scope: a commune code (officer), a province code
// (province admin), a seller id (owner, staff, cooperative manager) or empty.
struct Grant {
  Role role;
  std::string scope;
};

struct Principal {
  std::int64_t user_id = 0;
  std::int64_t session_id = 0;
  std::string phone;
  std::string full_name;
  std::vector<Grant> grants;
  bool via_cookie = false;  // cookie-authenticated requests need a CSRF token on writes

  bool Has(Role role) const {
    for (const auto& g : grants)
      if (g.role == role) return true;
    return false;
  }
  bool Has(Role role, const std::string& scope) const {
    for (const auto& g : grants)
      if (g.role == role && g.scope == scope) return true;
    return false;
  }
};

const char* RoleName(Role role);
bool ParseRole(const std::string& name, Role* out);

}  // namespace nongsan
