#include "sites/site_rules.hpp"

#include <unicode/uidna.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "core/text.hpp"

namespace nongsan::sites {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// WCAG 2.x: the sRGB channel linearised.
double Linear(int channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// The C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
bool HasControl(std::string_view s, bool multi_line) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' && multi_line) continue;
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0) return true;
  }
  return false;
}

bool IsLdhLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelBytes) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// UTS #46 processing as browsers do it (nontransitional: "ß" stays "ß"),
// with the STD3 rules (letters, digits, hyphens) and the Bidi and ContextJ
// checks. One instance for the process: ICU's UIDNA is safe to share once open.
const UIDNA* Idna() {
  static const std::unique_ptr<UIDNA, void (*)(UIDNA*)> idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* opened = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                        UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE,
                                    &status);
    return std::unique_ptr<UIDNA, void (*)(UIDNA*)>(U_SUCCESS(status) ? opened : nullptr, uidna_close);
  }();
  return idna.get();
}

// The name converted one way or the other; nullopt when ICU reports any error.
std::optional<std::string> IdnaConvert(std::string_view name, bool to_ascii) {
  const UIDNA* idna = Idna();
  if (idna == nullptr || name.size() > kMaxHostnameBytes * 4) return std::nullopt;
  // A Unicode label is at most a few times its ASCII form; leave room for both ways.
  std::string out(kMaxHostnameBytes * 4 + 16, '\0');
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length =
      to_ascii ? uidna_nameToASCII_UTF8(idna, name.data(), static_cast<int32_t>(name.size()), out.data(),
                                        static_cast<int32_t>(out.size()), &info, &status)
               : uidna_nameToUnicodeUTF8(idna, name.data(), static_cast<int32_t>(name.size()), out.data(),
                                         static_cast<int32_t>(out.size()), &info, &status);
  if (U_FAILURE(status) || info.errors != 0 || length < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(length));
  return out;
}

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

// Lower-cased, trailing dot removed; nullopt with the reason in *why.
std::optional<std::string> NormalHostname(std::string_view raw, std::string* why) {
  std::string host = AsciiLower(text::Trim(raw));
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) {
    *why = "must be a host name such as chetancuong.vn";
    return std::nullopt;
  }
  if (host.size() > kMaxHostnameBytes) {
    *why = "must be at most " + std::to_string(kMaxHostnameBytes) + " characters";
    return std::nullopt;
  }
  for (char c : host) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      *why = "must be a host name such as chetancuong.vn or nôngsản.vn";
      return std::nullopt;
    }
  }
  std::size_t labels = 0;
  std::string_view last;
  std::string_view rest = host;
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (!IsLdhLabel(label)) {
      *why = "is not a host name: each dot-separated part must be 1 to 63 letters, digits or inner hyphens";
      return std::nullopt;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  bool numeric_tld = true;
  for (char c : last) numeric_tld = numeric_tld && c >= '0' && c <= '9';
  if (labels < 2 || numeric_tld) {
    *why = "must be a registered domain name such as chetancuong.vn (not an address or a single word)";
    return std::nullopt;
  }
  return host;
}

}  // namespace

std::optional<double> ContrastWithWhite(std::string_view color) {
  if (color.size() != 7 || color[0] != '#') return std::nullopt;
  int channels[3];
  for (int i = 0; i < 3; ++i) {
    const int hi = HexDigit(color[1 + 2 * i]);
    const int lo = HexDigit(color[2 + 2 * i]);
    if (hi < 0 || lo < 0) return std::nullopt;
    channels[i] = hi * 16 + lo;
  }
  const double luminance =
      0.2126 * Linear(channels[0]) + 0.7152 * Linear(channels[1]) + 0.0722 * Linear(channels[2]);
  return 1.05 / (luminance + 0.05);
}

std::string RatioText(double ratio) {
  const double cut = std::floor(ratio * 100) / 100;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", cut);
  return buf;
}

