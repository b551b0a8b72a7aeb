// Support requests over real HTTP on each backend: the workflow, the
// officer's queue with ages, the shop's own list, a GS1 prefix outcome
// flowing into the traceability module, the figures they add to, and bad
// input answered 422 naming the field.
#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;

std::int64_t NewRequest(HttpClient& client, const Person& who, std::int64_t shop, const std::string& kind) {
  auto res = client.Post("/api/v1/support-requests",
                         json{{"shop_id", shop}, {"kind", kind}, {"note", "Cần hỗ trợ"}}.dump(), who.auth);
  EXPECT_EQ(res.status, 201) << res.body;
  return res.status == 201 ? res.Json()["id"].get<std::int64_t>() : 0;
}

ClientResponse MoveRequest(HttpClient& client, const Person& who, std::int64_t id, json body) {
  return client.Post("/api/v1/support-requests/" + std::to_string(id) + "/transitions", body.dump(),
                     who.auth);
}

// A cooperative shop in kCommuneA whose owner accepts officer help.
Shop CoopWithOfficerHelp(app::Services& services, Seeder& seeder) {
  Shop shop;
  shop.owner = seeder.NewPerson("Chủ nhiệm HTX");
  sellers::SellerInput input;
  input.name = "HTX Chè Đức Xuân";
  input.type = "cooperative";
  input.commune_code = kCommuneA;
  input.address_line = "Tổ 5";
  const Principal owner = seeder.PrincipalOf(shop.owner);
  auto seller = services.sellers->Create(owner, input, accounts::ClientInfo{"127.0.0.1", "test"});
  EXPECT_TRUE(seller.ok()) << nongsan::testing::ErrorText(seller);
  shop.id = seller.ok() ? seller->id : 0;
  sellers::SellerPatch patch;
  patch.officer_assist = true;
  // The owner's grant on the new shop is in a fresh principal.
  const Principal owner_now = seeder.PrincipalOf(shop.owner);
  auto updated =
      services.sellers->Update(owner_now, shop.id, patch, accounts::ClientInfo{"127.0.0.1", "test"});
  EXPECT_TRUE(updated.ok()) << nongsan::testing::ErrorText(updated);
  return shop;
}

