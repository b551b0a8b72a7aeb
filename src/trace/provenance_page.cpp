#include "trace/provenance_page.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/clock.hpp"
#include "places/places.hpp"
#include "web/format.hpp"
#include "web/renderer.hpp"

namespace nongsan::trace {
namespace {

// The template both paths render: the layout around a body written here.
constexpr std::string_view kTemplate = "trace/lot";

// Marker values the shell is rendered with (none can occur in the layout),
// and the slot each stands for.
constexpr std::string_view kMarkerStart = "@@NS-";
constexpr std::array<std::pair<std::string_view, int>, 6> kMarkers{{
    {"@@NS-TITLE@@", 0},
    {"@@NS-DESCRIPTION@@", 1},
    {"@@NS-CANONICAL@@", 2},
    {"@@NS-NEXT@@", 3},
    {"@@NS-LANG@@", 4},
    {"@@NS-BODY@@", 5},
}};

std::string_view CertificateTitle(const CertificateRef& c, std::string& scratch) {
  if (c.kind == "ocop") {
    scratch = "OCOP ";
    if (c.ocop_stars) scratch += std::to_string(*c.ocop_stars) + "★";
    return scratch;
  }
  if (c.kind == "vietgap") return "VietGAP";
  if (c.kind == "globalgap") return "GlobalG.A.P.";
  if (c.kind == "organic") return "Hữu cơ";
  if (c.kind == "trademark") return "Nhãn hiệu";
  return "Chứng nhận";
}

// "dd/mm/yyyy" for an ISO date, the text itself when it is not one.
void AppendDisplayDate(const std::string& iso, std::string& out) {
  if (timefmt::ParseIsoDate(iso)) {
    // A valid "yyyy-mm-dd" is shown as its own digits reordered, as
    // DisplayIsoDays would write that day.
    const std::string_view s(iso);
    out += s.substr(8, 2);
    out += '/';
    out += s.substr(5, 2);
    out += '/';
    out += s.substr(0, 4);
  } else {
    AppendEscaped(iso, out);
  }
}

// <dt>label</dt><dd>value</dd> for a non-empty value.
void Fact(std::string_view label, std::string_view value, std::string& out) {
  if (value.empty()) return;
  out += "<dt>";
  out += label;
  out += "</dt><dd>";
  AppendEscaped(value, out);
  out += "</dd>\n";
}

// The current target with lang=en appended (web::Renderer's language switch
// link, for a request that named no language).
std::string EnglishTarget(const http::Request& req) {
  std::string href = req.path;
  href += '?';
  for (const auto& [name, value] : http::ParseUrlEncoded(req.query_string)) {
    if (name == "lang") continue;
    href += http::UrlEncode(name);
    href += '=';
    href += http::UrlEncode(value);
    href += '&';
  }
  href += "lang=en";
  return href;
}

}  // namespace

void AppendEscaped(std::string_view s, std::string& out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* entity = nullptr;
    switch (s[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\'':
        entity = "&apos;";
        break;
      default:
        continue;
    }
    out.append(s.substr(start, i - start));
    out += entity;
    start = i + 1;
  }
  out.append(s.substr(start));
}

std::string ProvenanceTitle(const Provenance& p) { return "Truy xuất: " + p.product().name; }

std::string ProvenanceDescription(const Provenance& p) {
  std::string d = "Nguồn gốc ";
  d += p.product().name;
  d += " của ";
  d += p.shop().name;
  return d;
}

ContextHtml RenderContextHtml(const ProductContext& c) {
  const ProductRef& product = c.product;
  const ShopRef& shop = c.shop;
  ContextHtml html;
  std::string& heading = html.heading;
  heading += "<h1>";
  AppendEscaped(product.name, heading);
  heading += "</h1>\n<p class=\"muted\">Truy xuất nguồn gốc";

  std::string& out = html.producer;
  out += "</p>\n";
  if (!product.photo_url.empty()) {
    out += "<p><img src=\"";
    AppendEscaped(product.photo_url, out);
    out += "\" alt=\"";
    AppendEscaped(product.name, out);
    out += "\" width=\"480\"></p>\n";
  }
  out += "<dl class=\"facts\">\n<dt>Nhà sản xuất</dt><dd><a href=\"";
  AppendEscaped(web::ShopPath(shop.name, shop.id), out);
  out += "\">";
  AppendEscaped(shop.name, out);
  out += "</a></dd>\n<dt>Địa chỉ</dt><dd>";
  std::string place = c.shop_commune_name;
  if (!place.empty() && !c.shop_province_name.empty()) place += ", ";
  place += c.shop_province_name;
  AppendEscaped(places::JoinAddress(shop.address_line, place), out);
  out += "</dd>\n<dt>Nhãn hiệu</dt><dd>";
  AppendEscaped(shop.name, out);
  out += "</dd>\n<dt>Xuất xứ</dt><dd>";

  std::string& certs = html.certificates;
  if (c.certificates.empty()) {
    certs += "<p class=\"muted\">Chưa có chứng nhận nào được cán bộ xác minh.</p>\n";
  } else {
    std::string scratch;
    certs += "<ul class=\"list\">\n";
    for (const CertificateRef& cert : c.certificates) {
      certs += "<li><a href=\"";
      AppendEscaped(cert.verify_url, certs);
      certs += "\">";
      AppendEscaped(CertificateTitle(cert, scratch), certs);
      certs += "</a> — số ";
      AppendEscaped(cert.number, certs);
      certs += ", ";
      AppendEscaped(cert.issuer, certs);
      certs += ", hết hạn ";
      certs += timefmt::DisplayIsoDays(cert.expires_day);
      certs += "</li>\n";
    }
    certs += "</ul>\n";
  }

  html.product_link += "<p><a class=\"btn\" href=\"";
  AppendEscaped(web::ProductPath(product.name, product.id), html.product_link);
  html.product_link += "\">Xem sản phẩm</a></p>\n";
  html.ready = true;
  return html;
}

void WriteProvenanceBody(const Provenance& p, std::string& out) {
  ContextHtml unwritten;
  const ContextHtml& html =
      p.context->html.ready ? p.context->html : (unwritten = RenderContextHtml(*p.context));
  const Lot* lot = p.lot ? &*p.lot : nullptr;
  if (lot && lot->status == LotStatus::kRecalled) {
    out += "<div class=\"alert\" role=\"alert\"><strong>THU HỒI SẢN PHẨM</strong> — Lô ";
    AppendEscaped(lot->code, out);
    out += " đã bị thu hồi. Không sử dụng sản phẩm này; liên hệ người bán để được hoàn tiền.";
    if (!lot->status_reason.empty()) {
      out += " Lý do: ";
      AppendEscaped(lot->status_reason, out);
      out += '.';
    }
    out += "</div>\n";
  } else if (lot && lot->status == LotStatus::kOnHold) {
    out += "<p class=\"alert\" role=\"status\">Lô ";
    AppendEscaped(lot->code, out);
    out += " đang tạm dừng bán để kiểm tra.";
    if (!lot->status_reason.empty()) {
      out += " Lý do: ";
      AppendEscaped(lot->status_reason, out);
      out += '.';
    }
    out += "</p>\n";
  }
  out += html.heading;
  if (lot) {
    out += " · lô ";
    AppendEscaped(lot->code, out);
  }
  out += html.producer;
  AppendEscaped(p.origin_commune_name, out);
  if (!p.origin_province_name.empty()) {
    out += ", ";
    AppendEscaped(p.origin_province_name, out);
  }
  if (lot && !lot->plot.empty()) {
    out += " · ";
    AppendEscaped(lot->plot, out);
  }
  out += "</dd>\n";
  Fact("Mã GTIN", p.gtin14, out);
  if (lot) {
    Fact("Số lô", lot->code, out);
    if (lot->harvested_day) Fact("Ngày thu hoạch", timefmt::DisplayIsoDays(*lot->harvested_day), out);
    Fact("Ngày sản xuất", timefmt::DisplayIsoDays(lot->produced_day), out);
    if (lot->expires_day) Fact("Hạn sử dụng", timefmt::DisplayIsoDays(*lot->expires_day), out);
  }
  out += "</dl>\n<h2>Chứng nhận ";
  out += lot ? "còn hiệu lực ngày sản xuất" : "còn hiệu lực hôm nay";
  out += "</h2>\n";
  out += html.certificates;
  if (!p.timeline.empty()) {
    out += "<h2>Nhật ký lô hàng</h2>\n<ol class=\"timeline\">\n";
    for (const TimelineEvent& e : p.timeline) {
      out += "<li><strong>";
      AppendDisplayDate(e.date, out);
      out += "</strong> ";
      AppendEscaped(e.title, out);
      if (!e.detail.empty()) {
        out += " — ";
        AppendEscaped(e.detail, out);
      }
      out += "</li>\n";
    }
    out += "</ol>\n";
  }
  out += html.product_link;
}

Result<ProvenanceShell> ProvenanceShell::Build(const web::Renderer& renderer) {
  http::Request req;
  req.method = "GET";
  req.target = std::string(1, '/');  // (GCC 12 warns falsely on = "/" here)
  req.path = req.target;
  const std::string label = renderer.translations().Get(web::Lang::kVi, "layout.switch_language");
  nlohmann::json data = {{"title", kMarkers[0].first},
                         {"description", kMarkers[1].first},
                         {"canonical", kMarkers[2].first},
                         {"noindex", true},
                         {"next_param", kMarkers[3].first},
                         {"lang_switch", {{"href", kMarkers[4].first}, {"label", label}, {"code", "en"}}},
                         {"body", kMarkers[5].first}};
  TRY_ASSIGN(std::string html, renderer.RenderHtml(req, kTemplate, std::move(data)));
  ProvenanceShell shell;
  std::size_t from = 0;
  std::array<int, kMarkers.size()> seen{};
  for (std::size_t at = html.find(kMarkerStart); at != std::string::npos;
       at = html.find(kMarkerStart, from)) {
    int slot = -1;
    std::size_t length = 0;
    for (const auto& [text, index] : kMarkers) {
      if (std::string_view(html).substr(at, text.size()) == text) {
        slot = index;
        length = text.size();
      }
    }
    if (slot < 0) return Error::Internal("provenance page layout: an unknown marker");
    ++seen[static_cast<std::size_t>(slot)];
    shell.pieces_.push_back({html.substr(from, at - from), static_cast<Slot>(slot)});
    from = at + length;
  }
  shell.pieces_.push_back({html.substr(from), Slot::kEnd});
  if (seen[5] != 1 || seen[0] == 0 || seen[2] == 0)
    return Error::Internal("provenance page layout: the template lost its title, canonical or body");
  for (const Piece& piece : shell.pieces_) shell.literal_size_ += piece.text.size();
  return shell;
}

template <typename WriteBody>
std::string ProvenanceShell::ComposeWith(const http::Request& req, std::string_view title,
                                         std::string_view description, std::string_view self_path,
                                         std::size_t body_size, const WriteBody& body) const {
  std::string out;
  out.reserve(literal_size_ + body_size + 2 * title.size() + 2 * description.size() + 4 * self_path.size() +
              2 * req.target.size() + 64);
  for (const Piece& piece : pieces_) {
    out += piece.text;
    switch (piece.slot) {
      case Slot::kTitle:
        AppendEscaped(title, out);
        break;
      case Slot::kDescription:
        AppendEscaped(description, out);
        break;
      case Slot::kCanonical:
        AppendEscaped(self_path, out);
        break;
      case Slot::kNext:
        AppendEscaped(http::UrlEncode(req.target), out);
        break;
      case Slot::kLangSwitch:
        AppendEscaped(EnglishTarget(req), out);
        break;
      case Slot::kBody:
        body(out);
        break;
      case Slot::kEnd:
        break;
    }
  }
  return out;
}

std::string ProvenanceShell::Compose(const http::Request& req, std::string_view title,
                                     std::string_view description, std::string_view self_path,
                                     std::string_view body) const {
  return ComposeWith(req, title, description, self_path, body.size(), [&](std::string& out) { out += body; });
}

std::string ProvenanceShell::Compose(const http::Request& req, const Provenance& p,
                                     std::string_view self_path) const {
  return ComposeWith(req, ProvenanceTitle(p), ProvenanceDescription(p), self_path, kProvenanceBodyReserve,
                     [&](std::string& out) { WriteProvenanceBody(p, out); });
}

}  // namespace nongsan::trace
