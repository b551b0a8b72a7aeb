// The sellers module's own rows and helpers, shared by the files that
// implement SellerService (seller_service.cpp, seller_decisions.cpp,
// seller_staff.cpp, seller_onboarding.cpp). Internal to the module: no other
// module includes this header. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_service.hpp"
#include "accounts/audit_log.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::sellers::internal {

inline constexpr const char* kSellerColumns =
    "SELECT id, slug, name, type, commune_code, province_code, address_line, phone, description, status, "
    "status_reason, verified_at, officer_assist, owner_user_id, created_at, updated_at FROM sellers ";
inline constexpr const char* kInsertSeller =
    "INSERT INTO sellers (slug, name, type, commune_code, province_code, address_line, phone, description, "
    "status, officer_assist, owner_user_id, created_by, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?) RETURNING id";
// kInsertSeller for many shops: the statement's head, then
// kInsertSellerRow once per shop, comma separated.
inline constexpr const char* kInsertSellers =
    "INSERT INTO sellers (slug, name, type, commune_code, province_code, address_line, phone, description, "
    "status, officer_assist, owner_user_id, created_by, created_at, updated_at) VALUES ";
inline constexpr const char* kInsertSellerRow = "(?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)";
inline constexpr std::size_t kInsertSellerParams = 13;
inline constexpr const char* kUpdateSeller =
    "UPDATE sellers SET name = ?, commune_code = ?, province_code = ?, address_line = ?, phone = ?, "
    "description = ?, officer_assist = ?, updated_at = ? WHERE id = ?";
inline constexpr const char* kUpdateStatus =
    "UPDATE sellers SET status = ?, status_reason = ?, verified_at = ?, verified_by = ?, updated_at = ? "
    "WHERE id = ?";
inline constexpr const char* kSlugTaken = "SELECT 1 FROM sellers WHERE slug = ?";

inline constexpr const char* kMembershipColumns =
    "SELECT coop_id, member_id, status, created_at, accepted_at FROM seller_memberships ";
inline constexpr const char* kInsertMembership =
    "INSERT INTO seller_memberships (coop_id, member_id, status, created_by, created_at, accepted_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
inline constexpr const char* kActivateMembership =
    "UPDATE seller_memberships SET status = 'active', accepted_at = ? WHERE coop_id = ? AND member_id = ?";
inline constexpr const char* kDeleteMembership =
    "DELETE FROM seller_memberships WHERE coop_id = ? AND member_id = ?";

bool ParseSellerStatus(const std::string& name, SellerStatus* out);
bool ParseMembershipStatus(const std::string& name, MembershipStatus* out);

Seller ReadSeller(const db::Row& row);
Result<std::optional<Seller>> LoadSeller(db::Connection& c, std::int64_t id);
Result<std::vector<Seller>> LoadSellers(db::Connection& c, const std::string& where,
                                        const db::Params& params);
std::optional<Membership> ReadMembership(const db::Row& row);
Result<std::optional<Membership>> LoadMembership(db::Connection& c, std::int64_t coop_id,
                                                 std::int64_t member_id);

// The ids in the scopes of a principal's grants of this role.
std::vector<std::int64_t> ScopeIds(const Principal& principal, Role role);

// The shop's state as the audit log records it.
nlohmann::json AuditView(const Seller& s);
accounts::AuditEntry SellerAudit(const Principal& actor, const Seller& seller, std::string action,
                                 const accounts::ClientInfo& client);

// Free text with line breaks allowed (descriptions): valid UTF-8, NFC, no
// control characters other than newline and tab.
Result<std::string> CleanText(std::string_view raw, std::size_t max_chars, const std::string& field);

// Appends a result's field errors to `errors`; returns the value if ok.
template <typename T>
std::optional<T> Collect(Result<T> result, std::vector<FieldError>& errors) {
  if (result.ok()) return std::move(result).value();
  for (const auto& f : result.error().fields) errors.push_back(f);
  return std::nullopt;
}

Error NotAllowed();

// Plain slugs looked up per query by FreeSlugs (one parameter each).
inline constexpr std::size_t kSlugsPerLookup = 500;

// A slug for a shop's name that no shop holds yet.
Result<std::string> FreeSlug(db::Connection& c, const std::string& name);
// Slugs for the names of many new shops, in order, none held by a shop or
// given to an earlier name of the list: each plain slug that is free (one
// query per kSlugsPerLookup names), a numbered one as FreeSlug finds it.
Result<std::vector<std::string>> FreeSlugs(db::Connection& c, const std::vector<std::string>& names);

}  // namespace nongsan::sellers::internal
