#include "trace/trace_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalog/gtin.hpp"
#include "core/field_errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "db/read_one.hpp"
#include "trace/epcis.hpp"
#include "trace/farming_log.hpp"
#include "trace/gs1.hpp"

namespace nongsan::trace {
namespace {

constexpr std::string_view kPrefixColumns =
    "seller_id, company_prefix, status, next_item_ref, verified_at, updated_at";

// A lot's scans are counted in trace_lot_scans (a narrow table the scan
// writer updates without touching the wide lot rows).
constexpr std::string_view kLotColumns =
    "id, seller_id, product_id, code, public_code, gtin14, produced_day, harvested_day, expires_day, "
    "quantity, "
    "packed, origin_commune_code, origin_province_code, plot, farming_log, status, status_reason, "
    "COALESCE((SELECT s.scans FROM trace_lot_scans s WHERE s.lot_id = trace_lots.id), 0), "
    "created_at, updated_at, timeline_version";
// The same without the scan count (0): what the resolver reads for a page,
// which does not show it.
constexpr std::string_view kLotColumnsWithoutScans =
    "id, seller_id, product_id, code, public_code, gtin14, produced_day, harvested_day, expires_day, "
    "quantity, "
    "packed, origin_commune_code, origin_province_code, plot, farming_log, status, status_reason, 0, "
    "created_at, updated_at, timeline_version";

// Columns of kLotColumns, in order.
enum LotColumn {
  kId,
  kSellerId,
  kProductId,
  kCode,
  kPublicCode,
  kGtin14,
  kProducedDay,
  kHarvestedDay,
  kExpiresDay,
  kQuantity,
  kPacked,
  kOriginCommune,
  kOriginProvince,
  kPlot,
  kFarmingLog,
  kStatus,
  kStatusReason,
  kScans,
  kCreatedAt,
  kUpdatedAt,
  kTimelineVersion,
};

// "SELECT <columns> FROM <table> WHERE <where>", built by appending (GCC 12
// warns falsely on operator+ chains of string temporaries).
std::string Select(std::string_view columns, std::string_view table, std::string_view where) {
  std::string sql = "SELECT ";
  sql += columns;
  sql += " FROM ";
  sql += table;
  sql += " WHERE ";
  sql += where;
  return sql;
}

Gs1Prefix PrefixFromRow(const db::Row& r) {
  Gs1Prefix p;
  p.seller_id = r.Int(0);
  p.company_prefix = r.Text(1);
  p.status = r.Text(2) == "verified" ? PrefixStatus::kVerified : PrefixStatus::kPending;
  p.assigned = r.Int(3);
  p.capacity = gs1::ItemReferenceCapacity(p.company_prefix);
  p.verified_at = r.OptInt(4);
  p.updated_at = r.Int(5);
  return p;
}

Lot LotFromRow(const db::Row& r) {
  Lot lot;
  lot.id = r.Int(kId);
  lot.seller_id = r.Int(kSellerId);
  lot.product_id = r.Int(kProductId);
  lot.code = r.Text(kCode);
  lot.public_code = r.Text(kPublicCode);
  lot.gtin14 = r.OptText(kGtin14);
  lot.produced_day = r.Int(kProducedDay);
  lot.harvested_day = r.OptInt(kHarvestedDay);
  lot.expires_day = r.OptInt(kExpiresDay);
  lot.quantity = r.Int(kQuantity);
  lot.packed = r.Int(kPacked);
  lot.origin_commune_code = r.Text(kOriginCommune);
  lot.origin_province_code = r.Text(kOriginProvince);
  lot.plot = r.Text(kPlot);
  // Read in place: the log is the row's longest text.
  const auto* log = std::get_if<std::string>(&r.at(kFarmingLog));
  lot.farming_log = ParseFarmingLog(log != nullptr ? std::string_view(*log) : std::string_view());
  lot.status = ParseLotStatus(r.Text(kStatus)).value_or(LotStatus::kActive);
  lot.status_reason = r.Text(kStatusReason);
  lot.scans = r.Int(kScans);
  lot.created_at = r.Int(kCreatedAt);
  lot.updated_at = r.Int(kUpdatedAt);
  lot.timeline_version = r.Int(kTimelineVersion);
  return lot;
}

db::Value OptDay(const std::optional<std::int64_t>& day) {
  return day ? db::Value(*day) : db::Value(std::monostate{});
}

// Trimmed NFC text of at most max_chars characters, or a field error.
std::optional<std::string> CleanText(const std::string& raw, std::size_t max_chars, const std::string& field,
                                     std::vector<FieldError>& errors) {
  std::string s = text::ToNfc(text::Trim(raw));
  if (text::CodePointCount(s) > max_chars) {
    errors.push_back({field, "must be at most " + std::to_string(max_chars) + " characters"});
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> Day(const std::optional<std::string>& iso, const std::string& field,
                                std::vector<FieldError>& errors) {
  if (!iso) return std::nullopt;
  auto day = timefmt::ParseIsoDate(*iso);
  if (!day) errors.push_back({field, "must be a date YYYY-MM-DD"});
  return day;
}

}  // namespace

const char* PrefixStatusName(PrefixStatus s) { return s == PrefixStatus::kVerified ? "verified" : "pending"; }

const char* LotStatusName(LotStatus s) {
  switch (s) {
    case LotStatus::kActive:
      return "active";
    case LotStatus::kOnHold:
      return "on_hold";
    case LotStatus::kRecalled:
      return "recalled";
    case LotStatus::kClosed:
      return "closed";
  }
  return "active";
}

std::optional<LotStatus> ParseLotStatus(const std::string& name) {
  for (LotStatus s : {LotStatus::kActive, LotStatus::kOnHold, LotStatus::kRecalled, LotStatus::kClosed}) {
    if (name == LotStatusName(s)) return s;
  }
  return std::nullopt;
}

TraceService::TraceService(db::Database& db, const Clock& clock, ShopPort& shops, ProductPort& products,
                           AreaPort& areas)
    : db_(db), clock_(clock), shops_(shops), products_(products), areas_(areas) {}

Result<ShopRef> TraceService::RequireManager(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  if (!shop || !shops_.CanManage(principal, seller_id)) return Error::NotFound("shop");
  return *shop;
}

Result<ShopRef> TraceService::RequireReader(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  if (!shop) return Error::NotFound("shop");
  if (shops_.CanManage(principal, seller_id) || shops_.OfficerCovers(*principal, shop->commune_code))
    return *shop;
  return Error::NotFound("shop");
}

Result<ProductRef> TraceService::ManagedProduct(const Principal* principal, std::int64_t product_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto product, products_.Find(product_id));
  if (!product || !shops_.CanManage(principal, product->seller_id)) return Error::NotFound("product");
  return *product;
}

// --- GS1 company prefix ------------------------------------------------------

Result<std::optional<Gs1Prefix>> TraceService::LoadPrefix(std::int64_t seller_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<Gs1Prefix>> {
    TRY_ASSIGN(auto row,
               c.QueryOne(Select(kPrefixColumns, "trace_gs1_prefixes", "seller_id = ?"), {seller_id}));
    if (!row) return std::optional<Gs1Prefix>{};
    return std::optional<Gs1Prefix>{PrefixFromRow(*row)};
  });
}

Result<Gs1Prefix> TraceService::SetPrefix(const Principal* principal, std::int64_t seller_id,
                                          const std::string& prefix) {
  TRY(RequireManager(principal, seller_id));
  const std::string clean = text::Trim(prefix);
  if (auto problem = gs1::CompanyPrefixProblem(clean)) return Error::Field("company_prefix", *problem);
  const std::int64_t now = clock_.NowMs();
  auto written = db_.Write([&](db::Connection& c) -> Result<Gs1Prefix> {
    TRY_ASSIGN(auto row,
               c.QueryOne(Select(kPrefixColumns, "trace_gs1_prefixes", "seller_id = ?"), {seller_id}));
    if (row) {
      Gs1Prefix current = PrefixFromRow(*row);
      if (current.company_prefix == clean) return current;
      if (current.assigned > 0) {
        return Error::Conflict("prefix_in_use",
                               "GTINs were already numbered from this prefix; it cannot change.");
      }
      TRY(
          c.Exec("UPDATE trace_gs1_prefixes SET company_prefix = ?, status = 'pending', verified_by = NULL, "
                 "verified_at = NULL, submitted_by = ?, submitted_at = ?, updated_at = ? WHERE seller_id = ?",
                 {clean, principal->user_id, now, now, seller_id}));
    } else {
      TRY(c.Exec(
          "INSERT INTO trace_gs1_prefixes (seller_id, company_prefix, status, next_item_ref, submitted_by, "
          "submitted_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?, ?)",
          {seller_id, clean, principal->user_id, now, now}));
    }
    Gs1Prefix p;
    p.seller_id = seller_id;
    p.company_prefix = clean;
    p.capacity = gs1::ItemReferenceCapacity(clean);
    p.updated_at = now;
    return p;
  });
  if (!written.ok() && db::IsUniqueViolation(written.error())) {
    return Error::Invalid("company_prefix: already recorded by another shop",
                          {{"company_prefix", "already recorded by another shop"}});
  }
  return written;
}

Result<Gs1Prefix> TraceService::GetPrefix(const Principal* principal, std::int64_t seller_id) {
  TRY(RequireReader(principal, seller_id));
  TRY_ASSIGN(auto prefix, LoadPrefix(seller_id));
  if (!prefix) return Error::NotFound("GS1 prefix");
  return *prefix;
}

Result<Gs1Prefix> TraceService::VerifyPrefix(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  if (!shop) return Error::NotFound("shop");
  if (!shops_.OfficerCovers(*principal, shop->commune_code)) {
    // The shop side learns why; strangers and other areas' officers learn nothing.
    if (shops_.CanManage(principal, seller_id)) {
      return Error::Forbidden("Only an official of the shop's commune or province verifies its GS1 prefix.");
    }
    return Error::NotFound("shop");
  }
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Gs1Prefix> {
    // Only a pending prefix changes: verifying twice keeps the first verification.
    TRY(
        c.Exec("UPDATE trace_gs1_prefixes SET status = 'verified', verified_by = ?, verified_at = ?, "
               "updated_at = ? WHERE seller_id = ? AND status = 'pending'",
               {principal->user_id, now, now, seller_id}));
    TRY_ASSIGN(auto row,
               c.QueryOne(Select(kPrefixColumns, "trace_gs1_prefixes", "seller_id = ?"), {seller_id}));
    if (!row) return Error::NotFound("GS1 prefix");
    return PrefixFromRow(*row);
  });
}

