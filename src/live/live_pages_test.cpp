// The seller centre's livestream page on both backends over real HTTP: the
// form (platforms, the shop's own products to tick), a refusal shown beside
// each refused field in Vietnamese with what was typed kept and nothing
// written, a session recorded from the form and listed, and the navigation
// link on the other seller-centre pages.
#include <gtest/gtest.h>

#include "live/live_test_support.hpp"

namespace nongsan::live::testing {
namespace {

using nongsan::testing::ClientHeaders;

constexpr const char* kPage = "/kenh-ban/livestream";
constexpr const char* kForm = "application/x-www-form-urlencoded";

class LivePages : public LiveWorld {
 protected:
  ClientHeaders FormHeaders(const orders::testing::Person& who) const {
    ClientHeaders h = who.auth;
    h["Content-Type"] = kForm;
    return h;
  }
  // The text of the error paragraph beside a field, "" when there is none.
  static std::string ErrorBeside(const std::string& html, const std::string& field) {
    const std::string open = "<p class=\"err\" id=\"" + field + "-err\">";
    const std::size_t start = html.find(open);
    if (start == std::string::npos) return "";
    const std::size_t end = html.find("</p>", start);
    return html.substr(start + open.size(), end - start - open.size());
  }
};

TEST_P(LivePages, TheFormOffersPlatformsAndTheShopsOwnProducts) {
  auto client = app_->Client();
  auto page = client.Get(std::string(kPage) + "?shop=" + std::to_string(shop_.id), shop_.owner.auth);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<option value=\"tiktok\">TikTok</option>"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"product_ids\" value=\"" + std::to_string(tea_) + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("value=\"" + std::to_string(rice_) + "\""), std::string::npos)
      << "not their product";
  EXPECT_NE(page.body.find("Chưa có phiên nào."), std::string::npos);
  EXPECT_NE(page.body.find("name=\"csrf_token\""), std::string::npos) << "CSRF like the other forms";
  // The other seller-centre pages link here.
  auto dashboard = client.Get("/kenh-ban", shop_.owner.auth);
  ASSERT_EQ(dashboard.status, 200);
  EXPECT_NE(dashboard.body.find("<a href=\"/kenh-ban/livestream\">Livestream</a>"), std::string::npos);
  EXPECT_EQ(client.Get(kPage).status, 303) << "sign in first";
}

TEST_P(LivePages, ARefusalIsShownBesideEachFieldAndNothingIsWritten) {
  auto client = app_->Client();
  const std::string body =
      "title=Ch%C3%A8+m%E1%BB%9Bi&platform=facebook&url=https%3A%2F%2Fwww.tiktok.com%2F%40che%2Flive"
      "&started_at=2026-11-28T20%3A00&ended_at=2026-11-28T19%3A00&peak_viewers=nhi%E1%BB%81u"
      "&product_ids=" +
      std::to_string(tea_) + "&product_ids=" + std::to_string(rice_);
  auto refused = client.Post(kPage, body, FormHeaders(shop_.owner));
  ASSERT_EQ(refused.status, 422) << refused.body;
  const std::string& html = refused.body;
  EXPECT_EQ(ErrorBeside(html, "url"), "Địa chỉ phải thuộc Facebook (facebook.com, fb.com, fb.watch, fb.gg).");
  EXPECT_EQ(ErrorBeside(html, "ended_at"), "Giờ kết thúc phải sau giờ bắt đầu.");
  EXPECT_EQ(ErrorBeside(html, "peak_viewers"), "Nhập một số nguyên từ 0 trở lên.");
  EXPECT_NE(ErrorBeside(html, "product_ids").find("Chỉ chọn sản phẩm của cửa hàng này"), std::string::npos);
  EXPECT_EQ(ErrorBeside(html, "title"), "") << "the title was fine";
  EXPECT_EQ(ErrorBeside(html, "started_at"), "");
  EXPECT_NE(html.find("id=\"ended_at\" name=\"ended_at\" type=\"datetime-local\" value=\"2026-11-28T19:00\""),
            std::string::npos)
      << "input kept";
  EXPECT_NE(html.find("value=\"Chè mới\""), std::string::npos) << "title kept";
  EXPECT_NE(html.find("value=\"" + std::to_string(tea_) + "\" checked"), std::string::npos) << "tick kept";
  EXPECT_NE(html.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_EQ(CountRows("live_sessions"), 0);

  auto future = client.Post(kPage,
                            "title=Ch%C3%A8&platform=other&url=https%3A%2F%2Fa.example.vn%2F"
                            "&started_at=2026-11-29T11%3A00&ended_at=2026-11-29T12%3A00",
                            FormHeaders(shop_.owner));
  ASSERT_EQ(future.status, 422) << future.body;
  EXPECT_EQ(ErrorBeside(future.body, "started_at"), "Giờ bắt đầu không được ở tương lai.");
  EXPECT_EQ(ErrorBeside(future.body, "ended_at"), "Giờ kết thúc không được ở tương lai.");
  auto missing = client.Post(kPage, "platform=zalo", FormHeaders(shop_.owner));
  ASSERT_EQ(missing.status, 422) << missing.body;
  EXPECT_NE(ErrorBeside(missing.body, "title").find("Nhập tên phiên"), std::string::npos);
  EXPECT_NE(ErrorBeside(missing.body, "url").find("https://"), std::string::npos);
  EXPECT_EQ(ErrorBeside(missing.body, "started_at"), "Chọn ngày giờ bắt đầu.");
  EXPECT_EQ(CountRows("live_sessions"), 0);
}

TEST_P(LivePages, ASessionRecordedFromTheFormIsListed) {
  auto client = app_->Client();
  auto saved = client.Post(kPage,
                           "title=Ch%C3%A8+m%E1%BB%9Bi+v%E1%BB%A5+%C4%91%C3%B4ng&platform=tiktok"
                           "&url=https%3A%2F%2Fwww.tiktok.com%2F%40cheducxuan%2Flive"
                           "&started_at=2026-11-28T20%3A00&ended_at=2026-11-28T21%3A15&peak_viewers=1.200"
                           "&orders_reported=31&product_ids=" +
                               std::to_string(tea_) + "&product_ids=" + std::to_string(honey_),
                           FormHeaders(staff_));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("location"), std::string(kPage) + "?da-luu=1");
  auto api = client.Get(ListPath(shop_), shop_.owner.auth);
  ASSERT_EQ(api.status, 200);
  ASSERT_EQ(api.Json()["items"].size(), 1u);
  const auto s = api.Json()["items"][0];
  EXPECT_EQ(s["started_at"], "2026-11-28T20:00:00+07:00") << "the form's time is Vietnam time";
  EXPECT_EQ(s["duration_minutes"], 75);
  EXPECT_EQ(s["peak_viewers"], 1200);
  EXPECT_EQ(s["product_ids"], nlohmann::json::array({tea_, honey_}));
  auto page = client.Get(std::string(kPage) + "?da-luu=1", staff_.auth);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Đã ghi phiên livestream."), std::string::npos);
  EXPECT_NE(page.body.find("Chè mới vụ đông"), std::string::npos);
  EXPECT_NE(page.body.find("20:00 28/11/2026 · 75 phút · 1200 người xem · 31 đơn"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("Chè búp Đức Xuân; Mật ong rừng;"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Live, LivePages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::live::testing
