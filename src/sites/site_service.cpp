#include "sites/site_service.hpp"

#include <algorithm>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "core/text.hpp"
#include "sites/site_rules.hpp"

namespace nongsan::sites {
namespace {

constexpr std::string_view kSelectSite =
    "SELECT seller_id, tagline, story, theme_color, hero_photo_id, hero_photo_key, custom_domain, "
    "domain_approved_at, updated_at, version, domain_refused, domain_refusal_reason FROM sites_settings "
    "WHERE seller_id = ?";
// Column positions of kSelectSite (kPendingDomains reads the same).
enum SiteColumn {
  kSellerId,
  kTagline,
  kStory,
  kThemeColor,
  kHeroPhotoId,
  kHeroPhotoKey,
  kDomain,
  kApprovedAt,
  kUpdatedAt,
  kVersion,
  kRefused,
  kRefusalReason
};

constexpr std::string_view kUpsertSite =
    "INSERT INTO sites_settings (seller_id, tagline, story, theme_color, hero_photo_id, hero_photo_key, "
    "custom_domain, domain_approved_at, domain_approved_by, updated_by, updated_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
    "ON CONFLICT (seller_id) DO UPDATE SET tagline = excluded.tagline, story = excluded.story, "
    "theme_color = excluded.theme_color, hero_photo_id = excluded.hero_photo_id, "
    "hero_photo_key = excluded.hero_photo_key, custom_domain = excluded.custom_domain, "
    "domain_approved_at = excluded.domain_approved_at, domain_approved_by = excluded.domain_approved_by, "
    "updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = sites_settings.version + "
    "1";

constexpr std::string_view kApproveDomain =
    "UPDATE sites_settings SET domain_approved_at = ?, domain_approved_by = ?, version = version + 1 "
    "WHERE seller_id = ? AND custom_domain = ?";

constexpr std::string_view kPendingDomains =
    "SELECT seller_id, tagline, story, theme_color, hero_photo_id, hero_photo_key, custom_domain, "
    "domain_approved_at, updated_at, version, domain_refused, domain_refusal_reason FROM sites_settings "
    "WHERE custom_domain IS NOT NULL AND domain_approved_at IS NULL ORDER BY updated_at, seller_id LIMIT ?";

constexpr std::string_view kRejectDomain =
    "UPDATE sites_settings SET domain_refused = custom_domain, domain_refusal_reason = ?, custom_domain = "
    "NULL, "
    "domain_approved_at = NULL, domain_approved_by = NULL, version = version + 1 "
    "WHERE seller_id = ? AND custom_domain = ?";

constexpr std::string_view kApprovedDomains =
    "SELECT custom_domain, seller_id FROM sites_settings "
    "WHERE custom_domain IS NOT NULL AND domain_approved_at IS NOT NULL";

db::Value OptionalInt(const std::optional<std::int64_t>& v) {
  if (!v) return std::monostate{};
  return *v;
}

db::Value OptionalText(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  return *v;
}

SiteSettings Defaults(std::int64_t seller_id) {
  SiteSettings s;
  s.seller_id = seller_id;
  s.theme_color = std::string(kDefaultThemeColor);
  return s;
}

SiteSettings FromRow(const db::Row& r) {
  SiteSettings s;
  s.seller_id = r.Int(kSellerId);
  s.tagline = r.Text(kTagline);
  s.story = r.Text(kStory);
  s.theme_color = r.Text(kThemeColor);
  s.hero_photo_id = r.OptInt(kHeroPhotoId);
  s.hero_photo_key = r.Text(kHeroPhotoKey);
  s.custom_domain = r.OptText(kDomain);
  s.domain_approved_at = r.OptInt(kApprovedAt);
  s.updated_at = r.Int(kUpdatedAt);
  s.version = r.Int(kVersion);
  if (r.size() > kRefusalReason) {
    s.refused_domain = r.Text(kRefused);
    s.refusal_reason = r.Text(kRefusalReason);
  }
  if (s.custom_domain)
    s.domain_status = s.domain_approved_at ? DomainStatus::kApproved : DomainStatus::kPending;
  return s;
}

Error DomainTaken(const std::string& domain) {
  Error e = Error::Conflict("domain_taken", "custom_domain: " + domain + " is already used by another shop");
  e.fields.push_back({"custom_domain", "is already used by another shop"});
  return e;
}

}  // namespace

const char* DomainStatusName(DomainStatus status) {
  switch (status) {
    case DomainStatus::kNone:
      return "none";
    case DomainStatus::kPending:
      return "pending";
    case DomainStatus::kApproved:
      return "approved";
  }
  return "none";
}

SiteService::SiteService(db::Database& db, const Clock& clock, ShopPort& shops, CatalogPort& catalog,
                         CertificatePort& certificates, std::string platform_host)
    : db_(db),
      clock_(clock),
      shops_(shops),
      catalog_(catalog),
      certificates_(certificates),
      platform_host_(std::move(platform_host)) {}

Result<SiteSettings> SiteService::Load(std::int64_t seller_id) {
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) { return c.QueryOne(kSelectSite, {seller_id}); }));
  return row ? FromRow(*row) : Defaults(seller_id);
}