// --- GTINs ---------------------------------------------------------------------

Result<std::string> TraceService::NextGtin(std::int64_t seller_id) {
  return db_.Write([&](db::Connection& c) -> Result<std::string> {
    TRY_ASSIGN(auto row,
               c.QueryOne(Select(kPrefixColumns, "trace_gs1_prefixes", "seller_id = ?"), {seller_id}));
    if (!row || PrefixFromRow(*row).status != PrefixStatus::kVerified) {
      return Error::Conflict("prefix_not_verified", "The shop has no verified GS1 company prefix.");
    }
    const Gs1Prefix prefix = PrefixFromRow(*row);
    // The conditional increment makes two concurrent assignments take
    // different numbers on both backends.
    TRY_ASSIGN(std::int64_t taken,
               c.Exec("UPDATE trace_gs1_prefixes SET next_item_ref = next_item_ref + 1, updated_at = ? "
                      "WHERE seller_id = ? AND next_item_ref = ? AND next_item_ref < ?",
                      {clock_.NowMs(), seller_id, prefix.assigned, prefix.capacity}));
    if (taken == 0) {
      if (prefix.assigned >= prefix.capacity) {
        return Error::Conflict("prefix_exhausted",
                               "Every item reference under the shop's GS1 prefix is used.");
      }
      return Error::Conflict("concurrent_assignment",
                             "Another GTIN was assigned at the same time; try again.");
    }
    return *gs1::Gtin13(prefix.company_prefix, prefix.assigned);
  });
}

