#include "places/places.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/source_dir.hpp"
#include "core/text.hpp"

namespace nongsan::places {
namespace {

constexpr const char* kCurrentFile = "vn_admin_units_2025.csv";
constexpr const char* kPre2025File = "vn_admin_units_pre2025.csv";
constexpr const char* kMappingFile = "vn_admin_units_2025_from_pre2025.csv";
constexpr int kCurrent = 2025;  // scheme column values
constexpr int kPre2025 = 2024;

constexpr const char* kUnitColumns = "code, name, level, parent_code, type, short_name, province_code";

// The shipped files are plain CSV without quoted fields (see their README).
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  for (char c : line) {
    if (c == ',') {
      out.push_back(std::move(field));
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  out.push_back(std::move(field));
  return out;
}

Result<std::vector<std::vector<std::string>>> ReadCsv(const std::string& path, std::size_t columns) {
  std::ifstream in(path);
  if (!in) return Error::Unavailable("cannot read " + path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    auto fields = SplitCsvLine(line);
    if (fields.size() != columns) {
      return Error::Invalid(path + ":" + std::to_string(line_no) + ": expected " + std::to_string(columns) +
                            " columns");
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

AdminUnit UnitFromRow(const db::Row& r, Scheme scheme) {
  return AdminUnit{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), scheme};
}

Status InsertUnits(db::Connection& c, const std::vector<std::vector<std::string>>& rows, int scheme) {
  for (const auto& f : rows) {
    TRY(
        c.Exec("INSERT INTO places_units (scheme, code, name, level, parent_code, type, short_name, "
               "province_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {std::int64_t{scheme}, f[0], f[1], f[2], f[3], f[4], f[5], f[6]}));
  }
  return Ok{};
}

}  // namespace

db::ModuleMigrations Migrations() {
  return {"places",
          {{1, "admin units and the 2025 mapping",
            R"SQL(
CREATE TABLE places_units (
  scheme INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent_code TEXT NOT NULL,
  type TEXT NOT NULL,
  short_name TEXT NOT NULL,
  province_code TEXT NOT NULL,
  PRIMARY KEY (scheme, code)
);
CREATE INDEX places_units_parent ON places_units (scheme, parent_code);
CREATE TABLE places_mapping (
  new_code TEXT NOT NULL,
  old_code TEXT NOT NULL,
  merge_type TEXT NOT NULL,
  PRIMARY KEY (new_code, old_code)
);
CREATE INDEX places_mapping_old ON places_mapping (old_code);
)SQL",
            ""}}};
}

std::string DefaultAdminUnitsDir() {
  namespace fs = std::filesystem;
  if (fs::exists(fs::path("data/admin-units") / kCurrentFile)) return "data/admin-units";
  return std::string(core::SourceDir()) + "/data/admin-units";
}

std::string JoinAddress(std::string_view line, std::string_view place) {
  std::string out(line);
  if (place.empty() || line.ends_with(place)) return out;
  if (!out.empty()) out += ", ";
  out += place;
  return out;
}

Status Seed(db::Database& db, const std::string& dir) {
  TRY_ASSIGN(bool seeded, db.Read([](db::Connection& c) -> Result<bool> {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT COUNT(*) FROM places_units"));
    return row && row->Int(0) > 0;
  }));
  if (seeded) return Ok{};
  TRY_ASSIGN(auto current, ReadCsv(dir + "/" + kCurrentFile, 7));
  TRY_ASSIGN(auto old_units, ReadCsv(dir + "/" + kPre2025File, 7));
  TRY_ASSIGN(auto mapping, ReadCsv(dir + "/" + kMappingFile, 6));
  TRY(db.WriteWith([&](db::Connection& c) -> Status {
    // Another process may have seeded between our check and this transaction.
    TRY_ASSIGN(auto row, c.QueryOne("SELECT COUNT(*) FROM places_units"));
    if (row && row->Int(0) > 0) return Ok{};
    TRY(InsertUnits(c, current, kCurrent));
    TRY(InsertUnits(c, old_units, kPre2025));
    for (const auto& f : mapping) {
      TRY(
          c.Exec("INSERT INTO places_mapping (new_code, old_code, merge_type) VALUES (?, ?, ?) "
                 "ON CONFLICT (new_code, old_code) DO NOTHING",
                 {f[0], f[3], f[5]}));
    }
    return Ok{};
  }));
  spdlog::info("places: loaded {} current and {} pre-2025 units", current.size(), old_units.size());
  return Ok{};
}

Status PlaceService::Load() {
  std::vector<AdminUnit> units;
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto rows, c.Query(std::string("SELECT ") + kUnitColumns +
                                      " FROM places_units WHERE scheme = ? ORDER BY code",
                                  {std::int64_t{kCurrent}}));
    for (const auto& r : rows) units.push_back(UnitFromRow(r, Scheme::kCurrent));
    return Ok{};
  }));
  units_ = std::move(units);
  by_code_.clear();
  children_.clear();
  folded_names_.clear();
  for (std::size_t i = 0; i < units_.size(); ++i) {
    by_code_[units_[i].code] = i;
    folded_names_.push_back(text::FoldVietnamese(units_[i].name));
  }
  for (std::size_t i = 0; i < units_.size(); ++i) children_[units_[i].parent_code].push_back(i);
  for (auto& [parent, list] : children_) {
    std::sort(list.begin(), list.end(),
              [&](std::size_t a, std::size_t b) { return folded_names_[a] < folded_names_[b]; });
  }
  return Ok{};
}

std::optional<AdminUnit> PlaceService::Get(const std::string& code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return std::nullopt;
  return units_[it->second];
}

bool PlaceService::IsCommune(const std::string& code) const {
  auto it = by_code_.find(code);
  return it != by_code_.end() && units_[it->second].level == "commune";
}

bool PlaceService::IsProvince(const std::string& code) const {
  auto it = by_code_.find(code);
  return it != by_code_.end() && units_[it->second].level == "province";
}

std::optional<std::string> PlaceService::ProvinceOf(const std::string& code) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return std::nullopt;
  return units_[it->second].province_code;
}

