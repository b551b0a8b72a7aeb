#include "sellers/seller_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "accounts/audit_log.hpp"
#include "core/ids.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "places/places.hpp"

namespace nongsan::sellers {

namespace {

using accounts::AuditEntry;
using accounts::ClientInfo;

constexpr const char* kSellerColumns =
    "SELECT id, slug, name, type, commune_code, province_code, address_line, phone, description, status, "
    "status_reason, verified_at, officer_assist, owner_user_id, created_at, updated_at FROM sellers ";
constexpr const char* kInsertSeller =
    "INSERT INTO sellers (slug, name, type, commune_code, province_code, address_line, phone, description, "
    "status, officer_assist, owner_user_id, created_by, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kUpdateSeller =
    "UPDATE sellers SET name = ?, commune_code = ?, province_code = ?, address_line = ?, phone = ?, "
    "description = ?, officer_assist = ?, updated_at = ? WHERE id = ?";
constexpr const char* kUpdateStatus =
    "UPDATE sellers SET status = ?, status_reason = ?, verified_at = ?, verified_by = ?, updated_at = ? "
    "WHERE id = ?";
constexpr const char* kSlugTaken = "SELECT 1 FROM sellers WHERE slug = ?";

constexpr const char* kMembershipColumns =
    "SELECT coop_id, member_id, status, created_at, accepted_at FROM seller_memberships ";
constexpr const char* kInsertMembership =
    "INSERT INTO seller_memberships (coop_id, member_id, status, created_by, created_at, accepted_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kActivateMembership =
    "UPDATE seller_memberships SET status = 'active', accepted_at = ? WHERE coop_id = ? AND member_id = ?";
constexpr const char* kDeleteMembership =
    "DELETE FROM seller_memberships WHERE coop_id = ? AND member_id = ?";

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

AuditEntry SellerAudit(const Principal& actor, const Seller& seller, std::string action,
                       const ClientInfo& client) {
  AuditEntry e;
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

// Appends a result's field errors to `errors`; returns the value if ok.
template <typename T>
std::optional<T> Collect(Result<T> result, std::vector<FieldError>& errors) {
  if (result.ok()) return std::move(result).value();
  for (const auto& f : result.error().fields) errors.push_back(f);
  return std::nullopt;
}

Error NotAllowed() { return Error::Forbidden("Your role in this shop does not allow this."); }

}  // namespace

// ---------------------------------------------------------------- names

const char* SellerTypeName(SellerType type) {
  switch (type) {
    case SellerType::kHousehold:
      return "household";
    case SellerType::kCooperative:
      return "cooperative";
    case SellerType::kEnterprise:
      return "enterprise";
  }
  return "household";
}

bool ParseSellerType(const std::string& name, SellerType* out) {
  for (SellerType t : {SellerType::kHousehold, SellerType::kCooperative, SellerType::kEnterprise}) {
    if (name == SellerTypeName(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

const char* SellerStatusName(SellerStatus status) {
  switch (status) {
    case SellerStatus::kPending:
      return "pending";
    case SellerStatus::kVerified:
      return "verified";
    case SellerStatus::kSuspended:
      return "suspended";
  }
  return "pending";
}

const char* MembershipStatusName(MembershipStatus status) {
  switch (status) {
    case MembershipStatus::kInvited:
      return "invited";
    case MembershipStatus::kRequested:
      return "requested";
    case MembershipStatus::kActive:
      return "active";
  }
  return "active";
}

// ---------------------------------------------------------------- service

SellerService::SellerService(db::Database& db, const Clock& clock, const places::PlaceService& places,
                             accounts::AccountService& accounts)
    : db_(db), clock_(clock), places_(places), accounts_(accounts) {}

void SellerService::AddFactsTo(std::int64_t seller_id, nlohmann::json& body) const {
  for (ShopFacts* facts : facts_) {
    if (Status st = facts->AddTo(seller_id, body); !st.ok()) {
      spdlog::error("shop {}: facts not added: {}", seller_id, st.error().detail);
    }
  }
}

nlohmann::json SellerService::SellerJson(const Seller& s, bool full) const {
  nlohmann::json out = {
      {"id", s.id},
      {"slug", s.slug},
      {"name", s.name},
      {"type", SellerTypeName(s.type)},
      {"commune_code", s.commune_code},
      {"commune_name", places_.FullName(s.commune_code)},
      {"province_code", s.province_code},
      {"address_line", s.address_line},
      {"phone", s.phone},
      {"description", s.description},
      {"status", SellerStatusName(s.status)},
      {"verified", s.status == SellerStatus::kVerified},
      {"created_at", timefmt::Rfc3339(s.created_at)},
  };
  if (full) {
    out["status_reason"] = s.status_reason;
    out["officer_assist"] = s.officer_assist;
    out["owner_user_id"] = s.owner_user_id;
    out["verified_at"] =
        s.verified_at ? nlohmann::json(timefmt::Rfc3339(*s.verified_at)) : nlohmann::json(nullptr);
    out["updated_at"] = timefmt::Rfc3339(s.updated_at);
  }
  return out;
}

bool SellerService::OfficerCovers(const Principal& principal, const std::string& commune_code) const {
  if (principal.Has(Role::kCommuneOfficer, commune_code)) return true;
  auto province = places_.ProvinceOf(commune_code);
  return province && principal.Has(Role::kProvinceAdmin, *province);
}

Capacity SellerService::CapacityFor(const Principal* p, const Seller& seller, bool coop_member_of_managed) {
  if (!p) return Capacity::kNone;
  const std::string scope = std::to_string(seller.id);
  if (p->Has(Role::kShopOwner, scope)) return Capacity::kOwner;
  if (p->Has(Role::kShopStaff, scope)) return Capacity::kStaff;
  if (p->Has(Role::kCoopManager, scope) || coop_member_of_managed) return Capacity::kCoopManager;
  if (seller.officer_assist && OfficerCovers(*p, seller.commune_code)) return Capacity::kOfficer;
  return Capacity::kNone;
}

bool SellerService::SeesHidden(const Principal* p, const Seller& seller) const {
  return p && OfficerCovers(*p, seller.commune_code);
}

Result<Seller> SellerService::Get(std::int64_t id) {
  TRY_ASSIGN(auto seller, db_.Read([&](db::Connection& c) { return LoadSeller(c, id); }));
  if (!seller) return Error::NotFound("shop");
  return std::move(*seller);
}

Result<bool> SellerService::IsPublic(std::int64_t id) {
  auto seller = Get(id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return false;
    return std::move(seller).error();
  }
  return seller->status != SellerStatus::kSuspended;
}

Result<Access> SellerService::AccessFor(const Principal* principal, std::int64_t seller_id) {
  TRY_ASSIGN(Seller seller, Get(seller_id));
  bool member_of_managed = false;
  if (principal) {
    const auto coops = ScopeIds(*principal, Role::kCoopManager);
    if (!coops.empty()) {
      db::Params params{seller_id};
      for (std::int64_t id : coops) params.push_back(id);
      TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) {
        return c.QueryOne(
            "SELECT 1 FROM seller_memberships WHERE member_id = ? AND status = 'active' AND coop_id IN (" +
                db::Placeholders(coops.size()) + ")",
            params);
      }));
      member_of_managed = row.has_value();
    }
  }
  Access access;
  access.capacity = CapacityFor(principal, seller, member_of_managed);
  if (access.capacity == Capacity::kNone && seller.status == SellerStatus::kSuspended &&
      !SeesHidden(principal, seller)) {
    return Error::NotFound("shop");
  }
  if ((access.capacity == Capacity::kCoopManager || access.capacity == Capacity::kOfficer) &&
      principal->user_id != seller.owner_user_id) {
    access.on_behalf_of = seller.owner_user_id;
  }
  access.seller = std::move(seller);
  return access;
}

Result<Access> SellerService::RequireCapacity(const Principal* principal, std::int64_t seller_id,
                                              std::initializer_list<Capacity> allowed) {
  TRY_ASSIGN(Access access, AccessFor(principal, seller_id));
  if (std::find(allowed.begin(), allowed.end(), access.capacity) != allowed.end()) return access;
  // Officers who can see the shop, and anyone with some role in it, learn
  // that they may not; everyone else must not learn more than the public.
  const bool related = access.capacity != Capacity::kNone || SeesHidden(principal, access.seller);
  if (!related) return Error::NotFound("shop");
  return NotAllowed();
}

bool SellerService::CanManage(const Principal* principal, std::int64_t seller_id) {
  auto access = AccessFor(principal, seller_id);
  return access.ok() && access->capacity != Capacity::kNone;
}

Result<Access> SellerService::View(const Principal* principal, std::int64_t id) {
  return AccessFor(principal, id);
}

Result<std::vector<Membership>> SellerService::ListMembers(std::int64_t coop_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<Membership>> {
    TRY_ASSIGN(db::Rows rows, c.Query(std::string(kMembershipColumns) +
                                          "WHERE coop_id = ? AND status = 'active' ORDER BY member_id",
                                      {coop_id}));
    std::vector<Membership> out;
    for (const auto& row : rows) {
      auto m = ReadMembership(row);
      if (!m) continue;
      TRY_ASSIGN(auto member, LoadSeller(c, m->member_id));
      if (!member || member->status == SellerStatus::kSuspended) continue;
      m->member = std::move(*member);
      out.push_back(std::move(*m));
    }
    return out;
  });
}

Result<std::vector<Seller>> SellerService::FindByPhone(std::string_view raw_phone) {
  auto canonical = phone::Normalize(raw_phone);
  if (!canonical) return std::vector<Seller>();
  return db_.Read(
      [&](db::Connection& c) { return LoadSellers(c, "WHERE phone = ? ORDER BY id", {*canonical}); });
}

// ---------------------------------------------------------------- shops

namespace {

Result<std::string> FreeSlug(db::Connection& c, const std::string& name) {
  std::string base = text::Slugify(name, kMaxSlugBytes);
  if (base.empty()) base = "shop";
  constexpr int kNumberedTries = 20;
  for (int n = 1; n <= kNumberedTries; ++n) {
    std::string candidate = n == 1 ? base : base + "-" + std::to_string(n);
    TRY_ASSIGN(auto taken, c.QueryOne(kSlugTaken, {candidate}));
    if (!taken) return candidate;
  }
  // A very common name: a random suffix cannot realistically collide.
  std::string random = ids::RandomCode(6);
  std::transform(random.begin(), random.end(), random.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  return base + "-" + random;
}

}  // namespace

Result<Seller> SellerService::Create(const Principal& actor, const SellerInput& input,
                                     const ClientInfo& client) {
  std::vector<FieldError> errors;
  auto name = Collect(accounts::CleanName(input.name, kMaxShopNameChars, "name"), errors);
  SellerType type = SellerType::kHousehold;
  if (!ParseSellerType(input.type, &type))
    errors.push_back({"type", "Use household, cooperative or enterprise."});
  if (!places_.IsCommune(input.commune_code)) {
    errors.push_back({"commune_code", "Not a current commune code (the 2025 administrative units)."});
  }
  auto address = Collect(accounts::CleanName(input.address_line, kMaxAddressChars, "address_line"), errors);
  std::optional<std::string> contact = actor.phone;
  if (input.phone) contact = Collect(accounts::CleanPhone(*input.phone), errors);
  std::string description;
  if (input.description)
    description =
        Collect(CleanText(*input.description, kMaxDescriptionChars, "description"), errors).value_or("");
  if (!errors.empty()) return Error::Invalid("Some fields are missing or invalid.", errors);

  TRY_ASSIGN(accounts::User user, accounts_.GetUser(actor.user_id));
  if (!user.phone_verified_at) {
    Error e = Error::Forbidden("Verify your phone number with the SMS code before opening a shop.");
    e.type = "phone_unverified";
    return e;
  }
  const std::string province = places_.ProvinceOf(input.commune_code).value_or("");
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Seller> {
    TRY_ASSIGN(std::string slug, FreeSlug(c, *name));
    TRY_ASSIGN(std::int64_t id,
               c.QueryInt(kInsertSeller, {slug, *name, std::string(SellerTypeName(type)), input.commune_code,
                                          province, *address, *contact, description, std::int64_t{0},
                                          actor.user_id, actor.user_id, now, now}));
    TRY(accounts_.GrantWith(c, actor.user_id, Role::kShopOwner, std::to_string(id), actor.user_id));
    if (type == SellerType::kCooperative) {
      TRY(accounts_.GrantWith(c, actor.user_id, Role::kCoopManager, std::to_string(id), actor.user_id));
    }
    TRY_ASSIGN(auto seller, LoadSeller(c, id));
    if (!seller) return Error::Internal("shop vanished");
    AuditEntry audit = SellerAudit(actor, *seller, "seller.create", client);
    audit.after = AuditView(*seller);
    TRY(accounts::RecordAudit(c, audit, now));
    return std::move(*seller);
  });
}

Result<Seller> SellerService::Update(const Principal& actor, std::int64_t id, const SellerPatch& patch,
                                     const ClientInfo& client) {
  TRY_ASSIGN(Access access,
             RequireCapacity(&actor, id, {Capacity::kOwner, Capacity::kCoopManager, Capacity::kOfficer}));
  Seller before = access.seller;
  Seller after = before;
  std::vector<FieldError> errors;
  if (patch.name) {
    if (auto v = Collect(accounts::CleanName(*patch.name, kMaxShopNameChars, "name"), errors))
      after.name = *v;
  }
  if (patch.commune_code) {
    if (!places_.IsCommune(*patch.commune_code)) {
      errors.push_back({"commune_code", "Not a current commune code (the 2025 administrative units)."});
    } else {
      after.commune_code = *patch.commune_code;
      after.province_code = places_.ProvinceOf(after.commune_code).value_or("");
    }
  }
  if (patch.address_line) {
    if (auto v =
            Collect(accounts::CleanName(*patch.address_line, kMaxAddressChars, "address_line"), errors)) {
      after.address_line = *v;
    }
  }
  if (patch.phone) {
    if (auto v = Collect(accounts::CleanPhone(*patch.phone), errors)) after.phone = *v;
  }
  if (patch.description) {
    if (auto v = Collect(CleanText(*patch.description, kMaxDescriptionChars, "description"), errors)) {
      after.description = *v;
    }
  }
  if (patch.officer_assist) {
    if (access.capacity != Capacity::kOwner) {
      errors.push_back({"officer_assist", "Only the shop's owner decides whether officers may help."});
    } else {
      after.officer_assist = *patch.officer_assist;
    }
  }
  if (!errors.empty()) return Error::Invalid("Some fields are invalid.", errors);
  // An officer may not move a shop out of the communes they cover.
  if (access.capacity == Capacity::kOfficer && !OfficerCovers(actor, after.commune_code)) {
    return Error::Forbidden("You do not cover the commune you are moving this shop to.");
  }
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Seller> {
    TRY(c.Exec(kUpdateSeller,
               {after.name, after.commune_code, after.province_code, after.address_line, after.phone,
                after.description, std::int64_t{after.officer_assist ? 1 : 0}, now, id}));
    after.updated_at = now;
    AuditEntry audit = SellerAudit(actor, after, "seller.update", client);
    audit.before = AuditView(before);
    audit.after = AuditView(after);
    TRY(accounts::RecordAudit(c, audit, now));
    return after;
  });
}

Result<std::vector<Seller>> SellerService::ListMine(const Principal& principal) {
  std::set<std::int64_t> ids;
  for (Role role : {Role::kShopOwner, Role::kShopStaff, Role::kCoopManager}) {
    for (std::int64_t id : ScopeIds(principal, role)) ids.insert(id);
  }
  if (ids.empty()) return std::vector<Seller>();
  db::Params params(ids.begin(), ids.end());
  return db_.Read([&](db::Connection& c) {
    return LoadSellers(c, "WHERE id IN (" + db::Placeholders(ids.size()) + ") ORDER BY id", params);
  });
}

Result<std::vector<Seller>> SellerService::ListForOfficer(const Principal& principal,
                                                          const std::string& status,
                                                          const std::string& commune_code) {
  std::vector<std::string> communes;
  std::vector<std::string> provinces;
  for (const auto& g : principal.grants) {
    if (g.role == Role::kCommuneOfficer) communes.push_back(g.scope);
    if (g.role == Role::kProvinceAdmin) provinces.push_back(g.scope);
  }
  if (communes.empty() && provinces.empty()) {
    return Error::Forbidden("Only commune officers and province administrators see this list.");
  }
  SellerStatus wanted;
  if (!status.empty() && !ParseSellerStatus(status, &wanted)) {
    return Error::Field("status", "Use pending, verified or suspended.");
  }
  if (!commune_code.empty() && !OfficerCovers(principal, commune_code)) {
    return Error::Forbidden("You do not cover this commune.");
  }
  std::string where = "WHERE (commune_code IN (" + db::Placeholders(communes.size() + 1) +
                      ") OR province_code IN (" + db::Placeholders(provinces.size() + 1) +
                      ")) AND (? = '' OR status = ?) AND (? = '' OR commune_code = ?) "
                      "ORDER BY id DESC LIMIT " +
                      std::to_string(kMaxListedSellers);
  // The extra "" keeps each IN list non-empty; no code is empty.
  db::Params params;
  for (const auto& code : communes) params.push_back(code);
  params.push_back(std::string());
  for (const auto& code : provinces) params.push_back(code);
  params.push_back(std::string());
  params.insert(params.end(), {status, status, commune_code, commune_code});
  return db_.Read([&](db::Connection& c) { return LoadSellers(c, where, params); });
}

// ---------------------------------------------------------------- officer decisions

Result<Seller> SellerService::ChangeStatus(const Principal& actor, std::int64_t id, const std::string& action,
                                           const std::string& reason, const ClientInfo& client) {
  TRY_ASSIGN(Access access, AccessFor(&actor, id));
  Seller before = access.seller;
  if (!OfficerCovers(actor, before.commune_code)) {
    if (access.capacity == Capacity::kNone) return Error::NotFound("shop");
    return Error::Forbidden(
        "Only an officer of the shop's commune or the province administrator may do this.");
  }
  Seller after = before;
  const std::int64_t now = clock_.NowMs();
  std::optional<std::int64_t> verified_by;
  if (action == "verify") {
    if (before.status == SellerStatus::kVerified)
      return Error::Conflict("already_verified", "This shop is already verified.");
    if (before.status == SellerStatus::kSuspended) {
      return Error::Conflict("suspended", "This shop is suspended; reinstate it first.");
    }
    after.status = SellerStatus::kVerified;
    after.verified_at = now;
    after.status_reason.clear();
    verified_by = actor.user_id;
  } else if (action == "suspend") {
    if (before.status == SellerStatus::kSuspended)
      return Error::Conflict("already_suspended", "This shop is already suspended.");
    after.status = SellerStatus::kSuspended;
    after.status_reason = reason;
  } else if (action == "reject") {
    // The reason is checked only now, after the area, so that an outsider
    // learns no more than from any other decision.
    TRY_ASSIGN(std::string cleaned, CleanText(reason, kMaxReasonChars, "reason"));
    if (cleaned.empty())
      return Error::Field("reason", "Say what the shop must correct; its owner will read it.");
    if (before.status != SellerStatus::kPending) {
      return Error::Conflict("not_pending", "Only a shop waiting for verification can be sent back.");
    }
    if (before.AwaitingCorrection()) {
      return Error::Conflict("already_rejected", "This shop was sent back already; it waits for its owner.");
    }
    after.status_reason = cleaned;
  } else {
    if (before.status != SellerStatus::kSuspended)
      return Error::Conflict("not_suspended", "This shop is not suspended.");
    // A shop verified before its suspension returns verified.
    after.status = before.verified_at ? SellerStatus::kVerified : SellerStatus::kPending;
    after.status_reason.clear();
  }
  auto changed = db_.Write([&](db::Connection& c) -> Result<Seller> {
    db::Value verified_at = after.verified_at ? db::Value{*after.verified_at} : db::Value{};
    db::Value by = verified_by ? db::Value{*verified_by} : db::Value{};
    if (!verified_by) {
      TRY_ASSIGN(auto row, c.QueryOne("SELECT verified_by FROM sellers WHERE id = ?", {id}));
      if (row && !row->IsNull(0)) by = row->Int(0);
    }
    TRY(c.Exec(kUpdateStatus,
               {std::string(SellerStatusName(after.status)), after.status_reason, verified_at, by, now, id}));
    after.updated_at = now;
    AuditEntry audit = SellerAudit(actor, after, "seller." + action, client);
    audit.before = AuditView(before);
    audit.after = AuditView(after);
    TRY(accounts::RecordAudit(c, audit, now));
    return after;
  });
  const bool visibility_changed = action == "suspend" || action == "reinstate";
  if (changed.ok() && visibility_changed && visibility_listener_) visibility_listener_(id);
  return changed;
}

Result<Seller> SellerService::Verify(const Principal& actor, std::int64_t id, const ClientInfo& client) {
  return ChangeStatus(actor, id, "verify", "", client);
}

Result<Seller> SellerService::Suspend(const Principal& actor, std::int64_t id, const std::string& reason,
                                      const ClientInfo& client) {
  TRY_ASSIGN(std::string cleaned, CleanText(reason, kMaxReasonChars, "reason"));
  if (cleaned.empty())
    return Error::Field("reason", "Say why the shop is suspended; its owner will read it.");
  return ChangeStatus(actor, id, "suspend", cleaned, client);
}

Result<Seller> SellerService::Reinstate(const Principal& actor, std::int64_t id, const ClientInfo& client) {
  return ChangeStatus(actor, id, "reinstate", "", client);
}

Result<Seller> SellerService::Reject(const Principal& actor, std::int64_t id, const std::string& reason,
                                     const ClientInfo& client) {
  return ChangeStatus(actor, id, "reject", reason, client);
}

Result<Seller> SellerService::Resubmit(const Principal& actor, std::int64_t id, const ClientInfo& client) {
  TRY_ASSIGN(Access access, RequireCapacity(&actor, id,
                                            {Capacity::kOwner, Capacity::kStaff, Capacity::kCoopManager,
                                             Capacity::kOfficer}));
  const Seller before = access.seller;
  if (!before.AwaitingCorrection()) {
    return Error::Conflict("not_rejected", "This shop was not sent back for a correction.");
  }
  Seller after = before;
  after.status_reason.clear();
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Seller> {
    TRY_ASSIGN(
        std::int64_t changed,
        c.Exec("UPDATE sellers SET status_reason = '', updated_at = ? WHERE id = ? AND status = 'pending' "
               "AND status_reason <> ''",
               {now, id}));
    if (changed == 0) return Error::Conflict("not_rejected", "This shop was not sent back for a correction.");
    after.updated_at = now;
    AuditEntry audit = SellerAudit(actor, after, "seller.resubmit", client);
    audit.before = AuditView(before);
    audit.after = AuditView(after);
    TRY(accounts::RecordAudit(c, audit, now));
    return after;
  });
}

