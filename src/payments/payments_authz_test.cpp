// The payments module's rows of the authorization table (tests/support/
// authz_table.hpp). A shop's methods and banks are public; its payout
// account, ledger and unmatched transfers are for those who manage it and
// the operator (its province's admin); only the owner sets the payout
// account; an order's payment is its buyer's, its shop's and the operator's;
// bank notifications are authenticated by their signature alone, whoever
// sends them.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "app/services.hpp"
#include "payments/payments_module.hpp"
#include "payments/payments_test_support.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing {
namespace {

using nlohmann::json;

// The secret tests/authz_table_test.cpp configures.
constexpr const char* kAuthzWebhookSecret = "authz-table-webhook-secret";

std::string Unique() {
  static std::atomic<int> n{0};
  return std::to_string(n.fetch_add(1) + 1);
}

payments::PaymentService& Payments(AuthzWorld& w) { return w.app.app().services().payments->payments; }
Principal As(AuthzWorld& w, Actor a) { return w.world.PrincipalOf(w.UserId(a)); }

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.error().detail);
  return std::move(r).value();
}

AuthzRequest WithId(std::int64_t id, json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = std::to_string(id);
  r.body = std::move(body);
  return r;
}

// shop_a's payout account, set by its owner, and VietQR switched on.
void PayoutAccountOfShopA(AuthzWorld& w) {
  const Principal owner = As(w, Actor::kOwner);
  Must(Payments(w).SetPayoutAccount(
           owner, w.shop_a, {"970436", "0011002233445", "NGUYEN VAN HAO", kTestPassword}, "127.0.0.1"),
       "payout account");
  Must(Payments(w).SetAcceptedMethods(owner, w.shop_a, {"cod", "vietqr"}, "127.0.0.1"), "methods");
}

// An order the buyer placed with shop_a, paid by `method`.
std::int64_t OrderOfShopA(AuthzWorld& w, const std::string& method) {
  if (method == "vietqr") PayoutAccountOfShopA(w);
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  const json body = {{"items", {{{"product_id", product}, {"quantity", 1}}}},
                     {"shipping_address",
                      {{"full_name", "Nguyễn Thị Hoa"},
                       {"phone", "0912345678"},
                       {"address_line", "Số 5, tổ 3"},
                       {"commune_code", kCommuneIn}}},
                     {"payment_method", method}};
  auto placed = w.app.app().services().orders->Checkout(As(w, Actor::kBuyer), "pay-authz-" + Unique(), body);
  if (!placed.ok()) throw std::runtime_error("checkout: " + placed.error().detail);
  return placed->body["orders"][0]["id"].get<std::int64_t>();
}

// A refund of 1,000 đồng of a VietQR order of shop_a whose money arrived.
AuthzRequest PaidVietQrRefund(AuthzWorld& w) {
  const std::int64_t order = OrderOfShopA(w, "vietqr");
  const Principal owner = As(w, Actor::kOwner);
  const json payment = Must(Payments(w).Get(&owner, order), "payment");
  payments::IncomingMoney money{"bank",
                                "AUTHZ-PAID-" + Unique(),
                                "webhook",
                                "0011002233445",
                                payment["amount_vnd"].get<std::int64_t>(),
                                payment["reference"].get<std::string>(),
                                1'780'000'000'000};
  Must(Payments(w).ApplyTransfer(money), "transfer");
  return WithId(order, {{"amount_vnd", 1000}, {"note", "hoàn một phần"}});
}

// A transfer notification signed with `secret`.
AuthzRequest Notification(const std::string& secret) {
  const json body = {{"id", "AUTHZ-" + Unique()},
                     {"account_number", "0011002233445"},
                     {"amount_vnd", 120000},
                     {"description", "chuyen tien"},
                     {"transferred_at", "2026-11-29T10:05:00+07:00"}};
  AuthzRequest r;
  r.raw_body = body.dump();
  r.headers["Content-Type"] = "application/json";
  r.headers["X-Signature"] = payments::testing::OpensslHmacSha256(secret, *r.raw_body);
  return r;
}

// A page form of shop_a's payments page, posted by a browser.
AuthzRequest ShopForm(AuthzWorld& w, const std::string& form, AuthzRequest::Csrf csrf) {
  AuthzRequest r = WithId(w.shop_a);
  r.form = form;
  r.browser = true;
  r.csrf = csrf;
  return r;
}

// The payout account form; after it, shop_a has an account only when the
// owner posted it with a genuine token.
AuthzRequest AccountForm(AuthzWorld& w, AuthzRequest::Csrf csrf) {
  AuthzRequest r = ShopForm(
      w,
      std::string("bank_bin=970436&account_number=0011002233445&account_name=HAO&password=") + kTestPassword,
      csrf);
  const bool genuine = csrf == AuthzRequest::Csrf::kFromPage;
  r.after = [genuine](AuthzWorld& w, const ClientResponse&) {
    const Principal owner = As(w, Actor::kOwner);
    auto account = Must(Payments(w).GetPayoutAccount(&owner, w.shop_a), "payout account");
    EXPECT_EQ(account.has_value(), genuine && w.actor == Actor::kOwner) << "payout account recorded";
  };
  return r;
}