Status TraceService::RegisterGtin(std::int64_t seller_id, std::int64_t product_id, const std::string& gtin,
                                  bool assigned) {
  const std::string gtin14 = gs1::ToGtin14(gtin);
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT product_id FROM trace_gtins WHERE gtin14 = ?", {gtin14}));
    if (row) {
      if (row->Int(0) == product_id) return Ok{};
      return Error::Invalid("gtin: identifies another product", {{"gtin", "identifies another product"}});
    }
    TRY(c.Exec("DELETE FROM trace_gtins WHERE product_id = ?", {product_id}));
    TRY(
        c.Exec("INSERT INTO trace_gtins (gtin14, seller_id, product_id, assigned, created_at) VALUES (?, ?, "
               "?, ?, ?)",
               {gtin14, seller_id, product_id, std::int64_t{assigned ? 1 : 0}, clock_.NowMs()}));
    return Ok{};
  });
}

Result<ProductGtin> TraceService::AssignGtin(const Principal* principal, std::int64_t product_id,
                                             const std::optional<std::string>& given) {
  TRY_ASSIGN(ProductRef product, ManagedProduct(principal, product_id));
  if (product.gtin)
    return Error::Conflict("gtin_exists", "The product already has a GTIN (" + *product.gtin + ").");
  std::string gtin;
  if (given) {
    gtin = text::Trim(*given);
    if (auto problem = catalog::gtin::Problem(gtin)) return Error::Field("gtin", *problem);
  } else {
    TRY_ASSIGN(gtin, NextGtin(product.seller_id));
  }
  // The resolver's index first: a GTIN another product holds is refused
  // before the catalogue is touched.
  TRY(RegisterGtin(product.seller_id, product_id, gtin, !given.has_value()));
  if (Status st = products_.SetGtin(*principal, product_id, gtin); !st.ok()) {
    (void)db_.WriteWith([&](db::Connection& c) -> Status {
      TRY(c.Exec("DELETE FROM trace_gtins WHERE product_id = ?", {product_id}));
      return Ok{};
    });
    return st.error();
  }
  return ProductGtin{product_id, gtin, !given.has_value()};
}

