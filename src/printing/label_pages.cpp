#include "printing/label_pages.hpp"

#include <charconv>
#include <map>

#include "core/clock.hpp"
#include "printing/printing_module.hpp"
#include "web/renderer.hpp"

namespace nongsan::printing {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kCentre = "/kenh-ban/san-pham/";

// The Vietnamese names of what a label may lack or hold too much of.
const std::map<std::string, std::string, std::less<>>& FieldNames() {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"name", "Tên sản phẩm"},
      {"shop.name", "Tên cửa hàng"},
      {"shop.address", "Địa chỉ cửa hàng (sửa trong Hồ sơ cửa hàng)"},
      {"origin", "Xuất xứ (xã của sản phẩm)"},
      {"brand", "Nhãn hiệu"},
      {"net_quantity", "Định lượng"},
      {"expiry_or_shelf_life_days", "Hạn sử dụng: chọn lô có hạn dùng hoặc ghi số ngày bảo quản"},
      {"shelf_life_days", "Hạn sử dụng (số ngày)"},
      {"ingredients", "Thành phần"},
      {"usage_instructions", "Hướng dẫn sử dụng"},
      {"storage_instructions", "Hướng dẫn bảo quản"},
      {"warnings", "Cảnh báo"},
      {"ocop", "Dòng OCOP"},
      {"lot", "Lô hàng"},
      {"shop", "Tên và địa chỉ cửa hàng"},
  };
  return names;
}

std::string NameOf(const std::string& field) {
  auto it = FieldNames().find(field);
  return it == FieldNames().end() ? field : it->second;
}

