// The gateways' rows of the authorization table (tests/support/authz_table.hpp).
//
// The IPNs are public by signature: no session, bearer token or CSRF token
// counts, only VNPay's or MoMo's HMAC under the operator's secret (the
// table's app is configured with the fake gateways' keys). So every caller
// gets the same answer, and a forged callback changes nothing whoever sends
// it. The return pages are public and only show.
#include <gtest/gtest.h>

#include "support/authz_table.hpp"
#include "support/fake_gateways.hpp"

namespace nongsan::testing {
namespace {

constexpr Expect kEveryone200{200, 200, 200, 200, 200, 200, 200, 200, 200};
constexpr Expect kEveryone400{400, 400, 400, 400, 400, 400, 400, 400, 400};

// A VNPay IPN row: the query, and the RspCode every caller must get.
AuthzRequest VnpayIpn(const std::string& query, const std::string& code) {
  AuthzRequest r;
  r.query = query;
  r.after = [code](AuthzWorld&, const ClientResponse& answer) {
    EXPECT_EQ(answer.Json().value("RspCode", ""), code) << answer.body;
  };
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(payment_gateways) {
  return {
      {"GET", "/api/v1/payments/vnpay/ipn", "public by signature: forged", kEveryone200,
       [](AuthzWorld&) {
         return VnpayIpn(FakeVnpay::CallbackQuery("NSAUTHZ1", 10'000, "00", "1", "not-the-secret"), "97");
       }},
      {"GET", "/api/v1/payments/vnpay/ipn", "public by signature: signed, no such order", kEveryone200,
       [](AuthzWorld&) { return VnpayIpn(FakeVnpay::CallbackQuery("NSAUTHZ2", 10'000), "01"); }},
      {"POST", "/api/v1/payments/momo/ipn", "public by signature: forged", kEveryone400,
       [](AuthzWorld&) {
         AuthzRequest r;
         r.body = FakeMomo::IpnBody("NSAUTHZ3", 10'000, 0, 1, "not-the-secret");
         return r;
       }},
      {"GET", "/thanh-toan/vnpay/ket-qua", "public, shows only", kEveryone200,
       [](AuthzWorld&) {
         AuthzRequest r;
         r.browser = true;
         r.query = FakeVnpay::CallbackQuery("NSAUTHZ4", 10'000);
         return r;
       }},
      {"GET", "/thanh-toan/momo/ket-qua", "public, shows only", kEveryone200,
       [](AuthzWorld&) {
         AuthzRequest r;
         r.browser = true;
         r.query = "partnerCode=" + std::string(kFakeMomoPartnerCode) + "&orderId=NSAUTHZ5&resultCode=0";
         return r;
       }},
  };
}

}  // namespace nongsan::testing