Result<std::string> TraceService::VisibleGtin(const Principal* principal, std::int64_t product_id) {
  TRY_ASSIGN(auto product, products_.Find(product_id));
  if (!product) return Error::NotFound("product");
  if (!product->is_public && !shops_.CanManage(principal, product->seller_id))
    return Error::NotFound("product");
  if (!product->gtin) return Error::NotFound("GTIN");
  return *product->gtin;
}

// --- Lots ------------------------------------------------------------------------

Status TraceService::ApplyInput(const LotInput& in, bool creating, Lot& lot) const {
  std::vector<FieldError> errors;
  if (in.code) {
    const std::string code = text::Trim(*in.code);
    if (auto problem = gs1::LotCodeProblem(code)) errors.push_back({"code", *problem});
    lot.code = code;
  } else if (creating) {
    errors.push_back({"code", "is required"});
  }
  if (auto day = Day(in.produced_on, "produced_on", errors)) {
    lot.produced_day = *day;
  } else if (creating && !in.produced_on) {
    errors.push_back({"produced_on", "is required"});
  }
  if (auto day = Day(in.harvested_on, "harvested_on", errors)) lot.harvested_day = day;
  if (auto day = Day(in.expires_on, "expires_on", errors)) lot.expires_day = day;
  if (in.quantity) {
    if (*in.quantity < 1 || *in.quantity > kMaxLotQuantity) {
      errors.push_back({"quantity", "must be between 1 and " + std::to_string(kMaxLotQuantity)});
    } else {
      lot.quantity = *in.quantity;
    }
  } else if (creating) {
    errors.push_back({"quantity", "is required"});
  }
  if (in.origin_commune_code) {
    const std::string code = text::Trim(*in.origin_commune_code);
    if (!areas_.IsCommune(code)) {
      errors.push_back({"origin_commune_code", "is not a current commune code"});
    } else {
      lot.origin_commune_code = code;
      lot.origin_province_code = areas_.ProvinceOf(code).value_or("");
    }
  }
  if (in.plot) {
    if (auto plot = CleanText(*in.plot, kMaxPlotChars, "plot", errors)) lot.plot = *plot;
  }
  if (in.farming_log) {
    if (in.farming_log->size() > kMaxFarmingEntries) {
      errors.push_back({"farming_log", "at most " + std::to_string(kMaxFarmingEntries) + " entries"});
    } else {
      std::vector<FarmingEntry> log;
      for (std::size_t i = 0; i < in.farming_log->size(); ++i) {
        const FarmingEntry& raw = (*in.farming_log)[i];
        const std::string at = "farming_log[" + std::to_string(i) + "].";
        FarmingEntry e;
        if (!timefmt::ParseIsoDate(raw.date)) errors.push_back({at + "date", "must be a date YYYY-MM-DD"});
        e.date = raw.date;
        e.activity = CleanText(raw.activity, kMaxActivityChars, at + "activity", errors).value_or("");
        if (e.activity.empty()) errors.push_back({at + "activity", "is required"});
        e.input = CleanText(raw.input, kMaxInputChars, at + "input", errors).value_or("");
        e.note = CleanText(raw.note, kMaxNoteChars, at + "note", errors).value_or("");
        log.push_back(std::move(e));
      }
      lot.farming_log = std::move(log);
    }
  }
  const bool dates_ok = std::none_of(errors.begin(), errors.end(), [](const FieldError& e) {
    return e.field == "produced_on" || e.field == "harvested_on" || e.field == "expires_on";
  });
  if (dates_ok && lot.expires_day) {
    if (*lot.expires_day < lot.produced_day) {
      errors.push_back({"expires_on", "must not be before produced_on"});
    } else if (lot.harvested_day && *lot.expires_day < *lot.harvested_day) {
      errors.push_back({"expires_on", "must not be before harvested_on"});
    }
  }
  return CheckFields(std::move(errors));
}

