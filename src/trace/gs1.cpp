#include "trace/gs1.hpp"

#include "catalog/gtin.hpp"
#include "core/clock.hpp"

namespace nongsan::trace::gs1 {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// GS1 General Specifications, figure 7.11-1: the 82 characters AI (10) allows.
bool InCharacterSet82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

bool Unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

std::optional<std::string> CompanyPrefixProblem(std::string_view prefix) {
  if (!AllDigits(prefix)) return "must contain digits only";
  if (prefix.size() < kMinCompanyPrefixDigits || prefix.size() > kMaxCompanyPrefixDigits) {
    return "must be 7 to 10 digits";
  }
  if (prefix.substr(0, kVietnamPrefix.size()) != kVietnamPrefix) return "must begin with 893 (GS1 Vietnam)";
  return std::nullopt;
}

std::int64_t ItemReferenceCapacity(std::string_view prefix) {
  std::int64_t capacity = 1;
  for (std::size_t i = prefix.size(); i < 12; ++i) capacity *= 10;
  return capacity;
}

std::optional<std::string> Gtin13(std::string_view prefix, std::int64_t item) {
  if (item < 0 || item >= ItemReferenceCapacity(prefix) || prefix.size() > 12) return std::nullopt;
  std::string digits = std::to_string(item);
  std::string data(prefix);
  data += std::string(12 - prefix.size() - digits.size(), '0');
  data += digits;
  data += static_cast<char>('0' + catalog::gtin::CheckDigit(data));
  return data;
}

std::string ToGtin14(std::string_view gtin) {
  std::string out(14 - std::min<std::size_t>(14, gtin.size()), '0');
  out += gtin;
  return out;
}

std::optional<std::string> LotCodeProblem(std::string_view code) {
  if (code.empty()) return "is required";
  if (code.size() > kMaxLotCodeChars) return "must be at most 20 characters (GS1 AI 10)";
  for (char c : code) {
    // '/' is in GS1's set, but a Digital Link path could then not be told
    // apart from its next segment by our router, which splits decoded paths.
    if (c == '/') return "must not contain '/' (it would break the pack's Digital Link)";
    if (!InCharacterSet82(c)) {
      return "may only contain letters A-Z a-z, digits and ! \" % & ' ( ) * + , - . / : ; < = > ? _ (GS1 AI "
             "10)";
    }
  }
  return std::nullopt;
}

std::string EncodePathSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (Unreserved(static_cast<char>(c))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Yymmdd(std::int64_t day) {
  const std::string iso = timefmt::IsoDate(day);  // YYYY-MM-DD
  return iso.substr(2, 2) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string DigitalLink(std::string_view base_url, std::string_view gtin14, std::string_view lot,
                        std::optional<std::int64_t> expires_day) {
  std::string uri(base_url);
  while (!uri.empty() && uri.back() == '/') uri.pop_back();
  uri += "/01/";
  uri += gtin14;
  uri += "/10/";
  uri += EncodePathSegment(lot);
  if (expires_day) uri += "?17=" + Yymmdd(*expires_day);
  return uri;
}

}  // namespace nongsan::trace::gs1