// ---------------------------------------------------------------- staff

Result<std::vector<StaffMember>> SellerService::ListStaff(const Principal& actor, std::int64_t id) {
  TRY_ASSIGN(Access access, RequireCapacity(&actor, id,
                                            {Capacity::kOwner, Capacity::kStaff, Capacity::kCoopManager,
                                             Capacity::kOfficer}));
  std::vector<StaffMember> out;
  for (Role role : {Role::kShopOwner, Role::kCoopManager, Role::kShopStaff}) {
    TRY_ASSIGN(auto holders, accounts_.ListGrantHolders(role, std::to_string(id)));
    for (const auto& h : holders) {
      out.push_back(StaffMember{h.user_id, h.phone, h.full_name, h.role, h.status});
    }
  }
  return out;
}

Result<StaffMember> SellerService::AddStaff(const Principal& actor, std::int64_t id, std::string_view phone,
                                            Role role, const ClientInfo& client) {
  TRY_ASSIGN(Access access, RequireCapacity(&actor, id, {Capacity::kOwner}));
  if (role != Role::kShopStaff && role != Role::kCoopManager) {
    return Error::Field("role", "Use shop_staff or coop_manager.");
  }
  if (role == Role::kCoopManager && access.seller.type != SellerType::kCooperative) {
    return Error::Field("role", "Only a cooperative has managers.");
  }
  TRY(accounts::CleanPhone(phone));
  TRY_ASSIGN(auto user, accounts_.FindByPhone(phone));
  if (!user || user->status != accounts::UserStatus::kActive) {
    return Error::Unprocessable("user_not_found",
                                "No account uses this phone number; ask the person to register first.");
  }
  if (user->id == access.seller.owner_user_id) {
    return Error::Conflict("already_owner", "This person owns the shop.");
  }
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(accounts_.GrantWith(c, user->id, role, std::to_string(id), actor.user_id));
    AuditEntry audit = SellerAudit(actor, access.seller, "seller.staff_add", client);
    audit.after = {{"user_id", user->id}, {"role", RoleName(role)}};
    return accounts::RecordAudit(c, audit, now);
  }));
  return StaffMember{user->id, user->phone, user->full_name, role, user->status};
}

