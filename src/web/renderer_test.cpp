// Tests of the page framework: templates (escaping, includes, thread-safe
// rendering), translations (language choice, fallback, file parity), display
// formats, URL slugs, forms (values kept, errors in Vietnamese), CSRF fields
// and the error pages, against the real files in web/.
#include "web/renderer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/source_dir.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

namespace nongsan::web {
namespace {

const std::string kWebDir = std::string(core::SourceDir()) + "/web";
// 2026-11-29T10:00:00+07:00.
constexpr std::int64_t kNowMs = 1795921200000;

std::string RenderSource(const std::string& source, const nlohmann::json& data,
                         const std::map<std::string, std::string>& partials = {}) {
  auto set = TemplateSet::FromSources({{"page", source}}, partials);
  EXPECT_TRUE(set.ok()) << (set.ok() ? "" : set.error().detail);
  if (!set.ok()) return "";
  MustacheData page = ToMustache(data);
  MustacheContext context(&page);
  auto html = (*set)->Render("page", context);
  EXPECT_TRUE(html.ok());
  return html.ok() ? *html : "";
}

http::Request Get(std::string target) {
  http::Request request;
  request.method = "GET";
  request.target = target;
  auto q = target.find('?');
  request.path = target.substr(0, q);
  request.query_string = q == std::string::npos ? "" : target.substr(q + 1);
  return request;
}

std::unique_ptr<Renderer> LoadRenderer(CsrfTokenFn csrf = nullptr) {
  RendererOptions options;
  options.web_dir = kWebDir;
  options.base_url = "https://nongsan.test";
  options.csrf_token = std::move(csrf);
  auto renderer = Renderer::Load(std::move(options));
  EXPECT_TRUE(renderer.ok()) << (renderer.ok() ? "" : renderer.error().detail);
  return renderer.ok() ? std::move(renderer).value() : nullptr;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// ------------------------------------------------------------ templates

TEST(Templates, EscapesValuesAndKeepsRawOnlyWhenAsked) {
  const std::string html = RenderSource("<p title=\"{{v}}\">{{v}}</p>{{{raw}}}",
                                        {{"v", "<script>alert('x') & \"y\"</script>"}, {"raw", "<b>ok</b>"}});
  EXPECT_EQ(html,
            "<p title=\"&lt;script&gt;alert(&apos;x&apos;) &amp; &quot;y&quot;&lt;/script&gt;\">"
            "&lt;script&gt;alert(&apos;x&apos;) &amp; &quot;y&quot;&lt;/script&gt;</p><b>ok</b>");
}

TEST(Templates, ConvertsJsonTypes) {
  const std::string html = RenderSource(
      "{{n}}|{{#blank}}B{{/blank}}{{^blank}}b{{/blank}}{{blank}}|{{#yes}}Y{{/yes}}|{{^no}}N{{/"
      "no}}|{{^nothing}}0{{/nothing}}|{{#list}}[{{name}}]{{/list}}|{{^empty}}E{{/empty}}|{{a.b.c}}",
      {{"n", 125000},
       {"blank", ""},
       {"yes", true},
       {"no", false},
       {"nothing", nullptr},
       {"list", {{{"name", "chè"}}, {{"name", "gạo"}}}},
       {"empty", nlohmann::json::array()},
       {"a", {{"b", {{"c", "sâu"}}}}}});
  EXPECT_EQ(html, "125000|b|Y|N|0|[chè][gạo]|E|sâu");
}

TEST(Templates, ExpandsIncludesAtLoad) {
  EXPECT_EQ(RenderSource("a{{> one}}d", {{"x", "b"}}, {{"one", "{{x}}{{>two}}"}, {"two", "c"}}), "abcd");
  auto unknown = TemplateSet::FromSources({{"page", "{{> missing}}"}}, {});
  EXPECT_FALSE(unknown.ok());
  auto loop = TemplateSet::FromSources({{"page", "{{> a}}"}}, {{"a", "{{> b}}"}, {"b", "{{> a}}"}});
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.error().detail.find("too deeply"), std::string::npos);
  auto broken = TemplateSet::FromSources({{"page", "{{#open}}never closed"}}, {});
  EXPECT_FALSE(broken.ok());
}

TEST(Templates, RendersConcurrentlyWithTheSameResult) {
  auto set = TemplateSet::FromSources({{"page", "{{#items}}<li>{{name}} {{price}}</li>{{/items}}"}}, {});
  ASSERT_TRUE(set.ok());
  nlohmann::json data = {{"items", nlohmann::json::array()}};
  for (int i = 0; i < 50; ++i)
    data["items"].push_back({{"name", "Chè " + std::to_string(i)}, {"price", i * 1000}});
  MustacheData page = ToMustache(data);
  MustacheContext context(&page);
  const std::string expected = *(*set)->Render("page", context);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        MustacheData own = ToMustache(data);
        MustacheContext ctx(&own);
        if (*(*set)->Render("page", ctx) != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// ------------------------------------------------------------ translations

TEST(Translations, FallsBackToVietnameseAndFillsPlaceholders) {
  auto t = Translations::FromJson({{"a", {{"b", "Xin chào {name}"}}}, {"only_vi", "Chỉ tiếng Việt"}},
                                  {{"a", {{"b", "Hello {name}"}}}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Format(Lang::kVi, "a.b", {{"name", "Lan"}}), "Xin chào Lan");
  EXPECT_EQ(t->Format(Lang::kEn, "a.b", {{"name", "Lan"}}), "Hello Lan");
  EXPECT_EQ(t->Get(Lang::kEn, "only_vi"), "Chỉ tiếng Việt");
  EXPECT_EQ(t->Get(Lang::kVi, "no.such.key"), "no.such.key");
  EXPECT_FALSE(Translations::FromJson({{"a", "x"}}, {{"b", "y"}}).ok()) << "en keys must exist in vi";
  EXPECT_FALSE(Translations::FromJson({{"a", 5}}, {}).ok()) << "only strings and objects";
}

TEST(Translations, ParsesLanguageCodes) {
  EXPECT_EQ(ParseLang("vi"), Lang::kVi);
  EXPECT_EQ(ParseLang("EN"), Lang::kEn);
  EXPECT_EQ(ParseLang("en-US"), Lang::kEn);
  EXPECT_FALSE(ParseLang("fr").has_value());
  EXPECT_FALSE(ParseLang("english").has_value());
  EXPECT_FALSE(ParseLang("").has_value());
}

TEST(Translations, ShippedFilesHaveTheSameKeys) {
  auto t = Translations::Load(kWebDir + "/i18n");
  ASSERT_TRUE(t.ok()) << t.error().detail;
  auto raw_en = nlohmann::json::parse(ReadFile(kWebDir + "/i18n/en.json"));
  auto en_only = Translations::FromJson(raw_en, nlohmann::json::object());
  ASSERT_TRUE(en_only.ok());
  std::vector<std::string> vi_keys = t->Keys(Lang::kVi);
  std::vector<std::string> en_keys = en_only->Keys(Lang::kVi);
  std::vector<std::string> missing_in_en;
  std::set_difference(vi_keys.begin(), vi_keys.end(), en_keys.begin(), en_keys.end(),
                      std::back_inserter(missing_in_en));
  EXPECT_TRUE(missing_in_en.empty()) << "en.json lacks " << missing_in_en.size() << " keys, e.g. "
                                     << (missing_in_en.empty() ? "" : missing_in_en.front());
}

// Every {{t.…}} a template uses exists in vi.json: a typo would show nothing.
TEST(Translations, EveryKeyUsedByATemplateExists) {
  auto t = Translations::Load(kWebDir + "/i18n");
  ASSERT_TRUE(t.ok());
  const std::regex key_use(R"(\{\{\s*[#^/]?\s*t\.([a-z0-9_.]+)\s*\}\})");
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kWebDir + "/templates")) {
    if (entry.path().extension() != ".mustache") continue;
    const std::string source = ReadFile(entry.path());
    for (auto it = std::sregex_iterator(source.begin(), source.end(), key_use); it != std::sregex_iterator();
         ++it) {
      const std::string key = (*it)[1];
      EXPECT_TRUE(t->Has(Lang::kVi, key)) << entry.path().filename() << " uses t." << key;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

// ------------------------------------------------------------ formats and URLs

TEST(Format, PricesAndDates) {
  EXPECT_EQ(Price(125000), "125.000\u00a0₫");
  EXPECT_EQ(Price(0), "0\u00a0₫");
  EXPECT_EQ(Date(kNowMs), "29/11/2026");
  EXPECT_EQ(DateTime(kNowMs), "29/11/2026 10:00");
  // Half past eleven the night before, Vietnam time.
  EXPECT_EQ(DateTime(kNowMs - 10 * 3600 * 1000LL - 30 * 60 * 1000LL), "28/11/2026 23:30");
}

TEST(Format, SlugPathsAndIds) {
  EXPECT_EQ(ProductPath("Chè Tân Cương loại 1", 42), "/san-pham/che-tan-cuong-loai-1-42");
  EXPECT_EQ(ShopPath("HTX Chè Đồng Hỷ", 7), "/cua-hang/htx-che-dong-hy-7");
  EXPECT_EQ(ProductPath("", 5), "/san-pham/5");
  EXPECT_EQ(IdFromSlug("che-tan-cuong-loai-1-42"), 42);
  EXPECT_EQ(IdFromSlug("42"), 42);
  EXPECT_FALSE(IdFromSlug("che-tan-cuong").has_value());
  EXPECT_FALSE(IdFromSlug("che-0").has_value());
  EXPECT_FALSE(IdFromSlug("che-1234567890123456789").has_value());
  EXPECT_FALSE(IdFromSlug("").has_value());
}

TEST(Format, OnlyLocalPathsAreRedirectTargets) {
  EXPECT_TRUE(IsLocalPath("/don-hang?x=1"));
  EXPECT_FALSE(IsLocalPath("//evil.example/"));
  EXPECT_FALSE(IsLocalPath("/\\evil.example"));
  EXPECT_FALSE(IsLocalPath("https://evil.example/"));
  EXPECT_FALSE(IsLocalPath("/a\r\nSet-Cookie: x"));
  EXPECT_FALSE(IsLocalPath(""));
}

TEST(Format, JsonForScriptCannotCloseTheScript) {
  const std::string out = JsonForScript({{"name", "</script><script>alert(1)</script>&"}});
  EXPECT_EQ(out.find("</"), std::string::npos);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(out)["name"], "</script><script>alert(1)</script>&");
}

// ------------------------------------------------------------ forms

TEST(Forms, KeepValuesAndShowVietnameseErrorsNextToFields) {
  auto t = Translations::FromJson({{"errors",
                                    {{"required", "Vui lòng nhập thông tin này."},
                                     {"invalid", "Giá trị chưa hợp lệ."},
                                     {"generic", "Chưa thực hiện được."},
                                     {"not a Vietnamese mobile number", "Số điện thoại di động chưa đúng."},
                                     {"field", {{"price_vnd", "Giá chưa hợp lệ."}}},
                                     {"type", {{"out_of_stock", "Hết hàng."}}}}}},
                                  {});
  ASSERT_TRUE(t.ok());
  http::Request request = Get("/dang-ky");
  request.method = "POST";
  request.body = "phone=0912+34&name=%3Cb%3ELan%3C%2Fb%3E&note=&price_vnd=abc";
  Form form(request);
  EXPECT_EQ(form.Value("name"), "<b>Lan</b>");
  EXPECT_EQ(form.Value("phone"), "0912 34");
  form.Required("note");
  form.AddErrors(Error::Invalid("bad", {{"phone", "not a Vietnamese mobile number"},
                                        {"price_vnd", "must be an integer"},
                                        {"name", "something new"}}));
  form.AddErrors(Error::Conflict("out_of_stock", "Only 2 left"));
  EXPECT_FALSE(form.ok());
  auto view = form.View(*t, Lang::kVi);
  EXPECT_EQ(view["phone"]["value"], "0912 34");
  EXPECT_EQ(view["phone"]["error"], "Số điện thoại di động chưa đúng.");
  EXPECT_EQ(view["price_vnd"]["error"], "Giá chưa hợp lệ.");
  EXPECT_EQ(view["name"]["error"], "Giá trị chưa hợp lệ.");
  EXPECT_EQ(view["note"]["error"], "Vui lòng nhập thông tin này.");
  EXPECT_EQ(view["errors"][0], "Hết hàng.");
  EXPECT_TRUE(view["has_errors"].get<bool>());

  const std::string html = RenderSource(
      "<input name=\"name\" value=\"{{form.name.value}}\"{{#form.name.invalid}} "
      "aria-invalid=\"true\"{{/form.name.invalid}}>"
      "{{#form.name.error}}<p class=\"err\">{{form.name.error}}</p>{{/form.name.error}}",
      {{"form", view}});
  EXPECT_EQ(html,
            "<input name=\"name\" value=\"&lt;b&gt;Lan&lt;/b&gt;\" aria-invalid=\"true\">"
            "<p class=\"err\">Giá trị chưa hợp lệ.</p>");
}

TEST(Forms, FirstValueWinsAndLongValuesAreCut) {
  http::Request request = Get("/");
  request.body = "a=1&a=2&b=" + std::string(kMaxFormValueBytes + 10, 'x');
  Form form(request);
  EXPECT_EQ(form.Value("a"), "1");
  EXPECT_EQ(form.Value("b").size(), kMaxFormValueBytes);
  EXPECT_TRUE(form.ok());
  EXPECT_EQ(form.Value("missing"), "");
}

// ------------------------------------------------------------ the renderer on the real files

TEST(Renderer, VietnameseByDefaultEnglishByQueryOrCookie) {
  auto renderer = LoadRenderer();
  ASSERT_TRUE(renderer);
  http::Response vi = renderer->Render(Get("/"), "home", {});
  EXPECT_EQ(vi.status, 200);
  EXPECT_EQ(vi.content_type, "text/html; charset=utf-8");
  EXPECT_NE(vi.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(vi.body.find(renderer->translations().Get(Lang::kVi, "home.heading")), std::string::npos);
  EXPECT_FALSE(vi.GetHeader("Set-Cookie").has_value());
  EXPECT_EQ(vi.GetHeader("Content-Language"), "vi");

  http::Response en = renderer->Render(Get("/?lang=en"), "home", {});
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.body.find(renderer->translations().Get(Lang::kEn, "home.heading")), std::string::npos);
  ASSERT_TRUE(en.GetHeader("Set-Cookie").has_value());
  EXPECT_EQ(en.GetHeader("Set-Cookie")->rfind("lang=en;", 0), 0u);
  // The switch link goes back to Vietnamese and keeps the other parameters.
  http::Response search = renderer->Render(Get("/tim-kiem?q=ch%C3%A8&lang=en"), "home", {});
  EXPECT_NE(search.body.find("href=\"/tim-kiem?q=ch%C3%A8&amp;lang=vi\""), std::string::npos);

  http::Request with_cookie = Get("/");
  with_cookie.headers.emplace_back("cookie", "lang=en");
  EXPECT_EQ(renderer->LangOf(with_cookie), Lang::kEn);
  EXPECT_NE(renderer->Render(with_cookie, "home", {}).body.find("<html lang=\"en\">"), std::string::npos);
  with_cookie.headers.back().second = "lang=xx";
  EXPECT_EQ(renderer->LangOf(with_cookie), Lang::kVi);
}

TEST(Renderer, AssetsCarryAContentVersion) {
  auto renderer = LoadRenderer();
  ASSERT_TRUE(renderer);
  const std::string css = renderer->AssetUrl("app.css");
  EXPECT_TRUE(std::regex_match(css, std::regex(R"(/static/app\.css\?v=[0-9a-f]{10})"))) << css;
  EXPECT_EQ(renderer->AssetUrl("nope.css"), "/static/nope.css");
}

TEST(Renderer, NotFoundPageIsHtmlIn404) {
  auto renderer = LoadRenderer();
  ASSERT_TRUE(renderer);
  http::Response response = renderer->NotFound(Get("/san-pham/khong-co-99"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("Không tìm thấy trang"), std::string::npos);
  EXPECT_NE(response.body.find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
  http::Response forbidden = renderer->ErrorPage(Get("/kenh-ban"), Error::Forbidden());
  EXPECT_EQ(forbidden.status, 403);
  http::Response signin = renderer->ErrorPage(Get("/don-hang?x=1"), Error::Unauthorized());
  EXPECT_EQ(signin.status, 303);
  EXPECT_EQ(signin.GetHeader("Location"), "/dang-nhap?next=%2Fdon-hang%3Fx%3D1");
}

TEST(Renderer, EmbedsJsonLdSafely) {
  auto renderer = LoadRenderer();
  ASSERT_TRUE(renderer);
  auto html =
      renderer->RenderHtml(Get("/"), "home", {{"jsonld", {{"@type", "Product"}, {"name", "</script>x"}}}});
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("<script "
                       "type=\"application/ld+json\">{\"@type\":\"Product\",\"name\":\"\\u003c/"
                       "script\\u003ex\"}</script>"),
            std::string::npos);
}

// Every form that posts carries the CSRF token field, and the renderer fills it.
TEST(Renderer, EveryPostFormCarriesTheCsrfToken) {
  const std::regex post_form(R"(<form[^>]*method="post"[^>]*>)", std::regex::icase);
  int forms = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kWebDir + "/templates")) {
    if (entry.path().extension() != ".mustache") continue;
    const std::string source = ReadFile(entry.path());
    for (auto it = std::sregex_iterator(source.begin(), source.end(), post_form);
         it != std::sregex_iterator(); ++it) {
      std::size_t end = source.find("</form>", it->position());
      ASSERT_NE(end, std::string::npos) << entry.path();
      const std::string body = source.substr(it->position(), end - it->position());
      EXPECT_NE(body.find("{{> csrf}}"), std::string::npos) << entry.path().filename() << ": " << it->str();
      ++forms;
    }
  }
  EXPECT_GT(forms, 0);

  auto renderer = LoadRenderer([](const http::Request&) { return std::string("tok\"<en>"); });
  ASSERT_TRUE(renderer);
  http::Request signed_in = Get("/");
  Principal principal;
  principal.user_id = 1;
  principal.full_name = "Lan <Nguyễn>";
  signed_in.principal = principal;
  auto html = renderer->RenderHtml(signed_in, "home", {});
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("<input type=\"hidden\" name=\"csrf_token\" value=\"tok&quot;&lt;en&gt;\">"),
            std::string::npos);
  EXPECT_NE(html->find("Lan &lt;Nguyễn&gt;"), std::string::npos);
}

}  // namespace
}  // namespace nongsan::web
