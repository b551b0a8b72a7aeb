#include "trace/lot_pages.hpp"

#include <charconv>
#include <map>

#include "core/clock.hpp"
#include "trace/lot_decision_pages.hpp"
#include "trace/trace_json.hpp"
#include "trace/trace_module.hpp"
#include "web/renderer.hpp"

namespace nongsan::trace {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kCentre = "/kenh-ban/san-pham/";
// A lot form: ten short text fields.
constexpr std::size_t kLotFormMaxBody = 16 * 1024;
// The form's fields, in the order the page shows them.
constexpr const char* kFields[] = {"code", "produced_on", "harvested_on", "expires_on", "quantity",
                                   "plot", "log_date",    "log_activity", "log_input",  "log_note"};

// What a seller reads beside a field the service refused (never the
// service's English).
const std::map<std::string, std::string, std::less<>>& Messages() {
  static const std::map<std::string, std::string, std::less<>> messages = {
      {"code",
       "Số lô tối đa 20 ký tự, chỉ gồm chữ không dấu, số và - . _ (không trùng lô khác của sản phẩm)."},
      {"produced_on", "Chọn ngày sản xuất."},
      {"harvested_on", "Ngày thu hoạch không hợp lệ."},
      {"expires_on", "Hạn sử dụng không được trước ngày sản xuất hoặc ngày thu hoạch."},
      {"quantity", "Nhập số lượng là số nguyên dương."},
      {"plot", "Tên lô đất tối đa 200 ký tự."},
      {"origin_commune_code", "Mã xã không đúng."},
      {"log_date", "Chọn ngày của công việc."},
      {"log_activity", "Ghi công việc (ví dụ: Bón phân)."},
      {"log_input", "Tối đa 200 ký tự."},
      {"log_note", "Tối đa 1000 ký tự."},
  };
  return messages;
}

// The form field a service error names ("farming_log[0].date" → "log_date").
std::string FormField(const std::string& field) {
  if (field.rfind("farming_log", 0) == 0) {
    const auto dot = field.rfind('.');
    return dot == std::string::npos ? "log_activity" : "log_" + field.substr(dot + 1);
  }
  return field;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

json LotRow(const Lot& lot, const std::string& base_url) {
  static const std::map<LotStatus, const char*> kStatus = {{LotStatus::kActive, "Đang bán"},
                                                           {LotStatus::kOnHold, "Tạm dừng"},
                                                           {LotStatus::kRecalled, "Đã thu hồi"},
                                                           {LotStatus::kClosed, "Đã bán hết"}};
  return {{"code", lot.code},
          {"produced_on", timefmt::DisplayIsoDays(lot.produced_day)},
          {"expires_on", lot.expires_day ? timefmt::DisplayIsoDays(*lot.expires_day) : ""},
          {"quantity", lot.quantity},
          {"remaining", lot.remaining()},
          {"scans", lot.scans},
          {"status", kStatus.at(lot.status)},
          {"recalled", lot.status == LotStatus::kRecalled},
          {"qr_url", "/api/v1/lots/" + std::to_string(lot.id) + "/qr.svg"},
          {"lot_url", "/kenh-ban/lo/" + std::to_string(lot.id)},
          {"trace_url", LotUri(lot, base_url)}};
}

class LotPages {
 public:
  LotPages(const web::Renderer& renderer, TraceModule& module) : renderer_(renderer), m_(module) {}

  Response Show(const Request& req, std::int64_t product_id, const json& form, int status) {
    auto product = m_.products->Find(product_id);
    if (!product.ok()) return renderer_.ErrorPage(req, product.error());
    auto lots = m_.trace.ListLots(&*req.principal, product_id);
    if (!lots.ok()) return renderer_.ErrorPage(req, lots.error());
    json rows = json::array();
    for (const auto& lot : *lots) rows.push_back(LotRow(lot, m_.base_url));
    json data = {{"title", "Lô hàng: " + (*product)->name},
                 {"noindex", true},
                 {"product_name", (*product)->name},
                 {"action", std::string(kCentre) + std::to_string(product_id) + "/lo"},
                 {"lots", std::move(rows)},
                 {"has_lots", !lots->empty()},
                 {"saved", req.Query("da-luu").has_value()},
                 {"form", form}};
    return renderer_.Render(req, "trace/lots", std::move(data), status);
  }

  Response Page(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    json form = json::object();
    form["produced_on"]["value"] = timefmt::IsoDate(timefmt::LocalDay(m_.trace.clock().NowMs()));
    return Show(req, *id, form, 200);
  }

  Response Create(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    auto value = [&](const char* name) { return req.Form(name).value_or(""); };
    LotInput input;
    input.code = value("code");
    input.produced_on = value("produced_on");
    if (!value("harvested_on").empty()) input.harvested_on = value("harvested_on");
    if (!value("expires_on").empty()) input.expires_on = value("expires_on");
    input.plot = value("plot");
    json form = json::object();
    for (const char* field : kFields) form[field]["value"] = value(field);
    if (auto quantity = ParseId(value("quantity"))) {
      input.quantity = *quantity;
    } else {
      input.quantity = 0;  // refused by the service, with the message beside the field
    }
    if (!value("log_activity").empty() || !value("log_date").empty()) {
      input.farming_log = std::vector<FarmingEntry>{
          {value("log_date"), value("log_activity"), value("log_input"), value("log_note")}};
    }
    auto created = m_.trace.CreateLot(&*req.principal, *id, input);
    if (created.ok()) return Response::Redirect(std::string(kCentre) + std::to_string(*id) + "/lo?da-luu=1");
    const Error& error = created.error();
    if (error.code != ErrorCode::kInvalid) return renderer_.ErrorPage(req, error);
    for (const auto& f : error.fields) {
      const std::string field = FormField(f.field);
      auto message = Messages().find(field);
      form[field]["error"] = message != Messages().end() ? message->second : "Giá trị không hợp lệ.";
      form[field]["invalid"] = true;
    }
    form["has_errors"] = true;
    return Show(req, *id, form, 422);
  }

 private:
  const web::Renderer& renderer_;
  TraceModule& m_;
};

}  // namespace

void AddLotPages(http::Router& router, const web::Renderer& renderer, TraceModule& module) {
  auto pages = std::make_shared<LotPages>(renderer, module);
  const std::string path = std::string(kCentre) + "{id}/lo";
  router.Get(path, [pages](Request& r) { return pages->Page(r); }, {.max_body = 0});
  router.Post(path, [pages](Request& r) { return pages->Create(r); }, {.max_body = kLotFormMaxBody});
  AddLotDecisionPages(router, renderer, module);
}

}  // namespace nongsan::trace
