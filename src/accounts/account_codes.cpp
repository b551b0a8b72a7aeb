// AccountService's one-time codes: issuing and sending them by SMS, and
// what a right code does (verify a phone, reset a password, claim an
// account created for a household). Declarations in account_service.hpp.
#include <algorithm>

#include "accounts/audit_log.hpp"
#include "accounts/password.hpp"
#include "accounts/user_rows.hpp"
#include "core/ids.hpp"
#include "core/phone.hpp"

namespace nongsan::accounts {
namespace {

constexpr const char* kRevokeAllSessions =
    "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL";
constexpr const char* kInsertCode =
    "INSERT INTO one_time_codes (phone, purpose, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kLatestCode =
    "SELECT id, code_hash, attempts, expires_at, consumed_at FROM one_time_codes "
    "WHERE phone = ? AND purpose = ? ORDER BY id DESC LIMIT 1";
constexpr const char* kCountCodeAttempt = "UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = ?";
constexpr const char* kConsumeCode = "UPDATE one_time_codes SET consumed_at = ? WHERE id = ?";

constexpr const char* kSetPhoneVerified =
    "UPDATE users SET phone_verified_at = ?, updated_at = ? WHERE id = ? AND phone_verified_at IS NULL";
constexpr const char* kClaimUser =
    "UPDATE users SET password_hash = ?, status = 'active', phone_verified_at = ?, updated_at = ? "
    "WHERE id = ? AND status = 'unclaimed'";
// Text messages are sent without tone marks: that fits 160 GSM characters per
// SMS where Vietnamese with marks would need UCS-2 and 70.
// The claim message says where to go: the household never opened the site.
std::string CodeMessage(CodePurpose purpose, const std::string& code, const std::string& site_url) {
  switch (purpose) {
    case CodePurpose::kVerifyPhone:
      return "nongsan: ma xac minh so dien thoai cua ban la " + code +
             ", het han sau 10 phut. Khong dua ma nay cho ai.";
    case CodePurpose::kResetPassword:
      return "nongsan: ma dat lai mat khau cua ban la " + code +
             ", het han sau 10 phut. Khong dua ma nay cho ai.";
    case CodePurpose::kClaimAccount:
      return "nongsan: tai khoan ban hang cua ban da duoc tao. Ma nhan tai khoan: " + code +
             " (het han sau 3 ngay), nhap tai " + site_url + std::string(kClaimPath) +
             " . Khong dua ma nay cho ai.";
  }
  return code;
}

std::string CodeHash(const std::string& phone, CodePurpose purpose, std::string_view code) {
  return ids::Sha256Hex(std::string(CodePurposeName(purpose)) + ":" + phone + ":" + std::string(code));
}
enum class CodeCheck { kOk, kWrong, kExpired, kUsed, kNone, kExhausted };

Error CodeError(CodeCheck check) {
  switch (check) {
    case CodeCheck::kExpired:
      return Error::Unprocessable("code_expired", "This code has expired; ask for a new one.");
    case CodeCheck::kUsed:
      return Error::Unprocessable("code_used", "This code has already been used; ask for a new one.");
    case CodeCheck::kExhausted:
      return Error::Unprocessable("code_attempts_exceeded",
                                  "Too many wrong tries for this code; ask for a new one.");
    case CodeCheck::kOk:
    case CodeCheck::kWrong:
    case CodeCheck::kNone:
      break;
  }
  return Error::Unprocessable("code_invalid", "The code is wrong.");
}

// Checks the newest code for (phone, purpose). A wrong guess is counted and
// committed (the caller returns the check as a value, not an error); a right
// one is consumed in the caller's transaction together with its effect.
Result<CodeCheck> ConsumeCodeWith(db::Connection& c, const std::string& phone, CodePurpose purpose,
                                  std::string_view code, std::int64_t now) {
  TRY_ASSIGN(auto row, c.QueryOne(kLatestCode, {phone, std::string(CodePurposeName(purpose))}));
  if (!row) return CodeCheck::kNone;
  const std::int64_t id = row->Int(0);
  if (!row->IsNull(4)) return CodeCheck::kUsed;
  if (row->Int(3) <= now) return CodeCheck::kExpired;
  if (row->Int(2) >= kMaxCodeAttempts) return CodeCheck::kExhausted;
  if (!ids::SecureEquals(CodeHash(phone, purpose, code), row->Text(1))) {
    TRY(c.Exec(kCountCodeAttempt, {id}));
    return CodeCheck::kWrong;
  }
  TRY(c.Exec(kConsumeCode, {now, id}));
  return CodeCheck::kOk;
}

Status CheckCodeFormat(std::string_view code) {
  const bool digits = code.size() == kCodeDigits &&
                      std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!digits) return Error::Field("code", "Enter the " + std::to_string(kCodeDigits) + "-digit code.");
  return Ok{};
}
}  // namespace

