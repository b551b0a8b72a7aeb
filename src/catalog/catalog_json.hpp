// JSON shapes of the catalogue's API (docs/api.md conventions: money as
// integer *_vnd plus a display string, RFC 3339 times in Vietnam time, photo
// URLs per size and format). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/product.hpp"
#include "catalog/search_service.hpp"

namespace nongsan::places {
class PlaceService;
struct AdminUnit;
}  // namespace nongsan::places

namespace nongsan::http {
class JsonWriter;
}

namespace nongsan::catalog {

nlohmann::json PhotoJson(const Photo& photo);
// Photo URLs of a storage key, or null for "".
nlohmann::json CoverJson(const std::string& key);
nlohmann::json CategoryRefJson(const std::string& code);
nlohmann::json OriginJson(const Product& p, const places::PlaceService& places);
// {kind, ocop_stars, number, issuer, expires_on, verify_url}
nlohmann::json CertificationJson(const CertificationBadge& badge);
nlohmann::json CertificationsJson(const std::vector<CertificationBadge>& badges);
// The full product; `manager` adds what only the shop sees (suspension
// reason); `certifications`, when given, its verified certificates valid today.
nlohmann::json ProductJson(const Product& p, const places::PlaceService& places, bool manager,
                           const std::vector<CertificationBadge>* certifications = nullptr);
// The text of ProductJson(...).dump(), written directly (the product-by-id
// route's body); the same bytes, checked by a test.
std::string ProductJsonText(const Product& p, const places::PlaceService& places, bool manager,
                            const std::vector<CertificationBadge>* certifications = nullptr);
// The short form used in lists and search results: its members, written into
// an object the caller has begun (and may add to).
void WriteProductSummaryMembers(http::JsonWriter& w, const Product& p, const places::PlaceService& places);
// A page of a shop's products: {"items": [summary…], "next_cursor": "id"|null}.
std::string ProductListJson(const std::vector<Product>& items, std::optional<std::int64_t> next_before_id,
                            const places::PlaceService& places);
// The taxonomy as a tree.
nlohmann::json CategoriesJson();
nlohmann::json AdminUnitJson(const places::AdminUnit& unit);
// Search results: items (each with its certified kinds and best OCOP rating
// from the page's coverage), next_cursor, total, facets (with the coverage:
// certified and ocop_min counts).
// Written directly: the search API's hottest response.
std::string SearchPageJson(const SearchPage& page, const places::PlaceService& places);

}  // namespace nongsan::catalog
