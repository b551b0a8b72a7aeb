// GatewayService's rules on a real database (SQLite file and PostgreSQL),
// with the payments module replaced by a recording fake of GatewayPayments
// and the gateways by the fake servers of tests/support: the IPN answer
// codes, what is audited, the return view, MoMo's pay URL and the refund sweep.
#include "payments/gateways/gateway_service.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "accounts/migrations.hpp"
#include "http/request.hpp"
#include "payments/gateways/gateway_test_support.hpp"
#include "payments/gateways/migrations.hpp"
#include "support/fake_gateways.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::payments::gateways {
namespace {

using testing::FakeMomo;
using testing::FakeVnpay;

class GatewayServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::OpenFreshTestDatabase(GetParam());
    ASSERT_TRUE(db::Migrate(*db_, {accounts::Migrations(), Migrations()}).ok());
    GatewaySettings settings;
    settings.vnpay = {testing::kFakeVnpayTmnCode, testing::kFakeVnpaySecret, vnpay_.PayUrl(),
                      vnpay_.ApiUrl()};
    settings.momo = {testing::kFakeMomoPartnerCode, testing::kFakeMomoAccessKey, testing::kFakeMomoSecretKey,
                     momo_.Endpoint()};
    settings.base_url = "https://cho.example.vn";
    service_ = std::make_unique<GatewayService>(*db_, clock_, settings);
    service_->SetPayments(&payments_);
  }

  GatewayOrderRef Order(std::int64_t id, std::int64_t amount) {
    return {id,     "NS" + std::to_string(id), "NSREF" + std::to_string(id),
            amount, testing::kTestNowMs,       testing::kTestNowMs + 30 * 60 * 1000};
  }

  VnpayIpnAnswer Ipn(const std::string& query) {
    return service_->HandleVnpayIpn(http::ParseUrlEncoded(query), "198.51.100.9");
  }

  std::int64_t AuditCount(const std::string& action) {
    return db_
        ->Read([&](db::Connection& c) {
          return c.QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
        })
        .value();
  }

  FakeVnpay vnpay_;
  FakeMomo momo_;
  FakeClock clock_{testing::kTestNowMs};
  std::unique_ptr<db::Database> db_;
  RecordingPayments payments_;
  std::unique_ptr<GatewayService> service_;
};

