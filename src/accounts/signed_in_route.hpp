// The shape most API routes share, written once: the caller must be signed
// in (401), the path's {id} must name something (404 when malformed, as
// IdParam), then the route's own body runs; an Error from any step becomes
// its problem+json answer (Reply). Used by the accounts, sellers and payments
// routes; a route whose checks come in another order keeps its own lambda.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "accounts/auth.hpp"
#include "http/router.hpp"

namespace nongsan::accounts {

// body(request, principal) -> Result<http::Response>.
template <typename Body>
http::Handler SignedIn(Body body) {
  return [body = std::move(body)](http::Request& request) {
    return Reply(request, [&]() -> Result<http::Response> {
      TRY_ASSIGN(const Principal* principal, RequireSignIn(request));
      return body(request, *principal);
    });
  };
}

// body(request, principal, id) -> Result<http::Response>, where id is the
// path's {id}, a positive id naming `what` in the 404 ("shop", "order").
template <typename Body>
http::Handler SignedInWithId(std::string what, Body body) {
  return [what = std::move(what), body = std::move(body)](http::Request& request) {
    return Reply(request, [&]() -> Result<http::Response> {
      TRY_ASSIGN(const Principal* principal, RequireSignIn(request));
      TRY_ASSIGN(std::int64_t id, IdParam(request, "id", what));
      return body(request, *principal, id);
    });
  };
}

}  // namespace nongsan::accounts
