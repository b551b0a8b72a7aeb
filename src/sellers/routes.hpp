// The sellers JSON API under /api/v1: shops, their staff and cooperative
// members, officer decisions (verify, suspend, reinstate) and assisted
// onboarding. Handlers only parse, call SellerService and shape JSON.
#pragma once

#include "http/router.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::sellers {

inline constexpr std::size_t kSellersMaxBody = 16 * 1024;

void AddRoutes(http::Router& router, SellerService& sellers);

}  // namespace nongsan::sellers
