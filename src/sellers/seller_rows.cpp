#include "sellers/seller_rows.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_set>

#include "core/ids.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"

namespace nongsan::sellers::internal {

bool ParseSellerStatus(const std::string& name, SellerStatus* out) {
  if (name == "pending")
    *out = SellerStatus::kPending;
  else if (name == "verified")
    *out = SellerStatus::kVerified;
  else if (name == "suspended")
    *out = SellerStatus::kSuspended;
  else
    return false;
  return true;
}

bool ParseMembershipStatus(const std::string& name, MembershipStatus* out) {
  if (name == "invited")
    *out = MembershipStatus::kInvited;
  else if (name == "requested")
    *out = MembershipStatus::kRequested;
  else if (name == "active")
    *out = MembershipStatus::kActive;
  else
    return false;
  return true;
}

Seller ReadSeller(const db::Row& row) {
  Seller s;
  s.id = row.Int(0);
  s.slug = row.Text(1);
  s.name = row.Text(2);
  ParseSellerType(row.Text(3), &s.type);
  s.commune_code = row.Text(4);
  s.province_code = row.Text(5);
  s.address_line = row.Text(6);
  s.phone = row.Text(7);
  s.description = row.Text(8);
  ParseSellerStatus(row.Text(9), &s.status);
  s.status_reason = row.Text(10);
  s.verified_at = row.OptInt(11);
  s.officer_assist = row.Int(12) != 0;
  s.owner_user_id = row.Int(13);
  s.created_at = row.Int(14);
  s.updated_at = row.Int(15);
  return s;
}

Result<std::optional<Seller>> LoadSeller(db::Connection& c, std::int64_t id) {
  TRY_ASSIGN(auto row, c.QueryOne(std::string(kSellerColumns) + "WHERE id = ?", {id}));
  if (!row) return std::optional<Seller>();
  return std::optional<Seller>(ReadSeller(*row));
}

Result<std::vector<Seller>> LoadSellers(db::Connection& c, const std::string& where,
                                        const db::Params& params) {
  TRY_ASSIGN(db::Rows rows, c.Query(std::string(kSellerColumns) + where, params));
  std::vector<Seller> out;
  for (const auto& row : rows) out.push_back(ReadSeller(row));
  return out;
}

std::optional<Membership> ReadMembership(const db::Row& row) {
  Membership m;
  m.coop_id = row.Int(0);
  m.member_id = row.Int(1);
  if (!ParseMembershipStatus(row.Text(2), &m.status)) return std::nullopt;
  m.created_at = row.Int(3);
  m.accepted_at = row.OptInt(4);
  return m;
}

Result<std::optional<Membership>> LoadMembership(db::Connection& c, std::int64_t coop_id,
                                                 std::int64_t member_id) {
  TRY_ASSIGN(auto row, c.QueryOne(std::string(kMembershipColumns) + "WHERE coop_id = ? AND member_id = ?",
                                  {coop_id, member_id}));
  if (!row) return std::optional<Membership>();
  return ReadMembership(*row);
}

std::vector<std::int64_t> ScopeIds(const Principal& principal, Role role) {
  std::vector<std::int64_t> ids;
  for (const auto& g : principal.grants) {
    if (g.role != role) continue;
    std::int64_t id = 0;
    auto [ptr, ec] = std::from_chars(g.scope.data(), g.scope.data() + g.scope.size(), id);
    if (ec == std::errc() && ptr == g.scope.data() + g.scope.size() && id > 0) ids.push_back(id);
  }
  return ids;
}

// The shop's state as the audit log records it.
nlohmann::json AuditView(const Seller& s) {
  return {{"name", s.name},
          {"type", SellerTypeName(s.type)},
          {"commune_code", s.commune_code},
          {"address_line", s.address_line},
          {"phone", s.phone},
          {"description", s.description},
          {"status", SellerStatusName(s.status)},
          {"status_reason", s.status_reason},
          {"officer_assist", s.officer_assist}};
}

accounts::AuditEntry SellerAudit(const Principal& actor, const Seller& seller, std::string action,
                                 const accounts::ClientInfo& client) {
  accounts::AuditEntry e;
  e.actor_user_id = actor.user_id;
  if (seller.owner_user_id != actor.user_id) e.on_behalf_of_user_id = seller.owner_user_id;
  e.action = std::move(action);
  e.object_type = "seller";
  e.object_id = std::to_string(seller.id);
  e.province_code = seller.province_code;
  e.ip = client.ip;
  return e;
}

// Free text with line breaks allowed (descriptions): valid UTF-8, NFC, no
// control characters other than newline and tab.
Result<std::string> CleanText(std::string_view raw, std::size_t max_chars, const std::string& field) {
  if (!text::IsValidUtf8(raw)) return Error::Field(field, "Not valid UTF-8 text.");
  if (raw.size() > max_chars * 4 + 64) return Error::Field(field, "Too long.");
  std::string cleaned = text::Trim(text::ToNfc(raw));
  if (text::CodePointCount(cleaned) > max_chars) {
    return Error::Field(field, "Use at most " + std::to_string(max_chars) + " characters.");
  }
  for (unsigned char ch : cleaned) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7F) {
      return Error::Field(field, "Must not contain control characters.");
    }
  }
  return cleaned;
}

