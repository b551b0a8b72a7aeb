// Batch forms of assisted onboarding's account writes, for a bulk import
// that creates hundreds of shops in one transaction (the sellers module's
// CreateForImportWith): the unclaimed owner accounts, the grants of new
// shops, and their audit entries, each in a few multi-row statements instead
// of several statements per shop. They do what CreateUnclaimedUserWith,
// GrantWith and RecordAudit do one at a time, inside the caller's
// transaction. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "accounts/audit_log.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::accounts {

// Rows per multi-row statement of these functions: far below both engines'
// parameter limits (9 parameters a user, 5 a grant, 10 an audit entry).
inline constexpr std::size_t kAccountRowsPerStatement = 200;

struct UnclaimedAccount {
  std::string phone;  // canonical (phone::Normalize)
  std::string full_name;
};

// One result per account asked for, in order, as CreateUnclaimedUserWith
// answers it: the existing unclaimed account of the phone (reused), or a new
// one with the buyer grant; kConflict phone_registered for a phone of an
// account in use, found before anything is written. A phone asked for twice
// gets the same account. An error of the whole answer is the database's.
Result<std::vector<Result<User>>> CreateUnclaimedUsersWith(db::Connection& c,
                                                           const std::vector<UnclaimedAccount>& accounts,
                                                           std::int64_t created_by, std::int64_t now_ms);

struct NewGrant {
  std::int64_t user_id = 0;
  Role role = Role::kBuyer;
  std::string scope;
};

// Grants on objects created in the same transaction (a new shop's owner),
// which therefore hold no grant yet: inserted without looking first.
Status InsertNewGrantsWith(db::Connection& c, const std::vector<NewGrant>& grants, std::int64_t granted_by,
                           std::int64_t now_ms);

// RecordAudit for many entries at once.
Status RecordAudits(db::Connection& c, const std::vector<AuditEntry>& entries, std::int64_t at_ms);

}  // namespace nongsan::accounts
