// The authorization table: for every route the server registers, the status
// each kind of caller gets. tests/authz_table_test.cpp runs every row against
// a real server on each backend, and fails when a registered route has no
// rows, so a new endpoint cannot ship without its authorization decided.
//
// A module adds its rows from its own test file:
//
//   NONGSAN_AUTHZ_CASES(catalog) {
//     using namespace nongsan::testing;
//     return {
//       //                                                anon buyer owner staff other coop offIn offOut
//       admin
//       {"GET", "/api/v1/products/{id}", "", Expect{200, 200, 200, 200, 200, 200, 200, 200, 200},
//        [](AuthzWorld& w) { return AuthzRequest{{{"id", std::to_string(MakeProduct(w, w.shop_a))}}}; }},
//     };
//   }
//
// Every row runs in a fresh world (new shops, memberships and sessions for the
// same cast of people), so a row that changes state cannot disturb the next.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/product.hpp"
#include "support/accounts_world.hpp"
#include "support/http_client.hpp"

namespace nongsan::testing {

// The cast, in table column order.
enum class Actor {
  kAnonymous,
  kBuyer,
  kOwner,          // owns shop_a (a household shop in kCommuneIn with officer help on)
  kStaff,          // staff of shop_a
  kOtherOwner,     // owns shop_b, unrelated to shop_a
  kCoopManager,    // manages cooperative coop_c, of which shop_a is an active member
  kOfficerIn,      // commune officer of kCommuneIn
  kOfficerOut,     // commune officer of kCommuneOut
  kProvinceAdmin,  // admin of province kProvince
};
inline constexpr std::size_t kActorCount = 9;
const char* ActorName(Actor actor);

using Expect = std::array<int, kActorCount>;

// People are created once per server; objects are fresh for every row.
struct AuthzCast {
  std::array<TestUser, kActorCount> users;  // [kAnonymous] is unused
  TestUser spare;                           // an extra account rows may act on
};

struct AuthzWorld {
  TestApp& app;
  World& world;
  const AuthzCast& cast;
  Actor actor;
  std::int64_t shop_a = 0;
  std::int64_t shop_b = 0;
  std::int64_t coop_c = 0;
  std::string session_token;  // the actor's session in this row ("" for anonymous), set by the runner
  std::int64_t UserId(Actor a) const { return cast.users[static_cast<std::size_t>(a)].id; }
  const std::string& Phone(Actor a) const { return cast.users[static_cast<std::size_t>(a)].phone; }
};

struct AuthzRequest {
  std::map<std::string, std::string> params;  // path parameters by name
  nlohmann::json body = nullptr;              // null: no body
  std::string query;                          // without '?'
  // Sent instead of `body` when set (a photo, a CSV file); its Content-Type
  // goes in `headers`.
  std::optional<std::string> raw_body;
  // Extra request headers (Content-Type, Idempotency-Key, Cookie); they never
  // replace the runner's own (Authorization, X-Forwarded-For).
  std::map<std::string, std::string> headers;

  // ---- browser rows, for the HTML pages (src/web/web_authz_test.cpp)
  // The actor is signed in by the session cookie a browser holds (no bearer
  // token). Implied by a non-empty `form` or `multipart`.
  bool browser = false;
  // An application/x-www-form-urlencoded body ("phone=0912…&password=…").
  std::string form;
  // A multipart/form-data body of plain fields, as the photo forms post.
  std::vector<std::pair<std::string, std::string>> multipart;
  // The CSRF token of a browser POST, as `csrf_token` in the form:
  //  kFromPage: the runner GETs `csrf_page` with the actor's cookie and takes
  //             the token from its form, as a browser submitting it would;
  //  kMissing:  none is sent;  kWrong: a well-formed token of no session.
  // An anonymous visitor has no session, hence no token (kFromPage sends none).
  enum class Csrf { kFromPage, kMissing, kWrong };
  Csrf csrf = Csrf::kFromPage;
  std::string csrf_page = "/";
  // Runs after the answer (any row): checks the state the request should or
  // should not have changed, a redirect's Location, the page's content.
  std::function<void(AuthzWorld&, const ClientResponse&)> after;
};

struct AuthzCase {
  std::string method;
  std::string route;  // the pattern exactly as registered
  std::string note;   // tells rows of one route apart, e.g. "suspended shop"
  Expect expect;
  // Builds the request; may create objects. Empty: {id} = shop_a, no body.
  std::function<AuthzRequest(AuthzWorld&)> prepare;
};

using AuthzCaseList = std::vector<AuthzCase>;

// A product of `shop` (tea, 100 in stock), created through the catalogue
// service by `by_user`, or by default by the shop's owner (shop_b's owner for
// shop_b, else shop_a's). Throws if the service refuses.
std::int64_t MakeAuthzProduct(AuthzWorld& w, std::int64_t shop,
                              catalog::ProductStatus status = catalog::ProductStatus::kActive,
                              std::int64_t by_user = 0);

// Adds a module's rows; returns true so it can initialise a static.
bool RegisterAuthzCases(const std::string& module, std::function<AuthzCaseList()> cases);
// Every registered row, module by module.
std::vector<std::pair<std::string, AuthzCase>> AllAuthzCases();

}  // namespace nongsan::testing

#define NONGSAN_AUTHZ_CASES(module)                                               \
  static nongsan::testing::AuthzCaseList NongsanAuthzCases_##module();            \
  static const bool nongsan_authz_registered_##module =                           \
      nongsan::testing::RegisterAuthzCases(#module, &NongsanAuthzCases_##module); \
  static nongsan::testing::AuthzCaseList NongsanAuthzCases_##module()
