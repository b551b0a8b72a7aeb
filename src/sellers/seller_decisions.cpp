#include <spdlog/spdlog.h>

#include <algorithm>

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

}  // namespace nongsan::sellers
