// The one area rule every officer action in the quality module follows: a
// commune officer acts on shops in the communes of their grants, a province
// admin on shops anywhere in their province. Anyone else is refused as the
// house rule says (docs/api.md): not signed in 401; someone with a part in
// the object (who may manage the shop, or the buyer behind a review or
// complaint) 403; anyone else, officers of other areas included, 404, as if
// the object did not exist. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <string>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "quality/ports.hpp"

namespace nongsan::quality {

bool IsOfficer(const Principal& principal);

// True when principal is an officer of this commune or the admin of its province.
bool CoversCommune(const Principal& principal, const AreaPort& areas, const std::string& commune_code);

// The shop, when principal may act on it as an officer. `object` names what
// the request is about ("certificate", "review", …) for the 404; `party` is
// true when the principal has a part in it other than managing the shop.
Result<ShopRef> RequireOfficerOf(const Principal* principal, ShopPort& shops, const AreaPort& areas,
                                 std::int64_t seller_id, const std::string& object, bool party = false);

// Ok when the principal is signed in; the 401 error otherwise.
Status RequireSignedIn(const Principal* principal);

}  // namespace nongsan::quality
