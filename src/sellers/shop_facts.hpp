// What other modules know about a shop, added to its JSON
// (GET /api/v1/sellers/{id}): verified certificates today, later more. The
// sellers module owns this interface and depends on none of the modules that
// implement it (as the catalogue owns CertificationSource); the app registers
// the implementations with SellerService::AddFacts.
//
// Thread-safety: implementations are called from request threads at once.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>

#include "core/result.hpp"

namespace nongsan::sellers {

class ShopFacts {
 public:
  virtual ~ShopFacts() = default;
  // Adds this module's fields to the public JSON of shop `seller_id`. An
  // error leaves `body` as it was; the shop is still answered without them.
  virtual Status AddTo(std::int64_t seller_id, nlohmann::json& body) = 0;
};

}  // namespace nongsan::sellers