Result<Lot> TraceService::CreateLot(const Principal* principal, std::int64_t product_id,
                                    const LotInput& input) {
  TRY_ASSIGN(ProductRef product, ManagedProduct(principal, product_id));
  Lot lot;
  lot.seller_id = product.seller_id;
  lot.product_id = product_id;
  lot.origin_commune_code = product.origin_commune;
  lot.origin_province_code = areas_.ProvinceOf(product.origin_commune).value_or("");
  TRY(ApplyInput(input, true, lot));
  if (product.gtin) {
    lot.gtin14 = gs1::ToGtin14(*product.gtin);
    TRY(RegisterGtin(product.seller_id, product_id, *product.gtin, false));
  }
  lot.public_code = ids::RandomCode(kPublicCodeLength);
  lot.created_at = lot.updated_at = clock_.NowMs();
  auto created = db_.Write([&](db::Connection& c) -> Result<Lot> {
    TRY_ASSIGN(lot.id, c.QueryInt("INSERT INTO trace_lots (seller_id, product_id, code, public_code, gtin14, "
                                  "produced_day, harvested_day, "
                                  "expires_day, quantity, packed, origin_commune_code, origin_province_code, "
                                  "plot, farming_log, status, "
                                  "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, "
                                  "?, ?, ?, ?, 'active', ?, ?, ?) "
                                  "RETURNING id",
                                  {lot.seller_id, lot.product_id, lot.code, lot.public_code,
                                   lot.gtin14 ? db::Value(*lot.gtin14) : db::Value(std::monostate{}),
                                   lot.produced_day, OptDay(lot.harvested_day), OptDay(lot.expires_day),
                                   lot.quantity, lot.origin_commune_code, lot.origin_province_code, lot.plot,
                                   FarmingLogText(lot.farming_log), principal->user_id, lot.created_at,
                                   lot.updated_at}));
    TRY(RecordPlatformEvent(c, lot,
                            {.action = "ADD",
                             .biz_step = "commissioning",
                             .disposition = "active",
                             .at_ms = lot.created_at,
                             .quantity = lot.quantity,
                             .at_origin = true,
                             .reason = ""}));
    return lot;
  });
  if (!created.ok() && db::IsUniqueViolation(created.error())) {
    return Error::Invalid("code: the product already has a lot with this code",
                          {{"code", "the product already has a lot with this code"}});
  }
  return created;
}

Result<std::vector<Lot>> TraceService::ListLots(const Principal* principal, std::int64_t product_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto product, products_.Find(product_id));
  if (!product) return Error::NotFound("product");
  TRY(RequireReader(principal, product->seller_id));
  return db_.Read([&](db::Connection& c) -> Result<std::vector<Lot>> {
    TRY_ASSIGN(db::Rows rows,
               c.Query(Select(kLotColumns, "trace_lots", "product_id = ? ORDER BY id DESC LIMIT ?"),
                       {product_id, static_cast<std::int64_t>(kMaxLotsListed)}));
    std::vector<Lot> lots;
    for (const auto& r : rows) lots.push_back(LotFromRow(r));
    return lots;
  });
}