Status SellerService::RemoveStaff(const Principal& actor, std::int64_t id, std::int64_t user_id,
                                  const ClientInfo& client) {
  const bool self = actor.user_id == user_id;
  TRY_ASSIGN(Access access, self ? AccessFor(&actor, id) : RequireCapacity(&actor, id, {Capacity::kOwner}));
  if (self && access.capacity != Capacity::kOwner && access.capacity != Capacity::kStaff &&
      !actor.Has(Role::kCoopManager, std::to_string(id))) {
    return Error::NotFound("staff member");
  }
  const std::string scope = std::to_string(id);
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    bool removed = false;
    for (Role role : {Role::kShopStaff, Role::kCoopManager}) {
      TRY_ASSIGN(auto holders, accounts_.ListGrantHoldersWith(c, role, scope));
      for (const auto& h : holders) {
        if (h.user_id != user_id) continue;
        TRY(accounts_.RevokeGrantWith(c, user_id, role, scope));
        AuditEntry audit = SellerAudit(actor, access.seller, "seller.staff_remove", client);
        audit.before = {{"user_id", user_id}, {"role", RoleName(role)}};
        TRY(accounts::RecordAudit(c, audit, now));
        removed = true;
      }
    }
    if (!removed) return Error::NotFound("staff member");
    return Ok{};
  });
}

