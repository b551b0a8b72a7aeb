// Trainings over real HTTP on each backend: attendees' phones normalised and
// linked to accounts, people and attendances counted as the province counts
// them, and bad input answered 422 naming the field.
#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;

json Training(const std::string& commune, const std::string& held_on, json attendees) {
  return {{"title", "Bán hàng qua livestream"},
          {"kind", "livestream"},
          {"held_on", held_on},
          {"commune_code", commune},
          {"trainer", "Bưu điện tỉnh"},
          {"attendees", std::move(attendees)}};
}

TEST_P(ProgrammeTest, TrainingsCountPeopleAndAttendances) {
  const Person member = seeder_->NewPerson("Hộ sản xuất");  // has an account
  HttpClient client = Client();
  // The same person written three ways, once with an account, plus two more.
  const std::string intl = "+84 " + member.phone.substr(1);
  auto first = client.Post(
      "/api/v1/trainings",
      Training(kCommuneA, "2026-11-20", {member.phone, intl, "0987 654 321", "0355.111.222"}).dump(),
      officer_.auth);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json()["attendances"], 3);
  EXPECT_EQ(first.Json()["people_new"], 3);
  bool linked = false;
  const json attendees = first.Json()["attendees"];
  for (const auto& a : attendees) {
    if (a["phone"] == member.phone) linked = a["user_id"] == member.user_id;
  }
  EXPECT_TRUE(linked) << first.body << " member " << member.user_id << " " << member.phone;
  // A second session: two of the same people and one new.
  auto second = client.Post(
      "/api/v1/trainings",
      Training(kCommuneB, "2026-12-02", {"0987654321", member.phone, "0912000111"}).dump(), admin_.auth);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.Json()["people_new"], 1);

  const std::int64_t id = NewProgramme();
  auto province =
      client.Get("/api/v1/programmes/" + std::to_string(id) + "/metrics?level=province", admin_.auth);
  ASSERT_EQ(province.status, 200) << province.body;
  ASSERT_EQ(province.Json()["units"].size(), 1u) << province.body;
  const json m = province.Json()["units"][0]["metrics"];
  EXPECT_EQ(m["people_trained"]["value"], 4);
  EXPECT_EQ(m["training_attendances"]["value"], 6);
  auto communes = client.Get(
      "/api/v1/programmes/" + std::to_string(id) + "/metrics?level=commune&unit=" + kCommuneB, admin_.auth);
  EXPECT_EQ(communes.Json()["units"][0]["metrics"]["training_attendances"]["value"], 3);
  EXPECT_EQ(communes.Json()["units"][0]["metrics"]["people_trained"]["value"], 1);
}

TEST_P(ProgrammeTest, TrainingBadInputNamesTheField) {
  HttpClient client = Client();
  auto res = client.Post("/api/v1/trainings",
                         Training(kCommuneA, "2026-11-20", {"0912345678", "12345", "0212345678"}).dump(),
                         officer_.auth);
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(ProblemFields(res), (std::vector<std::string>{"attendees[1]", "attendees[2]"}));
  auto date = client.Post("/api/v1/trainings", Training(kCommuneA, "20/11/2026", {"0912345678"}).dump(),
                          officer_.auth);
  EXPECT_EQ(ProblemFields(date), std::vector<std::string>{"held_on"});
  // An officer of another commune may not record one here.
  EXPECT_EQ(
      client
          .Post("/api/v1/trainings", Training(kCommuneC, "2026-11-20", {"0912345678"}).dump(), officer_.auth)
          .status,
      403);
  // Nothing was written by the refused ones.
  auto n = app_->app().db().Read(
      [](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM programme_trainings"); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
}

// GET /api/v1/trainings: the officer's area only, newest first, a page at a
// time until the cursor runs out, and bad parameters named.
TEST_P(ProgrammeTest, TrainingsListPagesThroughTheOfficersArea) {
  HttpClient client = Client();
  for (int day = 1; day <= 7; ++day) {
    const std::string on = "2026-11-0" + std::to_string(day);
    ASSERT_EQ(
        client.Post("/api/v1/trainings", Training(kCommuneA, on, {"0912345678"}).dump(), admin_.auth).status,
        201);
  }
  ASSERT_EQ(client
                .Post("/api/v1/trainings",
                      Training(kCommuneC, "2026-11-05", {"0912345678", "0987654321"}).dump(), admin_.auth)
                .status,
            201);
  // The commune officer of A: seven, three at a time, newest first.
  std::vector<std::string> days;
  std::string cursor;
  int pages = 0;
  do {
    auto page =
        client.Get("/api/v1/trainings?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), officer_.auth);
    ASSERT_EQ(page.status, 200) << page.body;
    const json body = page.Json();
    for (const auto& t : body["items"]) {
      EXPECT_EQ(t["commune_code"], kCommuneA);
      EXPECT_EQ(t["attendances"], 1);
      days.push_back(t["held_on"].get<std::string>());
    }
    cursor = body["next_cursor"].is_string() ? body["next_cursor"].get<std::string>() : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(days, (std::vector<std::string>{"2026-11-07", "2026-11-06", "2026-11-05", "2026-11-04",
                                            "2026-11-03", "2026-11-02", "2026-11-01"}));
  // The admin sees the province; a range cuts it.
  auto ranged = client.Get("/api/v1/trainings?from=2026-11-05&to=2026-11-05", admin_.auth);
  ASSERT_EQ(ranged.status, 200) << ranged.body;
  EXPECT_EQ(ranged.Json()["items"].size(), 2u);
  EXPECT_EQ(client.Get(std::string("/api/v1/trainings?commune_code=") + kCommuneC, officer_.auth).status,
            403);
  auto bad = client.Get("/api/v1/trainings?limit=0&from=2026-12-01&to=2026-11-01&cursor=x&commune_code=1",
                        admin_.auth);
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(ProblemFields(bad), (std::vector<std::string>{"commune_code", "from", "limit", "cursor"}));
}

}  // namespace
}  // namespace nongsan::programme::testing
