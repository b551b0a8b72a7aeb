// Internal to src/web: view models of orders (as OrderService returns them in
// JSON) shared by the buyer's pages and the seller centre: the list summary,
// and the detail with its status timeline and the moves the viewer may make.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http/request.hpp"
#include "web/renderer.hpp"

namespace nongsan::web::detail {

enum class OrderAudience { kBuyer, kShop };

// "29/11/2026 20:49" from the API's "2026-11-29T20:49:00+07:00"; "" if malformed.
std::string DisplayTimestamp(std::string_view rfc3339);

nlohmann::json OrderSummary(const Renderer& renderer, const http::Request& request,
                            const nlohmann::json& order);
nlohmann::json OrderDetail(const Renderer& renderer, const http::Request& request,
                           const nlohmann::json& order, OrderAudience audience);

}  // namespace nongsan::web::detail