// ---------------------------------------------------------------- membership

namespace {

bool ManagesCoop(Capacity c) { return c == Capacity::kOwner || c == Capacity::kCoopManager; }
bool ManagesMember(Capacity c) { return c == Capacity::kOwner || c == Capacity::kOfficer; }

}  // namespace

Result<std::vector<Membership>> SellerService::ListMemberships(const Principal* principal,
                                                               std::int64_t coop_id) {
  TRY_ASSIGN(Access access, AccessFor(principal, coop_id));
  if (access.seller.type != SellerType::kCooperative) return Error::NotFound("cooperative");
  if (!ManagesCoop(access.capacity)) return ListMembers(coop_id);
  return db_.Read([&](db::Connection& c) -> Result<std::vector<Membership>> {
    TRY_ASSIGN(db::Rows rows,
               c.Query(std::string(kMembershipColumns) + "WHERE coop_id = ? ORDER BY member_id", {coop_id}));
    std::vector<Membership> out;
    for (const auto& row : rows) {
      auto m = ReadMembership(row);
      if (!m) continue;
      TRY_ASSIGN(auto member, LoadSeller(c, m->member_id));
      if (!member) continue;
      m->member = std::move(*member);
      out.push_back(std::move(*m));
    }
    return out;
  });
}

Result<Membership> SellerService::AddMember(const Principal& actor, std::int64_t coop_id,
                                            std::int64_t member_id, const ClientInfo& client) {
  TRY_ASSIGN(Access coop, AccessFor(&actor, coop_id));
  if (coop.seller.type != SellerType::kCooperative) return Error::NotFound("cooperative");
  auto member = AccessFor(&actor, member_id);
  if (!member.ok()) {
    if (member.error().code == ErrorCode::kNotFound) return Error::Field("seller_id", "No such shop.");
    return std::move(member).error();
  }
  const bool coop_side = ManagesCoop(coop.capacity);
  const bool member_side = ManagesMember(member->capacity);
  if (!coop_side && !member_side) {
    if (coop.capacity == Capacity::kNone) return Error::NotFound("cooperative");
    return NotAllowed();
  }
  if (member->seller.type != SellerType::kHousehold) {
    return Error::Field("seller_id", "Only household shops join a cooperative.");
  }
  const MembershipStatus status = coop_side && member_side ? MembershipStatus::kActive
                                  : coop_side              ? MembershipStatus::kInvited
                                                           : MembershipStatus::kRequested;
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Membership> {
    TRY_ASSIGN(auto existing, LoadMembership(c, coop_id, member_id));
    Membership out;
    if (existing) {
      const bool other_side_pending = (existing->status == MembershipStatus::kInvited && member_side) ||
                                      (existing->status == MembershipStatus::kRequested && coop_side);
      if (!other_side_pending) return Error::Conflict("already_member", "This membership already exists.");
      TRY(c.Exec(kActivateMembership, {now, coop_id, member_id}));
      out = *existing;
      out.status = MembershipStatus::kActive;
      out.accepted_at = now;
    } else {
      db::Value accepted = status == MembershipStatus::kActive ? db::Value{now} : db::Value{};
      TRY(c.Exec(kInsertMembership, {coop_id, member_id, std::string(MembershipStatusName(status)),
                                     actor.user_id, now, accepted}));
      out = Membership{coop_id, member_id, status, now, std::nullopt, {}};
      if (status == MembershipStatus::kActive) out.accepted_at = now;
    }
    out.member = member->seller;
    AuditEntry audit =
        SellerAudit(actor, coop_side ? member->seller : coop.seller, "cooperative.member_add", client);
    audit.object_id = std::to_string(coop_id);
    audit.object_type = "cooperative";
    audit.after = {{"member_id", member_id}, {"status", MembershipStatusName(out.status)}};
    TRY(accounts::RecordAudit(c, audit, now));
    return out;
  });
}

