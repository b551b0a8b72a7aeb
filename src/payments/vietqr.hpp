// VietQR (NAPAS's profile of the EMVCo merchant-presented QR) for a transfer
// to a shop's own bank account, and the payment reference that carries the
// order through the bank: the payload is built here, field by field
// (ID(2) LEN(2) VALUE, IDs ascending), with the CRC-16/CCITT-FALSE of field
// 63; references are found again inside transfer descriptions as banks
// mangle them. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::payments {

// The reference a buyer types into the transfer: this prefix and the order's
// code ("NSK7MX4Q2A"). Letters and digits only, so a bank that drops spaces
// and punctuation leaves it whole.
inline constexpr std::string_view kReferencePrefix = "NS";
// Characters of an order code after the prefix (orders::kOrderCodeLength).
inline constexpr std::size_t kReferenceCodeChars = 8;
// Account numbers: digits only, as VietQR field 38/01/01 allows at most 19.
inline constexpr std::size_t kMinAccountDigits = 6;
inline constexpr std::size_t kMaxAccountDigits = 19;
// The most characters of a transfer description looked at for references.
inline constexpr std::size_t kMaxDescriptionChars = 1000;

struct VietQrTransfer {
  std::string bank_bin;         // 6 digits (data/banks/napas-bins.csv)
  std::string account_number;   // digits
  std::int64_t amount_vnd = 0;  // > 0: a dynamic QR (point of initiation 12)
  std::string reference;        // field 62/08, at most 25 characters
};

// The payload text to draw as a QR code.
std::string VietQrPayload(const VietQrTransfer& transfer);

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of `data`.
std::uint16_t Crc16CcittFalse(std::string_view data);

std::string ReferenceFor(std::string_view order_code);

// Every well-formed reference inside a transfer description, as a bank may
// have mangled it: spaces and punctuation dropped, letters upper-cased, other
// text around it ("CT DEN:0123 NS K7MX-4Q2A chuyen tien" → "NSK7MX4Q2A").
std::vector<std::string> FindReferences(std::string_view description);

// Digits only, kMinAccountDigits..kMaxAccountDigits of them.
bool IsAccountNumber(std::string_view s);

}  // namespace nongsan::payments
