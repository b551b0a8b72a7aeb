// Page handlers over real HTTP against an in-process App (both backends):
// Vietnamese by default and English by switch, forms re-shown with the input
// kept and Vietnamese errors by their fields, the CSRF field in forms and its
// check, the sign-in redirect that returns to the page, the no-JavaScript
// province → commune step of checkout, 404 pages, robots.txt.
#include <gtest/gtest.h>

#include <regex>

#include "app/services.hpp"
#include "places/places.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::web {
namespace {

using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using nongsan::testing::TestApp;

constexpr const char* kForm = "application/x-www-form-urlencoded";

std::string CsrfFrom(const std::string& html) {
  std::smatch match;
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]*)")re");
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

class Pages : public ::testing::TestWithParam<std::string> {
 protected:
  // Registers a buyer through the page and keeps the session in the jar.
  HttpClient SignedInClient(TestApp& app, const std::string& phone) {
    HttpClient client = app.Client();
    client.EnableCookieJar();
    const std::string token = CsrfFrom(client.Get("/dang-ky").body);  // the pre-session token
    ClientResponse registered = client.Post("/dang-ky",
                                            "full_name=Tr%E1%BA%A7n+Nam&phone=" + phone +
                                                "&password=mua-che-ngon-2026&next=%2Fdon-hang"
                                                "&csrf_token=" +
                                                token,
                                            {{"Content-Type", kForm}});
    EXPECT_EQ(registered.status, 303) << registered.body;
    EXPECT_EQ(registered.Header("location"), "/xac-minh?next=%2Fdon-hang");
    return client;
  }
};

TEST_P(Pages, HomeIsVietnameseAndSwitchesToEnglish) {
  TestApp app(GetParam());
  HttpClient client = app.Client();
  ClientResponse vi = client.Get("/");
  ASSERT_EQ(vi.status, 200);
  EXPECT_EQ(vi.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(vi.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(vi.body.find("Danh mục"), std::string::npos);
  EXPECT_NE(vi.body.find("href=\"/danh-muc/"), std::string::npos);
  ClientResponse en = client.Get("/?lang=en");
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.body.find("Categories"), std::string::npos);
  ASSERT_FALSE(en.set_cookies.empty());
  EXPECT_EQ(en.set_cookies[0].rfind("lang=en;", 0), 0u);
  ClientResponse remembered = client.Get("/", {{"Cookie", "lang=en"}});
  EXPECT_NE(remembered.body.find("<html lang=\"en\">"), std::string::npos);
}

TEST_P(Pages, HomeShowsTheConfiguredHomeProvinceUntilTheBuyerPicksOne) {
  app::Config config;
  ASSERT_TRUE(app::ApplySettings(config, {{"home_province", "01"}}, "test").ok());
  TestApp app(GetParam(), config);
  HttpClient client = app.Client();
  ClientResponse home = client.Get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Hà Nội</h2>"), std::string::npos) << home.body.substr(0, 2000);
  ClientResponse picked = client.Get("/?tinh=19");
  EXPECT_NE(picked.body.find("Thái Nguyên</h2>"), std::string::npos);
}

TEST_P(Pages, RegistrationErrorsKeepValuesAndShowVietnameseMessagesByTheField) {
  TestApp app(GetParam());
  HttpClient client = app.Client();
  client.EnableCookieJar();
  const std::string token = CsrfFrom(client.Get("/dang-ky").body);
  ClientResponse response =
      client.Post("/dang-ky", "full_name=%3Cb%3ELan%3C%2Fb%3E&phone=12345&password=x&csrf_token=" + token,
                  {{"Content-Type", kForm}});
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("value=\"&lt;b&gt;Lan&lt;/b&gt;\""), std::string::npos) << "kept and escaped";
  EXPECT_EQ(response.body.find("<b>Lan</b>"), std::string::npos);
  EXPECT_NE(response.body.find("value=\"12345\""), std::string::npos);
  EXPECT_NE(response.body.find("<p class=\"err\" id=\"phone-err\">Số điện thoại di động chưa đúng"),
            std::string::npos);
  EXPECT_NE(response.body.find("id=\"password-err\">Mật khẩu cần từ 8 ký tự"), std::string::npos);
  EXPECT_NE(response.body.find("aria-invalid=\"true\" aria-describedby=\"phone-err\""), std::string::npos);
  EXPECT_EQ(response.body.find("value=\"x\""), std::string::npos) << "a password is never sent back";
}