// A statement upload of shop_a (which has a payout account), as a phone posts it.
AuthzRequest StatementUpload(AuthzWorld& w, AuthzRequest::Csrf csrf) {
  PayoutAccountOfShopA(w);
  AuthzRequest r = WithId(w.shop_a);
  r.multipart = {{"statement", "id,amount_vnd,description,transferred_at\nST-" + Unique() +
                                   ",120000,chuyen tien,29/11/2026 10:05:00\n"}};
  r.csrf = csrf;
  return r;
}

// The operator's form giving transfer 999999 (none) to order 1.
AuthzRequest AssignForm(AuthzRequest::Csrf csrf) {
  AuthzRequest r;
  r.params["id"] = "999999";
  r.form = "order_id=1";
  r.browser = true;
  r.csrf = csrf;
  return r;
}

// A carrier's remittance naming no parcel we know, as the operator uploads it.
AuthzRequest RemittanceUpload(AuthzRequest::Csrf csrf) {
  AuthzRequest r;
  r.multipart = {
      {"remittance", "tracking_code,amount_vnd,remitted_at\nAUTHZP" + Unique() + ",120000,30/11/2026\n"}};
  r.csrf = csrf;
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(payments) {
  const Expect everyone{200, 200, 200, 200, 200, 200, 200, 200, 200};
  const Expect unauthorized{401, 401, 401, 401, 401, 401, 401, 401, 401};
  // Those who manage shop_a (its assisting officer included) and the operator.
  const Expect shop_money{401, 404, 200, 200, 404, 200, 200, 404, 200};
  // Where the money goes: the owner alone; other managers are told no.
  const Expect owner_only{401, 404, 200, 403, 404, 403, 403, 404, 403};
  // The order's buyer, its shop and the operator.
  const Expect order_parties{401, 200, 200, 200, 404, 200, 200, 404, 200};
  const Expect operator_only{401, 403, 403, 403, 403, 403, 403, 403, 200};
  // Those who manage coop_c (its manager) and the operator; its member shop_a's people are strangers to its
  // money.
  const Expect coop_money{401, 404, 404, 404, 404, 200, 404, 404, 200};

  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"GET", "/api/v1/banks", "", everyone, [](AuthzWorld&) { return AuthzRequest{}; }},
      {"GET", "/api/v1/sellers/{id}/payment-methods", "", everyone,
       [](AuthzWorld& w) { return WithId(w.shop_a); }},
      {"PUT", "/api/v1/sellers/{id}/payment-methods", "", shop_money,
       [](AuthzWorld& w) {
         return WithId(w.shop_a, {{"methods", {"cod"}}});
       }},
      {"GET", "/api/v1/sellers/{id}/payout-account", "", shop_money,
       [](AuthzWorld& w) {
         PayoutAccountOfShopA(w);
         return WithId(w.shop_a);
       }},
      {"PUT", "/api/v1/sellers/{id}/payout-account", "", owner_only,
       [](AuthzWorld& w) {
         AuthzRequest r = WithId(w.shop_a, {{"bank_bin", "970415"},
                                            {"account_number", "1122334455"},
                                            {"account_name", "NGUYEN VAN HAO"},
                                            {"password", kTestPassword}});
         // Only the owner's request records the account.
         r.after = [](AuthzWorld& w, const ClientResponse&) {
           const Principal owner = As(w, Actor::kOwner);
           auto account = Must(Payments(w).GetPayoutAccount(&owner, w.shop_a), "payout account");
           EXPECT_EQ(account.has_value(), w.actor == Actor::kOwner) << "payout account recorded";
         };
         return r;
       }},
      {"GET", "/api/v1/sellers/{id}/unmatched-transfers", "", shop_money,
       [](AuthzWorld& w) { return WithId(w.shop_a); }},
      {"GET", "/api/v1/sellers/{id}/ledger", "", shop_money, [](AuthzWorld& w) { return WithId(w.shop_a); }},
      {"GET", "/api/v1/sellers/{id}/ledger.csv", "", shop_money,
       [](AuthzWorld& w) { return WithId(w.shop_a); }},
      {"GET", "/api/v1/sellers/{id}/ledger.xlsx", "", shop_money,
       [](AuthzWorld& w) { return WithId(w.shop_a); }},
      // coop_c's members' shares: its manager and the operator; shop_a's owner,
      // a member, sees its own ledger but not the cooperative's.
      {"GET", "/api/v1/sellers/{id}/ledger/members", "", coop_money,
       [](AuthzWorld& w) { return WithId(w.coop_c); }},
      {"GET", "/api/v1/sellers/{id}/ledger/members.csv", "", coop_money,
       [](AuthzWorld& w) { return WithId(w.coop_c); }},
      {"GET", "/api/v1/orders/{id}/payment", "", order_parties,
       [](AuthzWorld& w) { return WithId(OrderOfShopA(w, "cod")); }},
      {"GET", "/api/v1/orders/{id}/vietqr.svg", "", order_parties,
       [](AuthzWorld& w) { return WithId(OrderOfShopA(w, "vietqr")); }},
      {"POST", "/api/v1/orders/{id}/refunds", "a paid VietQR order; its buyer may not",
       Expect{401, 403, 201, 201, 404, 201, 201, 404, 201},
       [](AuthzWorld& w) { return PaidVietQrRefund(w); }},
      {"POST", "/api/v1/payments/cod-remittances", "a line naming no parcel",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 200},
       [](AuthzWorld&) {
         AuthzRequest r;
         r.raw_body = "tracking_code,amount_vnd,remitted_at\nAUTHZ" + Unique() + ",120000,30/11/2026\n";
         r.headers["Content-Type"] = "text/csv";
         return r;
       }},
      {"POST", "/api/v1/payments/bank-transfers", "signed: a session adds nothing", everyone,
       [](AuthzWorld&) { return Notification(kAuthzWebhookSecret); }},
      {"POST", "/api/v1/payments/bank-transfers", "forged signature", unauthorized,
       [](AuthzWorld&) { return Notification("not-the-secret"); }},
      {"GET", "/api/v1/payments/unmatched-transfers", "", operator_only,
       [](AuthzWorld&) { return AuthzRequest{}; }},
      {"POST", "/api/v1/payments/unmatched-transfers/{id}/assign", "no such transfer",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 404},
       [](AuthzWorld&) {
         AuthzRequest r;
         r.params["id"] = "999999";
         r.body = {{"order_id", 1}};
         return r;
       }},
      // ---------------------------------------------------------------- the operator's payments page
      {"GET", "/can-bo/thanh-toan", "browser", Expect{303, 403, 403, 403, 403, 403, 403, 403, 200},
       [](AuthzWorld&) {
         AuthzRequest r;
         r.browser = true;
         return r;
       }},
      {"POST", "/can-bo/thanh-toan/chuyen-khoan/{id}/gan-don", "browser, no such transfer",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 404},
       [](AuthzWorld&) { return AssignForm(AuthzRequest::Csrf::kFromPage); }},
      {"POST", "/can-bo/thanh-toan/chuyen-khoan/{id}/gan-don", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld&) { return AssignForm(AuthzRequest::Csrf::kMissing); }},
      {"POST", "/can-bo/thanh-toan/thu-ho", "browser", Expect{303, 403, 403, 403, 403, 403, 403, 403, 200},
       [](AuthzWorld&) { return RemittanceUpload(AuthzRequest::Csrf::kFromPage); }},
      {"POST", "/can-bo/thanh-toan/thu-ho", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld&) { return RemittanceUpload(AuthzRequest::Csrf::kMissing); }},
      {"POST", "/api/v1/payouts", "nothing owed to shop_a",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 400},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.body = {{"items", {{{"seller_id", w.shop_a}, {"amount_vnd", 1000}}}}};
         return r;
       }},
      {"GET", "/api/v1/payouts/{id}/file.csv", "no such batch",
       Expect{401, 404, 404, 404, 404, 404, 404, 404, 404},
       [](AuthzWorld&) {
         AuthzRequest r;
         r.params["id"] = "999999";
         return r;
       }},
      // ---------------------------------------------------------------- the seller centre's payments page
      {"GET", "/kenh-ban/cua-hang/{id}/thanh-toan", "browser",
       Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r = WithId(w.shop_a);
         r.browser = true;
         return r;
       }},
      {"POST", "/kenh-ban/cua-hang/{id}/thanh-toan/tai-khoan", "browser",
       Expect{303, 404, 303, 403, 404, 403, 403, 404, 403},
       [](AuthzWorld& w) { return AccountForm(w, AuthzRequest::Csrf::kFromPage); }},
      {"POST", "/kenh-ban/cua-hang/{id}/thanh-toan/tai-khoan", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return AccountForm(w, AuthzRequest::Csrf::kMissing); }},
      {"POST", "/kenh-ban/cua-hang/{id}/thanh-toan/phuong-thuc", "browser, cash on delivery only",
       Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) { return ShopForm(w, "", AuthzRequest::Csrf::kFromPage); }},
      {"POST", "/kenh-ban/cua-hang/{id}/thanh-toan/phuong-thuc", "wrong CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return ShopForm(w, "", AuthzRequest::Csrf::kWrong); }},
      {"POST", "/kenh-ban/cua-hang/{id}/thanh-toan/sao-ke", "browser",
       Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) { return StatementUpload(w, AuthzRequest::Csrf::kFromPage); }},
      {"POST", "/kenh-ban/cua-hang/{id}/thanh-toan/sao-ke", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return StatementUpload(w, AuthzRequest::Csrf::kMissing); }},
      // ---------------------------------------------------------------- the buyer's payment page
      {"GET", "/thanh-toan/{id}", "browser, a VietQR order",
       Expect{303, 200, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r = WithId(OrderOfShopA(w, "vietqr"));
         r.browser = true;
         return r;
       }},
  };
}

}  // namespace nongsan::testing
