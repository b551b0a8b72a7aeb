// The accounts JSON API under /api/v1: auth (register, login, logout,
// one-time codes, password reset, claim), the signed-in user's profile and
// sessions (/me), and province-admin appointments and audit reading
// (/admin). Handlers only parse, call AccountService and shape JSON.
#pragma once

#include "accounts/account_service.hpp"
#include "http/router.hpp"

namespace nongsan::accounts {

// Body limit of the small JSON bodies these routes take.
inline constexpr std::size_t kAccountsMaxBody = 8 * 1024;

void AddRoutes(http::Router& router, AccountService& accounts);

}  // namespace nongsan::accounts
