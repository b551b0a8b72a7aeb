// The live module's JSON API:
//   POST   /api/v1/sellers/{id}/livestreams   record a session the shop held
//   GET    /api/v1/sellers/{id}/livestreams   its sessions, latest started first (paged)
//   GET    /api/v1/livestreams/{id}           one session
//   DELETE /api/v1/livestreams/{id}           a session recorded by mistake, within 24 h
// Handlers only parse, call LiveService and shape JSON; LiveService decides
// who may (live_service.hpp).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "live/live_service.hpp"

namespace nongsan::live {

// A title and address with room for escapes, and kMaxSessionProducts ids.
inline constexpr std::size_t kSessionMaxBody = 16 * 1024;

void AddRoutes(http::Router& router, LiveService& live);

// {id, seller_id, title, platform, url, started_at, ended_at, duration_minutes,
//  product_ids, peak_viewers, orders_reported, commune_code, recorded_by,
//  recorded_at, deletable_until}
nlohmann::json SessionJson(const Session& s);

}  // namespace nongsan::live