TEST_P(ProgrammeTest, SupportWorkflowQueueAndPrefixOutcome) {
  app::Services& services = app_->app().services();
  const Shop coop = CoopWithOfficerHelp(services, *seeder_);
  HttpClient client = Client();
  const std::int64_t barcode = NewRequest(client, coop.owner, coop.id, "gs1_barcode");
  app_->clock().Advance(3 * kMsPerDay);
  const std::int64_t site = NewRequest(client, officer_, coop.id, "website");

  // The officer's queue: oldest first, with ages.
  auto queue = client.Get("/api/v1/support-requests", officer_.auth);
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.Json()["items"].size(), 2u);
  EXPECT_EQ(queue.Json()["items"][0]["id"], barcode);
  EXPECT_EQ(queue.Json()["items"][0]["age_days"], 3);
  EXPECT_EQ(queue.Json()["items"][1]["age_days"], 0);
  // The shop sees its own; an officer elsewhere sees none of them.
  auto own = client.Get("/api/v1/support-requests?shop_id=" + std::to_string(coop.id), coop.owner.auth);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.Json()["items"].size(), 2u);
  const Person far = seeder_->NewPerson("Cán bộ xã khác", {{Role::kCommuneOfficer, kCommuneC}});
  EXPECT_EQ(client.Get("/api/v1/support-requests", far.auth).Json()["items"].size(), 0u);
  EXPECT_EQ(client.Get("/api/v1/support-requests/" + std::to_string(barcode), far.auth).status, 404);

  // The shop may not move it; skipping a step is a conflict.
  EXPECT_EQ(MoveRequest(client, coop.owner, barcode, {{"to", "assigned"}, {"assignee_id", officer_.user_id}})
                .status,
            403);
  EXPECT_EQ(MoveRequest(client, officer_, barcode, {{"to", "done"}, {"outcome", "8930001234"}}).status, 409);
  // The assignee must be an officer of the shop's area.
  auto wrong = MoveRequest(client, officer_, barcode, {{"to", "assigned"}, {"assignee_id", far.user_id}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(ProblemFields(wrong), std::vector<std::string>{"assignee_id"});
  ASSERT_EQ(
      MoveRequest(client, officer_, barcode, {{"to", "assigned"}, {"assignee_id", officer_.user_id}}).status,
      200);
  ASSERT_EQ(MoveRequest(client, officer_, barcode, {{"to", "in_progress"}}).status, 200);
  // A prefix the traceability module refuses leaves the request in progress.
  auto refused = MoveRequest(client, officer_, barcode, {{"to", "done"}, {"outcome", "12345"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(ProblemFields(refused), std::vector<std::string>{"outcome"});
  auto done = MoveRequest(client, officer_, barcode, {{"to", "done"}, {"outcome", "8930001234"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.Json()["status"], "done");
  EXPECT_EQ(done.Json()["outcome_recorded_in"], "trace.gs1_prefix");
  EXPECT_EQ(done.Json()["history"].size(), 4u);

  // The prefix is now the shop's, verified, in the traceability module.
  auto prefix = client.Get("/api/v1/sellers/" + std::to_string(coop.id) + "/gs1-prefix", coop.owner.auth);
  ASSERT_EQ(prefix.status, 200) << prefix.body;
  EXPECT_EQ(prefix.Json()["company_prefix"], "8930001234");

  // Declining needs a reason.
  auto no_reason = MoveRequest(client, officer_, site, {{"to", "declined"}});
  EXPECT_EQ(ProblemFields(no_reason), std::vector<std::string>{"reason"});
  ASSERT_EQ(MoveRequest(client, officer_, site, {{"to", "declined"}, {"reason", "Đã có trang web"}}).status,
            200);

  // Figures: one request done, one cooperative supported, in kCommuneA.
  const std::int64_t id = NewProgramme();
  auto metrics = client.Get(
      "/api/v1/programmes/" + std::to_string(id) + "/metrics?level=commune&unit=" + kCommuneA, admin_.auth);
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_EQ(metrics.Json()["units"][0]["metrics"]["support_requests_done"]["value"], 1);
  EXPECT_EQ(metrics.Json()["units"][0]["metrics"]["cooperatives_supported"]["value"], 1);
}

TEST_P(ProgrammeTest, SupportBadInputNamesTheField) {
  const Shop shop = seeder_->NewShop("Chè Đức Xuân", kCommuneA);
  HttpClient client = Client();
  auto kind = client.Post("/api/v1/support-requests", json{{"shop_id", shop.id}, {"kind", "loan"}}.dump(),
                          shop.owner.auth);
  EXPECT_EQ(kind.status, 422);
  EXPECT_EQ(ProblemFields(kind), std::vector<std::string>{"kind"});
  const Person stranger = seeder_->NewPerson("Người lạ");
  EXPECT_EQ(client
                .Post("/api/v1/support-requests", json{{"shop_id", shop.id}, {"kind", "website"}}.dump(),
                      stranger.auth)
                .status,
            404);
  const std::int64_t req = NewRequest(client, shop.owner, shop.id, "website");
  ASSERT_EQ(
      MoveRequest(client, officer_, req, {{"to", "assigned"}, {"assignee_id", officer_.user_id}}).status,
      200);
  ASSERT_EQ(MoveRequest(client, officer_, req, {{"to", "in_progress"}}).status, 200);
  auto url = MoveRequest(client, officer_, req, {{"to", "done"}, {"outcome", "chedx.vn"}});
  EXPECT_EQ(url.status, 422);
  EXPECT_EQ(ProblemFields(url), std::vector<std::string>{"outcome"});
  EXPECT_EQ(MoveRequest(client, officer_, req, {{"to", "done"}, {"outcome", "https://chedx.vn"}}).status,
            200);
}

}  // namespace
}  // namespace nongsan::programme::testing