std::optional<std::string> CleanSiteText(const std::string& raw, const std::string& field,
                                         std::size_t max_chars, bool multi_line,
                                         std::vector<FieldError>& errors) {
  if (!text::IsValidUtf8(raw)) {
    errors.push_back({field, "must be valid UTF-8 text"});
    return std::nullopt;
  }
  std::string value = raw;
  // Browsers send line breaks as CRLF; keep one form.
  for (std::size_t at = value.find("\r\n"); at != std::string::npos; at = value.find("\r\n", at))
    value.erase(at, 1);
  value = text::Trim(text::ToNfc(value));
  if (HasControl(value, multi_line)) {
    errors.push_back({field, multi_line ? "must not contain control characters (line breaks are fine)"
                                        : "must be one line without control characters"});
    return std::nullopt;
  }
  if (value.find_first_of("<>") != std::string::npos) {
    errors.push_back({field, "must be plain text: the characters < and > are not allowed"});
    return std::nullopt;
  }
  if (text::CodePointCount(value) > max_chars) {
    errors.push_back({field, "must be at most " + std::to_string(max_chars) + " characters"});
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> CheckThemeColor(const std::string& raw, std::vector<FieldError>& errors) {
  const std::string color = AsciiLower(text::Trim(raw));
  auto ratio = ContrastWithWhite(color);
  if (!ratio) {
    errors.push_back({"theme_color", "must be a colour written #rrggbb, e.g. #1b6e3a"});
    return std::nullopt;
  }
  if (*ratio < kMinContrastWithWhite) {
    errors.push_back({"theme_color", "contrast with white text is " + RatioText(*ratio) + ":1, below the " +
                                         RatioText(kMinContrastWithWhite) +
                                         ":1 needed; choose a darker colour"});
    return std::nullopt;
  }
  return color;
}

std::optional<std::string> DomainToAscii(std::string_view name) {
  if (!text::IsValidUtf8(name)) return std::nullopt;
  return IdnaConvert(text::Trim(name), /*to_ascii=*/true);
}

std::string DomainForDisplay(std::string_view ascii) {
  if (ascii.find("xn--") == std::string_view::npos) return std::string(ascii);
  return IdnaConvert(ascii, /*to_ascii=*/false).value_or(std::string(ascii));
}

std::optional<std::string> CheckCustomDomain(const std::string& raw, std::string_view platform_host,
                                             std::vector<FieldError>& errors) {
  std::string why;
  std::string typed = raw;
  // "nôngsản.vn" as people type it: stored and served as its xn-- form.
  if (HasNonAscii(raw)) {
    auto ascii = DomainToAscii(raw);
    if (!ascii) {
      errors.push_back({"custom_domain", "is not a valid internationalised domain name (IDNA, UTS #46)"});
      return std::nullopt;
    }
    typed = *ascii;
  }
  auto host = NormalHostname(typed, &why);
  // An xn-- label must decode: "xn--zz.vn" is no name a browser would send.
  if (host && host->find("xn--") != std::string::npos && !IdnaConvert(*host, /*to_ascii=*/false)) {
    errors.push_back({"custom_domain", "has an xn-- part that is not a valid internationalised name"});
    return std::nullopt;
  }
  if (!host) {
    errors.push_back({"custom_domain", why});
    return std::nullopt;
  }
  const std::string platform = AsciiLower(platform_host);
  if (!platform.empty() && (*host == platform || host->ends_with("." + platform))) {
    errors.push_back({"custom_domain", "is the platform's own address; give the shop's own domain"});
    return std::nullopt;
  }
  return host;
}

std::string HostOfHeader(std::string_view header) {
  std::string_view host = header;
  if (host.starts_with('[')) return "";  // an IPv6 literal is never a shop's domain
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos)
    host = host.substr(0, colon);
  std::string why;
  return NormalHostname(host, &why).value_or("");
}

std::string HostOfUrl(std::string_view url) {
  if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos)
    url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find('/'));
  if (const std::size_t colon = url.rfind(':'); colon != std::string_view::npos) url = url.substr(0, colon);
  return AsciiLower(url);
}

}  // namespace nongsan::sites