TEST_P(GatewayServiceTest, VnpayPayUrlIsMadeOnceAndRemembered) {
  auto first = service_->PayUrl(kMethodVnpay, Order(1, 120'000));
  ASSERT_TRUE(first.ok()) << testing::ErrorText(first);
  EXPECT_TRUE(first.value().starts_with(vnpay_.PayUrl() + "?vnp_Amount=12000000&"));
  EXPECT_NE(first.value().find("vnp_TxnRef=NSREF1"), std::string::npos);
  EXPECT_NE(first.value().find("vnp_ReturnUrl=https%3A%2F%2Fcho.example.vn%2Fthanh-toan%2Fvnpay%2Fket-qua"),
            std::string::npos);
  clock_.Advance(60'000);
  EXPECT_EQ(service_->PayUrl(kMethodVnpay, Order(1, 120'000)).value(), first.value());
  EXPECT_FALSE(service_->PayUrl("cod", Order(1, 120'000)).ok());
}

TEST_P(GatewayServiceTest, VnpayIpnAnswersEachCaseAndAppliesOnce) {
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(2, 250'000)).ok());
  // Forged (another secret), unknown order, wrong amount: refused, audited, nothing applied.
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF2", 250'000, "00", "1", "forged-secret")).code, "97");
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF99", 250'000)).code, "01");
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF2", 1'000)).code, "04");
  EXPECT_TRUE(payments_.applied_vnd.empty());
  EXPECT_EQ(AuditCount("payment.vnpay_callback_refused"), 3);
  // The genuine one: 00, applied; replayed: 02, not applied again.
  const auto success = Ipn(FakeVnpay::CallbackQuery("NSREF2", 250'000));
  EXPECT_EQ(success.code, "00");
  EXPECT_EQ(success.Json(), nlohmann::json({{"RspCode", "00"}, {"Message", "Confirm Success"}}));
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF2", 250'000)).code, "02");
  EXPECT_EQ(payments_.applied_vnd["NSREF2"], 250'000);
  EXPECT_EQ(AuditCount("payment.vnpay_callback_refused"), 4);  // the replay too
  // Nothing VNPay signs at all: 97; signed but no amount: 99.
  EXPECT_EQ(Ipn("vnp_TxnRef=NSREF2&vnp_Amount=25000000").code, "97");
}

TEST_P(GatewayServiceTest, VnpayFailedPaymentIsAcknowledgedAndNotApplied) {
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(3, 90'000)).ok());
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF3", 90'000, "24")).code, "00");
  EXPECT_TRUE(payments_.applied_vnd.empty());
  // The buyer tries again with another card: the success still counts.
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF3", 90'000, "00", "777")).code, "00");
  EXPECT_EQ(payments_.applied_vnd["NSREF3"], 90'000);
}

TEST_P(GatewayServiceTest, DuplicateVnpayIpnsRacingApplyOnce) {
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(4, 310'000)).ok());
  const std::string query = FakeVnpay::CallbackQuery("NSREF4", 310'000);
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::multiset<std::string> codes;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      const std::string code = Ipn(query).code;
      std::lock_guard lock(mutex);
      codes.insert(code);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(codes.count("00"), 1u);
  EXPECT_EQ(codes.count("02"), 7u);
  EXPECT_EQ(payments_.applied_vnd["NSREF4"], 310'000);
}

TEST_P(GatewayServiceTest, MomoPayUrlComesFromMomoAndIpnIsVerified) {
  auto url = service_->PayUrl(kMethodMomo, Order(5, 75'000));
  ASSERT_TRUE(url.ok()) << testing::ErrorText(url);
  EXPECT_EQ(url.value(), momo_.BaseUrl() + "/v2/gateway/pay?t=NSREF5");
  EXPECT_EQ(service_->PayUrl(kMethodMomo, Order(5, 75'000)).value(), url.value());
  EXPECT_EQ(momo_.ValidCreates(), 1) << "asked of MoMo once";
  const auto create = momo_.Requests().at(0);
  EXPECT_EQ(create["ipnUrl"], "https://cho.example.vn/api/v1/payments/momo/ipn");
  EXPECT_EQ(create["redirectUrl"], "https://cho.example.vn/thanh-toan/momo/ket-qua");

  const auto forged =
      service_->HandleMomoIpn(FakeMomo::IpnBody("NSREF5", 75'000, 0, 1, "forged").dump(), "1.2.3.4");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().fields.at(0).field, "signature");
  const auto wrong_amount = service_->HandleMomoIpn(FakeMomo::IpnBody("NSREF5", 74'000).dump(), "1.2.3.4");
  ASSERT_FALSE(wrong_amount.ok());
  EXPECT_EQ(wrong_amount.error().type, "wrong_amount");
  const auto unknown = service_->HandleMomoIpn(FakeMomo::IpnBody("NSREF404", 75'000).dump(), "1.2.3.4");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields.at(0).field, "orderId");
  EXPECT_FALSE(service_->HandleMomoIpn("{not json", "1.2.3.4").ok());
  EXPECT_TRUE(payments_.applied_vnd.empty());
  EXPECT_EQ(AuditCount("payment.momo_callback_refused"), 3);

  EXPECT_TRUE(service_->HandleMomoIpn(FakeMomo::IpnBody("NSREF5", 75'000).dump(), "1.2.3.4").ok());
  EXPECT_TRUE(service_->HandleMomoIpn(FakeMomo::IpnBody("NSREF5", 75'000).dump(), "1.2.3.4").ok());
  EXPECT_EQ(payments_.applied_vnd["NSREF5"], 75'000);
}

TEST_P(GatewayServiceTest, ReturnViewShowsButNeverApplies) {
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(6, 60'000)).ok());
  const auto params = http::ParseUrlEncoded(FakeVnpay::CallbackQuery("NSREF6", 60'000));
  auto view = service_->VnpayReturn(params);
  EXPECT_TRUE(view.verified);
  EXPECT_TRUE(view.gateway_says_paid);
  EXPECT_FALSE(view.confirmed);
  EXPECT_EQ(view.order_id, 6);
  EXPECT_TRUE(payments_.applied_vnd.empty()) << "the return page must not mark paid";
  EXPECT_FALSE(service_
                   ->VnpayReturn(
                       http::ParseUrlEncoded(FakeVnpay::CallbackQuery("NSREF6", 60'000, "00", "1", "forged")))
                   .verified);
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF6", 60'000)).code, "00");
  EXPECT_TRUE(service_->VnpayReturn(params).confirmed);
}

TEST_P(GatewayServiceTest, MomoReturnViewVerifiesTheRedirect) {
  ASSERT_TRUE(service_->PayUrl(kMethodMomo, Order(11, 81'000)).ok());
  auto view = service_->MomoReturn(http::ParseUrlEncoded(FakeMomo::RedirectQuery("NSREF11", 81'000)));
  EXPECT_TRUE(view.verified);
  EXPECT_TRUE(view.gateway_says_paid);
  EXPECT_EQ(view.order_id, 11);
  EXPECT_FALSE(view.confirmed);
  EXPECT_TRUE(payments_.applied_vnd.empty()) << "the return page must not mark paid";
  EXPECT_FALSE(
      service_->MomoReturn(http::ParseUrlEncoded(FakeMomo::RedirectQuery("NSREF11", 81'000, 0, "forged")))
          .verified);
  auto declined =
      service_->MomoReturn(http::ParseUrlEncoded(FakeMomo::RedirectQuery("NSREF11", 81'000, 1006)));
  EXPECT_TRUE(declined.verified);
  EXPECT_FALSE(declined.gateway_says_paid);
}

// The payments module fails (its database is busy, say): VNPay hears "99" and
// retries; nothing was marked, so the retry applies.
TEST_P(GatewayServiceTest, AFailedApplyLeavesNothingHalfDoneAndTheRetryApplies) {
  class FailingOnce final : public GatewayPayments {
   public:
    explicit FailingOnce(GatewayPayments& next) : next_(next) {}
    Result<ApplyOutcome> Apply(const std::string& m, const std::string& r, std::int64_t a,
                               const std::string& t, std::int64_t at) override {
      if (!failed_) {
        failed_ = true;
        return Error::Unavailable("database busy");
      }
      return next_.Apply(m, r, a, t, at);
    }
    Result<std::vector<std::int64_t>> RefundsDue(std::string_view m, int l) override {
      return next_.RefundsDue(m, l);
    }
    Result<std::int64_t> RefundableVnd(std::int64_t o) override { return next_.RefundableVnd(o); }
    Status Refunded(std::int64_t o, const std::string& m, std::int64_t a, const std::string& g) override {
      return next_.Refunded(o, m, a, g);
    }

   private:
    GatewayPayments& next_;
    bool failed_ = false;
  } failing(payments_);
  service_->SetPayments(&failing);
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(12, 33'000)).ok());
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF12", 33'000)).code, "99");
  EXPECT_TRUE(payments_.applied_vnd.empty());
  EXPECT_FALSE(
      service_->VnpayReturn(http::ParseUrlEncoded(FakeVnpay::CallbackQuery("NSREF12", 33'000))).confirmed);
  EXPECT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF12", 33'000)).code, "00");
  EXPECT_EQ(payments_.applied_vnd["NSREF12"], 33'000);
  service_->SetPayments(&payments_);
}

TEST_P(GatewayServiceTest, RefundsDueGoThroughTheirGatewayOnce) {
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(7, 140'000)).ok());
  ASSERT_TRUE(service_->PayUrl(kMethodMomo, Order(8, 55'000)).ok());
  ASSERT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF7", 140'000, "00", "5551")).code, "00");
  ASSERT_TRUE(service_->HandleMomoIpn(FakeMomo::IpnBody("NSREF8", 55'000, 0, 2547000042).dump(), "").ok());
  payments_.due = {{7, "vnpay"}, {8, "momo"}};
  auto refunded = service_->RefundDue();
  ASSERT_TRUE(refunded.ok()) << testing::ErrorText(refunded);
  EXPECT_EQ(refunded.value(), 2);
  EXPECT_EQ(payments_.refunded_vnd[7], 140'000);
  EXPECT_EQ(payments_.refunded_vnd[8], 55'000);
  ASSERT_EQ(vnpay_.ValidRefunds(), 1);
  const auto vnpay_refund = vnpay_.Requests().back();
  EXPECT_EQ(vnpay_refund["vnp_TxnRef"], "NSREF7");
  EXPECT_EQ(vnpay_refund["vnp_TransactionNo"], "5551");
  EXPECT_EQ(vnpay_refund["vnp_TransactionDate"], "20261129103000");
  EXPECT_EQ(vnpay_refund["vnp_Amount"], 14'000'000);
  ASSERT_EQ(momo_.ValidRefunds(), 1);
  EXPECT_EQ(momo_.Requests().back()["transId"], 2547000042);
  EXPECT_EQ(AuditCount("payment.vnpay_refunded"), 1);
  // A second sweep finds nothing more to send.
  payments_.due = {{7, "vnpay"}};
  EXPECT_EQ(service_->RefundDue().value(), 0);
  EXPECT_EQ(vnpay_.ValidRefunds(), 1);
}

TEST_P(GatewayServiceTest, RefusedRefundIsMarkedForTheOperatorNotRetried) {
  ASSERT_TRUE(service_->PayUrl(kMethodVnpay, Order(9, 40'000)).ok());
  ASSERT_EQ(Ipn(FakeVnpay::CallbackQuery("NSREF9", 40'000)).code, "00");
  vnpay_.SetRefundAnswer("94");
  payments_.due = {{9, "vnpay"}};
  EXPECT_EQ(service_->RefundDue().value(), 0);
  EXPECT_EQ(AuditCount("payment.vnpay_refund_failed"), 1);
  EXPECT_TRUE(payments_.refunded_vnd.empty());
  EXPECT_EQ(service_->RefundDue().value(), 0);
  EXPECT_EQ(vnpay_.Requests().size(), 1u);
}

TEST_P(GatewayServiceTest, UnconfiguredGatewayOffersNothing) {
  GatewayService bare(*db_, clock_, GatewaySettings{});
  EXPECT_FALSE(bare.Configured(kMethodVnpay));
  EXPECT_FALSE(bare.Configured(kMethodMomo));
  EXPECT_FALSE(bare.PayUrl(kMethodVnpay, Order(10, 1'000)).ok());
  EXPECT_EQ(bare.HandleVnpayIpn(http::ParseUrlEncoded(FakeVnpay::CallbackQuery("NSREF10", 1'000)), "").code,
            "99");
}

INSTANTIATE_TEST_SUITE_P(Backends, GatewayServiceTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

}  // namespace
}  // namespace nongsan::payments::gateways