std::vector<AdminUnit> PlaceService::Children(const std::string& parent_code) const {
  std::vector<AdminUnit> out;
  auto it = children_.find(parent_code);
  if (it == children_.end()) return out;
  out.reserve(it->second.size());
  for (std::size_t i : it->second) out.push_back(units_[i]);
  return out;
}

std::vector<AdminUnit> PlaceService::Search(const std::string& q, std::size_t limit) const {
  const auto query_words = text::FoldedWords(q);
  std::vector<AdminUnit> out;
  if (query_words.empty() || limit == 0) return out;
  // Every query word must start a word of the name ("tan cuong" finds "Xã Tân Cương").
  auto matches = [&](const std::string& folded) {
    const auto name_words = text::FoldedWords(folded);
    for (const auto& qw : query_words) {
      bool found = false;
      for (const auto& nw : name_words) {
        if (nw.compare(0, qw.size(), qw) == 0) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  };
  for (int pass = 0; pass < 2 && out.size() < limit; ++pass) {
    const char* level = pass == 0 ? "province" : "commune";
    for (std::size_t i = 0; i < units_.size() && out.size() < limit; ++i) {
      if (units_[i].level == level && matches(folded_names_[i])) out.push_back(units_[i]);
    }
  }
  return out;
}

std::string PlaceService::FullName(const std::string& code) const {
  auto unit = Get(code);
  if (!unit) return "";
  if (unit->level == "province") return unit->name;
  auto province = Get(unit->province_code);
  return province ? unit->name + ", " + province->name : unit->name;
}

Result<std::optional<AdminUnit>> PlaceService::GetPre2025(const std::string& code) const {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<AdminUnit>> {
    TRY_ASSIGN(auto row, c.QueryOne(std::string("SELECT ") + kUnitColumns +
                                        " FROM places_units WHERE scheme = ? AND code = ?",
                                    {std::int64_t{kPre2025}, code}));
    if (!row) return std::optional<AdminUnit>();
    return std::optional<AdminUnit>(UnitFromRow(*row, Scheme::kPre2025));
  });
}

Result<std::vector<AdminUnit>> PlaceService::CurrentFromOld(const std::string& old_code) const {
  TRY_ASSIGN(auto codes, db_.Read([&](db::Connection& c) -> Result<std::vector<std::string>> {
    TRY_ASSIGN(auto rows, c.Query("SELECT new_code FROM places_mapping WHERE old_code = ? ORDER BY new_code",
                                  {old_code}));
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.Text(0));
    return out;
  }));
  std::vector<AdminUnit> out;
  for (const auto& code : codes) {
    if (auto unit = Get(code)) out.push_back(*unit);
  }
  return out;
}

Result<std::vector<OldDistrictLink>> PlaceService::OldDistrictsOfProvince(
    const std::string& province_code) const {
  // Old commune codes are unique nationwide, so the mapping's commune rows
  // join the pre-2025 communes on code; their parent is the old district.
  constexpr const char* kSql =
      "SELECT m.new_code, d.code, d.name, d.level, d.parent_code, d.type, d.short_name, d.province_code, "
      "COUNT(*) FROM places_mapping m "
      "JOIN places_units oc ON oc.scheme = ? AND oc.code = m.old_code AND oc.level = 'commune' "
      "JOIN places_units d ON d.scheme = ? AND d.code = oc.parent_code AND d.level = 'district' "
      "GROUP BY m.new_code, d.code, d.name, d.level, d.parent_code, d.type, d.short_name, d.province_code "
      "ORDER BY m.new_code, d.code";
  TRY_ASSIGN(auto rows, db_.Read([&](db::Connection& c) {
    return c.Query(kSql, {std::int64_t{kPre2025}, std::int64_t{kPre2025}});
  }));
  std::vector<OldDistrictLink> out;
  for (const auto& r : rows) {
    const std::string commune = r.Text(0);
    if (!IsCommune(commune) || ProvinceOf(commune) != province_code) continue;
    AdminUnit district{r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                       r.Text(5), r.Text(6), r.Text(7), Scheme::kPre2025};
    out.push_back({commune, std::move(district), static_cast<int>(r.Int(8))});
  }
  return out;
}

}  // namespace nongsan::places
