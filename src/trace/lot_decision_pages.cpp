#include "trace/lot_decision_pages.hpp"

#include <charconv>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "trace/trace_json.hpp"
#include "trace/trace_module.hpp"
#include "web/renderer.hpp"

namespace nongsan::trace {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kLotPage = "/kenh-ban/lo/";
// A decision form: a reason and a box.
constexpr std::size_t kDecisionFormMaxBody = 8 * 1024;
// Beside a destroy form's quantity that is not a whole number of units in range.
constexpr const char* kDestroyQuantityError = "Ghi số đơn vị đã tiêu hủy: từ 1 đến số lượng của lô.";
// Order lines shown per page of the lot's list.
constexpr std::int64_t kLinesPerPage = 50;

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

const char* StatusText(LotStatus status) {
  switch (status) {
    case LotStatus::kActive:
      return "Đang bán";
    case LotStatus::kOnHold:
      return "Tạm dừng bán";
    case LotStatus::kRecalled:
      return "Đã thu hồi";
    case LotStatus::kClosed:
      return "Đã bán hết";
  }
  return "";
}

class LotDecisionPages {
 public:
  LotDecisionPages(const web::Renderer& renderer, TraceModule& module) : renderer_(renderer), m_(module) {}

  Response Page(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    json form = json::object();
    if (req.Query("xong")) form["done"] = true;
    return Show(req, *id, std::move(form), 200);
  }

  // One of the three decisions, from its form.
  Response Decide(Request& req, const std::string& decision) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    const std::string reason = req.Form("reason").value_or("");
    json form = json::object();
    form[decision]["reason"] = reason;
    if (decision == "recall" && req.Form("xac_nhan").value_or("") != "1") {
      // The confirmation step: nothing is recalled until the box is ticked.
      form[decision]["confirm_error"] =
          "Đánh dấu ô xác nhận để thu hồi lô: việc thu hồi không hoàn tác được.";
      return Show(req, *id, std::move(form), 422);
    }
    std::optional<std::int64_t> destroyed;  // the units a destroy form names, when it names them
    if (decision == "destroy") {
      const std::string raw(text::Trim(req.Form("quantity").value_or("")));
      form[decision]["quantity"] = raw;
      if (!raw.empty()) {
        destroyed = ParseId(raw);
        if (!destroyed) {
          form[decision]["quantity_error"] = kDestroyQuantityError;
          return Show(req, *id, std::move(form), 422);
        }
      }
    }
    Status done = Ok{};
    if (decision == "destroy") {
      auto r = m_.recalls.Destroy(&*req.principal, *id, reason, destroyed);
      if (!r.ok()) done = r.error();
    } else if (decision == "recall") {
      auto r = m_.recalls.Recall(&*req.principal, *id, reason);
      if (!r.ok()) done = r.error();
    } else if (decision == "hold") {
      auto r = m_.recalls.Hold(&*req.principal, *id, reason);
      if (!r.ok()) done = r.error();
    } else {
      auto r = m_.recalls.Release(&*req.principal, *id);
      if (!r.ok()) done = r.error();
    }
    if (done.ok()) return Response::Redirect(std::string(kLotPage) + std::to_string(*id) + "?xong=1");
    const Error& error = done.error();
    if (error.code == ErrorCode::kInvalid) {
      if (!error.fields.empty() && error.fields.front().field == "quantity") {
        form[decision]["quantity_error"] = kDestroyQuantityError;
      } else {
        form[decision]["reason_error"] =
            "Ghi lý do (tối đa " + std::to_string(kMaxRecallReasonChars) + " ký tự).";
      }
      return Show(req, *id, std::move(form), 422);
    }
    if (error.code == ErrorCode::kConflict) {
      form["conflict"] = decision == "release" ? "Chỉ mở bán lại được lô đang tạm dừng."
                         : decision == "hold" ? "Chỉ tạm dừng được lô đang bán hoặc đã bán hết."
                         : decision == "destroy" ? "Chỉ ghi tiêu hủy được lô đã thu hồi, và một lần."
                                                 : "Lô này đã bị thu hồi.";
      return Show(req, *id, std::move(form), 409);
    }
    return renderer_.ErrorPage(req, error);
  }

