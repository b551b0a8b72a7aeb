// Drawing a shop's product catalogue as an A4 PDF: a cover (shop name,
// photo, story, contact), a page with the table of contents and the shop's
// verified certificates, then its products six to a page — photo, name, unit
// price in ₫, net quantity, OCOP stars, the EAN-13 of the GTIN and a QR to
// the product's page — grouped by member shop for a cooperative. Every page
// after the cover is numbered.
//
// Photos are the JPEGs the photo pipeline already stored, embedded as they
// are (cairo's JPEG MIME data: no re-encoding, and the PDF stays small).
// Pure over its input; each call has its own surfaces: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::printing {

// Products drawn per A4 page (two columns, three rows).
inline constexpr int kCatalogueColumns = 2;
inline constexpr int kCatalogueRows = 3;
inline constexpr int kProductsPerPage = kCatalogueColumns * kCatalogueRows;

enum class CatalogueLang { kVi, kEn };
std::optional<CatalogueLang> ParseCatalogueLang(std::string_view name);

struct CatalogueProduct {
  std::string name;
  std::string price;         // "125.000 ₫ / kg"
  std::string net_quantity;  // "" when not given
  std::optional<int> ocop_stars;
  std::optional<std::string> gtin;
  std::string page_url;  // absolute: what the QR carries
  std::string jpeg;      // the photo, "" without one
};

// One section of product pages: the shop's own products, or a member's.
struct CatalogueGroup {
  std::string title;
  std::vector<CatalogueProduct> products;
};

struct CatalogueCertificate {
  std::string kind;
  std::optional<int> ocop_stars;
  std::string number;
  std::string issuer;
  std::string expires_on;  // dd/mm/yyyy
};

struct CatalogueContent {
  CatalogueLang lang = CatalogueLang::kVi;
  std::string shop_name;
  std::string shop_kind;  // "Hợp tác xã", "Cooperative", …
  std::string story;
  std::string address;
  std::string phone;
  std::string cover_jpeg;  // "" for none
  std::vector<CatalogueCertificate> certificates;
  std::vector<CatalogueGroup> groups;  // empty groups are left out
};

Result<std::string> RenderCatalogue(const CatalogueContent& content);

// The width and height of a baseline or progressive JPEG, read from its
// frame header; nullopt when `jpeg` is not one.
std::optional<std::pair<int, int>> JpegSize(std::string_view jpeg);

}  // namespace nongsan::printing
