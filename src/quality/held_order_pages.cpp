#include "quality/held_order_pages.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/auth.hpp"
#include "quality/quality_module.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/renderer.hpp"

namespace nongsan::quality {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

// A decision form: the CSRF token and a note.
constexpr std::size_t kDecisionFormMaxBody = 8 * 1024;

// Pages an officer may ask for (50 orders each): far more than holds there will be.
constexpr std::int64_t kMaxHeldOrdersPage = 1000;

const Principal* Who(const Request& request) { return request.principal ? &*request.principal : nullptr; }

std::size_t PageOf(const Request& request) {
  const std::string text = request.Query("trang").value_or("1");
  std::int64_t page = 1;
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos) return 1;
  page = std::stoll(text);
  return static_cast<std::size_t>(std::clamp<std::int64_t>(page, 1, kMaxHeldOrdersPage));
}

class HeldOrderPages {
 public:
  HeldOrderPages(const web::Renderer& renderer, QualityModule& module) : renderer_(renderer), m_(module) {}

  // The list; `failed` re-shows one order's form with its error.
  Response List(const Request& request, const web::Form* failed = nullptr, std::int64_t failed_id = 0) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    // ?trang=N counts from 1 in the address; the service from 0.
    const std::size_t page = PageOf(request);
    auto held = m_.held_orders.ForOfficer(Who(request), page - 1);
    if (!held.ok()) return renderer_.ErrorPage(request, held.error());
    const web::Lang lang = renderer_.LangOf(request);
    json items = json::array();
    for (const HeldOrderView& view : held->items) {
      web::Form empty;
      const web::Form& form = failed && view.order.id == failed_id ? *failed : empty;
      const std::string base = std::string(kHeldOrdersPath) + "/" + std::to_string(view.order.id);
      items.push_back({{"id", view.order.id},
                       {"code", view.order.code},
                       {"shop", view.shop.name},
                       {"status", renderer_.T(request, "order_status." + view.order.status)},
                       {"total", web::Price(view.order.total_vnd)},
                       {"reason", view.order.reason},
                       {"since", web::DateTime(view.order.held_at_ms)},
                       {"release_url", base + "/tiep-tuc"},
                       {"cancel_url", base + "/huy"},
                       {"form", form.View(renderer_.translations(), lang)}});
    }
    json data = {
        {"title", "Đơn hàng tạm giữ"},
        {"noindex", true},
        {"orders", std::move(items)},
        {"empty", held->items.empty()},
        {"next_url",
         held->has_more ? std::string(kHeldOrdersPath) + "?trang=" + std::to_string(page + 1) : ""},
        {"prev_url", page > 1 ? std::string(kHeldOrdersPath) + "?trang=" + std::to_string(page - 1) : ""}};
    if (auto done = request.Query("xong"); done && (*done == "released" || *done == "cancelled")) {
      data["done"] = (*done == "released" ? "Đã cho tiếp tục đơn " : "Đã huỷ đơn ") +
                     request.Query("ma").value_or("") + ".";
    }
    return renderer_.Render(request, "officials/held_orders", std::move(data), failed ? 422 : 200);
  }

  Response Decide(Request& request, HoldOutcome outcome) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = accounts::IdParam(request, "id", "order");
    if (!id.ok()) return renderer_.ErrorPage(request, id.error());
    web::Form form(request);
    auto decided = m_.held_orders.Decide(Who(request), *id, outcome, form.Value("reason"));
    if (!decided.ok()) {
      if (decided.error().code == ErrorCode::kInvalid && !decided.error().fields.empty()) {
        form.AddErrors(decided.error());
        return List(request, &form, *id);
      }
      return renderer_.ErrorPage(request, decided.error());
    }
    return Response::Redirect(std::string(kHeldOrdersPath) +
                              "?xong=" + (outcome == HoldOutcome::kCancel ? "cancelled" : "released") +
                              "&ma=" + http::UrlEncode(decided->code));
  }

 private:
  const web::Renderer& renderer_;
  QualityModule& m_;
};

}  // namespace

void AddHeldOrderPages(http::Router& router, const web::Renderer& renderer, QualityModule& module) {
  auto pages = std::make_shared<HeldOrderPages>(renderer, module);
  const std::string path(kHeldOrdersPath);
  router.Get(path, [pages](Request& r) { return pages->List(r); }, {.max_body = 0});
  router.Post(path + "/{id}/tiep-tuc",
              [pages](Request& r) { return pages->Decide(r, HoldOutcome::kRelease); },
              {.max_body = kDecisionFormMaxBody});
  router.Post(path + "/{id}/huy", [pages](Request& r) { return pages->Decide(r, HoldOutcome::kCancel); },
              {.max_body = kDecisionFormMaxBody});
}

}  // namespace nongsan::quality
