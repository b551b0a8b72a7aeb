// Traceability: a shop's GS1 company prefix (recorded by the shop, verified
// by an official like a certificate), GTIN-13 numbers assigned from it, and
// the production lots of each product with their farming log and states.
//
// Rules kept here:
//  * a prefix is 7–10 digits beginning 893 and belongs to one shop; changing
//    it sends it back to pending, and is refused once GTINs were numbered
//    from it (printed barcodes would stop resolving);
//  * GTINs are numbered from the verified prefix in sequence (item reference
//    0, 1, 2, …); a number is never handed out twice, even if the catalogue
//    then refuses it (a clash with a GTIN typed by hand), and 409
//    prefix_exhausted answers when the range is used up;
//  * a lot code follows AI (10) and is unique per product; its dates are
//    ISO days and the expiry is not before production or harvest;
//  * a lot may be changed only while nothing was packed from it.
// Authorization for the specific shop: its managers (ShopPort::CanManage)
// write; they and the officials covering the shop's commune read. Anyone
// else gets kNotFound (existence is not revealed); anonymous kUnauthorized.
//
// Thread-safety: stateless over the database and the ports; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "trace/ports.hpp"
#include "trace/trace_types.hpp"

namespace nongsan::trace {

inline constexpr std::int64_t kMaxLotQuantity = 1'000'000'000;
inline constexpr std::size_t kMaxPlotChars = 200;
inline constexpr std::size_t kMaxFarmingEntries = 200;
inline constexpr std::size_t kMaxActivityChars = 200;
inline constexpr std::size_t kMaxInputChars = 200;
inline constexpr std::size_t kMaxNoteChars = 1000;
inline constexpr std::size_t kMaxLotsListed = 200;
// Length of a lot's public code (/truy-xuat/{code}), from ids::RandomCode's
// 31-letter alphabet: 31^10 ≈ 8·10^14 codes, not guessable one by one.
inline constexpr std::size_t kPublicCodeLength = 10;

struct ProductGtin {
  std::int64_t product_id = 0;
  std::string gtin;
  bool assigned = false;  // numbered from the shop's prefix (not typed by hand)
};

class TraceService {
 public:
  TraceService(db::Database& db, const Clock& clock, ShopPort& shops, ProductPort& products, AreaPort& areas);

  // --- GS1 company prefix ----------------------------------------------------
  Result<Gs1Prefix> SetPrefix(const Principal* principal, std::int64_t seller_id, const std::string& prefix);
  Result<Gs1Prefix> GetPrefix(const Principal* principal, std::int64_t seller_id);
  Result<Gs1Prefix> VerifyPrefix(const Principal* principal, std::int64_t seller_id);

  // --- GTINs -------------------------------------------------------------------
  // Without `given`: the next GTIN-13 under the shop's verified prefix. With
  // it: that GTIN, checked and kept unique within the shop by the catalogue.
  Result<ProductGtin> AssignGtin(const Principal* principal, std::int64_t product_id,
                                 const std::optional<std::string>& given);
  // The product's GTIN when the principal may see the product; kNotFound
  // when the product is hidden from them or has no GTIN.
  Result<std::string> VisibleGtin(const Principal* principal, std::int64_t product_id);

  // --- Lots --------------------------------------------------------------------
  Result<Lot> CreateLot(const Principal* principal, std::int64_t product_id, const LotInput& input);
  Result<std::vector<Lot>> ListLots(const Principal* principal, std::int64_t product_id);
  Result<Lot> GetLot(const Principal* principal, std::int64_t lot_id);
  Result<Lot> UpdateLot(const Principal* principal, std::int64_t lot_id, const LotInput& input);

  // Lookups with no authorization, for the resolver and other modules. The
  // lookups by GTIN and lot code or by public code leave `scans` 0 (the
  // resolver's page does not show it; FindLot and GetLot read it).
  Result<std::optional<Lot>> FindLot(std::int64_t lot_id);
  Result<std::optional<Lot>> FindLotByGtin(const std::string& gtin14, const std::string& code);
  Result<std::optional<Lot>> FindLotByPublicCode(const std::string& public_code);
  // The same two lookups inside a caller's read, so a page can read the lot
  // and what hangs off it in one transaction.
  static Result<std::optional<Lot>> FindLotByGtin(db::Connection& c, const std::string& gtin14,
                                                  const std::string& code);
  static Result<std::optional<Lot>> FindLotByPublicCode(db::Connection& c, const std::string& public_code);
  // The product a GTIN-14 names here, if any.
  Result<std::optional<std::int64_t>> FindProductByGtin(const std::string& gtin14);

  ShopPort& shops() { return shops_; }
  ProductPort& products() { return products_; }
  AreaPort& areas() { return areas_; }
  const Clock& clock() const { return clock_; }
  db::Database& db() { return db_; }

 private:
  Result<ShopRef> RequireManager(const Principal* principal, std::int64_t seller_id);
  Result<ShopRef> RequireReader(const Principal* principal, std::int64_t seller_id);
  Result<ProductRef> ManagedProduct(const Principal* principal, std::int64_t product_id);
  Result<std::optional<Gs1Prefix>> LoadPrefix(std::int64_t seller_id);
  Result<std::string> NextGtin(std::int64_t seller_id);
  Status RegisterGtin(std::int64_t seller_id, std::int64_t product_id, const std::string& gtin,
                      bool assigned);
  // Validates `input` onto `lot` (creation when `creating`), naming every bad field.
  Status ApplyInput(const LotInput& input, bool creating, Lot& lot) const;

  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  ProductPort& products_;
  AreaPort& areas_;
};

}  // namespace nongsan::trace
