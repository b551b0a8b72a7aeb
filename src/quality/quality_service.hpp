// Certificates as verifiable data, and what the rest of nongsan reads from
// them: badges on product and shop pages, the search filters and facets, the
// public register of quality-assured products and the public verification
// page behind each certificate's QR code.
//
// Lifecycle: a shop submits a certificate (pending) naming the products it
// covers; an officer of the shop's commune or the administration of its
// province verifies it, or rejects it with a reason; a verified certificate
// may later be revoked with a reason. Nothing is ever shown from a pending,
// rejected or revoked certificate. Expiry is not a stored state: every read
// compares the expiry day with today's date from the injected Clock, so a
// certificate stops counting at midnight (Vietnam time) after its expiry day
// everywhere at once, without a job. The shop is told 60 and 30 days before.
//
// Storage: quality_certificates, and quality_certificate_products, one row per
// (certificate, product) carrying the kind, stars, validity days and a
// `verified` flag, so "products with a valid certificate of kind K today" is
// one indexed range scan that the catalogue may embed in its search (see
// CertifiedProductsSql) — still no job, since the day is a query parameter.
//
// Thread-safety: all methods may be called from any thread. Methods that take
// ports call them outside their own write transactions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/coverage_observer.hpp"
#include "quality/outbox.hpp"
#include "quality/ports.hpp"
#include "quality/quality_types.hpp"
#include "quality/staged_uploads.hpp"

namespace nongsan::quality {

inline constexpr std::size_t kMaxCertificateNumberChars = 64;
inline constexpr std::size_t kMaxIssuerChars = 200;
inline constexpr std::size_t kMinReasonChars = 5;
// As the catalogue and sellers modules keep a suspension reason, so one fits all.
inline constexpr std::size_t kMaxReasonChars = 500;
// A certificate covers at most this many of the shop's products.
inline constexpr std::size_t kMaxScopeProducts = 200;
// Longest validity a certificate of any kind may claim at all; longer is a typo.
inline constexpr int kMaxValidityMonths = 10 * 12;
// Validity periods set by the programmes; a longer claim is stored but warned about.
inline constexpr int kOcopValidityMonths = 36;
inline constexpr int kVietGapMaxValidityMonths = 24;
// Days before expiry on which the shop is told.
inline constexpr int kExpiryNoticeFirstDays = 60;
inline constexpr int kExpiryNoticeSecondDays = 30;
// Public short codes printed as QR on packs: /c/XXXXXXXX.
inline constexpr std::size_t kPublicCodeLength = 8;
// The register is a public document; a CSV export holds at most this many rows.
inline constexpr std::size_t kMaxRegisterRows = 50'000;
inline constexpr std::size_t kDefaultPageSize = 20;
inline constexpr std::size_t kMaxPageSize = 100;
// Products per IN (…) list when reading badges for many products at once.
inline constexpr std::size_t kMaxIdsPerQuery = 500;

// An uploaded file as received: the bytes and the Content-Type the client
// declared (if any). Checked by CheckUpload before anything is stored.
struct UploadInput {
  std::string bytes;
  std::optional<std::string> content_type;
};

struct CertificateInput {
  std::string kind;
  std::string number;
  std::string issuer;
  std::optional<std::int64_t> ocop_stars;
  std::optional<std::string> ocop_group;
  std::string issued_on;   // YYYY-MM-DD
  std::string expires_on;  // YYYY-MM-DD
  std::vector<std::int64_t> product_ids;
  std::vector<UploadInput> evidence;
  // Files the sender staged on an earlier try of the page form
  // (StagedUploads); each is claimed with the certificate, once.
  std::vector<std::string> staged_evidence;
  TrademarkInput trademark;  // kind trademark only
};

// The IP Office's answer to a filed trademark, as the shop or an officer
// records it (QualityService::DecideTrademark).
struct TrademarkDecision {
  std::string trademark_status;  // "granted" or "refused"
  std::string number;            // granted: the trademark's certificate number (số văn bằng)
  std::string granted_on;        // granted: YYYY-MM-DD; today when empty
  std::string refusal_reason;    // refused: why, as the IP Office wrote
};

struct SubmitResult {
  Certificate certificate;
  std::vector<std::string> warnings;  // e.g. a VietGAP validity longer than 2 years
};

// A certificate file's bytes for download by the shop or an officer.
struct EvidenceBlob {
  EvidenceFile file;
  std::string bytes;
};

// What the public verification page shows for a code.
struct PublicCheck {
  Certificate certificate;
  std::string shop_name;
  bool shop_public = false;
  std::vector<ProductRef> products;  // of its scope that still exist
  std::int64_t today = 0;
  bool valid_today = false;  // verified and within its dates
};

// A search filter on certificates: kind, and for OCOP a minimum star count.
struct CertFilter {
  CertKind kind = CertKind::kOcop;
  int ocop_min = 0;  // 3..5 for OCOP; 0 = any
};

// Parameterized SQL that another module embeds in its own query.
struct SqlFragment {
  std::string sql;
  db::Params params;
};

// Counts for the search facets: products with a valid certificate per kind,
// and OCOP products with at least 3, 4 and 5 stars.
struct CertificationFacets {
  std::map<CertKind, std::int64_t> by_kind;
  std::map<int, std::int64_t> ocop_min;  // 3, 4, 5 → count
};

// Products with a certificate valid on `day`, for filtering and faceting an
// in-memory search (the catalogue's index): per product, the kinds it holds
// and its best OCOP star count. Immutable once built; share freely.
struct CertifiedProducts {
  struct Coverage {
    std::uint32_t kinds = 0;  // bit (1 << CertKind) per kind held
    int ocop_stars = 0;       // best valid OCOP rating, 0 if none
  };
  std::int64_t day = 0;
  std::unordered_map<std::int64_t, Coverage> by_product;

