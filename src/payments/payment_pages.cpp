#include "payments/payment_pages.hpp"

#include <charconv>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "payments/payment_time.hpp"
#include "payments/payments_module.hpp"
#include "web/renderer.hpp"

namespace nongsan::payments {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kPayPath = "/thanh-toan/";
constexpr std::int64_t kMsPerMinute = 60'000;

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

// "10:30 29/11/2026" in Vietnam time.
std::string Deadline(std::int64_t at_ms) {
  const std::string iso = timefmt::Rfc3339(at_ms);  // 2026-11-29T10:30:00+07:00
  return iso.substr(11, 5) + " " + timefmt::DisplayDate(at_ms);
}

Response Page(const web::Renderer& renderer, PaymentsModule& m, const Clock& clock, Request& req) {
  if (!req.principal) return renderer.SignInRedirect(req);
  auto id = ParseId(req.Param("id"));
  if (!id) return renderer.NotFound(req);
  auto payment = m.payments.Get(&*req.principal, *id);
  if (!payment.ok()) return renderer.ErrorPage(req, payment.error());
  const json& p = *payment;
  if (p.value("method", "") != "vietqr") return renderer.NotFound(req);
  const std::string status = p.value("status", "");
  const std::int64_t amount = p.value("amount_vnd", std::int64_t{0});
  const std::int64_t paid = p.value("paid_vnd", std::int64_t{0});
  const bool waiting = status == "pending" || status == "partially_paid";
  json data = {{"title", "Thanh toán đơn " + p.value("order_code", "")},
               {"noindex", true},
               {"order_id", *id},
               {"order_code", p.value("order_code", "")},
               {"paid", status == "paid"},
               {"partial", status == "partially_paid"},
               {"overpaid", status == "overpaid"},
               {"expired", status == "expired" || status == "cancelled"},
               {"refund_due", status == "refund_due"},
               {"waiting", waiting},
               {"amount_vnd", money::FormatVnd(amount)},
               {"paid_vnd", money::FormatVnd(paid)},
               {"missing_vnd", money::FormatVnd(amount > paid ? amount - paid : 0)},
               {"self_url", std::string(kPayPath) + std::to_string(*id)},
               {"qr_url", "/api/v1/orders/" + std::to_string(*id) + "/vietqr.svg"}};
  if (p.contains("vietqr") && p["vietqr"].is_object()) {
    const json& q = p["vietqr"];
    data["reference"] = q.value("reference", "");
    data["bank_name"] = q.value("bank_name", "");
    data["account_number"] = q.value("account_number", "");
    data["account_name"] = q.value("account_name", "");
  }
  const json& expires_at = p.contains("expires_at") ? p["expires_at"] : json();
  if (auto expires = expires_at.is_string() ? ParseTimeText(expires_at.get<std::string>()) : std::nullopt) {
    data["deadline"] = Deadline(*expires);
    const std::int64_t left = *expires - clock.NowMs();
    data["minutes_left"] = left > 0 ? (left + kMsPerMinute - 1) / kMsPerMinute : 0;
  }
  return renderer.Render(req, "payments/pay", std::move(data));
}

}  // namespace

void AddPaymentPages(http::Router& router, const web::Renderer& renderer, PaymentsModule& module) {
  router.Get(std::string(kPayPath) + "{id}",
             [&renderer, &module](Request& r) { return Page(renderer, module, module.payments.clock(), r); },
             {.max_body = 0});
}

}  // namespace nongsan::payments
