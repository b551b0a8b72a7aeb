#include "sellers/seller_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "accounts/audit_log.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "places/places.hpp"
#include "sellers/seller_rows.hpp"

namespace nongsan::sellers {

using accounts::AuditEntry;
using accounts::ClientInfo;
using namespace internal;  // NOLINT: this module's own helpers

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

Result<std::vector<Seller>> SellerService::FindByPhones(const std::vector<std::string>& phones) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<Seller>> {
    std::vector<Seller> out;
    for (std::size_t start = 0; start < phones.size(); start += kPhonesPerLookup) {
      const std::size_t end = std::min(phones.size(), start + kPhonesPerLookup);
      db::Params params(phones.begin() + static_cast<std::ptrdiff_t>(start),
                        phones.begin() + static_cast<std::ptrdiff_t>(end));
      TRY_ASSIGN(
          std::vector<Seller> found,
          LoadSellers(c, "WHERE phone IN " + db::InValues(end - start, "TEXT") + " ORDER BY id", params));
      for (auto& s : found) out.push_back(std::move(s));
    }
    // Chunks each come ordered by id; the whole answer is too.
    std::stable_sort(out.begin(), out.end(), [](const Seller& a, const Seller& b) { return a.id < b.id; });
    return out;
  });
}

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

}  // namespace nongsan::sellers