Error NotAllowed() { return Error::Forbidden("Your role in this shop does not allow this."); }

namespace {

std::string BaseSlug(const std::string& name) {
  std::string base = text::Slugify(name, kMaxSlugBytes);
  return base.empty() ? "shop" : base;
}

// The first of base, base-2, …, base-20 that no shop holds and `also_taken`
// does not name; then base and a random suffix that neither holds (a very
// common name: a province may have thousands of "Hộ kinh doanh …", and a
// random suffix alone collides now and then among thousands).
Result<std::string> FreeSlugAvoiding(db::Connection& c, const std::string& base,
                                     const std::unordered_set<std::string>& also_taken) {
  constexpr int kNumberedTries = 20;
  constexpr int kRandomTries = 8;
  auto is_free = [&](const std::string& candidate) -> Result<bool> {
    if (also_taken.count(candidate)) return false;
    TRY_ASSIGN(auto taken, c.QueryOne(kSlugTaken, {candidate}));
    return !taken;
  };
  for (int n = 1; n <= kNumberedTries; ++n) {
    std::string candidate = n == 1 ? base : base + "-" + std::to_string(n);
    TRY_ASSIGN(bool free, is_free(candidate));
    if (free) return candidate;
  }
  for (int n = 0; n < kRandomTries; ++n) {
    std::string random = ids::RandomCode(6);
    std::transform(random.begin(), random.end(), random.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    std::string candidate = base + "-" + random;
    TRY_ASSIGN(bool free, is_free(candidate));
    if (free) return candidate;
  }
  return Error::Conflict("slug_taken", "No free web address was found for this name; try another name.");
}

}  // namespace

Result<std::string> FreeSlug(db::Connection& c, const std::string& name) {
  return FreeSlugAvoiding(c, BaseSlug(name), {});
}

Result<std::vector<std::string>> FreeSlugs(db::Connection& c, const std::vector<std::string>& names) {
  std::vector<std::string> bases;
  bases.reserve(names.size());
  for (const std::string& name : names) bases.push_back(BaseSlug(name));
  std::unordered_set<std::string> taken;  // plain slugs some shop holds
  for (std::size_t start = 0; start < bases.size(); start += kSlugsPerLookup) {
    const std::size_t end = std::min(bases.size(), start + kSlugsPerLookup);
    db::Params params(bases.begin() + static_cast<std::ptrdiff_t>(start),
                      bases.begin() + static_cast<std::ptrdiff_t>(end));
    TRY_ASSIGN(
        db::Rows rows,
        c.Query("SELECT slug FROM sellers WHERE slug IN " + db::InValues(end - start, "TEXT"), params));
    for (const auto& row : rows) taken.insert(row.Text(0));
  }
  std::vector<std::string> out;
  out.reserve(names.size());
  std::unordered_set<std::string> given;  // to earlier names of the list
  for (const std::string& base : bases) {
    std::string slug = base;
    if (taken.count(base) || given.count(base)) {
      TRY_ASSIGN(slug, FreeSlugAvoiding(c, base, given));
    }
    given.insert(slug);
    out.push_back(std::move(slug));
  }
  return out;
}

}  // namespace nongsan::sellers::internal
