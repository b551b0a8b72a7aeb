// The rules a shop's promotional website settings must follow, as pure
// functions so the API, the seller-centre form and the tests share them:
//  - text (tagline, story): valid UTF-8, NFC, no HTML markup characters and
//    no control characters (the story may keep line breaks), lengths in code
//    points within the named limits;
//  - theme_color: "#rrggbb" whose contrast with white text is at least
//    kMinContrastWithWhite (WCAG 2.x relative luminance), since the site
//    draws white text on it;
//  - custom_domain: a DNS hostname of LDH labels (letters, digits, hyphens),
//    lower-cased, at least two labels, not an IP address and never the
//    platform's own host. A name typed in Unicode ("nôngsản.vn") is taken
//    through ICU's IDNA (UTS #46, nontransitional) to its xn-- form, which is
//    what is stored, approved and matched against Host headers; pages show
//    the Unicode form again (DomainForDisplay).
// Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::sites {

inline constexpr std::size_t kMaxTaglineChars = 120;
inline constexpr std::size_t kMaxStoryChars = 3000;
// The story in bytes before it is counted (3 bytes a Vietnamese letter at most
// after NFC, and some slack for combining forms before NFC).
inline constexpr std::size_t kMaxStoryBytes = kMaxStoryChars * 4;
// WCAG 2.x AA for normal text.
inline constexpr double kMinContrastWithWhite = 4.5;
inline constexpr std::size_t kMaxHostnameBytes = 253;
inline constexpr std::size_t kMaxLabelBytes = 63;
// The site's colour when the shop has not chosen one (the platform's green,
// 6.3:1 with white).
inline constexpr std::string_view kDefaultThemeColor = "#1b6e3a";

// Contrast ratio (1..21) between white and a "#rrggbb" colour; nullopt when
// `color` is not of that form.
std::optional<double> ContrastWithWhite(std::string_view color);

// "4.48" — the ratio as a message shows it: cut (not rounded) to two
// decimals, so a refused 4.499 never reads as "4.50".
std::string RatioText(double ratio);

// The cleaned text, or nullopt after appending a FieldError for `field`.
std::optional<std::string> CleanSiteText(const std::string& raw, const std::string& field,
                                         std::size_t max_chars, bool multi_line,
                                         std::vector<FieldError>& errors);

// The colour lower-cased ("#1B6E3A" → "#1b6e3a"), or nullopt after appending
// a FieldError naming the ratio when it is too light for white text.
std::optional<std::string> CheckThemeColor(const std::string& raw, std::vector<FieldError>& errors);

// The host name lower-cased with a trailing dot removed, or nullopt after
// appending a FieldError. `platform_host` is refused (and its subdomains,
// which belong to the platform).
std::optional<std::string> CheckCustomDomain(const std::string& raw, std::string_view platform_host,
                                             std::vector<FieldError>& errors);

// The ASCII (xn--) form of a Unicode domain name by UTS #46; nullopt when
// it is not a valid internationalised name.
std::optional<std::string> DomainToAscii(std::string_view name);

// The Unicode form of a stored xn-- domain for people to read
// ("xn--ngsn-..." → "nôngsản.vn"); the name itself when it has no xn-- part
// or does not decode.
std::string DomainForDisplay(std::string_view ascii);

// The host of a Host header value: lower-cased, without port or trailing
// dot; "" when it is not a plausible DNS name (IP literals, junk). Used to
// match requests to approved domains, so anything odd is simply no match.
std::string HostOfHeader(std::string_view header);

// The host part of a base URL ("https://nongsan.vn:8443/x" → "nongsan.vn").
std::string HostOfUrl(std::string_view url);

}  // namespace nongsan::sites
