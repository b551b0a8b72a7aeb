// The list of every target, for the normal suite (fuzz_regression_test.cpp
// replays the kept inputs through each). Kept out of the fuzz binaries: a
// list naming every target would keep every parser, and its coverage
// counters, alive in each of them.
#include <array>

#include "fuzz/targets.hpp"

namespace nongsan::fuzz {

std::span<const Target> Targets() {
  static constexpr std::array<Target, 16> kTargets = {{
      {"http_head", HttpHead},
      {"url_encoded", UrlEncoded},
      {"json_body", JsonBody},
      {"csv", Csv},
      {"multipart", Multipart},
      {"vietnamese_text", VietnameseText},
      {"uploads", Uploads},
      {"digital_link", DigitalLink},
      {"epcis_capture", EpcisCapture},
      {"vietqr", VietQr},
      {"vnpay_ipn", VnpayIpn},
      {"momo_ipn", MomoIpn},
      {"json_input", JsonInput},
      {"bank_statement", BankStatement},
      {"bank_notification", BankNotification},
      {"cod_remittance", CodRemittance},
  }};
  return kTargets;
}

}  // namespace nongsan::fuzz
