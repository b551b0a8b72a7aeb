#include "payments/vietqr.hpp"

#include <algorithm>
#include <cstdio>

namespace nongsan::payments {
namespace {

// NAPAS's application identifier and the service code of a transfer to an
// account (QRIBFTTC would be to a card).
constexpr std::string_view kNapasAid = "A000000727";
constexpr std::string_view kToAccount = "QRIBFTTA";
constexpr std::string_view kCurrencyVnd = "704";
constexpr std::string_view kCountry = "VN";
// The order-code alphabet (ids::RandomCode): no 0/O, 1/I/L.
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

// One TLV field: two-digit id, two-digit length, value.
std::string Field(std::string_view id, std::string_view value) {
  char length[3];
  std::snprintf(length, sizeof length, "%02zu", value.size());
  std::string out(id);
  out += length;
  out += value;
  return out;
}

}  // namespace

std::uint16_t Crc16CcittFalse(std::string_view data) {
  std::uint16_t crc = 0xFFFF;
  for (unsigned char byte : data) {
    crc ^= static_cast<std::uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<std::uint16_t>(crc << 1);
    }
  }
  return crc;
}

std::string VietQrPayload(const VietQrTransfer& t) {
  const std::string beneficiary = Field("00", t.bank_bin) + Field("01", t.account_number);
  const std::string merchant = Field("00", kNapasAid) + Field("01", beneficiary) + Field("02", kToAccount);
  std::string payload = Field("00", "01");
  payload += Field("01", t.amount_vnd > 0 ? "12" : "11");
  payload += Field("38", merchant);
  payload += Field("53", kCurrencyVnd);
  if (t.amount_vnd > 0) payload += Field("54", std::to_string(t.amount_vnd));
  payload += Field("58", kCountry);
  if (!t.reference.empty()) payload += Field("62", Field("08", t.reference));
  payload += "6304";
  char crc[5];
  std::snprintf(crc, sizeof crc, "%04X", static_cast<unsigned>(Crc16CcittFalse(payload)));
  return payload + crc;
}

std::string ReferenceFor(std::string_view order_code) {
  return std::string(kReferencePrefix) + std::string(order_code);
}

std::vector<std::string> FindReferences(std::string_view description) {
  std::string folded;
  for (char ch : description.substr(0, kMaxDescriptionChars)) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 'a' && u <= 'z')
      folded += static_cast<char>(u - 'a' + 'A');
    else if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
      folded += ch;
  }
  std::vector<std::string> found;
  const std::size_t length = kReferencePrefix.size() + kReferenceCodeChars;
  for (std::size_t at = folded.find(kReferencePrefix);
       at != std::string::npos && at + length <= folded.size(); at = folded.find(kReferencePrefix, at + 1)) {
    const std::string_view code =
        std::string_view(folded).substr(at + kReferencePrefix.size(), kReferenceCodeChars);
    if (!std::all_of(code.begin(), code.end(),
                     [](char c) { return kCodeAlphabet.find(c) != std::string_view::npos; })) {
      continue;
    }
    std::string reference = folded.substr(at, length);
    if (std::find(found.begin(), found.end(), reference) == found.end())
      found.push_back(std::move(reference));
  }
  return found;
}

bool IsAccountNumber(std::string_view s) {
  return s.size() >= kMinAccountDigits && s.size() <= kMaxAccountDigits &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace nongsan::payments