Result<std::optional<Lot>> TraceService::FindLot(std::int64_t lot_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<Lot>> {
    TRY_ASSIGN(auto row, c.QueryOne(Select(kLotColumns, "trace_lots", "id = ?"), {lot_id}));
    if (!row) return std::optional<Lot>{};
    return std::optional<Lot>{LotFromRow(*row)};
  });
}

namespace {

// Built once: the statement caches are keyed by the SQL text.
const std::string& LotByGtinSql() {
  static const std::string sql = Select(kLotColumnsWithoutScans, "trace_lots", "gtin14 = ? AND code = ?");
  return sql;
}

const std::string& LotByPublicCodeSql() {
  static const std::string sql = Select(kLotColumnsWithoutScans, "trace_lots", "public_code = ?");
  return sql;
}

std::optional<Lot> LotFromOptRow(const std::optional<db::Row>& row) {
  if (!row) return std::nullopt;
  return LotFromRow(*row);
}

}  // namespace

// One statement each: read on their own (db::ReadOne), without a
// transaction around them.
Result<std::optional<Lot>> TraceService::FindLotByGtin(const std::string& gtin14, const std::string& code) {
  TRY_ASSIGN(auto row, db::ReadOne(db_, LotByGtinSql(), {gtin14, code}));
  return LotFromOptRow(row);
}

Result<std::optional<Lot>> TraceService::FindLotByPublicCode(const std::string& public_code) {
  TRY_ASSIGN(auto row, db::ReadOne(db_, LotByPublicCodeSql(), {public_code}));
  return LotFromOptRow(row);
}

Result<std::optional<Lot>> TraceService::FindLotByGtin(db::Connection& c, const std::string& gtin14,
                                                       const std::string& code) {
  TRY_ASSIGN(auto row, c.QueryOne(LotByGtinSql(), {gtin14, code}));
  return LotFromOptRow(row);
}

Result<std::optional<Lot>> TraceService::FindLotByPublicCode(db::Connection& c,
                                                             const std::string& public_code) {
  TRY_ASSIGN(auto row, c.QueryOne(LotByPublicCodeSql(), {public_code}));
  return LotFromOptRow(row);
}

Result<std::optional<std::int64_t>> TraceService::FindProductByGtin(const std::string& gtin14) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<std::int64_t>> {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT product_id FROM trace_gtins WHERE gtin14 = ?", {gtin14}));
    if (!row) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{row->Int(0)};
  });
}

Result<Lot> TraceService::GetLot(const Principal* principal, std::int64_t lot_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto lot, FindLot(lot_id));
  if (!lot) return Error::NotFound("lot");
  auto reader = RequireReader(principal, lot->seller_id);
  if (!reader.ok()) return Error::NotFound("lot");
  return *lot;
}

Result<Lot> TraceService::UpdateLot(const Principal* principal, std::int64_t lot_id, const LotInput& input) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto found, FindLot(lot_id));
  if (!found || !shops_.CanManage(principal, found->seller_id)) return Error::NotFound("lot");
  Lot lot = *found;
  TRY(ApplyInput(input, false, lot));
  lot.updated_at = clock_.NowMs();
  auto updated = db_.Write([&](db::Connection& c) -> Result<Lot> {
    // packed = 0 in the WHERE: a packing that committed meanwhile wins.
    TRY_ASSIGN(
        std::int64_t changed,
        c.Exec("UPDATE trace_lots SET code = ?, produced_day = ?, harvested_day = ?, expires_day = ?, "
               "quantity = ?, "
               "origin_commune_code = ?, origin_province_code = ?, plot = ?, farming_log = ?, updated_at = ? "
               "WHERE id = ? AND packed = 0",
               {lot.code, lot.produced_day, OptDay(lot.harvested_day), OptDay(lot.expires_day), lot.quantity,
                lot.origin_commune_code, lot.origin_province_code, lot.plot, FarmingLogText(lot.farming_log),
                lot.updated_at, lot_id}));
    if (changed == 0)
      return Error::Conflict("lot_sold", "Something was already packed from this lot; it cannot change.");
    return lot;
  });
  if (!updated.ok() && db::IsUniqueViolation(updated.error())) {
    return Error::Invalid("code: the product already has a lot with this code",
                          {{"code", "the product already has a lot with this code"}});
  }
  return updated;
}

}  // namespace nongsan::trace