Result<Membership> SellerService::AcceptMember(const Principal& actor, std::int64_t coop_id,
                                               std::int64_t member_id, const ClientInfo& client) {
  TRY_ASSIGN(Access coop, AccessFor(&actor, coop_id));
  TRY_ASSIGN(Access member, AccessFor(&actor, member_id));
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Membership> {
    TRY_ASSIGN(auto existing, LoadMembership(c, coop_id, member_id));
    const bool related = ManagesCoop(coop.capacity) || ManagesMember(member.capacity);
    if (!existing || !related) return Error::NotFound("membership");
    if (existing->status == MembershipStatus::kActive)
      return Error::Conflict("already_member", "Already a member.");
    const bool may_accept =
        (existing->status == MembershipStatus::kInvited && ManagesMember(member.capacity)) ||
        (existing->status == MembershipStatus::kRequested && ManagesCoop(coop.capacity));
    if (!may_accept) return Error::Forbidden("The other side has to accept this.");
    TRY(c.Exec(kActivateMembership, {now, coop_id, member_id}));
    Membership out = *existing;
    out.status = MembershipStatus::kActive;
    out.accepted_at = now;
    out.member = member.seller;
    AuditEntry audit = SellerAudit(actor, member.seller, "cooperative.member_accept", client);
    audit.object_type = "cooperative";
    audit.object_id = std::to_string(coop_id);
    audit.after = {{"member_id", member_id}, {"status", "active"}};
    TRY(accounts::RecordAudit(c, audit, now));
    return out;
  });
}