// ---------------------------------------------------------------- codes

Status AccountService::IssueCode(const std::string& phone, CodePurpose purpose, std::int64_t lifetime_ms) {
  const std::string code = ids::RandomDigits(kCodeDigits);
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kInsertCode, {phone, std::string(CodePurposeName(purpose)), CodeHash(phone, purpose, code),
                             now + lifetime_ms, now}));
    return Ok{};
  }));
  return sms_.Send(phone, CodeMessage(purpose, code, site_url_));
}

Status AccountService::RequestCode(std::string_view raw_phone, CodePurpose purpose,
                                   const ClientInfo& client) {
  TRY(CheckRate({{"code:ip:" + client.ip, kCodeRequestPerIp}}));
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY(CheckRate({{"code:phone:" + phone, kCodeRequestPerPhone}}));
  TRY_ASSIGN(auto user, FindByPhone(phone));
  if (!user) return Ok{};
  bool wanted = false;
  switch (purpose) {
    case CodePurpose::kVerifyPhone:
      wanted = user->status == UserStatus::kActive && !user->phone_verified_at;
      break;
    case CodePurpose::kResetPassword:
      wanted = user->status == UserStatus::kActive;
      break;
    case CodePurpose::kClaimAccount:
      wanted = user->status == UserStatus::kUnclaimed;
      break;
  }
  if (!wanted) return Ok{};
  return IssueCode(phone, purpose,
                   purpose == CodePurpose::kClaimAccount ? kClaimCodeLifetimeMs : kCodeLifetimeMs);
}

Result<User> AccountService::VerifyPhone(std::string_view raw_phone, std::string_view code,
                                         const ClientInfo& client) {
  TRY(CheckRate({{"check:ip:" + client.ip, kCodeCheckPerIp}}));
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY(CheckCodeFormat(code));
  TRY(CheckRate({{"check:phone:" + phone, kCodeCheckPerPhone}}));
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(CodeCheck check, db_.Write([&](db::Connection& c) -> Result<CodeCheck> {
    TRY_ASSIGN(CodeCheck result, ConsumeCodeWith(c, phone, CodePurpose::kVerifyPhone, code, now));
    if (result == CodeCheck::kOk) {
      TRY_ASSIGN(auto user, LoadUserWhere(c, "WHERE phone = ?", {phone}));
      if (!user) return CodeCheck::kNone;
      TRY(c.Exec(kSetPhoneVerified, {now, now, user->user.id}));
    }
    return result;
  }));
  if (check != CodeCheck::kOk) return CodeError(check);
  TRY_ASSIGN(auto user, FindByPhone(phone));
  if (!user) return Error::NotFound("user");
  return *user;
}

Status AccountService::ResetPassword(std::string_view raw_phone, std::string_view code,
                                     std::string_view new_password, const ClientInfo& client) {
  TRY(CheckRate({{"check:ip:" + client.ip, kCodeCheckPerIp}}));
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY(CheckCodeFormat(code));
  TRY(CheckPasswordPolicy(new_password, phone));
  TRY(CheckRate({{"check:phone:" + phone, kCodeCheckPerPhone}}));
  TRY_ASSIGN(std::string hash, HashPassword(new_password));
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(CodeCheck check, db_.Write([&](db::Connection& c) -> Result<CodeCheck> {
    TRY_ASSIGN(CodeCheck result, ConsumeCodeWith(c, phone, CodePurpose::kResetPassword, code, now));
    if (result != CodeCheck::kOk) return result;
    TRY_ASSIGN(auto user, LoadUserWhere(c, "WHERE phone = ?", {phone}));
    if (!user || user->user.status != UserStatus::kActive) return CodeCheck::kNone;
    TRY(c.Exec(kSetPassword, {hash, now, now, user->user.id}));
    TRY(c.Exec(kRevokeAllSessions, {now, user->user.id}));
    return result;
  }));
  if (check != CodeCheck::kOk) return CodeError(check);
  backoff_.RecordSuccess("login:" + phone);
  return Ok{};
}

