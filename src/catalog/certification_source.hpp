// What the catalogue needs to know about products' quality certificates, as
// an interface the catalogue owns: the quality module (which depends on the
// catalogue, never the other way round) implements it over its own service
// (quality/service_adapters.hpp, CatalogCertificationSource) and the app
// wiring hands it to the catalogue (SearchService::SetCertificationSource).
//
// Only verified certificates valid today (by the app's Clock) ever come
// through here: pending, rejected, revoked and expired ones are the quality
// module's business and never reach a search filter, a facet or a badge.
//
// Search filters and facets read a CertificationCoverage snapshot held in
// memory (one hash lookup per indexed product per change, never a query per
// result); badges for a product page are read per request.
//
// Thread-safety: implementations must be safe to call from any thread; a
// coverage is immutable once returned and may be shared freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace nongsan::catalog {

// A coverage holds at most this many kinds (bits 0..11 of a product's mask).
inline constexpr std::size_t kMaxCertificationKinds = 12;
// OCOP ratings a search may ask for (ocop_min=3|4|5).
inline constexpr int kMinOcopStarsFilter = 3;
inline constexpr int kMaxOcopStarsFilter = 5;

// Products with a certificate valid today: per product, the kinds it holds
// and its best OCOP star count.
struct CertificationCoverage {
  struct Entry {
    std::uint16_t kinds = 0;      // bit i: holds kinds[i]
    std::uint8_t ocop_stars = 0;  // best valid OCOP rating, 0 if none
    bool operator==(const Entry&) const = default;
  };
  // Distinct for every distinct content a source returns (a source hands back
  // the same object, with the same version, while nothing changed), so
  // anything computed from a coverage may be cached under its version.
  std::uint64_t version = 0;
  std::vector<std::string> kinds;  // wire names ("ocop", "vietgap", …), at most kMaxCertificationKinds
  std::unordered_map<std::int64_t, Entry> by_product;

  // The bit of a kind name, or nullopt for a kind this source does not know.
  std::optional<std::size_t> KindBit(std::string_view name) const {
    for (std::size_t i = 0; i < kinds.size() && i < kMaxCertificationKinds; ++i) {
      if (kinds[i] == name) return i;
    }
    return std::nullopt;
  }
};

// One certificate as a product or shop page shows it.
struct CertificationBadge {
  std::string kind;   // wire name: "ocop", "vietgap", …
  std::string label;  // display name: "OCOP", "VietGAP", "Hữu cơ", …
  std::optional<int> ocop_stars;
  std::string number;
  std::string issuer;
  std::string expires_on;   // YYYY-MM-DD
  std::string verify_url;   // absolute public verification URL
  std::string verify_path;  // the same page on this site: /c/{code}
};

class CertificationSource {
 public:
  virtual ~CertificationSource() = default;
  // The current coverage; cheap (a shared snapshot, rebuilt by the source
  // when certificates change or the day turns).
  virtual Result<std::shared_ptr<const CertificationCoverage>> Coverage() = 0;
  // Badges of each product (products without any are left out), OCOP first.
  virtual Result<std::map<std::int64_t, std::vector<CertificationBadge>>> ProductBadges(
      const std::vector<std::int64_t>& product_ids) = 0;
  // Distinct certificates valid today over all of a shop's products.
  virtual Result<std::vector<CertificationBadge>> SellerBadges(std::int64_t seller_id) = 0;
};

}  // namespace nongsan::catalog
