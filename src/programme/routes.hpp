// The programme module's JSON API: /api/v1/programmes (programmes, targets,
// metrics), /api/v1/support-requests and /api/v1/trainings. Handlers only
// parse, call the module's services and shape JSON.
#pragma once

#include <cstddef>

#include "http/router.hpp"
#include "programme/programme_module.hpp"

namespace nongsan::programme {

// A programme, a transition, a support request.
inline constexpr std::size_t kSmallMaxBody = 16 * 1024;
// kMaxTargetRows rows of ~80 bytes.
inline constexpr std::size_t kTargetsMaxBody = 512 * 1024;

// kMaxAttendees phone numbers of ~20 bytes and the rest.
inline constexpr std::size_t kTrainingMaxBody = 64 * 1024;

void AddRoutes(http::Router& router, ProgrammeModule& module);

}  // namespace nongsan::programme
