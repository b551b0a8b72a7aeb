#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "accounts/audit_log.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "places/places.hpp"
#include "sellers/seller_rows.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::sellers {

using accounts::AuditEntry;
using accounts::ClientInfo;
using namespace internal;  // NOLINT: this module's own helpers

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

}  // namespace nongsan::sellers