TEST_P(Pages, FormsCarryTheCsrfTokenAndPostsWithoutItAreRefused) {
  TestApp app(GetParam());
  HttpClient client = SignedInClient(app, "0912000301");
  ClientResponse verify = client.Get("/xac-minh?next=%2Fdon-hang");
  ASSERT_EQ(verify.status, 200);
  const std::string token = CsrfFrom(verify.body);
  EXPECT_EQ(token.size(), 64u);
  ClientResponse refused = client.Post("/xac-minh", "code=123456", {{"Content-Type", kForm}});
  EXPECT_EQ(refused.status, 403);
  ClientResponse wrong =
      client.Post("/xac-minh", "code=000000&next=%2Fdon-hang&csrf_token=" + token, {{"Content-Type", kForm}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("Mã chưa đúng."), std::string::npos);
}

TEST_P(Pages, SignInReturnsToThePageAsked) {
  TestApp app(GetParam());
  HttpClient anonymous = app.Client();
  ClientResponse redirect = anonymous.Get("/don-hang?trang=2");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.Header("location"), "/dang-nhap?next=%2Fdon-hang%3Ftrang%3D2");

  { SignedInClient(app, "0912000302"); }
  HttpClient client = app.Client();
  client.EnableCookieJar();
  const std::string token = CsrfFrom(client.Get("/dang-nhap").body);
  ClientResponse bad = client.Post(
      "/dang-nhap", "phone=0912000302&password=wrong-password&next=%2Fdon-hang&csrf_token=" + token,
      {{"Content-Type", kForm}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("Số điện thoại hoặc mật khẩu chưa đúng."), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"0912000302\""), std::string::npos);
  ClientResponse good = client.Post(
      "/dang-nhap", "phone=0912000302&password=mua-che-ngon-2026&next=%2Fdon-hang&csrf_token=" + token,
      {{"Content-Type", kForm}});
  EXPECT_EQ(good.status, 303);
  EXPECT_EQ(good.Header("location"), "/don-hang");
  EXPECT_EQ(client.Get("/don-hang").status, 200);
  ClientResponse evil = app.Client().Post(
      "/dang-nhap", "phone=0912000302&password=mua-che-ngon-2026&next=%2F%2Fevil.example",
      {{"Content-Type", kForm}, {"Origin", "http://127.0.0.1:" + std::to_string(app.port())}});
  EXPECT_EQ(evil.status, 303);
  EXPECT_EQ(evil.Header("location"), "/") << "only local paths are followed";
}

