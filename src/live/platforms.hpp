// The platforms a livestream is held on, and the web domains a session's
// address must be on for each (kPlatforms in platforms.cpp, the one table).
// A session on `nongsan` is on the marketplace's own host; `other` takes any
// http(s) address. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::live {

enum class Platform { kFacebook, kTiktok, kShopee, kZalo, kYoutube, kNongsan, kOther };

// The longest session address accepted, in bytes.
inline constexpr std::size_t kMaxUrlBytes = 2048;

std::optional<Platform> ParsePlatform(std::string_view name);
std::string_view PlatformName(Platform platform);
// As sellers read it ("Facebook", "Khác").
std::string_view PlatformLabel(Platform platform);
// Every platform, in the order forms list them.
const std::vector<Platform>& AllPlatforms();
// "facebook.com, fb.com, fb.watch": for messages; "" for nongsan and other.
std::string PlatformDomainsText(Platform platform);

// The host of an absolute http or https URL, lower-cased and without port,
// or nullopt when the text is not one (another scheme, user info, a host
// with characters a DNS name cannot have, spaces).
std::optional<std::string> HttpHost(std::string_view url);

// True when the URL is http(s) and, for a named platform, its host is one of
// the platform's domains or under one; own_host is the marketplace's host
// (the `nongsan` platform's only domain).
bool UrlFitsPlatform(std::string_view url, Platform platform, std::string_view own_host);

}  // namespace nongsan::live
