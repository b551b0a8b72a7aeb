#include "payments/routes.hpp"

#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "accounts/signed_in_route.hpp"
#include "core/field_errors.hpp"
#include "images/qr_svg.hpp"
#include "payments/ledger_export.hpp"

namespace nongsan::payments {
namespace {

using accounts::JsonInput;
using accounts::Presence;
using http::Request;
using http::Response;
using nlohmann::json;

// The header a notification service signs its body in (hex HMAC-SHA256).
constexpr std::string_view kSignatureHeader = "x-signature";

// A file to save (a ledger, a payout file): private, never kept by a cache.
Response Attachment(std::string body, const std::string& content_type, const std::string& filename) {
  Response res = Response::Text(200, std::move(body), content_type);
  res.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  res.SetHeader("Cache-Control", "private, no-store");
  return res;
}

json AccountJson(const PayoutAccount& a) {
  return {{"seller_id", a.seller_id},       {"bank_bin", a.bank_bin},
          {"bank_name", a.bank_name},       {"account_number", a.account_number},
          {"account_name", a.account_name}, {"updated_at", timefmt::Rfc3339(a.updated_at)}};
}

void AddShopRoutes(http::Router& router, PaymentsModule& m) {
  router.Get("/api/v1/sellers/{id}/payment-methods",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(auto methods, m.payments.AcceptedMethods(seller_id));
                 return Response::Json(200, {{"seller_id", seller_id}, {"methods", methods}});
               });
             },
             {.max_body = 0});

  router.Put("/api/v1/sellers/{id}/payment-methods",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request& req, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json body, req.JsonBody());
                   JsonInput in(body);
                   auto methods = in.StringArray("methods", Presence::kRequired);
                   TRY(in.Finish());
                   TRY_ASSIGN(auto accepted, m.payments.SetAcceptedMethods(principal, seller_id, *methods,
                                                                           accounts::ClientOf(req).ip));
                   return Response::Json(200, {{"seller_id", seller_id}, {"methods", accepted}});
                 }),
             {.max_body = kSmallMaxBody});

  router.Get("/api/v1/sellers/{id}/payout-account",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request&, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(auto account, m.payments.GetPayoutAccount(&principal, seller_id));
                   if (!account) return Error::NotFound("payout account");
                   return Response::Json(200, AccountJson(*account));
                 }),
             {.max_body = 0});

  router.Put("/api/v1/sellers/{id}/payout-account",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request& req, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json body, req.JsonBody());
                   JsonInput in(body);
                   PayoutAccountInput input;
                   input.bank_bin = in.String("bank_bin", Presence::kRequired).value_or("");
                   input.account_number = in.String("account_number", Presence::kRequired).value_or("");
                   input.account_name = in.String("account_name", Presence::kRequired).value_or("");
                   input.password = in.String("password", Presence::kRequired).value_or("");
                   TRY(in.Finish());
                   TRY_ASSIGN(PayoutAccount account, m.payments.SetPayoutAccount(principal, seller_id, input,
                                                                                 accounts::ClientOf(req).ip));
                   return Response::Json(200, AccountJson(account));
                 }),
             {.max_body = kSmallMaxBody});

  router.Get("/api/v1/sellers/{id}/unmatched-transfers",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request&, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(auto items, m.payments.Unmatched(&principal, seller_id));
                   return Response::Json(200, {{"items", items}});
                 }),
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/ledger",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request&, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json ledger, m.payments.Ledger(&principal, seller_id));
                   return Response::Json(200, ledger);
                 }),
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/ledger.csv",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request&, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json ledger, m.payments.Ledger(&principal, seller_id));
                   return Attachment(LedgerCsv(ledger), "text/csv; charset=utf-8",
                                     "so-cai-" + std::to_string(seller_id) + ".csv");
                 }),
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/ledger.xlsx",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request&, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json ledger, m.payments.Ledger(&principal, seller_id));
                   TRY_ASSIGN(std::string xlsx, LedgerXlsx(ledger));
                   return Attachment(std::move(xlsx),
                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                     "so-cai-" + std::to_string(seller_id) + ".xlsx");
                 }),
             {.max_body = 0});

  // A cooperative's member households and each one's share (member_shares.cpp).
  router.Get("/api/v1/sellers/{id}/ledger/members",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request& req, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json shares,
                              m.payments.MemberShares(&principal, seller_id, req.Query("from").value_or(""),
                                                      req.Query("to").value_or("")));
                   return Response::Json(200, shares);
                 }),
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/ledger/members.csv",
             accounts::SignedInWithId(
                 "shop",
                 [&m](Request& req, const Principal& principal, std::int64_t seller_id) -> Result<Response> {
                   TRY_ASSIGN(json shares,
                              m.payments.MemberShares(&principal, seller_id, req.Query("from").value_or(""),
                                                      req.Query("to").value_or("")));
                   return Attachment(MemberSharesCsv(shares), "text/csv; charset=utf-8",
                                     "thanh-vien-" + std::to_string(seller_id) + ".csv");
                 }),
             {.max_body = 0});
}