Status SellerService::RemoveMember(const Principal& actor, std::int64_t coop_id, std::int64_t member_id,
                                   const ClientInfo& client) {
  TRY_ASSIGN(Access coop, AccessFor(&actor, coop_id));
  auto member = AccessFor(&actor, member_id);
  const bool member_side = member.ok() && ManagesMember(member->capacity);
  if (!ManagesCoop(coop.capacity) && !member_side) return Error::NotFound("membership");
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto existing, LoadMembership(c, coop_id, member_id));
    if (!existing) return Error::NotFound("membership");
    TRY(c.Exec(kDeleteMembership, {coop_id, member_id}));
    AuditEntry audit =
        SellerAudit(actor, member.ok() ? member->seller : coop.seller, "cooperative.member_remove", client);
    audit.object_type = "cooperative";
    audit.object_id = std::to_string(coop_id);
    audit.before = {{"member_id", member_id}, {"status", MembershipStatusName(existing->status)}};
    return accounts::RecordAudit(c, audit, now);
  });
}

// ---------------------------------------------------------------- onboarding

Result<Onboarded> SellerService::OnboardHousehold(const Principal& actor, const HouseholdInput& input,
                                                  std::optional<std::int64_t> coop_id,
                                                  const ClientInfo& client) {
  std::optional<Access> coop;
  if (coop_id) {
    TRY_ASSIGN(Access access, RequireCapacity(&actor, *coop_id, {Capacity::kOwner, Capacity::kCoopManager}));
    if (access.seller.type != SellerType::kCooperative) return Error::NotFound("cooperative");
    coop = std::move(access);
  } else if (!actor.Has(Role::kCommuneOfficer) && !actor.Has(Role::kProvinceAdmin)) {
    return Error::Forbidden("Only commune officers and province administrators onboard households here.");
  }
  std::vector<FieldError> errors;
  auto phone = Collect(accounts::CleanPhone(input.phone), errors);
  auto full_name =
      Collect(accounts::CleanName(input.full_name, accounts::kMaxFullNameChars, "full_name"), errors);
  auto shop_name = Collect(accounts::CleanName(input.shop_name, kMaxShopNameChars, "shop_name"), errors);
  auto address = Collect(accounts::CleanName(input.address_line, kMaxAddressChars, "address_line"), errors);
  std::string description;
  if (input.description)
    description =
        Collect(CleanText(*input.description, kMaxDescriptionChars, "description"), errors).value_or("");
  const bool commune_ok = places_.IsCommune(input.commune_code);
  if (!commune_ok)
    errors.push_back({"commune_code", "Not a current commune code (the 2025 administrative units)."});
  if (!errors.empty()) return Error::Invalid("Some fields are missing or invalid.", errors);
  if (!coop && !OfficerCovers(actor, input.commune_code))
    return Error::Forbidden("You do not cover this commune.");

  TRY_ASSIGN(Onboarded done, CreateAssisted(actor.user_id, *phone, *full_name, *shop_name,
                                            SellerType::kHousehold, input.commune_code, *address, description,
                                            coop ? &coop->seller : nullptr, client));
  auto sent = accounts_.SendClaimCode(done.user.id);
  done.claim_code_sent = sent.ok();
  if (!sent.ok())
    spdlog::warn("onboarding: claim code for user {} not sent: {}", done.user.id, sent.error().detail);
  TRY_ASSIGN(done.user, accounts_.GetUser(done.user.id));
  return done;
}

