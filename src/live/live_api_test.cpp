// The livestream API end to end on both backends, over real HTTP against a
// real App: a session recorded, listed page by page, read and deleted (and
// the deletion audited); deletion refused after 24 h; every bad field
// refused with a 422 naming it and nothing written; and who may do what
// across shops and officials.
#include <gtest/gtest.h>

#include "live/live_test_support.hpp"

namespace nongsan::live::testing {
namespace {

using nlohmann::json;

class LiveApi : public LiveWorld {};

TEST_P(LiveApi, SessionIsRecordedListedReadAndDeleted) {
  auto client = app_->Client();
  auto created = client.Post(ListPath(shop_), GoodSession(), shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const json s = created.Json();
  EXPECT_EQ(s["seller_id"], shop_.id);
  EXPECT_EQ(s["title"], "Chè mới vụ đông");
  EXPECT_EQ(s["platform"], "facebook");
  EXPECT_EQ(s["started_at"], "2026-11-28T20:00:00+07:00");
  EXPECT_EQ(s["ended_at"], "2026-11-28T21:30:00+07:00");
  EXPECT_EQ(s["duration_minutes"], 90);
  EXPECT_EQ(s["product_ids"], json::array({tea_}));
  EXPECT_EQ(s["peak_viewers"], 340);
  EXPECT_EQ(s["orders_reported"], 27);
  EXPECT_EQ(s["commune_code"], kShopCommune);
  EXPECT_EQ(s["recorded_by"], shop_.owner.user_id);
  const std::int64_t id = s["id"].get<std::int64_t>();

  // Read by the shop's people and the officials of its area.
  for (const auto* who : {&shop_.owner, &staff_, &officer_, &admin_}) {
    auto got = client.Get(SessionPath(id), who->auth);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.Json(), s);
  }
  // Optional numbers may be left out; the staff records one too.
  json bare = GoodSession();
  bare.erase("peak_viewers");
  bare.erase("orders_reported");
  bare.erase("product_ids");
  bare["started_at"] = "2026-11-27T12:00:00Z";  // 19:00 in Vietnam
  bare["ended_at"] = "2026-11-27T13:00:00Z";
  auto second = client.Post(ListPath(shop_), bare, staff_.auth);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_TRUE(second.Json()["peak_viewers"].is_null());
  EXPECT_EQ(second.Json()["product_ids"], json::array());
  EXPECT_EQ(second.Json()["started_at"], "2026-11-27T19:00:00+07:00");
  bare["started_at"] = "2026-11-26T08:00:00+07:00";
  bare["ended_at"] = "2026-11-26T20:00:00+07:00";  // exactly the longest session
  ASSERT_EQ(client.Post(ListPath(shop_), bare, staff_.auth).status, 201);

  // Latest started first, two to a page.
  auto page1 = client.Get(ListPath(shop_) + "?limit=2", officer_.auth);
  ASSERT_EQ(page1.status, 200) << page1.body;
  ASSERT_EQ(page1.Json()["items"].size(), 2u);
  EXPECT_EQ(page1.Json()["items"][0]["id"], id);
  EXPECT_EQ(page1.Json()["items"][1]["id"], second.Json()["id"]);
  ASSERT_TRUE(page1.Json()["next_cursor"].is_string());
  auto page2 = client.Get(
      ListPath(shop_) + "?limit=2&cursor=" + page1.Json()["next_cursor"].get<std::string>(), officer_.auth);
  ASSERT_EQ(page2.status, 200) << page2.body;
  ASSERT_EQ(page2.Json()["items"].size(), 1u);
  EXPECT_EQ(page2.Json()["items"][0]["duration_minutes"], 720);
  EXPECT_TRUE(page2.Json()["next_cursor"].is_null());
  EXPECT_EQ(client.Get(ListPath(shop_) + "?cursor=abc", shop_.owner.auth).status, 400);
  EXPECT_EQ(client.Get(ListPath(shop_) + "?limit=0", shop_.owner.auth).status, 400);
  EXPECT_EQ(client.Get(ListPath(other_shop_), other_shop_.owner.auth).Json()["items"].size(), 0u);

  // Deleted by the shop within a day, audited with what it was.
  auto deleted = client.Request("DELETE", SessionPath(id), "", shop_.owner.auth);
  ASSERT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(client.Get(SessionPath(id), shop_.owner.auth).status, 404);
  EXPECT_EQ(client.Request("DELETE", SessionPath(id), "", shop_.owner.auth).status, 404);
  auto audit = app_->app().db().Read([&](db::Connection& c) {
    return c.QueryOne(
        "SELECT actor_user_id, before_json, province_code FROM audit_log WHERE action = 'livestream.delete' "
        "AND object_id = ?",
        {std::to_string(id)});
  });
  ASSERT_TRUE(audit.ok());
  ASSERT_TRUE(audit->has_value());
  EXPECT_EQ((*audit)->Int(0), shop_.owner.user_id);
  EXPECT_EQ(json::parse((*audit)->Text(1))["title"], "Chè mới vụ đông");
  EXPECT_EQ((*audit)->Text(2), kProvince);
  EXPECT_EQ(CountRows("live_sessions"), 2);
  EXPECT_EQ(CountRows("live_session_products"), 0);
}

TEST_P(LiveApi, DeletionIsRefusedAfterTwentyFourHours) {
  auto client = app_->Client();
  auto created = client.Post(ListPath(shop_), GoodSession(), shop_.owner.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.Json()["id"].get<std::int64_t>();
  app_->clock().Advance(kDeleteWindowMs + 1);
  auto late = client.Request("DELETE", SessionPath(id), "", shop_.owner.auth);
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_NE(late.body.find("delete_window_passed"), std::string::npos) << late.body;
  EXPECT_EQ(client.Get(SessionPath(id), shop_.owner.auth).status, 200);
  EXPECT_EQ(CountRows("live_sessions"), 1);
}

TEST_P(LiveApi, BadInputIsRefusedNamingTheFieldAndNothingIsWritten) {
  auto client = app_->Client();
  struct Case {
    const char* field;  // the member changed, and the field the 422 must name
    json value;
    const char* named;  // the field named, when not `field` itself
  };
  std::vector<json> many(kMaxSessionProducts + 1, tea_);
  const std::vector<Case> cases = {
      {"title", "", nullptr},
      {"title", "   ", nullptr},
      {"title", "<b>Chè</b> ngon", nullptr},
      {"title", std::string(kMaxTitleChars + 1, 'a'), nullptr},
      {"platform", "instagram", nullptr},
      {"platform", "", nullptr},
      {"url", "ftp://www.facebook.com/live/1", nullptr},
      {"url", "javascript:alert(1)", nullptr},
      {"url", "https://www.facebook.com/a b", nullptr},
      {"url", "https://user@www.facebook.com/live", nullptr},
      {"url", "https://facebook.com.lua-dao.vn/live", nullptr},
      {"url", "https://notfacebook.com/live", nullptr},
      {"url", "https://www.tiktok.com/@cheducxuan/live", nullptr},  // not facebook's
      {"url", "https://lua-dao.vn/www.facebook.com", nullptr},
      {"started_at", "hôm qua", nullptr},
      {"started_at", "2026-11-28 20:00", nullptr},
      {"started_at", "2026-11-29T10:00:01+07:00", nullptr},  // a second after now
      {"started_at", "2015-12-31T20:00:00+07:00", nullptr},
      {"ended_at", "2026-11-28T20:00:00+07:00", nullptr},  // equal to the start
      {"ended_at", "2026-11-28T19:00:00+07:00", nullptr},  // before it
      {"ended_at", "2026-11-29T08:00:01+07:00", nullptr},  // 12 h and a second
      {"ended_at", "2026-11-29T10:30:00+07:00", nullptr},  // in the future
      {"ended_at", "", nullptr},
      {"product_ids", json::array({0}), "product_ids[0]"},
      {"product_ids", json::array({999999}), "product_ids[0]"},
      {"product_ids", json::array({tea_, tea_}), "product_ids[1]"},
      {"product_ids", many, nullptr},
      {"peak_viewers", -1, nullptr},
      {"peak_viewers", kMaxPeakViewers + 1, nullptr},
      {"orders_reported", -5, nullptr},
  };
  for (const Case& c : cases) {
    json body = GoodSession();
    body[c.field] = c.value;
    auto res = client.Post(ListPath(shop_), body, shop_.owner.auth);
    const std::string named = c.named ? c.named : c.field;
    EXPECT_EQ(res.status, 422) << c.field << " = " << c.value.dump() << ": " << res.body;
    EXPECT_TRUE(HasField(res.Json(), named)) << named << " not named: " << res.body;
    EXPECT_EQ(res.Json()["errors"].size(), 1u) << "only the bad field: " << res.body;
  }
  // Another shop's product, named by its position.
  json theirs = GoodSession();
  theirs["product_ids"] = {tea_, rice_};
  auto res = client.Post(ListPath(shop_), theirs, shop_.owner.auth);
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_TRUE(HasField(res.Json(), "product_ids[1]")) << res.body;
  // Wrong types and missing members are 400, naming them.
  for (const char* field : {"title", "platform", "url", "started_at", "ended_at"}) {
    json body = GoodSession();
    body.erase(field);
    auto missing = client.Post(ListPath(shop_), body, shop_.owner.auth);
    EXPECT_EQ(missing.status, 400) << field << ": " << missing.body;
    EXPECT_TRUE(HasField(missing.Json(), field)) << missing.body;
  }
  json typed = GoodSession();
  typed["peak_viewers"] = "nhiều";
  typed["product_ids"] = "1,2";
  auto wrong = client.Post(ListPath(shop_), typed, shop_.owner.auth);
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_TRUE(HasField(wrong.Json(), "peak_viewers")) << wrong.body;
  EXPECT_TRUE(HasField(wrong.Json(), "product_ids")) << wrong.body;
  EXPECT_EQ(client.Post(ListPath(shop_), std::string("{\"title\":"), shop_.owner.auth).status, 400);
  EXPECT_EQ(CountRows("live_sessions"), 0);
  EXPECT_EQ(CountRows("live_session_products"), 0);
}

TEST_P(LiveApi, EachPlatformTakesItsOwnDomains) {
  auto client = app_->Client();
  const std::vector<std::pair<std::string, std::string>> accepted = {
      {"facebook", "https://fb.watch/abcDEF/"},
      {"facebook", "HTTPS://M.FACEBOOK.COM/story.php?id=1"},
      {"tiktok", "https://www.tiktok.com/@cheducxuan/live"},
      {"shopee", "https://live.shopee.vn/share?from=live&session=123"},
      {"zalo", "https://zalo.me/g/abcdef"},
      {"youtube", "https://youtu.be/dQw4w9WgXcQ"},
      {"youtube", "http://www.youtube.com:443/live/abc"},
      {"other", "https://live.example.org/phien/1"},
  };
  for (const auto& [platform, url] : accepted) {
    json body = GoodSession();
    body["platform"] = platform;
    body["url"] = url;
    auto res = client.Post(ListPath(shop_), body, shop_.owner.auth);
    EXPECT_EQ(res.status, 201) << platform << " " << url << ": " << res.body;
  }
  // nongsan: the marketplace's own host only.
  json own = GoodSession();
  own["platform"] = "nongsan";
  own["url"] = "https://www.youtube.com/live/abc";
  EXPECT_EQ(client.Post(ListPath(shop_), own, shop_.owner.auth).status, 422);
  EXPECT_EQ(CountRows("live_sessions"), static_cast<std::int64_t>(accepted.size()));
}

TEST_P(LiveApi, OnlyTheShopsPeopleRecordAndOnlyTheyAndItsOfficialsRead) {
  auto client = app_->Client();
  auto created = client.Post(ListPath(shop_), GoodSession(), staff_.auth);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.Json()["id"].get<std::int64_t>();
  // Another shop's owner, a buyer and the officer of another commune learn
  // nothing of the shop's sessions: 404 as for a shop they cannot see.
  for (const auto* who : {&other_shop_.owner, &buyer_, &far_officer_}) {
    EXPECT_EQ(client.Post(ListPath(shop_), GoodSession(), who->auth).status, 404);
    EXPECT_EQ(client.Get(ListPath(shop_), who->auth).status, 404);
    EXPECT_EQ(client.Get(SessionPath(id), who->auth).status, 404);
    EXPECT_EQ(client.Request("DELETE", SessionPath(id), "", who->auth).status, 404);
  }
  // The other shop's product is no product of this shop, even for its owner.
  json mixed = GoodSession();
  mixed["product_ids"] = {rice_};
  EXPECT_EQ(client.Post(ListPath(other_shop_), mixed, other_shop_.owner.auth).status, 201);
  EXPECT_EQ(client.Post(ListPath(shop_), mixed, shop_.owner.auth).status, 422);
  // The commune's officer reads but does not write for a shop that asked
  // for no help.
  EXPECT_EQ(client.Post(ListPath(shop_), GoodSession(), officer_.auth).status, 403);
  EXPECT_EQ(client.Request("DELETE", SessionPath(id), "", officer_.auth).status, 403);
  EXPECT_EQ(client.Get(ListPath(shop_)).status, 401);
  EXPECT_EQ(client.Post(ListPath(shop_), GoodSession()).status, 401);
  EXPECT_EQ(client.Get(SessionPath(id)).status, 401);
  EXPECT_EQ(client.Get(SessionPath(id + 1000), shop_.owner.auth).status, 404);
  EXPECT_EQ(client.Get("/api/v1/sellers/999999/livestreams", shop_.owner.auth).status, 404);
  // The staff may delete what the staff recorded.
  EXPECT_EQ(client.Request("DELETE", SessionPath(id), "", shop_.owner.auth).status, 204);
  EXPECT_EQ(CountRows("live_sessions"), 1);
}

INSTANTIATE_TEST_SUITE_P(Live, LiveApi, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::live::testing
