// The live module's rows of the authorization table (tests/support/
// authz_table.hpp), on shop_a (the owner's household in kCommuneIn with
// officer help on, kStaff its staff, a member of coop_c). Sessions are
// recorded and deleted by those who run the shop (the assisting officers
// included) and read by them and the officials of its area; anyone else gets
// 404. The seller centre's page runs the shop chosen with ?shop=.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "live/live_module.hpp"
#include "support/authz_table.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using nlohmann::json;
using namespace nongsan::testing::pages;
using A = Actor;

live::LiveService& Live(AuthzWorld& w) { return Services(w).live->sessions; }

bool RunsShopA(Actor a) {
  return In(a, {A::kOwner, A::kStaff, A::kCoopManager, A::kOfficerIn, A::kProvinceAdmin});
}

json SessionBody() {
  return {{"title", "Chè mới vụ đông"},
          {"platform", "tiktok"},
          {"url", "https://www.tiktok.com/@cheducxuan/live"},
          {"started_at", "2026-11-28T20:00:00+07:00"},
          {"ended_at", "2026-11-28T21:00:00+07:00"}};
}

// A session of shop_a recorded by its owner.
std::int64_t SessionOfShopA(AuthzWorld& w) {
  const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
  live::SessionInput input;
  input.title = "Mật ong rừng";
  input.platform = "facebook";
  input.url = "https://www.facebook.com/cheducxuan/videos/1";
  input.started_at = "2026-11-28T19:00:00+07:00";
  input.ended_at = "2026-11-28T20:00:00+07:00";
  auto s = Live(w).Record(&owner, w.shop_a, input);
  if (!s.ok()) throw std::runtime_error("session: " + s.error().detail);
  return s->id;
}

std::int64_t SessionsOf(AuthzWorld& w, std::int64_t shop) {
  auto n = w.app.app().db().Read([&](db::Connection& c) {
    return c.QueryInt("SELECT COUNT(*) FROM live_sessions WHERE seller_id = ?", {shop});
  });
  if (!n.ok()) throw std::runtime_error("count: " + n.error().detail);
  return *n;
}

// Sessions with this title in shop_a (in_shop_a) or in any other shop.
std::int64_t TitledSessions(AuthzWorld& w, const std::string& title, bool in_shop_a) {
  auto n = w.app.app().db().Read([&](db::Connection& c) {
    return c.QueryInt(std::string("SELECT COUNT(*) FROM live_sessions WHERE title = ? AND seller_id ") +
                          (in_shop_a ? "=" : "<>") + " ?",
                      {title, w.shop_a});
  });
  if (!n.ok()) throw std::runtime_error("count: " + n.error().detail);
  return *n;
}

// A title no other row used.
std::string UniqueTitle() {
  static std::atomic<int> n{0};
  return "Chè mới vụ đông " + std::to_string(n.fetch_add(1) + 1);
}

AuthzRequest OnSession(std::int64_t id) {
  AuthzRequest r;
  r.params["id"] = std::to_string(id);
  return r;
}

// anon buyer owner staff other coop offIn offOut admin
constexpr Expect kRecord{401, 404, 201, 201, 404, 201, 201, 404, 201};
constexpr Expect kRead{401, 404, 200, 200, 404, 200, 200, 404, 200};
constexpr Expect kDelete{401, 404, 204, 204, 404, 204, 204, 404, 204};
// Run with ?shop=shop_a: its people and the officers helping it; the other
// owner runs their own shop; the buyer and the other officer open one.
constexpr Expect kCentrePage{kSeeOther, kSeeOther, 200, 200, 200, 200, 200, kSeeOther, 200};
constexpr const char* kSaved = "/kenh-ban/livestream?da-luu=1";

}  // namespace

