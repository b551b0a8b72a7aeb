// VietQR payloads checked by decoders we did not write (npm vietnam-qr-pay,
// Python's binascii.crc_hqx), and references found in bank-mangled
// descriptions.
#include "payments/vietqr.hpp"

#include <gtest/gtest.h>

#include "payments/payment_time.hpp"
#include "payments/payments_test_support.hpp"

namespace nongsan::payments {
namespace {

using testing::DecodeVietQr;
using testing::PythonCrc;

TEST(VietQr, TheStaticSampleOfTheDomainNotesIsRebuiltExactly) {
  EXPECT_EQ(VietQrPayload({"970416", "257678859", 0, ""}),
            "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F");
}

TEST(VietQr, ADynamicPayloadDecodesWithItsAmountReferenceAndCrc) {
  const std::string payload = VietQrPayload({"970436", "0011002233445", 245'000, "NSK7MX4Q2A"});
  const auto decoded = DecodeVietQr(payload);
  ASSERT_TRUE(decoded.is_object());
  EXPECT_EQ(decoded["isValid"], true) << payload;
  EXPECT_EQ(decoded["initMethod"], "12");
  EXPECT_EQ(decoded["bankBin"], "970436");
  EXPECT_EQ(decoded["bankNumber"], "0011002233445");
  EXPECT_EQ(decoded["amount"], "245000");
  EXPECT_EQ(decoded["purpose"], "NSK7MX4Q2A");
  EXPECT_EQ(PythonCrc(payload), payload.substr(payload.size() - 4));
}

TEST(VietQr, ACorruptedPayloadFailsTheIndependentChecks) {
  std::string payload = VietQrPayload({"970418", "12345678", 100'000, "NS23456789"});
  payload[payload.find("100000")] = '9';  // the amount changed after the CRC
  EXPECT_EQ(DecodeVietQr(payload)["isValid"], false);
  EXPECT_NE(PythonCrc(payload), payload.substr(payload.size() - 4));
}

TEST(VietQr, ReferencesAreFoundInsideMangledDescriptions) {
  EXPECT_EQ(FindReferences("NSK7MX4Q2A"), std::vector<std::string>{"NSK7MX4Q2A"});
  EXPECT_EQ(FindReferences("CT DEN:0123456 ns k7mx-4q2a chuyen tien mua che"),
            std::vector<std::string>{"NSK7MX4Q2A"});
  EXPECT_EQ(FindReferences("MBVCB.1234.NGUYEN VAN A CHUYEN TIEN.NSK7MX4Q2A.CT tu 0011"),
            std::vector<std::string>{"NSK7MX4Q2A"});
  // Two references: both reported (the caller refuses to guess).
  EXPECT_EQ(FindReferences("NSK7MX4Q2A NS23456789").size(), 2u);
  // Letters outside the code alphabet (O, I, L, 0, 1) are no reference.
  EXPECT_TRUE(FindReferences("NSK7MX4Q2O").empty());
  EXPECT_TRUE(FindReferences("thanh toan don hang").empty());
  EXPECT_TRUE(FindReferences("NSK7MX4").empty());
}

TEST(VietQr, AccountNumbersAreDigitsOnly) {
  EXPECT_TRUE(IsAccountNumber("0011002233445"));
  EXPECT_FALSE(IsAccountNumber("00110O2233445"));
  EXPECT_FALSE(IsAccountNumber("12345"));
  EXPECT_FALSE(IsAccountNumber("12345678901234567890"));
}

TEST(PaymentTime, NotificationTimesParseInTheirZones) {
  EXPECT_EQ(ParseTimeText("2026-11-29T10:05:00+07:00"), 1795921500000);
  EXPECT_EQ(ParseTimeText("2026-11-29T03:05:00Z"), 1795921500000);
  EXPECT_EQ(ParseTimeText("2026-11-29T03:05:00.123Z"), 1795921500000);
  EXPECT_EQ(ParseTimeText("29/11/2026 10:05:00"), 1795921500000);
  EXPECT_EQ(ParseTimeText("29/11/2026 10:05"), 1795921500000);
  EXPECT_FALSE(ParseTimeText("2026-02-30T10:05:00+07:00"));
  EXPECT_FALSE(ParseTimeText("yesterday"));
  EXPECT_EQ(ParseTransferTime(nlohmann::json(1795921500000)), 1795921500000);
  EXPECT_FALSE(ParseTransferTime(nlohmann::json(18446744073709551615ULL)));
  EXPECT_FALSE(ParseTransferTime(nlohmann::json(-1)));
  EXPECT_FALSE(ParseTransferTime(nlohmann::json(1.5)));
}

}  // namespace
}  // namespace nongsan::payments