Result<SiteSettings> SiteService::Get(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  const ShopRelation relation = shops_.RelationOf(principal, seller_id);
  if (!relation.manages && !relation.official) return Error::NotFound("shop");
  return Load(seller_id);
}

Result<SiteSettings> SiteService::Put(const Principal* principal, std::int64_t seller_id,
                                      const SiteInput& input) {
  if (principal == nullptr) return Error::Unauthorized();
  const ShopRelation relation = shops_.RelationOf(principal, seller_id);
  if (!relation.manages) {
    if (relation.official) return Error::Forbidden("Only the shop's people set up its website.");
    return Error::NotFound("shop");
  }
  std::vector<FieldError> errors;
  SiteSettings next = Defaults(seller_id);
  next.tagline = CleanSiteText(input.tagline, "tagline", kMaxTaglineChars, false, errors).value_or("");
  next.story = CleanSiteText(input.story, "story", kMaxStoryChars, true, errors).value_or("");
  if (!input.theme_color.empty()) next.theme_color = CheckThemeColor(input.theme_color, errors).value_or("");
  if (!input.custom_domain.empty())
    next.custom_domain = CheckCustomDomain(input.custom_domain, platform_host_, errors);
  if (input.hero_photo_id) {
    TRY_ASSIGN(auto photos, catalog_.ShopPhotos(*principal, seller_id, kMaxHeroChoices));
    auto own = std::find_if(photos.begin(), photos.end(),
                            [&](const ShopPhoto& p) { return p.id == *input.hero_photo_id; });
    if (own != photos.end()) {
      next.hero_photo_id = input.hero_photo_id;
      next.hero_photo_key = own->key;
    } else {
      errors.push_back({"hero_photo_id", "must be a photo of one of this shop's products"});
    }
  }
  TRY(CheckFields(std::move(errors)));

  TRY_ASSIGN(SiteSettings current, Load(seller_id));
  // The approval was for that domain: a new one waits for its own.
  if (next.custom_domain && next.custom_domain == current.custom_domain) {
    next.domain_approved_at = current.domain_approved_at;
  }
  next.updated_at = clock_.NowMs();
  Status written = db_.WriteWith([&](db::Connection& c) -> Status {
    if (next.custom_domain) {
      TRY_ASSIGN(auto owner, c.QueryOne("SELECT seller_id FROM sites_settings WHERE custom_domain = ?",
                                        {*next.custom_domain}));
      if (owner && owner->Int(0) != seller_id) return DomainTaken(*next.custom_domain);
    }
    // A new domain asked for: the old refusal has been read.
    if (next.custom_domain && next.custom_domain != current.custom_domain) {
      TRY(c.Exec(
          "UPDATE sites_settings SET domain_refused = NULL, domain_refusal_reason = NULL WHERE seller_id = ?",
          {seller_id}));
    }
    TRY(c.Exec(kUpsertSite,
               {seller_id, next.tagline, next.story, next.theme_color, OptionalInt(next.hero_photo_id),
                next.hero_photo_key, OptionalText(next.custom_domain), OptionalInt(next.domain_approved_at),
                next.domain_approved_at ? db::Value(principal->user_id) : db::Value(std::monostate{}),
                principal->user_id, next.updated_at}));
    return Ok{};
  });
  if (!written.ok()) {
    // Two shops claiming one domain at once: the unique index decides.
    if (db::IsUniqueViolation(written.error()) && next.custom_domain) return DomainTaken(*next.custom_domain);
    return written.error();
  }
  DropDomainCache();
  return Load(seller_id);
}

Status SiteService::RequireDomainOfficial(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  const ShopRelation relation = shops_.RelationOf(principal, seller_id);
  if (relation.province_admin) return Ok{};
  if (relation.manages || relation.official) {
    return Error::Forbidden("A custom domain is approved by the admin of the shop's province.");
  }
  return Error::NotFound("shop");
}

std::string SiteService::ProvinceOf(const Principal* principal, std::int64_t seller_id) {
  auto shop = shops_.View(principal, seller_id);
  return shop.ok() ? shop->province_code : "";
}

Result<SiteSettings> SiteService::ApproveDomain(const Principal* principal, std::int64_t seller_id) {
  TRY(RequireDomainOfficial(principal, seller_id));
  TRY_ASSIGN(SiteSettings current, Load(seller_id));
  if (!current.custom_domain) {
    return Error::Conflict("no_custom_domain", "The shop has not asked for a custom domain.");
  }
  accounts::AuditEntry entry;
  entry.actor_user_id = principal->user_id;
  entry.action = "site.domain_approve";
  entry.object_type = "seller";
  entry.object_id = std::to_string(seller_id);
  entry.before = {{"custom_domain", *current.custom_domain},
                  {"domain_status", DomainStatusName(current.domain_status)}};
  entry.after = {{"custom_domain", *current.custom_domain}, {"domain_status", "approved"}};
  entry.province_code = ProvinceOf(principal, seller_id);
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    const std::int64_t now = clock_.NowMs();
    TRY(c.Exec(kApproveDomain, {now, principal->user_id, seller_id, *current.custom_domain}));
    return accounts::RecordAudit(c, entry, now);
  }));
  DropDomainCache();
  return Load(seller_id);
}