  bool Matches(std::int64_t product_id, const CertFilter& filter) const;
  // Adds the product's certifications to facet counts.
  void Count(std::int64_t product_id, CertificationFacets& facets) const;
};

// A snapshot is rebuilt when older than this (certificates decided by another
// app server), on a new day (expiry), and at once after a decision here.
inline constexpr std::int64_t kCertifiedSnapshotMaxAgeMs = 1000;

struct RegisterQuery {
  std::string province;  // code; "" = all
  std::string commune;   // code; "" = all
  std::optional<CertKind> kind;
  std::string cursor;  // from a previous page
  std::size_t limit = kDefaultPageSize;
};

struct RegisterEntry {
  std::int64_t product_id = 0;
  std::string product_name;
  std::int64_t seller_id = 0;
  std::string shop_name;
  std::string commune_code;
  std::string province_code;
  Badge badge;
  std::optional<OcopGroup> ocop_group;
  std::int64_t issued_day = 0;
};

struct RegisterPage {
  std::vector<RegisterEntry> items;
  std::optional<std::string> next_cursor;
};

// Warnings for a validity longer than the programme allows (OCOP 36 months,
// VietGAP 2 years): stored anyway, shown to the shop and the officer.
std::vector<std::string> ValidityWarnings(CertKind kind, std::int64_t issued_day, std::int64_t expires_day);

class QualityService {
 public:
  // base_url: the public URL printed in verify links ("https://nongsan.vn").
  QualityService(db::Database& db, const Clock& clock, ShopPort& shops, ProductPort& products,
                 const AreaPort& areas, std::string base_url, const StagedUploads& staged);

  // Called after every committed certificate decision (verified, rejected,
  // revoked, a trademark's answer), for caches of what is valid when (start-up
  // wiring only; trace's provenance pages).
  void SetOnCertificatesChanged(std::function<void()> fn) { on_certificates_changed_ = std::move(fn); }
  // Called inside every certificate decision's transaction (start-up wiring
  // only; programme's figures). nullptr: none.
  void SetCoverageObserver(CoverageObserver* observer) { coverage_observer_ = observer; }

  // --- Certificates ---------------------------------------------------------
  // By someone who may manage the shop. 201-worthy result with status pending.
  Result<SubmitResult> Submit(const Principal* principal, std::int64_t seller_id, CertificateInput input);
  Result<Certificate> Verify(const Principal* officer, std::int64_t certificate_id);
  Result<Certificate> Reject(const Principal* officer, std::int64_t certificate_id, std::string reason);
  Result<Certificate> Revoke(const Principal* officer, std::int64_t certificate_id, std::string reason);
  // Records the decision on a filed trademark: by the shop's manager or an
  // officer of its area (404 for anyone else); 409 trademark_decided once it
  // is granted or refused, 409 certificate_number_in_use for a taken number.
  // Recorded by the shop, a verified certificate goes back to pending, so an
  // officer confirms the grant before it becomes a badge; recorded by an
  // officer, it keeps its status and a verified grant is a badge at once.
  Result<Certificate> DecideTrademark(const Principal* principal, std::int64_t certificate_id,
                                      TrademarkDecision decision);
  // Adds an evidence file to a pending certificate (by the shop).
  Result<EvidenceFile> AddEvidence(const Principal* principal, std::int64_t certificate_id, UploadInput file);

