// Display formats and URLs of the web pages, as pure functions:
//  - prices "125.000 ₫" and dates "29/11/2026" (Vietnam time);
//  - the public URL scheme with Vietnamese slugs (docs/pages.md), e.g.
//    /san-pham/che-tan-cuong-loai-1-42. The id at the end is what identifies
//    the object; the slug is for people and search engines, and a stale slug
//    is redirected to the current one.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nongsan::web {

// "125.000 ₫".
std::string Price(std::int64_t vnd);
// "29/11/2026" for an instant in Unix milliseconds.
std::string Date(std::int64_t unix_ms);
// "29/11/2026 20:49" for an instant in Unix milliseconds.
std::string DateTime(std::int64_t unix_ms);

// Path prefixes of the public pages (Vietnamese, no tone marks).
inline constexpr std::string_view kProductPrefix = "/san-pham/";
inline constexpr std::string_view kShopPrefix = "/cua-hang/";
inline constexpr std::string_view kCoopPrefix = "/hop-tac-xa/";
inline constexpr std::string_view kCategoryPrefix = "/danh-muc/";
inline constexpr std::string_view kSearchPath = "/tim-kiem";

// "<prefix><slug>-<id>", or "<prefix><id>" when the name gives no slug.
std::string SlugPath(std::string_view prefix, std::string_view name, std::int64_t id);
std::string ProductPath(std::string_view name, std::int64_t id);
std::string ShopPath(std::string_view name, std::int64_t id);
std::string CoopPath(std::string_view name, std::int64_t id);

// The id at the end of a "<slug>-<id>" path segment ("che-xanh-42" → 42,
// "42" → 42); nullopt if the segment does not end in a positive number.
std::optional<std::int64_t> IdFromSlug(std::string_view segment);

// True for a same-site path that is safe to redirect to after sign-in:
// starts with one '/', no scheme, no backslash, no control characters.
bool IsLocalPath(std::string_view path);

}  // namespace nongsan::web
