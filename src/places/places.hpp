// Vietnamese administrative units: the 2025 two-tier scheme (34 provinces,
// 3,321 communes) as the current address scheme, plus the pre-2025 three-tier
// units and the old→new mapping for old addresses, reports over time and
// carrier APIs that still key on districts. Loaded from the CSV files shipped
// in data/admin-units/ into the places tables on first migration.
//
// PlaceService keeps the current units in memory after Load() (they change by
// law, not by users), so lookups cost no query. Thread-safe after Load().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace nongsan::places {

enum class Scheme { kCurrent, kPre2025 };

struct AdminUnit {
  std::string code;         // GSO code, always a string ("01", "00004")
  std::string name;         // "Phường Ba Đình"
  std::string level;        // province | district | commune
  std::string parent_code;  // "" for provinces
  std::string type;         // Tỉnh, Thành phố Trung ương, Xã, Phường, Đặc khu, …
  std::string short_name;   // "Ba Đình"
  std::string province_code;
  Scheme scheme = Scheme::kCurrent;
};

// A current commune and a pre-2025 district that some of its old communes lay
// in, with how many of them (a merged commune may straddle old districts).
struct OldDistrictLink {
  std::string commune_code;  // current scheme
  AdminUnit district;        // pre-2025 scheme
  int old_communes = 0;
};

db::ModuleMigrations Migrations();

// Loads the shipped CSVs into empty places tables (idempotent). `data_dir` is
// the directory holding the admin-units CSVs.
Status Seed(db::Database& db, const std::string& admin_units_dir);

// Where the shipped CSVs are: ./data/admin-units, else the source tree's.
std::string DefaultAdminUnitsDir();

// An address for display: the street/hamlet line, then the place ("Xã Tân
// Cương, Tỉnh Thái Nguyên"), comma-separated, either part possibly empty. A
// line that already ends with the place (a shop onboarded without a line of
// its own stores the place's full name there) is not followed by it again.
std::string JoinAddress(std::string_view line, std::string_view place);

class PlaceService {
 public:
  explicit PlaceService(db::Database& db) : db_(db) {}
  // Reads the current units into memory. Call after Seed.
  Status Load();

  std::optional<AdminUnit> Get(const std::string& code) const;  // current scheme
  bool IsCommune(const std::string& code) const;
  bool IsProvince(const std::string& code) const;
  // Province code of a current commune (or the code itself for a province).
  std::optional<std::string> ProvinceOf(const std::string& code) const;
  // Children of a current unit; parent "" → the 34 provinces. Sorted by name.
  std::vector<AdminUnit> Children(const std::string& parent_code) const;
  // Units whose name matches q with or without tone marks (prefix of words),
  // provinces first, at most limit.
  std::vector<AdminUnit> Search(const std::string& q, std::size_t limit) const;
  // "Xã Tân Cương, Tỉnh Thái Nguyên" for an address line.
  std::string FullName(const std::string& code) const;

  // Pre-2025 units and mapping (queried from the database).
  Result<std::optional<AdminUnit>> GetPre2025(const std::string& code) const;
  // Current unit(s) an old unit became part of.
  Result<std::vector<AdminUnit>> CurrentFromOld(const std::string& old_code) const;
  // Through the mapping, the pre-2025 districts behind each current commune
  // of the province, ordered by commune code then district code.
  Result<std::vector<OldDistrictLink>> OldDistrictsOfProvince(const std::string& province_code) const;

 private:
  db::Database& db_;
  std::vector<AdminUnit> units_;
  std::unordered_map<std::string, std::size_t> by_code_;
  std::unordered_map<std::string, std::vector<std::size_t>> children_;
  std::vector<std::string> folded_names_;
};

}  // namespace nongsan::places
