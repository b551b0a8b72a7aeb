// The fuzz targets: each takes arbitrary bytes, runs one parser of untrusted
// input and checks what must hold of its result (a violated property aborts,
// which libFuzzer reports as a crash). The same functions run in two places:
//  * tests/fuzz/fuzz_main.cpp builds one libFuzzer binary per target
//    (cmake -DNONGSAN_FUZZ=ON with clang; `make fuzz`);
//  * tests/fuzz_regression_test.cpp feeds every file under tests/fuzz/<name>/
//    (the seed corpus and the crashes found, kept as regressions) to them in
//    the normal test suite, on every `make test`.
#pragma once

#include <span>
#include <string_view>

namespace nongsan::fuzz {

void HttpHead(std::string_view bytes);        // request head and target: Beast's parser + the server's checks
void UrlEncoded(std::string_view bytes);      // percent-decoding, query strings, cookies, form bodies
void JsonBody(std::string_view bytes);        // Request::JsonBody: depth, UTF-8, duplicate keys
void Csv(std::string_view bytes);             // the product import's CSV reader
void Multipart(std::string_view bytes);       // multipart/form-data bodies (first line: the boundary)
void VietnameseText(std::string_view bytes);  // folding, words, slugs, NFC, escaping
void Uploads(std::string_view bytes);         // file sniffing and base64 of certificate/review uploads
void DigitalLink(std::string_view bytes);     // GS1 Digital Link URIs of lots and the resolver's path checks
void EpcisCapture(std::string_view bytes);    // an EPCIS 2.0 capture document's checks (after JSON parsing)
void VietQr(
    std::string_view bytes);  // VietQR payloads (built from the bytes) and references in transfer texts
void VnpayIpn(std::string_view bytes);          // a VNPay IPN query: parsing and the signature check
void MomoIpn(std::string_view bytes);           // a MoMo IPN body: JSON and the signature check
void JsonInput(std::string_view bytes);         // a JSON body read field by field by http::JsonInput
void BankStatement(std::string_view bytes);     // a bank statement's CSV (payments::ParseBankStatement)
void BankNotification(std::string_view bytes);  // a bank transfer notification's body (after its signature)
void CodRemittance(std::string_view bytes);  // a carrier's COD remittance CSV (payments::ParseCodRemittance)

struct Target {
  std::string_view name;  // also the corpus folder, tests/fuzz/<name>/
  void (*run)(std::string_view);
};
std::span<const Target> Targets();

}  // namespace nongsan::fuzz