// The seller centre through its pages: open a shop, list a product (the
// multipart form checks its own CSRF field), then a buyer's checkout picks
// the commune in two steps without JavaScript and orders once per form.
TEST_P(Pages, SellerListsAProductAndCheckoutWorksWithoutJavaScript) {
  TestApp app(GetParam());
  const std::string commune = app.app().services().places->Children("19").front().code;
  HttpClient seller = SignedInClient(app, "0912000303");
  const std::string seller_token = CsrfFrom(seller.Get("/kenh-ban/mo-cua-hang").body);
  const std::string open_form = "csrf_token=" + seller_token +
                                "&name=Ch%C3%A8+Hoa&type=household&province=19"
                                "&commune_code=" +
                                commune + "&address_line=X%C3%B3m+1";
  ClientResponse unverified = seller.Post("/kenh-ban/mo-cua-hang", open_form, {{"Content-Type", kForm}});
  EXPECT_EQ(unverified.status, 303);
  EXPECT_EQ(unverified.Header("location"), "/xac-minh?next=%2Fkenh-ban%2Fmo-cua-hang")
      << "verify the phone first";
  auto code = app.app().db().Read([](db::Connection& c) {
    return c.QueryOne("SELECT message FROM sms_outbox WHERE to_phone = ? ORDER BY id DESC LIMIT 1",
                      {std::string("0912000303")});
  });
  ASSERT_TRUE(code.ok() && *code);
  std::smatch digits;
  const std::string message = (*code)->Text(0);
  ASSERT_TRUE(std::regex_search(message, digits, std::regex("[0-9]{6}")));
  ClientResponse verified = seller.Post(
      "/xac-minh", "csrf_token=" + seller_token + "&code=" + digits.str() + "&next=%2Fkenh-ban%2Fmo-cua-hang",
      {{"Content-Type", kForm}});
  EXPECT_EQ(verified.Header("location"), "/kenh-ban/mo-cua-hang");
  ClientResponse opened = seller.Post("/kenh-ban/mo-cua-hang", open_form, {{"Content-Type", kForm}});
  ASSERT_EQ(opened.status, 303) << opened.body;
  EXPECT_EQ(opened.Header("location").rfind("/kenh-ban?shop=", 0), 0u);

  const std::string boundary = "----nongsan-test";
  auto multipart = [&](const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value +
              "\r\n";
    }
    return body + "--" + boundary + "--\r\n";
  };
  const ClientHeaders multipart_type = {{"Content-Type", "multipart/form-data; boundary=" + boundary}};
  std::vector<std::pair<std::string, std::string>> fields = {
      {"name", "Chè búp Tân Cương"}, {"price_vnd", "abc"},     {"unit", "kg"},      {"stock", "20"},
      {"category", "tea-bud"},       {"weight_grams", "1000"}, {"status", "active"}};
  EXPECT_EQ(seller.Post("/kenh-ban/san-pham/moi", multipart(fields), multipart_type).status, 403)
      << "no CSRF field in the multipart body";
  fields.emplace_back("csrf_token", seller_token);
  ClientResponse invalid = seller.Post("/kenh-ban/san-pham/moi", multipart(fields), multipart_type);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("id=\"price_vnd-err\">Giá phải là số nguyên dương"), std::string::npos);
  EXPECT_NE(invalid.body.find("value=\"Chè búp Tân Cương\""), std::string::npos);
  EXPECT_NE(invalid.body.find("capture=\"environment\""), std::string::npos);
  fields[1].second = "250000";
  ClientResponse created = seller.Post("/kenh-ban/san-pham/moi", multipart(fields), multipart_type);
  ASSERT_EQ(created.status, 303) << created.body;
  ClientResponse list = seller.Get("/kenh-ban/san-pham?q=che+bup");
  EXPECT_NE(list.body.find("Chè búp Tân Cương"), std::string::npos);
  EXPECT_NE(list.body.find("250.000\u00a0₫"), std::string::npos);

  ClientResponse found = app.Client().Get("/tim-kiem?q=che+bup+tan+cuong");
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(found.body, match, std::regex(R"re(href="(/san-pham/che-bup-tan-cuong-(\d+))")re")))
      << found.body;
  const std::string product_path = match[1];
  const std::string product_id = match[2];

  HttpClient buyer = SignedInClient(app, "0912000304");
  const std::string token = CsrfFrom(buyer.Get(product_path).body);
  ClientResponse added =
      buyer.Post("/gio-hang/them",
                 "csrf_token=" + token + "&product_id=" + product_id + "&quantity=2&back=" + product_path,
                 {{"Content-Type", kForm}});
  EXPECT_EQ(added.status, 303);
  EXPECT_EQ(added.Header("location"), product_path + "?da-them=1");
  EXPECT_NE(buyer.Get("/").body.find("Giỏ hàng <span class=\"count\">(1)</span>"), std::string::npos)
      << "the cart count in the header";
  ClientResponse form = buyer.Get("/thanh-toan");
  ASSERT_EQ(form.status, 200);
  std::smatch key;
  ASSERT_TRUE(std::regex_search(form.body, key, std::regex(R"re(name="idempotency_key" value="([^"]+)")re")));
  ClientResponse step = buyer.Post("/thanh-toan",
                                   "csrf_token=" + token +
                                       "&full_name=Nam&phone=0912000304&province=19"
                                       "&address_line=X%C3%B3m+3&step=province",
                                   {{"Content-Type", kForm}});
  ASSERT_EQ(step.status, 200);
  EXPECT_NE(step.body.find("<option value=\"19\" selected>"), std::string::npos);
  const std::size_t from = step.body.find("<select id=\"commune_code\"");
  ASSERT_NE(from, std::string::npos);
  const std::string list_html = step.body.substr(from, step.body.find("</select>", from) - from);
  int communes = 0;
  for (std::size_t pos = 0; (pos = list_html.find("<option value=\"", pos)) != std::string::npos; ++pos)
    ++communes;
  EXPECT_GT(communes, 50) << "Thái Nguyên's communes are offered";
  EXPECT_NE(step.body.find("value=\"Xóm 3\""), std::string::npos) << "what was typed is kept";

  // The commune chosen: the first tap shows each shop's fee and the grand
  // total before anything is ordered, the second orders.
  std::string order_form = "csrf_token=" + token + "&idempotency_key=" + key[1].str() +
                           "&full_name=Nam&phone=0912000304&province=19&commune_code=" + commune +
                           "&address_line=X%C3%B3m+3&payment_method=cod";
  ClientResponse quoted = buyer.Post("/thanh-toan", order_form, {{"Content-Type", kForm}});
  ASSERT_EQ(quoted.status, 200) << quoted.body;
  EXPECT_NE(quoted.body.find("id=\"phi-giao-hang\""), std::string::npos) << "the fee is shown";
  EXPECT_NE(quoted.body.find("name=\"quoted\" value=\"" + commune + "\""), std::string::npos);
  ClientResponse none_yet = buyer.Get("/don-hang");
  EXPECT_EQ(none_yet.body.find("href=\"/don-hang/"), std::string::npos)
      << "nothing ordered before the fee was seen";
  order_form += "&quoted=" + commune;
  ClientResponse placed = buyer.Post("/thanh-toan", order_form, {{"Content-Type", kForm}});
  ASSERT_EQ(placed.status, 303) << placed.body;
  EXPECT_EQ(placed.Header("location").rfind("/dat-hang-thanh-cong?ma=", 0), 0u);
  // A second tap on the same form does not make a second order.
  buyer.Post("/thanh-toan", order_form, {{"Content-Type", kForm}});
  ClientResponse orders = buyer.Get("/don-hang");
  int listed = 0;
  for (std::size_t pos = 0; (pos = orders.body.find("href=\"/don-hang/", pos)) != std::string::npos; ++pos)
    ++listed;
  EXPECT_EQ(listed, 1) << orders.body;
  ClientResponse confirmation = buyer.Get(placed.Header("location"));
  EXPECT_NE(confirmation.body.find("Đặt hàng thành công"), std::string::npos);
  std::smatch order_link;
  ASSERT_TRUE(std::regex_search(orders.body, order_link, std::regex(R"re(href="(/don-hang/\d+)")re")));
  ClientResponse order = buyer.Get(order_link[1]);
  EXPECT_NE(order.body.find("500.000\u00a0₫"), std::string::npos) << "two units at 250.000 ₫";
  EXPECT_NE(order.body.find("Đã đặt"), std::string::npos);
  EXPECT_NE(order.body.find("class=\"timeline\""), std::string::npos);
}

TEST_P(Pages, UnknownThingsAnswerTheVietnamese404Page) {
  TestApp app(GetParam());
  HttpClient client = app.Client();
  for (const char* path : {"/san-pham/khong-co-999999", "/san-pham/khong-co-so", "/cua-hang/khong-co-999999",
                           "/danh-muc/khong-co"}) {
    ClientResponse response = client.Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_NE(response.body.find("Không tìm thấy trang"), std::string::npos) << path;
  }
}

TEST_P(Pages, UnknownPathsAndPageErrorsAreHtmlAndTheApiKeepsProblemJson) {
  TestApp app(GetParam());
  HttpClient client = app.Client();
  for (const char* path : {"/khong-co-trang-nay", "/kenh-ban/khong-co/1", "/tai-khoan/xyz"}) {
    ClientResponse page = client.Get(path);
    EXPECT_EQ(page.status, 404) << path;
    EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8") << path;
    EXPECT_NE(page.body.find("Không tìm thấy trang"), std::string::npos) << path;
    EXPECT_NE(page.body.find("href=\"/\""), std::string::npos) << "a way back: " << path;
  }
  ClientResponse english = client.Get("/khong-co-trang-nay?lang=en");
  EXPECT_EQ(english.status, 404);
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);

  ClientResponse api = client.Get("/api/v1/khong-co");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.Header("content-type"), "application/problem+json");

  // A method a page does not take: the HTML page with Allow; the API keeps problem+json.
  ClientResponse wrong_method = client.Request("DELETE", "/gio-hang", "", {});
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_FALSE(wrong_method.Header("allow").empty());
  EXPECT_NE(wrong_method.body.find("Không mở được trang theo cách này"), std::string::npos)
      << wrong_method.body;
  ClientResponse api_method = client.Request("DELETE", "/api/v1/categories", "", {});
  EXPECT_EQ(api_method.status, 405);
  EXPECT_EQ(api_method.Header("content-type"), "application/problem+json");

  // A form posted without its CSRF field: refused by the hook, shown as a page.
  HttpClient buyer = SignedInClient(app, "0912000309");
  ClientResponse refused = buyer.Post("/xac-minh", "code=123456", {{"Content-Type", kForm}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(refused.body.find("Không có quyền truy cập"), std::string::npos) << refused.body;
  EXPECT_EQ(refused.body.find("\"type\""), std::string::npos) << "no problem+json in the page";
}

TEST_P(Pages, AccountPageChangesTheProfileAndRefusesAWrongPasswordByTheField) {
  TestApp app(GetParam());
  HttpClient client = SignedInClient(app, "0912000311");
  ClientResponse page = client.Get("/tai-khoan");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("0912000311"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"Trần Nam\""), std::string::npos);
  const std::string token = CsrfFrom(page.body);

  ClientResponse saved = client.Post(
      "/tai-khoan/ho-so",
      "csrf_token=" + token + "&full_name=Tr%E1%BA%A7n+V%C4%83n+Nam&email=", {{"Content-Type", kForm}});
  ASSERT_EQ(saved.status, 303);
  EXPECT_NE(client.Get(saved.Header("location")).body.find("value=\"Trần Văn Nam\""), std::string::npos);
  ClientResponse no_name =
      client.Post("/tai-khoan/ho-so", "csrf_token=" + token + "&full_name=&email=khong-phai-thu",
                  {{"Content-Type", kForm}});
  EXPECT_EQ(no_name.status, 422);
  EXPECT_NE(no_name.body.find("id=\"full_name-err\""), std::string::npos);
  EXPECT_NE(no_name.body.find("value=\"khong-phai-thu\""), std::string::npos) << "what was typed is kept";

  ClientResponse wrong =
      client.Post("/tai-khoan/mat-khau",
                  "csrf_token=" + token + "&current_password=sai-roi-2026&new_password=moi-hon-2026x",
                  {{"Content-Type", kForm}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("id=\"current_password-err\">Mật khẩu hiện tại chưa đúng."), std::string::npos)
      << wrong.body;
  EXPECT_EQ(wrong.body.find("sai-roi-2026"), std::string::npos) << "a password never goes back into the page";
  ClientResponse changed =
      client.Post("/tai-khoan/mat-khau",
                  "csrf_token=" + token + "&current_password=mua-che-ngon-2026&new_password=moi-hon-2026x",
                  {{"Content-Type", kForm}});
  EXPECT_EQ(changed.status, 303) << changed.body;
  EXPECT_EQ(changed.Header("location"), "/tai-khoan?xong=password");
}

TEST_P(Pages, AGuestSentFromTheCheckoutIsToldWhyToSignIn) {
  TestApp app(GetParam());
  ClientResponse from_checkout = app.Client().Get("/dang-nhap?next=%2Fthanh-toan");
  EXPECT_NE(from_checkout.body.find("Vui lòng đăng nhập hoặc đăng ký để đặt hàng"), std::string::npos);
  ClientResponse plain = app.Client().Get("/dang-nhap?next=%2Fdon-hang");
  EXPECT_EQ(plain.body.find("để đặt hàng"), std::string::npos);
}

TEST_P(Pages, RobotsKeepsCrawlersOnThePublicPages) {
  TestApp app(GetParam());
  ClientResponse robots = app.Client().Get("/robots.txt");
  EXPECT_EQ(robots.status, 200);
  EXPECT_NE(robots.body.find("Disallow: /kenh-ban"), std::string::npos);
  EXPECT_NE(robots.body.find("Sitemap: "), std::string::npos);
  ClientResponse sitemap = app.Client().Get("/sitemap.xml");
  EXPECT_EQ(sitemap.status, 200);
  EXPECT_NE(sitemap.body.find("<urlset"), std::string::npos);
  EXPECT_NE(sitemap.body.find("/danh-muc/"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Pages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::web
