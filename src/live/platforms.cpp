#include "live/platforms.hpp"

#include <array>

namespace nongsan::live {
namespace {

struct PlatformInfo {
  Platform platform;
  std::string_view name;
  std::string_view label;
  // The registered domains its live pages and short links are served on;
  // a host equal to one or under it fits.
  std::array<std::string_view, 4> domains;
};

constexpr std::array<PlatformInfo, 7> kPlatforms{{
    {Platform::kFacebook, "facebook", "Facebook", {"facebook.com", "fb.com", "fb.watch", "fb.gg"}},
    {Platform::kTiktok, "tiktok", "TikTok", {"tiktok.com", "", "", ""}},
    {Platform::kShopee, "shopee", "Shopee", {"shopee.vn", "shp.ee", "", ""}},
    {Platform::kZalo, "zalo", "Zalo", {"zalo.me", "zalo.vn", "", ""}},
    {Platform::kYoutube, "youtube", "YouTube", {"youtube.com", "youtu.be", "", ""}},
    {Platform::kNongsan, "nongsan", "nongsan", {"", "", "", ""}},
    {Platform::kOther, "other", "Khác", {"", "", "", ""}},
}};

const PlatformInfo& InfoOf(Platform platform) { return kPlatforms[static_cast<std::size_t>(platform)]; }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[i]) != prefix[i]) return false;
  }
  return true;
}

bool HostUnder(std::string_view host, std::string_view domain) {
  if (domain.empty()) return false;
  if (host == domain) return true;
  return host.size() > domain.size() && host.substr(host.size() - domain.size()) == domain &&
         host[host.size() - domain.size() - 1] == '.';
}

}  // namespace

std::optional<Platform> ParsePlatform(std::string_view name) {
  for (const PlatformInfo& p : kPlatforms) {
    if (p.name == name) return p.platform;
  }
  return std::nullopt;
}

std::string_view PlatformName(Platform platform) { return InfoOf(platform).name; }
std::string_view PlatformLabel(Platform platform) { return InfoOf(platform).label; }

const std::vector<Platform>& AllPlatforms() {
  static const std::vector<Platform> all = [] {
    std::vector<Platform> out;
    for (const PlatformInfo& p : kPlatforms) out.push_back(p.platform);
    return out;
  }();
  return all;
}

std::string PlatformDomainsText(Platform platform) {
  std::string out;
  for (std::string_view d : InfoOf(platform).domains) {
    if (d.empty()) continue;
    if (!out.empty()) out += ", ";
    out += d;
  }
  return out;
}

std::optional<std::string> HttpHost(std::string_view url) {
  if (url.empty() || url.size() > kMaxUrlBytes) return std::nullopt;
  std::size_t start = 0;
  if (StartsWithNoCase(url, "https://")) {
    start = 8;
  } else if (StartsWithNoCase(url, "http://")) {
    start = 7;
  } else {
    return std::nullopt;
  }
  for (char c : url) {
    // No spaces or control characters anywhere: an address a browser would
    // have to guess at is refused rather than stored.
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  }
  const std::size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5) return std::nullopt;
    for (char c : port) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    authority = authority.substr(0, colon);
  }
  if (authority.empty() || authority.front() == '.' || authority.front() == '-') return std::nullopt;
  std::string host;
  host.reserve(authority.size());
  for (char c : authority) {
    const char l = Lower(c);
    if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '-')) return std::nullopt;
    host += l;
  }
  if (host.back() == '.') host.pop_back();
  if (host.empty() || host.find("..") != std::string::npos) return std::nullopt;
  return host;
}

bool UrlFitsPlatform(std::string_view url, Platform platform, std::string_view own_host) {
  const auto host = HttpHost(url);
  if (!host) return false;
  if (platform == Platform::kOther) return true;
  if (platform == Platform::kNongsan) return HostUnder(*host, own_host);
  for (std::string_view domain : InfoOf(platform).domains) {
    if (HostUnder(*host, domain)) return true;
  }
  return false;
}

}  // namespace nongsan::live