 private:
  Response Show(const Request& req, std::int64_t lot_id, json form, int status) {
    const std::int64_t after = ParseId(req.Query("sau").value_or("")).value_or(0);
    // The order list first: it is what says whether this person may see the lot.
    auto lines = m_.recalls.Orders(&*req.principal, lot_id, after, kLinesPerPage);
    if (!lines.ok()) return renderer_.ErrorPage(req, lines.error());
    auto lot = m_.trace.FindLot(lot_id);
    if (!lot.ok()) return renderer_.ErrorPage(req, lot.error());
    if (!*lot) return renderer_.NotFound(req);
    auto product = m_.products->Find((*lot)->product_id);
    if (!product.ok()) return renderer_.ErrorPage(req, product.error());
    json items = json::array();
    for (const auto& line : lines->items) {
      items.push_back({{"order_code", line.order_code},
                       {"order_url", "/kenh-ban/don-hang/" + std::to_string(line.order_id)},
                       {"quantity", line.quantity},
                       {"packed_on", timefmt::DisplayIsoDays(timefmt::LocalDay(line.packed_at))}});
    }
    const Lot& l = **lot;
    auto destroyed = m_.recalls.DestroyedQuantity(&*req.principal, lot_id);
    if (!destroyed.ok()) return renderer_.ErrorPage(req, destroyed.error());
    const std::string self = std::string(kLotPage) + std::to_string(lot_id);
    json data = {{"title", "Lô " + l.code},
                 {"noindex", true},
                 {"product_name", *product ? (*product)->name : std::string()},
                 {"lots_url", "/kenh-ban/san-pham/" + std::to_string(l.product_id) + "/lo"},
                 {"code", l.code},
                 {"status", StatusText(l.status)},
                 {"reason", l.status_reason},
                 {"remaining", l.remaining()},
                 {"quantity", l.quantity},
                 {"trace_url", LotUri(l, m_.base_url)},
                 {"can_hold", l.status == LotStatus::kActive || l.status == LotStatus::kClosed},
                 {"can_release", l.status == LotStatus::kOnHold},
                 {"can_recall", l.status != LotStatus::kRecalled},
                 {"recalled", l.status == LotStatus::kRecalled},
                 {"hold_action", self + "/tam-dung"},
                 {"release_action", self + "/mo-ban"},
                 {"recall_action", self + "/thu-hoi"},
                 {"can_destroy", l.status == LotStatus::kRecalled && !*destroyed},
                 {"destroy_action", self + "/tieu-huy"},
                 {"lines", std::move(items)},
                 {"has_lines", !lines->items.empty()},
                 {"form", std::move(form)}};
    if (*destroyed) data["destroyed"] = **destroyed;
    if (lines->next_after_id) data["next_url"] = self + "?sau=" + std::to_string(*lines->next_after_id);
    return renderer_.Render(req, "trace/lot_detail", std::move(data), status);
  }

  const web::Renderer& renderer_;
  TraceModule& m_;
};

}  // namespace

void AddLotDecisionPages(http::Router& router, const web::Renderer& renderer, TraceModule& module) {
  auto pages = std::make_shared<LotDecisionPages>(renderer, module);
  const std::string path = std::string(kLotPage) + "{id}";
  router.Get(path, [pages](Request& r) { return pages->Page(r); }, {.max_body = 0});
  const http::RouteOptions form{.max_body = kDecisionFormMaxBody};
  router.Post(
      path + "/tam-dung", [pages](Request& r) { return pages->Decide(r, "hold"); }, form);
  router.Post(
      path + "/mo-ban", [pages](Request& r) { return pages->Decide(r, "release"); }, form);
  router.Post(
      path + "/thu-hoi", [pages](Request& r) { return pages->Decide(r, "recall"); }, form);
  router.Post(
      path + "/tieu-huy", [pages](Request& r) { return pages->Decide(r, "destroy"); }, form);
}

}  // namespace nongsan::trace
