#include "quality/public_pages.hpp"

#include <memory>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "http/request.hpp"
#include "images/qr_svg.hpp"

namespace nongsan::quality {
namespace {

using text::HtmlEscape;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Shared look of the public pages: large type, high contrast, no scripts. The
// styles are a static file (web/static/quality.css): the site's CSP allows no
// inline style, which left these pages bare.
constexpr std::string_view kPageHead = R"HTML(<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{title}}</title>
<link rel="stylesheet" href="/static/quality.css"></head><body><main>
)HTML";
constexpr std::string_view kPageFoot = "</main></body></html>\n";

std::string Page(const std::string& title, const std::string& body, PageLang lang) {
  std::string head(kPageHead);
  head.replace(head.find("{{lang}}"), 8, lang == PageLang::kEn ? "en" : "vi");
  head.replace(head.find("{{title}}"), 9, HtmlEscape(title));
  return head + body + std::string(kPageFoot);
}

std::string CsvCell(const std::string& value) {
  std::string v = value;
  // A cell starting like a formula would run in Excel or LibreOffice.
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (char ch : v) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

std::string KindTitle(CertKind kind, const std::optional<int>& stars) {
  std::string title(CertKindLabel(kind));
  if (stars) title += " " + std::to_string(*stars) + "★";
  return title;
}

std::string StarsText(const std::optional<int>& stars) { return stars ? std::to_string(*stars) : ""; }

}  // namespace

std::string RegisterCsv(const std::vector<RegisterEntry>& rows, const AreaPort& areas) {
  std::string out(kUtf8Bom);
  out +=
      "Tỉnh/Thành phố,Xã/Phường,Gian hàng,Sản phẩm,Mã sản phẩm,Loại chứng nhận,Hạng OCOP,Số chứng nhận,"
      "Tổ chức cấp,Ngày cấp,Ngày hết hạn,Xác minh\r\n";
  for (const auto& r : rows) {
    const std::vector<std::string> cells = {areas.UnitName(r.province_code),
                                            areas.UnitName(r.commune_code),
                                            r.shop_name,
                                            r.product_name,
                                            std::to_string(r.product_id),
                                            std::string(CertKindLabel(r.badge.kind)),
                                            StarsText(r.badge.ocop_stars),
                                            r.badge.number,
                                            r.badge.issuer,
                                            timefmt::DisplayIsoDays(r.issued_day),
                                            timefmt::DisplayIsoDays(r.badge.expires_day),
                                            r.badge.verify_url};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvCell(cells[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string RegisterCsvFilename(std::int64_t today) {
  return "so-dang-ky-chat-luong-" + timefmt::IsoDate(today) + ".csv";
}

nlohmann::json PublicCheckJson(const PublicCheck& check, const std::string& verify_url) {
  const Certificate& c = check.certificate;
  nlohmann::json products = nlohmann::json::array();
  for (const auto& p : check.products) {
    products.push_back({{"id", p.id}, {"name", p.name}, {"on_sale", p.is_public}});
  }
  return {{"code", c.code},
          {"genuine", true},
          {"valid_today", check.valid_today},
          {"status", CertStatusName(c.status)},
          {"kind", CertKindName(c.kind)},
          {"ocop_stars", c.ocop_stars ? nlohmann::json(*c.ocop_stars) : nlohmann::json(nullptr)},
          {"number", c.number},
          {"issuer", c.issuer},
          {"issued_on", timefmt::IsoDate(c.issued_day)},
          {"expires_on", timefmt::IsoDate(c.expires_day)},
          {"shop", {{"id", c.seller_id}, {"name", check.shop_name}}},
          {"products", std::move(products)},
          {"verified_at",
           c.verified_at_ms ? nlohmann::json(timefmt::Rfc3339(*c.verified_at_ms)) : nlohmann::json(nullptr)},
          {"reason", c.status == CertStatus::kRevoked || c.status == CertStatus::kRejected
                         ? nlohmann::json(c.reason)
                         : nlohmann::json(nullptr)},
          {"verify_url", verify_url},
          {"as_of", timefmt::IsoDate(check.today)},
          {"trademark_status",
           c.trademark ? nlohmann::json(TrademarkStatusName(c.trademark->status)) : nlohmann::json(nullptr)}};
}

PageLang PageLangOf(const std::optional<std::string>& lang_query) {
  return lang_query && *lang_query == "en" ? PageLang::kEn : PageLang::kVi;
}

std::string VerificationPage(const PublicCheck& check, const std::string& verify_url, PageLang lang) {
  const Certificate& c = check.certificate;
  const bool en = lang == PageLang::kEn;
  std::string verdict_class, verdict;
  switch (c.status) {
    case CertStatus::kVerified:
      if (c.trademark && c.trademark->status != TrademarkStatus::kGranted) {
        verdict_class = "warn";
        verdict = "<strong>Nhãn hiệu chưa được cấp văn bằng.</strong> Đơn số " +
                  HtmlEscape(c.trademark->application_number) + " nộp ngày " +
                  timefmt::DisplayIsoDays(c.trademark->filing_day) +
                  (c.trademark->status == TrademarkStatus::kRefused ? " đã bị từ chối." : " đang chờ xét.");
      } else if (check.valid_today) {
        verdict_class = "ok";
        verdict = std::string(en ? "<strong>✔ Valid today (" : "<strong>✔ Chứng nhận hợp lệ hôm nay (") +
                  timefmt::DisplayIsoDays(check.today) +
                  (en ? ").</strong><br>The local authority checked this certificate"
                      : ").</strong><br>Chứng nhận đã được cơ quan quản lý địa phương đối chiếu");
        if (!c.verifier_name.empty()) verdict += " (" + HtmlEscape(c.verifier_name) + ")";
        if (c.verified_at_ms) verdict += (en ? " on " : " ngày ") + timefmt::DisplayDate(*c.verified_at_ms);
        verdict += (en ? "; it is valid until the end of " : " và còn hiệu lực đến hết ngày ") +
                   timefmt::DisplayIsoDays(c.expires_day) + ".";
      } else {
        verdict_class = "warn";
        verdict = std::string(
                      en ? "<strong>Not valid yet.</strong> The certificate says it was issued on "
                         : "<strong>Chứng nhận chưa có hiệu lực.</strong> Ngày cấp ghi trên chứng nhận là ") +
                  timefmt::DisplayIsoDays(c.issued_day) + ".";
      }
      break;
    case CertStatus::kPending:
      verdict_class = "warn";
      verdict =
          en ? "<strong>Not verified yet.</strong><br>The shop declared this certificate but the authority "
               "has not checked it. Do not take it as a quality guarantee."
             : "<strong>Chứng nhận chưa được xác minh.</strong><br>Gian hàng đã khai báo chứng nhận này "
               "nhưng cơ "
               "quan quản lý chưa đối chiếu. Đừng coi đây là bảo đảm chất lượng.";
      break;
    case CertStatus::kExpired:
      verdict_class = "bad";
      verdict = std::string(en ? "<strong>✘ Expired</strong> after "
                               : "<strong>✘ Chứng nhận đã hết hạn</strong> từ sau ngày ") +
                timefmt::DisplayIsoDays(c.expires_day) +
                (en ? ". This certificate no longer vouches for the product."
                    : ". Sản phẩm không còn được bảo đảm bởi chứng nhận này.");
      break;
    case CertStatus::kRevoked:
      verdict_class = "bad";
      verdict = std::string(en ? "<strong>✘ Revoked.</strong><br>Reason: "
                               : "<strong>✘ Chứng nhận đã bị thu hồi.</strong><br>Lý do: ") +
                HtmlEscape(c.reason);
      break;
    case CertStatus::kRejected:
      verdict_class = "bad";
      verdict =
          std::string(
              en ? "<strong>✘ Not recognised.</strong><br>The authority rejected it when checking. Reason: "
                 : "<strong>✘ Chứng nhận không được công nhận.</strong><br>Cơ quan quản lý đã từ chối khi "
                   "đối chiếu. Lý do: ") +
          HtmlEscape(c.reason);
      break;
  }
  const std::string kind = HtmlEscape(KindTitle(c.kind, c.ocop_stars));
  std::string body =
      std::string(en ? "<h1>Certificate check: " : "<h1>Kiểm tra chứng nhận ") + kind + "</h1>";
  body += "<div class=\"verdict " + verdict_class + "\">" + verdict + "</div>";
  body += "<dl>";
  body += std::string(en ? "<dt>Kind</dt><dd>" : "<dt>Loại</dt><dd>") + kind + "</dd>";
  body +=
      std::string(en ? "<dt>Number</dt><dd>" : "<dt>Số chứng nhận</dt><dd>") + HtmlEscape(c.number) + "</dd>";
  body += std::string(en ? "<dt>Issued by</dt><dd>" : "<dt>Tổ chức cấp</dt><dd>") + HtmlEscape(c.issuer) +
          "</dd>";
  body += std::string(en ? "<dt>Issued on</dt><dd>" : "<dt>Ngày cấp</dt><dd>") +
          timefmt::DisplayIsoDays(c.issued_day) + "</dd>";
  body += std::string(en ? "<dt>Expires</dt><dd>" : "<dt>Hết hạn</dt><dd>") +
          timefmt::DisplayIsoDays(c.expires_day) + "</dd>";
  body += std::string(en ? "<dt>Shop</dt><dd>" : "<dt>Gian hàng</dt><dd>") + HtmlEscape(check.shop_name) +
          (check.shop_public ? ""
           : en              ? " <small>(shop suspended)</small>"
                             : " <small>(gian hàng đang tạm dừng)</small>") +
          "</dd>";
  body += en ? "<dt>Products</dt><dd>" : "<dt>Sản phẩm</dt><dd>";
  for (const auto& p : check.products) {
    body += HtmlEscape(p.name);
    if (p.suspended) body += en ? " <small>(off sale)</small>" : " <small>(đang tạm dừng bán)</small>";
    body += "<br>";
  }
  body += "</dd></dl>";
  body +=
      std::string(en ? "<p><small>Check code: " : "<p><small>Mã kiểm tra: ") + HtmlEscape(c.code) + " · " +
      HtmlEscape(verify_url) +
      (en ? "<br>The result is for today; compare the number above with the one printed on the pack. If they "
            "differ, the product may be fake: tell the commune officer.</small></p>"
          : "<br>Kết quả tính theo ngày hôm nay; hãy so số chứng nhận ở trên với số in trên bao bì. "
            "Nếu khác nhau, sản phẩm có thể là hàng giả: hãy báo cho cán bộ xã.</small></p>");
  body += en ? "<p><a href=\"/chat-luong?lang=en\">Register of quality-assured products</a> · <a "
               "href=\"?lang=vi\">Tiếng Việt</a></p>"
             : "<p><a href=\"/chat-luong\">Sổ đăng ký sản phẩm đạt chất lượng</a> · <a "
               "href=\"?lang=en\">English</a></p>";
  return Page((en ? "Certificate check " : "Kiểm tra chứng nhận ") + c.number, body, lang);
}

std::string VerificationPageUnknown(const std::string& code, PageLang lang) {
  const bool en = lang == PageLang::kEn;
  std::string body =
      en ? "<h1>Certificate not found</h1><div class=\"verdict bad\"><strong>✘ The code \"" +
               HtmlEscape(code) +
               "\" is not in the register.</strong><br>nongsan did not issue this check code. A product "
               "carrying it "
               "may be fake: tell the commune officer or the provincial Department of Agriculture.</div>"
               "<p><a href=\"/chat-luong?lang=en\">Register of quality-assured products</a></p>"
         : "<h1>Không tìm thấy chứng nhận</h1><div class=\"verdict bad\"><strong>✘ Mã \"" + HtmlEscape(code) +
               "\" không có trong sổ đăng ký.</strong><br>Mã kiểm tra này không do nongsan cấp. Sản phẩm "
               "mang "
               "mã này có thể là hàng giả: hãy báo cho cán bộ xã hoặc Sở Nông nghiệp.</div>"
               "<p><a href=\"/chat-luong\">Sổ đăng ký sản phẩm đạt chất lượng</a></p>";
  return Page(en ? "Certificate not found" : "Không tìm thấy chứng nhận", body, lang);
}

std::string VerificationPageUnavailable(PageLang lang) {
  if (lang == PageLang::kEn) {
    return Page("Cannot check right now",
                "<h1>Cannot check right now</h1><div class=\"verdict warn\">The system is busy. Please try "
                "again in a "
                "few minutes.</div>",
                lang);
  }
  return Page(
      "Tạm thời không kiểm tra được",
      "<h1>Tạm thời không kiểm tra được</h1><div class=\"verdict warn\">Hệ thống đang bận. Hãy thử lại sau "
      "ít phút.</div>",
      lang);
}

std::string RegisterPageHtml(const std::vector<RegisterEntry>& rows, const RegisterQuery& query,
                             const AreaPort& areas, std::int64_t today, PageLang lang) {
  const bool en = lang == PageLang::kEn;
  const std::string lang_param = en ? "&lang=en" : "";
  std::string filter = "kind=" + (query.kind ? std::string(CertKindName(*query.kind)) : "") +
                       "&province=" + http::UrlEncode(query.province) +
                       "&commune=" + http::UrlEncode(query.commune);
  const std::string title =
      en ? "Register of quality-assured products" : "Sổ đăng ký sản phẩm đạt chất lượng";
  std::string body = "<h1>" + title + "</h1>";
  body +=
      std::string(en ? "<p>These products hold a certificate the authority has verified and that is valid on "
                     : "<p>Các sản phẩm dưới đây có chứng nhận đã được cơ quan quản lý xác minh và còn hiệu "
                       "lực ngày ") +
      timefmt::DisplayIsoDays(today) +
      (en ? ". Expired and revoked certificates and suspended products leave the register by themselves.</p>"
          : ". Chứng nhận hết hạn, bị thu hồi và sản phẩm bị tạm dừng bán tự động rời khỏi sổ.</p>");
  body += std::string(en ? "<p>Filter: <a href=\"/chat-luong?lang=en\">all</a>"
                         : "<p>Lọc: <a href=\"/chat-luong\">tất cả</a>");
  for (CertKind kind : {CertKind::kOcop, CertKind::kVietGap, CertKind::kOrganic, CertKind::kGlobalGap,
                        CertKind::kTrademark}) {
    body += " · <a href=\"/chat-luong?kind=" + std::string(CertKindName(kind)) +
            "&province=" + HtmlEscape(http::UrlEncode(query.province)) + HtmlEscape(lang_param) + "\">" +
            HtmlEscape(CertKindLabel(kind)) + "</a>";
  }
  body += " · <a href=\"/api/v1/quality/register.csv?" + HtmlEscape(filter) + "\">" +
          (en ? "Download CSV" : "Tải CSV") + "</a>";
  body += en ? " · <a href=\"/chat-luong\">Tiếng Việt</a></p>"
             : " · <a href=\"/chat-luong?lang=en\">English</a></p>";
  body += "<p><small>" + std::to_string(rows.size()) + (en ? " rows" : " dòng") + "</small></p>";
  body += en ? "<table><thead><tr><th>Product</th><th>Shop</th><th>Area</th><th>Certificate</th><th>Expires</"
               "th></tr>"
               "</thead><tbody>"
             : "<table><thead><tr><th>Sản phẩm</th><th>Gian hàng</th><th>Địa bàn</th><th>Chứng nhận</th>"
               "<th>Hết hạn</th></tr></thead><tbody>";
  for (const auto& r : rows) {
    body += "<tr><td>" + HtmlEscape(r.product_name) + "</td><td>" + HtmlEscape(r.shop_name) + "</td><td>" +
            HtmlEscape(areas.UnitName(r.commune_code)) + "<br><small>" +
            HtmlEscape(areas.UnitName(r.province_code)) + "</small></td><td><a href=\"" +
            HtmlEscape(r.badge.verify_url + (en ? "?lang=en" : "")) + "\">" +
            HtmlEscape(KindTitle(r.badge.kind, r.badge.ocop_stars)) + "</a><br><small>" +
            (en ? "No. " : "Số ") + HtmlEscape(r.badge.number) + " · " + HtmlEscape(r.badge.issuer) +
            "</small></td><td>" + timefmt::DisplayIsoDays(r.badge.expires_day) + "</td></tr>";
  }
  body += "</tbody></table>";
  return Page(title, body, lang);
}

Result<std::string> QrSvg(const std::string& text) { return images::QrSvg(text); }

}  // namespace nongsan::quality
