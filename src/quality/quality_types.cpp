#include "quality/quality_types.hpp"

#include <cstdio>

#include "core/clock.hpp"

namespace nongsan::quality {
namespace {

struct KindEntry {
  CertKind kind;
  std::string_view name;
  std::string_view label;
};
constexpr KindEntry kKinds[] = {
    {CertKind::kOcop, "ocop", "OCOP"},
    {CertKind::kVietGap, "vietgap", "VietGAP"},
    {CertKind::kOrganic, "organic", "Hữu cơ"},
    {CertKind::kGlobalGap, "globalgap", "GlobalGAP"},
    {CertKind::kTrademark, "trademark", "Nhãn hiệu"},
    {CertKind::kOther, "other", "Chứng nhận khác"},
};

struct StatusEntry {
  CertStatus status;
  std::string_view name;
};
constexpr StatusEntry kStatuses[] = {
    {CertStatus::kPending, "pending"},   {CertStatus::kVerified, "verified"},
    {CertStatus::kRejected, "rejected"}, {CertStatus::kExpired, "expired"},
    {CertStatus::kRevoked, "revoked"},
};

struct GroupEntry {
  OcopGroup group;
  std::string_view name;
};
constexpr GroupEntry kGroups[] = {
    {OcopGroup::kFood, "food"},           {OcopGroup::kDrinks, "drinks"},
    {OcopGroup::kHerbal, "herbal"},       {OcopGroup::kTextiles, "textiles"},
    {OcopGroup::kSouvenirs, "souvenirs"}, {OcopGroup::kTourism, "tourism"},
};

constexpr int kMonthsPerYear = 12;

}  // namespace

std::string_view CertKindName(CertKind kind) {
  for (const auto& e : kKinds)
    if (e.kind == kind) return e.name;
  return "other";
}

std::optional<CertKind> ParseCertKind(std::string_view name) {
  for (const auto& e : kKinds)
    if (e.name == name) return e.kind;
  return std::nullopt;
}

std::string_view CertKindLabel(CertKind kind) {
  for (const auto& e : kKinds)
    if (e.kind == kind) return e.label;
  return "";
}

std::string_view CertStatusName(CertStatus status) {
  for (const auto& e : kStatuses)
    if (e.status == status) return e.name;
  return "pending";
}

std::optional<CertStatus> ParseCertStatus(std::string_view name) {
  for (const auto& e : kStatuses)
    if (e.name == name) return e.status;
  return std::nullopt;
}

std::string_view OcopGroupName(OcopGroup group) {
  for (const auto& e : kGroups)
    if (e.group == group) return e.name;
  return "food";
}

std::optional<OcopGroup> ParseOcopGroup(std::string_view name) {
  for (const auto& e : kGroups)
    if (e.name == name) return e.group;
  return std::nullopt;
}

CertStatus EffectiveStatus(CertStatus stored, std::int64_t expires_day, std::int64_t today) {
  const bool live = stored == CertStatus::kPending || stored == CertStatus::kVerified;
  if (live && today > expires_day) return CertStatus::kExpired;
  return stored;
}

std::int64_t AddMonths(std::int64_t day, int months) {
  int y = 0, m = 0, d = 0;
  std::sscanf(timefmt::IsoDate(day).c_str(), "%d-%d-%d", &y, &m, &d);
  const int month_index = y * kMonthsPerYear + (m - 1) + months;
  y = month_index / kMonthsPerYear;
  m = month_index % kMonthsPerYear + 1;
  // Clamp to the last day of the target month: try the day, then fewer.
  for (int try_day = d; try_day >= 1; --try_day) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, try_day);
    if (auto parsed = timefmt::ParseIsoDate(buf)) return *parsed;
  }
  return day;  // outside the calendar range ParseIsoDate accepts
}

}  // namespace nongsan::quality