Result<Onboarded> SellerService::CreateAssisted(std::int64_t actor_user_id, const std::string& phone,
                                                const std::string& full_name, const std::string& shop_name,
                                                SellerType type, const std::string& commune_code,
                                                const std::string& address, const std::string& description,
                                                const Seller* coop, const ClientInfo& client) {
  const std::string province = places_.ProvinceOf(commune_code).value_or("");
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Onboarded> {
    Onboarded out;
    TRY_ASSIGN(out.user, accounts_.CreateUnclaimedUserWith(c, phone, full_name, actor_user_id));
    TRY_ASSIGN(std::string slug, FreeSlug(c, shop_name));
    TRY_ASSIGN(std::int64_t id,
               c.QueryInt(kInsertSeller, {slug, shop_name, std::string(SellerTypeName(type)), commune_code,
                                          province, address, phone, description, std::int64_t{1}, out.user.id,
                                          actor_user_id, now, now}));
    TRY(accounts_.GrantWith(c, out.user.id, Role::kShopOwner, std::to_string(id), actor_user_id));
    if (type == SellerType::kCooperative) {
      TRY(accounts_.GrantWith(c, out.user.id, Role::kCoopManager, std::to_string(id), actor_user_id));
    }
    if (coop) TRY(c.Exec(kInsertMembership, {coop->id, id, std::string("active"), actor_user_id, now, now}));
    TRY_ASSIGN(auto seller, LoadSeller(c, id));
    if (!seller) return Error::Internal("shop vanished");
    out.seller = std::move(*seller);
    AuditEntry audit;
    audit.actor_user_id = actor_user_id;
    audit.on_behalf_of_user_id = out.user.id;
    audit.action = "seller.onboard";
    audit.object_type = "seller";
    audit.object_id = std::to_string(out.seller.id);
    audit.province_code = province;
    audit.ip = client.ip;
    audit.after = AuditView(out.seller);
    if (coop) audit.after["cooperative_id"] = coop->id;
    TRY(accounts::RecordAudit(c, audit, now));
    return out;
  });
}