Result<NewSession> AccountService::Claim(std::string_view raw_phone, std::string_view code,
                                         std::string_view password, const ClientInfo& client) {
  TRY(CheckRate({{"check:ip:" + client.ip, kCodeCheckPerIp}}));
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY(CheckCodeFormat(code));
  TRY(CheckPasswordPolicy(password, phone));
  TRY(CheckRate({{"check:phone:" + phone, kCodeCheckPerPhone}}));
  TRY_ASSIGN(std::string hash, HashPassword(password));
  const std::int64_t now = clock_.NowMs();
  struct Outcome {
    CodeCheck check = CodeCheck::kNone;
    std::optional<NewSession> session;
  };
  TRY_ASSIGN(Outcome outcome, db_.Write([&](db::Connection& c) -> Result<Outcome> {
    Outcome out;
    TRY_ASSIGN(out.check, ConsumeCodeWith(c, phone, CodePurpose::kClaimAccount, code, now));
    if (out.check != CodeCheck::kOk) return out;
    TRY_ASSIGN(auto user, LoadUserWhere(c, "WHERE phone = ?", {phone}));
    if (!user || user->user.status != UserStatus::kUnclaimed) {
      out.check = CodeCheck::kUsed;
      return out;
    }
    TRY(c.Exec(kClaimUser, {hash, now, now, user->user.id}));
    AuditEntry audit;
    audit.actor_user_id = user->user.id;
    audit.action = "user.claim";
    audit.object_type = "user";
    audit.object_id = std::to_string(user->user.id);
    audit.before = {{"status", "unclaimed"}};
    audit.after = {{"status", "active"}};
    audit.ip = client.ip;
    TRY(RecordAudit(c, audit, now));
    TRY_ASSIGN(NewSession session, StartSessionWith(c, user->user.id, client, now));
    out.session = std::move(session);
    return out;
  }));
  if (outcome.check != CodeCheck::kOk) return CodeError(outcome.check);
  return std::move(*outcome.session);
}
// ---------------------------------------------------------------- onboarding

Result<User> AccountService::CreateUnclaimedUserWith(db::Connection& c, std::string_view raw_phone,
                                                     const std::string& full_name, std::int64_t created_by) {
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY_ASSIGN(auto existing, LoadUserWhere(c, "WHERE phone = ?", {phone}));
  if (existing) {
    if (existing->user.status != UserStatus::kUnclaimed) {
      return Error::Conflict(
          "phone_registered",
          "This phone number already has an account; its owner can open a shop themselves.");
    }
    return std::move(existing->user);
  }
  const std::int64_t now = clock_.NowMs();
  db::Value by = created_by == 0 ? db::Value{} : db::Value{created_by};
  TRY_ASSIGN(std::int64_t user_id,
             c.QueryInt(kInsertUser, {phone, full_name, std::monostate{}, std::monostate{},
                                      std::string("unclaimed"), std::monostate{}, by, now, now}));
  TRY(GrantWith(c, user_id, Role::kBuyer, "", created_by));
  TRY_ASSIGN(auto created, LoadUserWhere(c, "WHERE id = ?", {user_id}));
  if (!created) return Error::Internal("user vanished");
  return std::move(created->user);
}

Status AccountService::SendClaimCode(std::int64_t user_id) {
  TRY_ASSIGN(User user, GetUser(user_id));
  if (user.status != UserStatus::kUnclaimed) {
    return Error::Conflict("already_claimed", "This account has already been claimed.");
  }
  TRY(CheckRate({{"code:phone:" + user.phone, kCodeRequestPerPhone}}));
  return IssueCode(user.phone, CodePurpose::kClaimAccount, kClaimCodeLifetimeMs);
}
}  // namespace nongsan::accounts
