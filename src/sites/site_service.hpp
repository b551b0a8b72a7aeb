// Sites: every shop's promotional website (/s/{shop-slug}) and the settings
// it is drawn from — a tagline, the shop's story, a theme colour, a hero
// photo and an optional custom domain — and the domains officials approved,
// which the app's host routing serves the site under.
//
// Rules (docs/sites.md):
//  - the settings are read and written by those who manage the shop (owner,
//    staff, or someone acting for it: its cooperative's manager, an
//    assisting officer); the commune officer and province admin of the shop
//    may read them (to approve a domain); others get kNotFound, exactly as
//    for anything non-public about a shop;
//  - text, colour and domain follow site_rules.hpp; the hero photo must be a
//    photo of one of the shop's own products; a domain used by another shop
//    is a kConflict (409) naming custom_domain; everything is checked before
//    anything is written, and the write is one transaction;
//  - a custom domain serves nothing until the admin of the shop's province
//    approves it (commune officers may not: a domain is a public claim to a
//    name, and the province answers for the shops it lists); changing the
//    domain withdraws the approval;
//  - the public site follows the marketplace's shop page: kNotFound where
//    that page is a 404 (unknown shops, suspended ones for outsiders).
//
// Thread-safety: safe to share. The map of approved domains is cached in
// memory for kDomainCacheTtl (several app servers see each other's
// approvals within that time) and dropped at once on this server's writes.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "sites/ports.hpp"

namespace nongsan::sites {

inline constexpr std::chrono::seconds kDomainCacheTtl{30};
// Products the site lists (the marketplace's shop page pages through more).
inline constexpr int kSiteProductCount = 24;
// Pending domains looked through for one admin's queue.
inline constexpr std::size_t kMaxPendingDomains = 500;
// The reason a province admin gives when refusing a domain (the shop reads it).
inline constexpr std::size_t kMinDomainRefusalChars = 5;
inline constexpr std::size_t kMaxDomainRefusalChars = 500;
// Photos the seller centre offers as the hero (and a PUT may name).
inline constexpr std::size_t kMaxHeroChoices = 200;

enum class DomainStatus { kNone, kPending, kApproved };
const char* DomainStatusName(DomainStatus status);

struct SiteSettings {
  std::int64_t seller_id = 0;
  std::string tagline;
  std::string story;
  std::string theme_color;  // "#rrggbb"
  std::optional<std::int64_t> hero_photo_id;
  std::string hero_photo_key;  // the catalogue's storage key of that photo
  std::optional<std::string> custom_domain;
  DomainStatus domain_status = DomainStatus::kNone;
  std::optional<std::int64_t> domain_approved_at;
  // The last domain the province refused and why ("" when none), until the
  // shop asks for another.
  std::string refused_domain;
  std::string refusal_reason;
  std::int64_t updated_at = 0;  // 0: never saved (the defaults)
  // Grows with every write (settings or approval): tells kept pages apart.
  std::int64_t version = 0;
};

// PUT /api/v1/sellers/{id}/site replaces the settings: an absent field is
// empty (no hero photo, no domain, the default colour).
struct SiteInput {
  std::string tagline;
  std::string story;
  std::string theme_color;
  std::optional<std::int64_t> hero_photo_id;
  std::string custom_domain;
};

// Everything the public site shows.
struct PublicSite {
  SiteShop shop;
  SiteSettings settings;
  std::vector<SiteProduct> products;
  std::vector<SiteCertificate> certificates;
};

class SiteService {
 public:
  // platform_host: the marketplace's own host name (never a shop's domain).
  SiteService(db::Database& db, const Clock& clock, ShopPort& shops, CatalogPort& catalog,
              CertificatePort& certificates, std::string platform_host);

  Result<SiteSettings> Get(const Principal* principal, std::int64_t seller_id);
  Result<SiteSettings> Put(const Principal* principal, std::int64_t seller_id, const SiteInput& input);
  // Approves the shop's custom domain (the admin of its province only); audited.
  Result<SiteSettings> ApproveDomain(const Principal* principal, std::int64_t seller_id);
  // Refuses the shop's custom domain, pending or approved, with a reason the
  // shop reads: the domain leaves its settings and serves nothing. The same
  // people as ApproveDomain; 409 no_custom_domain when there is none; audited.
  Result<SiteSettings> RejectDomain(const Principal* principal, std::int64_t seller_id,
                                    const std::string& reason);
  // Domains waiting for approval in the provinces `admin` administers,
  // oldest request first; kForbidden for anyone but a province admin.
  Result<std::vector<SiteSettings>> PendingDomains(const Principal* admin);
  // The photos a manager may choose as the hero.
  Result<std::vector<ShopPhoto>> HeroChoices(const Principal* principal, std::int64_t seller_id);

  // The site as `viewer` may see it (kNotFound where the shop page is 404).
  Result<PublicSite> Site(const Principal* viewer, std::int64_t seller_id);
  // Its shop and settings only (what decides visibility, the address and a
  // cached copy's freshness); AddListings completes it.
  Result<PublicSite> Head(const Principal* viewer, std::int64_t seller_id);
  Status AddListings(PublicSite& site);
  // The shop whose approved domain `host` is (lower-case, no port).
  std::optional<std::int64_t> ShopForHost(const std::string& host);

  CatalogPort& catalog() { return catalog_; }
  const std::string& platform_host() const { return platform_host_; }

 private:
  Result<SiteSettings> Load(std::int64_t seller_id);
  void DropDomainCache();
  // Who may decide on the shop's domain: the admin of its province.
  Status RequireDomainOfficial(const Principal* principal, std::int64_t seller_id);
  std::string ProvinceOf(const Principal* principal, std::int64_t seller_id);

  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  CatalogPort& catalog_;
  CertificatePort& certificates_;
  std::string platform_host_;

  std::mutex domains_mu_;
  std::map<std::string, std::int64_t, std::less<>> domains_;  // guarded by domains_mu_
  std::chrono::steady_clock::time_point domains_loaded_{};    // guarded by domains_mu_
};

}  // namespace nongsan::sites
