// Our VNPay signatures, checked by npm `vnpay` (verifyReturnUrl → isVerified)
// through tests/support/vnpay_verify.mjs: the payment URL we hand buyers and
// the IPN requests our tests send as VNPay. Needs Node.js and the e2e npm
// packages (scripts/test.sh installs them); skipped when they are missing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/ids.hpp"
#include "core/source_dir.hpp"
#include "payments/gateways/vnpay.hpp"
#include "support/fake_gateways.hpp"
#include "support/test_app.hpp"

namespace nongsan::payments::gateways {
namespace {

namespace fs = std::filesystem;

// One "true"/"false" per line given, or nothing if the tool cannot run.
std::vector<std::string> NpmVerify(const std::string& secret, const std::vector<std::string>& lines) {
  const fs::path file = fs::temp_directory_path() / ("nongsan-vnpay-" + ids::RandomDigits(10));
  {
    std::ofstream out(file);
    for (const auto& line : lines) out << line << "\n";
  }
  const std::string command =
      "node '" + (fs::path(core::SourceDir()) / "tests/support/vnpay_verify.mjs").string() + "' " +
      testing::kFakeVnpayTmnCode + " '" + secret + "' '" + file.string() + "' 2>&1";
  std::vector<std::string> verdicts;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
      std::string line(buffer);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      verdicts.push_back(line);
    }
    ::pclose(pipe);
  }
  fs::remove(file);
  return verdicts;
}

TEST(VnpayNpmCheck, PaymentUrlsAndIpnRequestsVerifyWithTheVnpayPackage) {
  if (!fs::exists(fs::path(core::SourceDir()) / "tests/e2e/node_modules/vnpay")) {
    GTEST_SKIP() << "npm packages of tests/e2e not installed (scripts/test.sh installs them)";
  }
  VnpayCredentials credentials{testing::kFakeVnpayTmnCode, testing::kFakeVnpaySecret,
                               "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", "http://unused"};
  VnpayPaymentRequest request;
  request.txn_ref = "NS1042A1";
  request.amount_vnd = 185'000;
  request.order_info = "Thanh toan don hang NS1042";
  request.return_url = "https://cho.example.vn/thanh-toan/vnpay/ket-qua";
  request.ip_addr = "203.0.113.7";
  request.created_ms = testing::kTestNowMs;
  request.expires_ms = testing::kTestNowMs + 30 * 60 * 1000;
  const std::string url = BuildVnpayPaymentUrl(credentials, request);
  request.txn_ref = "NS7";
  request.amount_vnd = 1;
  const std::string second_url = BuildVnpayPaymentUrl(credentials, request);

  const std::vector<std::string> verdicts =
      NpmVerify(testing::kFakeVnpaySecret,
                {url, second_url, testing::FakeVnpay::CallbackQuery("NSREF2", 250'000),
                 testing::FakeVnpay::CallbackQuery("NSREF3", 90'000, "24"),
                 // Must fail: signed with another secret, and a tampered amount.
                 testing::FakeVnpay::CallbackQuery("NSREF2", 250'000, "00", "1", "forged-secret"),
                 url.substr(0, url.find("vnp_Amount=18500000")) + "vnp_Amount=18500001" +
                     url.substr(url.find("vnp_Amount=18500000") + 19)});
  EXPECT_EQ(verdicts, (std::vector<std::string>{"true", "true", "true", "true", "false", "false"}));
}

}  // namespace
}  // namespace nongsan::payments::gateways
