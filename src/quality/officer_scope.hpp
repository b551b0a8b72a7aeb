// The one area rule every officer action in the quality module follows: a
// commune officer acts on shops in the communes of their grants, a province
// admin on shops anywhere in their province. Anyone else is refused, and the
// refusal says which: not signed in (401), not an officer (403 forbidden), or
// an officer outside their area (403 outside_area). Thread-safe (no state).
#pragma once

#include "core/principal.hpp"
#include "core/result.hpp"
#include "quality/ports.hpp"

#include <cstdint>
#include <string>

namespace nongsan::quality {

bool IsOfficer(const Principal& principal);

// True when principal is an officer of this commune or the admin of its province.
bool CoversCommune(const Principal& principal, const AreaPort& areas, const std::string& commune_code);

// The shop, when principal may act on it as an officer.
Result<ShopRef> RequireOfficerOf(const Principal* principal, ShopPort& shops, const AreaPort& areas,
                                 std::int64_t seller_id);

// Ok when the principal is signed in; the 401 error otherwise.
Status RequireSignedIn(const Principal* principal);

}  // namespace nongsan::quality
