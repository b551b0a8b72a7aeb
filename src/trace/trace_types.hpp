// Values of the traceability module: a shop's GS1 company prefix and a
// production lot with its farming log. Plain data, no behaviour beyond
// naming states.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nongsan::trace {

enum class PrefixStatus { kPending, kVerified };
// active: may be packed; on_hold: kept back while something is checked;
// recalled: withdrawn for good; closed: everything in it was packed.
enum class LotStatus { kActive, kOnHold, kRecalled, kClosed };

const char* PrefixStatusName(PrefixStatus s);
const char* LotStatusName(LotStatus s);
std::optional<LotStatus> ParseLotStatus(const std::string& name);

struct Gs1Prefix {
  std::int64_t seller_id = 0;
  std::string company_prefix;
  PrefixStatus status = PrefixStatus::kPending;
  std::int64_t assigned = 0;  // item references used so far
  std::int64_t capacity = 0;  // item references the prefix has room for
  std::optional<std::int64_t> verified_at;
  std::int64_t updated_at = 0;
};

struct FarmingEntry {
  std::string date;  // YYYY-MM-DD
  std::string activity;
  std::string input;
  std::string note;
};

struct Lot {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::int64_t product_id = 0;
  std::string code;         // AI (10) batch/lot number, unique per product
  std::string public_code;  // for /truy-xuat/{code} when the product has no GTIN
  std::optional<std::string> gtin14;
  std::int64_t produced_day = 0;  // days since 1970-01-01
  std::optional<std::int64_t> harvested_day;
  std::optional<std::int64_t> expires_day;
  std::int64_t quantity = 0;  // units made
  std::int64_t packed = 0;    // units packed into orders
  std::string origin_commune_code;
  std::string origin_province_code;
  std::string plot;
  std::vector<FarmingEntry> farming_log;
  LotStatus status = LotStatus::kActive;
  std::string status_reason;
  std::int64_t scans = 0;
  // The id of the newest event its provenance page shows (captured from the
  // shop's own system, or a decision of the platform's), 0 without any: a
  // page reads those lines only when there are.
  std::int64_t timeline_version = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  std::int64_t remaining() const { return quantity - packed; }
};

// What a shop sends to create a lot, or (all optional) to change one.
struct LotInput {
  std::optional<std::string> code;
  std::optional<std::string> produced_on;
  std::optional<std::string> harvested_on;
  std::optional<std::string> expires_on;
  std::optional<std::int64_t> quantity;
  std::optional<std::string> origin_commune_code;
  std::optional<std::string> plot;
  std::optional<std::vector<FarmingEntry>> farming_log;
};

}  // namespace nongsan::trace