void AddPaymentRoutes(http::Router& router, PaymentsModule& m) {
  router.Get("/api/v1/banks",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 json banks = json::array();
                 for (const Bank& b : m.payments.banks().all()) {
                   banks.push_back({{"bin", b.bin}, {"short_name", b.short_name}, {"name", b.name}});
                 }
                 Response res = Response::Json(200, {{"items", banks}});
                 res.SetHeader("Cache-Control", "public, max-age=86400");
                 return res;
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/orders/{id}/payment",
             accounts::SignedInWithId(
                 "order",
                 [&m](Request&, const Principal& principal, std::int64_t order_id) -> Result<Response> {
                   TRY_ASSIGN(json payment, m.payments.Get(&principal, order_id));
                   return Response::Json(200, payment);
                 }),
             {.max_body = 0});

  router.Get("/api/v1/orders/{id}/vietqr.svg",
             accounts::SignedInWithId(
                 "order",
                 [&m](Request&, const Principal& principal, std::int64_t order_id) -> Result<Response> {
                   TRY_ASSIGN(std::string payload, m.payments.VietQrPayloadOf(&principal, order_id));
                   TRY_ASSIGN(std::string svg, images::QrSvg(payload));
                   Response res = Response::Text(200, std::move(svg), "image/svg+xml");
                   res.SetHeader("X-Content-Type-Options", "nosniff");
                   // The code names a private account and amount: never kept by a shared cache.
                   res.SetHeader("Cache-Control", "private, no-store");
                   return res;
                 }),
             {.max_body = 0});

  // A refund of the order's payment, by the shop's managers or the operator.
  router.Post("/api/v1/orders/{id}/refunds",
              accounts::SignedInWithId(
                  "order",
                  [&m](Request& req, const Principal& principal, std::int64_t order_id) -> Result<Response> {
                    TRY_ASSIGN(json body, req.JsonBody());
                    JsonInput in(body);
                    RefundInput input;
                    input.amount_vnd = in.Int("amount_vnd", Presence::kRequired).value_or(0);
                    input.note = in.String("note", Presence::kOptional).value_or("");
                    TRY(in.Finish());
                    TRY_ASSIGN(json refund,
                               m.payments.Refund(principal, order_id, input, accounts::ClientOf(req).ip));
                    return Response::Json(201, refund);
                  }),
              {.max_body = kSmallMaxBody});

  // Called by the bank-account notification service, authenticated by the
  // signature of its body alone (no session, hence no CSRF token).
  router.Post("/api/v1/payments/bank-transfers",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(Receipt receipt, m.payments.ReceiveBankNotification(
                                                  req.body, req.Header(kSignatureHeader).value_or(""),
                                                  m.secrets.bank_webhook_secret, accounts::ClientOf(req).ip));
                  return Response::Json(
                      200, {{"outcome", ReceiptOutcomeName(receipt.outcome)},
                            {"order_id", receipt.order_id > 0 ? json(receipt.order_id) : json(nullptr)},
                            {"payment_status",
                             receipt.payment_status.empty() ? json(nullptr) : json(receipt.payment_status)}});
                });
              },
              {.max_body = kSmallMaxBody, .csrf_exempt = true});

  router.Post(
      "/api/v1/payments/unmatched-transfers/{id}/assign",
      accounts::SignedInWithId(
          "transfer",
          [&m](Request& req, const Principal& principal, std::int64_t receipt_id) -> Result<Response> {
            TRY_ASSIGN(json body, req.JsonBody());
            JsonInput in(body);
            const std::int64_t order_id = in.Int("order_id", Presence::kRequired).value_or(0);
            TRY(in.Finish());
            TRY_ASSIGN(Receipt receipt, m.payments.AssignUnmatched(principal, receipt_id, order_id,
                                                                   accounts::ClientOf(req).ip));
            return Response::Json(200, {{"outcome", ReceiptOutcomeName(receipt.outcome)},
                                        {"order_id", receipt.order_id},
                                        {"payment_status", receipt.payment_status}});
          }),
      {.max_body = kSmallMaxBody});

  router.Get("/api/v1/payments/unmatched-transfers",
             accounts::SignedIn([&m](Request&, const Principal& principal) -> Result<Response> {
               TRY_ASSIGN(auto items, m.payments.Unmatched(&principal, 0));
               return Response::Json(200, {{"items", items}});
             }),
             {.max_body = 0});
}