Result<SiteSettings> SiteService::RejectDomain(const Principal* principal, std::int64_t seller_id,
                                               const std::string& reason) {
  TRY(RequireDomainOfficial(principal, seller_id));
  std::vector<FieldError> errors;
  auto clean = CleanSiteText(reason, "reason", kMaxDomainRefusalChars, true, errors);
  if (clean && text::CodePointCount(*clean) < kMinDomainRefusalChars) {
    errors.push_back({"reason", "give the reason in at least " + std::to_string(kMinDomainRefusalChars) +
                                    " characters: the shop reads it"});
  }
  TRY(CheckFields(std::move(errors)));
  TRY_ASSIGN(SiteSettings current, Load(seller_id));
  if (!current.custom_domain) {
    return Error::Conflict("no_custom_domain", "The shop has not asked for a custom domain.");
  }
  accounts::AuditEntry entry;
  entry.actor_user_id = principal->user_id;
  entry.action = "site.domain_reject";
  entry.object_type = "seller";
  entry.object_id = std::to_string(seller_id);
  entry.before = {{"custom_domain", *current.custom_domain},
                  {"domain_status", DomainStatusName(current.domain_status)}};
  entry.after = {{"custom_domain", nullptr}, {"refused", *current.custom_domain}, {"reason", *clean}};
  entry.province_code = ProvinceOf(principal, seller_id);
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t changed, c.Exec(kRejectDomain, {*clean, seller_id, *current.custom_domain}));
    if (changed == 0) return Error::Conflict("no_custom_domain", "The shop changed its domain meanwhile.");
    return accounts::RecordAudit(c, entry, clock_.NowMs());
  }));
  DropDomainCache();
  return Load(seller_id);
}

Result<std::vector<SiteSettings>> SiteService::PendingDomains(const Principal* admin) {
  if (admin == nullptr) return Error::Unauthorized();
  if (!admin->Has(Role::kProvinceAdmin))
    return Error::Forbidden("Custom domains are approved by province admins.");
  TRY_ASSIGN(db::Rows rows, db_.Read([](db::Connection& c) {
    return c.Query(kPendingDomains, {static_cast<std::int64_t>(kMaxPendingDomains)});
  }));
  std::vector<SiteSettings> out;
  for (const auto& r : rows) {
    SiteSettings s = FromRow(r);
    if (shops_.RelationOf(admin, s.seller_id).province_admin) out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<ShopPhoto>> SiteService::HeroChoices(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  if (!shops_.RelationOf(principal, seller_id).manages) return Error::NotFound("shop");
  return catalog_.ShopPhotos(*principal, seller_id, kMaxHeroChoices);
}

Result<PublicSite> SiteService::Head(const Principal* viewer, std::int64_t seller_id) {
  PublicSite site;
  TRY_ASSIGN(site.shop, shops_.View(viewer, seller_id));
  TRY_ASSIGN(site.settings, Load(seller_id));
  return site;
}

Status SiteService::AddListings(PublicSite& site) {
  const Members members = site.shop.cooperative ? Members::kInclude : Members::kExclude;
  TRY_ASSIGN(site.products, catalog_.PublicProducts(site.shop.id, members, kSiteProductCount));
  TRY_ASSIGN(site.certificates, certificates_.ShopCertificates(site.shop.id));
  TRY_ASSIGN(auto trademarks, certificates_.Trademarks(site.shop.id));
  site.certificates.insert(site.certificates.end(), trademarks.begin(), trademarks.end());
  return Ok{};
}

Result<PublicSite> SiteService::Site(const Principal* viewer, std::int64_t seller_id) {
  TRY_ASSIGN(PublicSite site, Head(viewer, seller_id));
  TRY(AddListings(site));
  return site;
}

std::optional<std::int64_t> SiteService::ShopForHost(const std::string& host) {
  std::lock_guard lock(domains_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (domains_loaded_ == std::chrono::steady_clock::time_point{} || now - domains_loaded_ > kDomainCacheTtl) {
    auto rows = db_.Read([](db::Connection& c) { return c.Query(kApprovedDomains); });
    if (rows.ok()) {
      domains_.clear();
      for (const auto& r : *rows) domains_[r.Text(0)] = r.Int(1);
      domains_loaded_ = now;
    }
    // On a failed read the previous map keeps serving until the next try.
  }
  auto it = domains_.find(host);
  if (it == domains_.end()) return std::nullopt;
  return it->second;
}

void SiteService::DropDomainCache() {
  std::lock_guard lock(domains_mu_);
  domains_loaded_ = {};
}

}  // namespace nongsan::sites