NONGSAN_AUTHZ_CASES(live) {
  AuthzCaseList rows = {
      {"POST", "/api/v1/sellers/{id}/livestreams", "", kRecord,
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.params["id"] = std::to_string(w.shop_a);
         r.body = SessionBody();
         r.after = [](AuthzWorld& w, const ClientResponse& response) {
           EXPECT_EQ(SessionsOf(w, w.shop_a), RunsShopA(w.actor) ? 1 : 0) << "recorded";
           // An officer acting for the household is audited in its name.
           if (w.actor != A::kOfficerIn || response.status != 201) return;
           const std::string id = std::to_string(response.Json()["id"].get<std::int64_t>());
           auto audited = w.app.app().db().Read([&](db::Connection& c) {
             return c.QueryInt(
                 "SELECT COUNT(*) FROM audit_log WHERE action = 'livestream.record' AND object_id = ? AND "
                 "actor_user_id = ? AND on_behalf_of_user_id = ?",
                 {id, w.UserId(A::kOfficerIn), w.UserId(A::kOwner)});
           });
           ASSERT_TRUE(audited.ok());
           EXPECT_EQ(*audited, 1);
         };
         return r;
       }},
      {"GET", "/api/v1/sellers/{id}/livestreams", "", kRead,
       [](AuthzWorld& w) {
         SessionOfShopA(w);
         AuthzRequest r;
         r.params["id"] = std::to_string(w.shop_a);
         r.after = [](AuthzWorld&, const ClientResponse& response) {
           if (response.status == 200) {
             EXPECT_EQ(response.Json()["items"].size(), 1u);
           }
         };
         return r;
       }},
      {"GET", "/api/v1/livestreams/{id}", "", kRead,
       [](AuthzWorld& w) { return OnSession(SessionOfShopA(w)); }},
      {"DELETE", "/api/v1/livestreams/{id}", "", kDelete,
       [](AuthzWorld& w) {
         AuthzRequest r = OnSession(SessionOfShopA(w));
         r.after = [](AuthzWorld& w, const ClientResponse&) {
           EXPECT_EQ(SessionsOf(w, w.shop_a), RunsShopA(w.actor) ? 0 : 1) << "left";
         };
         return r;
       }},
  };
  rows.push_back(
      Get("/kenh-ban/livestream", "shop_a chosen", kCentrePage,
          Where{kSignIn, kOpenShop, nullptr, nullptr, nullptr, nullptr, nullptr, kOpenShop, nullptr},
          [](AuthzWorld& w) {
            SessionOfShopA(w);
            AuthzRequest r;
            r.query = "shop=" + std::to_string(w.shop_a);
            r.after = [](AuthzWorld& w, const ClientResponse& response) {
              if (response.status != 200) return;
              EXPECT_EQ(Contains(response, "Mật ong rừng"), RunsShopA(w.actor)) << "shop_a's session";
            };
            return r;
          }));
  AddPost(rows, "/kenh-ban/livestream", "shop_a chosen",
          Expect{kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther,
                 kSeeOther},
          Where{kSignIn, kOpenShop, kSaved, kSaved, kSaved, kSaved, kSaved, kOpenShop, kSaved},
          [](AuthzWorld& w, bool forged) {
            AuthzRequest r;
            r.query = "shop=" + std::to_string(w.shop_a);
            const std::string title = UniqueTitle();
            r.form = "title=" + Encode(title) +
                     "&platform=zalo&url=" + Encode("https://zalo.me/g/cheducxuan") +
                     "&started_at=2026-11-28T20%3A00&ended_at=2026-11-28T21%3A00";
            r.after = [forged, title](AuthzWorld& w, const ClientResponse&) {
              const bool recorded = Genuine(w, forged) && RunsShopA(w.actor);
              EXPECT_EQ(TitledSessions(w, title, true), recorded ? 1 : 0) << "recorded for shop_a";
              // The other owner runs their own shop: the form records there.
              const bool theirs = Genuine(w, forged) && w.actor == A::kOtherOwner;
              EXPECT_EQ(TitledSessions(w, title, false), theirs ? 1 : 0) << "recorded for their shop";
            };
            return r;
          });
  return rows;
}

}  // namespace nongsan::testing