// What a packer reads beside a form field the service refused.
const std::map<std::string, std::string, std::less<>>& Messages() {
  static const std::map<std::string, std::string, std::less<>> messages = {
      {"size", "Chọn một cỡ nhãn trong danh sách."},
      {"sheet", "Chọn in từng nhãn hoặc in trên tờ A4."},
      {"copies", "Số nhãn từ 1 đến " + std::to_string(kMaxCopies) + "."},
      {"lot", "Lô này không thuộc sản phẩm; chọn lại lô."},
  };
  return messages;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

class LabelPages {
 public:
  LabelPages(const web::Renderer& renderer, PrintingModule& module) : renderer_(renderer), m_(module) {}

  Response Page(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    const Principal* who = &*req.principal;
    auto product = m_.labels.Printable(who, *id);
    if (!product.ok()) return renderer_.ErrorPage(req, product.error());

    json form = {{"size", {{"value", req.Query("size").value_or(kDefaultLabelSize)}}},
                 {"sheet", {{"value", req.Query("sheet").value_or("single")}}},
                 {"copies", {{"value", req.Query("copies").value_or("1")}}},
                 {"lot", {{"value", req.Query("lot").value_or("")}}}};
    if (!req.Query("size")) return Show(req, *product, form, {}, 200);

    // Submitted: the PDF, or the form with what to fix.
    LabelRequest request;
    request.product_id = *id;
    std::vector<std::pair<std::string, std::string>> problems;  // field, message
    request.size = form["size"]["value"].get<std::string>();
    if (auto sheet = ParseSheet(form["sheet"]["value"].get<std::string>())) {
      request.sheet = *sheet;
    } else {
      problems.emplace_back("sheet", Messages().at("sheet"));
    }
    if (auto copies = ParseId(form["copies"]["value"].get<std::string>()); copies && *copies <= kMaxCopies) {
      request.copies = static_cast<int>(*copies);
    } else {
      problems.emplace_back("copies", Messages().at("copies"));
    }
    if (const std::string lot = form["lot"]["value"]; !lot.empty()) {
      if (auto lot_id = ParseId(lot)) {
        request.lot_id = *lot_id;
      } else {
        problems.emplace_back("lot", Messages().at("lot"));
      }
    }
    if (problems.empty()) {
      auto pdf = m_.labels.LabelPdf(who, request);
      if (pdf.ok()) {
        Response res = Response::Text(200, std::move(*pdf), "application/pdf");
        res.SetHeader("Content-Disposition",
                      "inline; filename=\"nhan-" + std::to_string(*id) + "-" + request.size + ".pdf\"");
        res.SetHeader("Cache-Control", "private, no-store");
        return res;
      }
      const Error& error = pdf.error();
      if (error.code != ErrorCode::kInvalid && error.code != ErrorCode::kUnprocessable) {
        return renderer_.ErrorPage(req, error);
      }
      return Refused(req, *product, form, error);
    }
    for (const auto& [field, message] : problems) {
      form[field]["error"] = message;
      form[field]["invalid"] = true;
    }
    return Show(req, *product, form, {}, 422);
  }

 private:
  // The form again after LabelService said no: a message beside a bad
  // choice, or the list of label fields to fill in or shorten.
  Response Refused(const Request& req, const ProductInfo& product, json form, const Error& error) {
    json notes = json::array();
    for (const auto& f : error.fields) {
      if (auto message = Messages().find(f.field); message != Messages().end()) {
        form[f.field]["error"] = message->second;
        form[f.field]["invalid"] = true;
      } else if (error.type == "label_text_too_long") {
        notes.push_back(NameOf(f.field) +
                        " quá dài cho cỡ nhãn này (chữ đã thu nhỏ tới 6 pt): rút gọn hoặc chọn "
                        "cỡ nhãn lớn hơn.");
      } else {
        notes.push_back(NameOf(f.field));
      }
    }
    json data = {{"incomplete", error.type == "label_incomplete"}};
    return Show(req, product, form, std::move(notes), 422, std::move(data));
  }

  Response Show(const Request& req, const ProductInfo& product, const json& form, json notes, int status,
                json extra = json::object()) {
    json lots = json::array();
    if (auto listed = m_.labels.lots().ListForProduct(&*req.principal, product.id); listed.ok()) {
      for (const auto& lot : *listed) {
        std::string label = lot.code + " · NSX " + timefmt::DisplayIsoDays(lot.produced_day);
        if (lot.expires_day) label += " · HSD " + timefmt::DisplayIsoDays(*lot.expires_day);
        lots.push_back(
            {{"id", lot.id}, {"label", label}, {"selected", form["lot"]["value"] == std::to_string(lot.id)}});
      }
    }
    json sizes = json::array();
    for (const auto& size : LabelSizes()) {
      sizes.push_back(
          {{"value", size.name},
           {"label", std::string(size.name) + " mm (A4: " + std::to_string(size.per_sheet()) + " nhãn/tờ)"},
           {"selected", form["size"]["value"] == size.name}});
    }
    json sheets = json::array();
    for (const auto& [value, label] :
         {std::pair{"single", "Từng nhãn (máy in nhãn cuộn)"}, std::pair{"a4", "Tờ giấy nhãn A4"}}) {
      sheets.push_back({{"value", value}, {"label", label}, {"selected", form["sheet"]["value"] == value}});
    }
    json data = {{"title", "In nhãn: " + product.name},
                 {"noindex", true},
                 {"product_name", product.name},
                 {"action", std::string(kCentre) + std::to_string(product.id) + "/in-nhan"},
                 {"edit_url", std::string(kCentre) + std::to_string(product.id)},
                 {"lots_url", std::string(kCentre) + std::to_string(product.id) + "/lo"},
                 {"lots", lots},
                 {"has_lots", !lots.empty()},
                 {"sizes", std::move(sizes)},
                 {"sheets", std::move(sheets)},
                 {"max_copies", kMaxCopies},
                 {"notes", notes},
                 {"has_notes", !notes.empty()},
                 {"form", form}};
    data.update(extra);
    return renderer_.Render(req, "printing/labels", std::move(data), status);
  }

  const web::Renderer& renderer_;
  PrintingModule& m_;
};

}  // namespace

void AddLabelPages(http::Router& router, const web::Renderer& renderer, PrintingModule& module) {
  auto pages = std::make_shared<LabelPages>(renderer, module);
  router.Get(std::string(kCentre) + "{id}/in-nhan", [pages](Request& r) { return pages->Page(r); },
             {.max_body = 0});
}

}  // namespace nongsan::printing