Result<Seller> SellerService::CreateForImport(const Principal* actor, const ImportInput& input,
                                              const ClientInfo& client) {
  std::vector<FieldError> errors;
  auto phone = Collect(accounts::CleanPhone(input.phone), errors);
  auto name = Collect(accounts::CleanName(input.name, kMaxShopNameChars, "name"), errors);
  SellerType type = SellerType::kHousehold;
  if (!ParseSellerType(input.type, &type))
    errors.push_back({"type", "Use household, cooperative or enterprise."});
  if (!places_.IsCommune(input.commune_code)) {
    errors.push_back({"commune_code", "Not a current commune code (the 2025 administrative units)."});
  }
  std::optional<std::string> address;
  if (input.address_line && !input.address_line->empty()) {
    address = Collect(accounts::CleanName(*input.address_line, kMaxAddressChars, "address_line"), errors);
  } else {
    address = places_.FullName(input.commune_code);
  }
  if (!errors.empty()) return Error::Invalid("Some fields are missing or invalid.", errors);
  if (actor && !OfficerCovers(*actor, input.commune_code))
    return Error::Forbidden("You do not cover this commune.");
  TRY_ASSIGN(Onboarded done, CreateAssisted(actor ? actor->user_id : 0, *phone, *name, *name, type,
                                            input.commune_code, *address, "", nullptr, client));
  if (actor) {
    if (auto sent = accounts_.SendClaimCode(done.user.id); !sent.ok()) {
      spdlog::warn("import: claim code for user {} not sent: {}", done.user.id, sent.error().detail);
    }
  }
  return std::move(done.seller);
}

Status SellerService::ResendClaimCode(const Principal& actor, std::int64_t id) {
  TRY_ASSIGN(Access access, RequireCapacity(&actor, id, {Capacity::kCoopManager, Capacity::kOfficer}));
  return accounts_.SendClaimCode(access.seller.owner_user_id);
}

}  // namespace nongsan::sellers