  // The shop's manager and officers of its area see every certificate; anyone
  // else sees only the ones valid today (and gets 404 for the others).
  Result<Certificate> Get(const Principal* principal, std::int64_t certificate_id);
  Result<std::vector<Certificate>> ListForShop(const Principal* principal, std::int64_t seller_id);
  Result<EvidenceBlob> GetEvidence(const Principal* principal, std::int64_t certificate_id,
                                   std::int64_t evidence_id);
  // Pending certificates of shops in the officer's area, oldest first.
  Result<std::vector<Certificate>> PendingForOfficer(const Principal* officer, std::size_t limit);

  // --- Public verification (/c/{code}) -------------------------------------
  Result<std::optional<PublicCheck>> CheckCode(const std::string& code);
  std::string VerifyUrl(const std::string& code) const;

  // --- Badges, search, facets -----------------------------------------------
  // Verified certificates valid today covering the product: OCOP first.
  Result<std::vector<Badge>> Certifications(std::int64_t product_id);
  // Verified certificates covering the product that were valid on `day`
  // (days since 1970-01-01): what the traceability page shows for a lot.
  Result<std::vector<Badge>> CertificationsOn(std::int64_t product_id, std::int64_t day);
  Result<std::map<std::int64_t, std::vector<Badge>>> Certifications(
      const std::vector<std::int64_t>& product_ids);
  // Distinct certificates valid today over all of a shop's products.
  Result<std::vector<Badge>> ShopCertifications(std::int64_t seller_id);
  // The shop's registered trademarks: verified certificates of kind trademark
  // whose application was granted, valid today, newest grant first; `number`
  // is the trademark's certificate number. What the product page, the shop
  // website and the printed label show as "Nhãn hiệu đã đăng ký".
  Result<std::vector<Badge>> GrantedTrademarks(std::int64_t seller_id);
  // Products with a certificate matching the filter valid today.
  Result<std::vector<std::int64_t>> CertifiedProductIds(const CertFilter& filter);
  // Every product with a certificate valid today (see CertifiedProducts); the
  // cheap way for an in-memory search to filter and count facets per query.
  Result<std::shared_ptr<const CertifiedProducts>> ValidToday();
  // SQL for the catalogue: "SELECT product_id FROM … WHERE …" listing the
  // products matching the filter on `today` (embed as `p.id IN (<sql>)`).
  SqlFragment CertifiedProductsSql(const CertFilter& filter) const;
  // SQL for the facets over the catalogue's own matching products (a
  // subquery returning product ids): rows (kind TEXT, stars INTEGER, n
  // BIGINT), one per kind and maximum star count; FacetsFromRows sums them.
  SqlFragment FacetsSql(const SqlFragment& matching_products) const;
  static CertificationFacets FacetsFromRows(const db::Rows& rows);
  // The same facets computed here, for a list of matching products.
  Result<CertificationFacets> Facets(const std::vector<std::int64_t>& product_ids);

  // --- Public register ------------------------------------------------------
  // Products (still in the catalogue) with a certificate valid today, one
  // row per (certificate, product); suspended products and shops never appear.
  Result<RegisterPage> Register(const RegisterQuery& query);
  // Every row at once (at most kMaxRegisterRows), for the CSV export.
  Result<std::vector<RegisterEntry>> RegisterAll(const RegisterQuery& query);

  // --- Notices to shops -----------------------------------------------------
  // The shop's quality notices (certificates decided or expiring, suspensions,
  // complaints), newest first, for those who may manage it.
  Result<std::vector<OutboxMessage>> Notices(const Principal* principal, std::int64_t seller_id,
                                             std::size_t limit);
  // Queues a notice for every verified certificate entering its last 60 or 30
  // days, once each; safe to run as often as liked. Returns how many queued.
  Result<int> QueueExpiryNotices();

  std::int64_t Today() const;

 private:
  Result<Certificate> Load(std::int64_t certificate_id);
  Result<Certificate> Decide(const Principal* officer, std::int64_t certificate_id, CertStatus to,
                             std::string reason);
  Result<bool> MaySeeAll(const Principal* principal, std::int64_t seller_id, const std::string& commune_code);
  Result<std::vector<RegisterEntry>> RegisterRows(const RegisterQuery& query, std::size_t want,
                                                  std::string* next_cursor);

  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  ProductPort& products_;
  const AreaPort& areas_;
  std::string base_url_;
  const StagedUploads& staged_;

  std::mutex snapshot_mu_;
  std::shared_ptr<const CertifiedProducts> snapshot_;  // guarded by snapshot_mu_
  std::int64_t snapshot_built_ms_ = 0;                 // guarded by snapshot_mu_
  std::function<void()> on_certificates_changed_;
  CoverageObserver* coverage_observer_ = nullptr;
  // Drops the snapshot and tells on_certificates_changed_.
  void CertificatesChanged();
};

}  // namespace nongsan::quality