// {items:[{seller_id, amount_vnd}]}; each bad element named.
Result<std::vector<PayoutRequest>> ReadPayoutItems(const json& body) {
  const json& items = body.contains("items") ? body["items"] : json();
  if (!items.is_array()) return Error::Field("items", "A list of {seller_id, amount_vnd}.");
  std::vector<PayoutRequest> out;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < items.size() && i <= kMaxPayoutItems; ++i) {
    const std::string at = "items[" + std::to_string(i) + "]";
    const json& item = items[i];
    const json& seller = item.is_object() && item.contains("seller_id") ? item["seller_id"] : json();
    const json& amount = item.is_object() && item.contains("amount_vnd") ? item["amount_vnd"] : json();
    if (!seller.is_number_integer() || seller.get<std::int64_t>() <= 0)
      errors.push_back({at + ".seller_id", "A shop id."});
    if (!amount.is_number_integer()) errors.push_back({at + ".amount_vnd", "A whole number of đồng."});
    if (errors.empty()) out.push_back({seller.get<std::int64_t>(), amount.get<std::int64_t>()});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  if (items.size() > kMaxPayoutItems)
    out.resize(kMaxPayoutItems + 1);  // refused by the service, naming the limit
  return out;
}

json RemittanceJson(const RemittanceResult& r) {
  json differences = json::array();
  for (const RemittanceLine& d : r.differences) {
    differences.push_back({{"line", d.line},
                           {"tracking_code", d.tracking_code},
                           {"amount_vnd", d.amount_vnd},
                           {"expected_vnd", d.order_id > 0 ? json(d.expected_vnd) : json(nullptr)},
                           {"order_id", d.order_id > 0 ? json(d.order_id) : json(nullptr)},
                           {"outcome", d.outcome}});
  }
  return {{"lines", r.lines},
          {"applied", r.applied},
          {"duplicate", r.duplicate},
          {"differences", std::move(differences)}};
}

void AddPayoutRoutes(http::Router& router, PaymentsModule& m) {
  // A carrier's remittance statement as the CSV body (text/csv).
  router.Post("/api/v1/payments/cod-remittances",
              accounts::SignedIn([&m](Request& req, const Principal& principal) -> Result<Response> {
                TRY_ASSIGN(RemittanceResult result,
                           m.payments.ImportCodRemittanceAs(principal, req.body, accounts::ClientOf(req).ip));
                return Response::Json(200, RemittanceJson(result));
              }),
              {.max_body = kRemittanceMaxBody});

  router.Post("/api/v1/payouts",
              accounts::SignedIn([&m](Request& req, const Principal& principal) -> Result<Response> {
                TRY_ASSIGN(json body, req.JsonBody());
                TRY_ASSIGN(std::vector<PayoutRequest> items, ReadPayoutItems(body));
                TRY_ASSIGN(json batch,
                           m.payments.CreatePayouts(principal, items, accounts::ClientOf(req).ip));
                Response res = Response::Json(201, batch);
                res.SetHeader("Location", batch.value("file_url", ""));
                return res;
              }),
              {.max_body = kPayoutMaxBody});

  router.Get("/api/v1/payouts/{id}/file.csv",
             accounts::SignedInWithId(
                 "payout batch",
                 [&m](Request&, const Principal& principal, std::int64_t batch) -> Result<Response> {
                   TRY_ASSIGN(std::string file, m.payments.PayoutFile(principal, batch));
                   return Attachment(std::move(file), "text/csv; charset=utf-8",
                                     "chi-tra-" + std::to_string(batch) + ".csv");
                 }),
             {.max_body = 0});
}

}  // namespace

void AddRoutes(http::Router& router, PaymentsModule& module) {
  AddShopRoutes(router, module);
  AddPaymentRoutes(router, module);
  AddPayoutRoutes(router, module);
}

}  // namespace nongsan::payments
