#include "accounts/account_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "accounts/audit_log.hpp"
#include "accounts/password.hpp"
#include "core/ids.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "places/places.hpp"

namespace nongsan::accounts {

namespace {

// ---------------------------------------------------------------- SQL

constexpr const char* kUserColumns =
    "SELECT id, phone, full_name, email, status, phone_verified_at, created_at, password_hash FROM users ";
constexpr const char* kInsertUser =
    "INSERT INTO users (phone, full_name, email, password_hash, status, phone_verified_at, created_by, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kSelectGrants = "SELECT role, scope FROM user_grants WHERE user_id = ? ORDER BY id";
constexpr const char* kSelectGrantId =
    "SELECT id FROM user_grants WHERE user_id = ? AND role = ? AND scope = ?";
constexpr const char* kInsertGrant =
    "INSERT INTO user_grants (user_id, role, scope, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* kDeleteGrant = "DELETE FROM user_grants WHERE user_id = ? AND role = ? AND scope = ?";
constexpr const char* kDeleteGrantById = "DELETE FROM user_grants WHERE id = ?";
constexpr const char* kSelectGrantById = "SELECT id, user_id, role, scope FROM user_grants WHERE id = ?";
constexpr const char* kSelectGrantHolders =
    "SELECT g.id, g.role, g.scope, u.id, u.phone, u.full_name, u.status FROM user_grants g "
    "JOIN users u ON u.id = g.user_id WHERE g.role = ? AND g.scope = ? ORDER BY g.id";

constexpr const char* kPruneSessions =
    "DELETE FROM sessions WHERE user_id = ? AND (expires_at <= ? OR revoked_at IS NOT NULL)";
constexpr const char* kCountActiveSessions =
    "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL";
constexpr const char* kRevokeOldestSessions =
    "UPDATE sessions SET revoked_at = ? WHERE id IN (SELECT id FROM sessions WHERE user_id = ? AND "
    "revoked_at IS NULL ORDER BY id LIMIT ?)";
constexpr const char* kInsertSession =
    "INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at, user_agent, ip) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kSelectSessionByToken =
    "SELECT s.id, s.user_id, s.expires_at, s.revoked_at, s.last_seen_at, u.phone, u.full_name, u.status "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?";
constexpr const char* kTouchSession = "UPDATE sessions SET last_seen_at = ? WHERE id = ?";
constexpr const char* kRevokeSession =
    "UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > "
    "?";
constexpr const char* kRevokeSessionByToken =
    "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL";
constexpr const char* kRevokeAllSessions =
    "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL";
constexpr const char* kRevokeOtherSessions =
    "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL";
constexpr const char* kListSessions =
    "SELECT id, created_at, last_seen_at, expires_at, user_agent, ip FROM sessions "
    "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC";

constexpr const char* kInsertCode =
    "INSERT INTO one_time_codes (phone, purpose, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kLatestCode =
    "SELECT id, code_hash, attempts, expires_at, consumed_at FROM one_time_codes "
    "WHERE phone = ? AND purpose = ? ORDER BY id DESC LIMIT 1";
constexpr const char* kCountCodeAttempt = "UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = ?";
constexpr const char* kConsumeCode = "UPDATE one_time_codes SET consumed_at = ? WHERE id = ?";

constexpr const char* kSetPhoneVerified =
    "UPDATE users SET phone_verified_at = ?, updated_at = ? WHERE id = ? AND phone_verified_at IS NULL";
constexpr const char* kSetPassword =
    "UPDATE users SET password_hash = ?, phone_verified_at = COALESCE(phone_verified_at, ?), updated_at = ? "
    "WHERE id = ?";
constexpr const char* kClaimUser =
    "UPDATE users SET password_hash = ?, status = 'active', phone_verified_at = ?, updated_at = ? "
    "WHERE id = ? AND status = 'unclaimed'";
constexpr const char* kUpdateProfile =
    "UPDATE users SET full_name = ?, email = ?, updated_at = ? WHERE id = ?";
constexpr const char* kRehash = "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?";

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

bool ParseUserStatus(const std::string& name, UserStatus* out) {
  if (name == "active")
    *out = UserStatus::kActive;
  else if (name == "unclaimed")
    *out = UserStatus::kUnclaimed;
  else if (name == "disabled")
    *out = UserStatus::kDisabled;
  else
    return false;
  return true;
}

struct UserRow {
  User user;
  std::string password_hash;
};

UserRow ReadUser(const db::Row& row) {
  UserRow out;
  out.user.id = row.Int(0);
  out.user.phone = row.Text(1);
  out.user.full_name = row.Text(2);
  out.user.email = row.OptText(3);
  ParseUserStatus(row.Text(4), &out.user.status);
  out.user.phone_verified_at = row.OptInt(5);
  out.user.created_at = row.Int(6);
  out.password_hash = row.Text(7);
  return out;
}

Result<std::vector<Grant>> LoadGrants(db::Connection& c, std::int64_t user_id) {
  TRY_ASSIGN(db::Rows rows, c.Query(kSelectGrants, {user_id}));
  std::vector<Grant> grants;
  for (const auto& row : rows) {
    Role role;
    if (ParseRole(row.Text(0), &role)) grants.push_back(Grant{role, row.Text(1)});
  }
  return grants;
}

Result<std::optional<UserRow>> LoadUserWhere(db::Connection& c, const std::string& where,
                                             const db::Params& params) {
  TRY_ASSIGN(auto row, c.QueryOne(std::string(kUserColumns) + where, params));
  if (!row) return std::optional<UserRow>();
  UserRow out = ReadUser(*row);
  TRY_ASSIGN(out.user.grants, LoadGrants(c, out.user.id));
  return std::optional<UserRow>(std::move(out));
}

Error InvalidCredentials() {
  Error e = Error::Unauthorized("The phone number or password is wrong.");
  e.type = "invalid_credentials";
  return e;
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

bool IsScopeToken(const std::string& scope) {
  return !scope.empty() && scope.size() <= kMaxScopeBytes &&
         std::all_of(scope.begin(), scope.end(), [](char ch) {
           return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
         });
}

nlohmann::json GrantJson(Role role, const std::string& scope) {
  return {{"role", RoleName(role)}, {"scope", scope}};
}

}  // namespace

// ---------------------------------------------------------------- names

const char* UserStatusName(UserStatus status) {
  switch (status) {
    case UserStatus::kActive:
      return "active";
    case UserStatus::kUnclaimed:
      return "unclaimed";
    case UserStatus::kDisabled:
      return "disabled";
  }
  return "active";
}

const char* CodePurposeName(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::kVerifyPhone:
      return "verify_phone";
    case CodePurpose::kResetPassword:
      return "reset_password";
    case CodePurpose::kClaimAccount:
      return "claim_account";
  }
  return "verify_phone";
}

bool ParseCodePurpose(const std::string& name, CodePurpose* out) {
  for (CodePurpose p : {CodePurpose::kVerifyPhone, CodePurpose::kResetPassword, CodePurpose::kClaimAccount}) {
    if (name == CodePurposeName(p)) {
      *out = p;
      return true;
    }
  }
  return false;
}

nlohmann::json UserJson(const User& user) {
  nlohmann::json roles = nlohmann::json::array();
  for (const auto& grant : user.grants) roles.push_back(GrantJson(grant.role, grant.scope));
  return {
      {"id", user.id},
      {"phone", user.phone},
      {"full_name", user.full_name},
      {"email", user.email ? nlohmann::json(*user.email) : nlohmann::json(nullptr)},
      {"status", UserStatusName(user.status)},
      {"phone_verified", user.phone_verified_at.has_value()},
      {"roles", std::move(roles)},
      {"created_at", timefmt::Rfc3339(user.created_at)},
  };
}

// ---------------------------------------------------------------- field checks

Result<std::string> CleanPhone(std::string_view raw, const std::string& field) {
  auto canonical = phone::Normalize(raw);
  if (!canonical) {
    return Error::Field(field, "Enter a Vietnamese mobile number, e.g. 0912 345 678 or +84 912 345 678.");
  }
  return *canonical;
}

Result<std::string> CleanName(std::string_view raw, std::size_t max_chars, const std::string& field) {
  if (!text::IsValidUtf8(raw)) return Error::Field(field, "Not valid UTF-8 text.");
  // Measured before normalising so that a huge input costs nothing more.
  if (raw.size() > max_chars * 4 + 64) return Error::Field(field, "Too long.");
  std::string name = text::Trim(text::ToNfc(raw));
  if (name.empty()) return Error::Field(field, "Required.");
  if (text::CodePointCount(name) > max_chars) {
    return Error::Field(field, "Use at most " + std::to_string(max_chars) + " characters.");
  }
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7F) return Error::Field(field, "Must not contain control characters.");
  }
  return name;
}

Result<std::string> CleanEmail(std::string_view raw, const std::string& field) {
  const std::string email = text::Trim(raw);
  const std::size_t at = email.find('@');
  const bool plausible = email.size() <= kMaxEmailBytes && at != std::string::npos && at > 0 &&
                         email.find('.', at) != std::string::npos && email.back() != '.' &&
                         email.find_first_of(" \t\r\n<>\"") == std::string::npos &&
                         email.find('@', at + 1) == std::string::npos && text::IsValidUtf8(email);
  if (!plausible) return Error::Field(field, "Enter an e-mail address such as ten@example.vn.");
  return email;
}

// ---------------------------------------------------------------- service

AccountService::AccountService(db::Database& db, const Clock& clock, SmsGateway& sms,
                               const places::PlaceService* places)
    : db_(db), clock_(clock), sms_(sms), places_(places), limiter_(clock), backoff_(clock) {}

Status AccountService::CheckRate(std::initializer_list<std::pair<std::string, BucketPolicy>> buckets) {
  int wait = 0;
  for (const auto& [key, policy] : buckets) wait = std::max(wait, limiter_.Take(key, policy));
  if (wait > 0) return Error::RateLimited(wait);
  return Ok{};
}

Result<NewSession> AccountService::Register(const RegisterInput& input, const ClientInfo& client) {
  TRY(CheckRate({{"register:ip:" + client.ip, kRegisterPerIp}}));
  std::vector<FieldError> errors;
  auto collect = [&errors](const auto& result) {
    if (!result.ok())
      for (const auto& f : result.error().fields) errors.push_back(f);
  };
  auto phone = CleanPhone(input.phone);
  collect(phone);
  auto name = CleanName(input.full_name, kMaxFullNameChars, "full_name");
  collect(name);
  std::optional<std::string> email;
  if (input.email && !input.email->empty()) {
    auto cleaned = CleanEmail(*input.email);
    collect(cleaned);
    if (cleaned.ok()) email = *cleaned;
  }
  collect(CheckPasswordPolicy(input.password, phone.ok() ? *phone : ""));
  if (!errors.empty()) return Error::Invalid("Some fields are missing or invalid.", errors);
  TRY(CheckRate({{"register:phone:" + *phone, kRegisterPerPhone}}));

  TRY_ASSIGN(auto existing, FindByPhone(*phone));
  if (existing) {
    if (existing->status == UserStatus::kUnclaimed) {
      return Error::Conflict(
          "account_unclaimed",
          "An account was already created for this number; claim it with the code sent by SMS.");
    }
    return Error::Conflict("phone_taken", "This phone number already has an account; sign in instead.");
  }
  TRY_ASSIGN(std::string hash, HashPassword(input.password));
  const std::int64_t now = clock_.NowMs();
  auto session = db_.Write([&](db::Connection& c) -> Result<NewSession> {
    db::Value email_value = email ? db::Value{*email} : db::Value{};
    TRY_ASSIGN(std::int64_t user_id,
               c.QueryInt(kInsertUser, {*phone, *name, email_value, hash, std::string("active"),
                                        std::monostate{}, std::monostate{}, now, now}));
    TRY(GrantWith(c, user_id, Role::kBuyer, "", user_id));
    return StartSessionWith(c, user_id, client, now);
  });
  if (!session.ok()) {
    if (db::IsUniqueViolation(session.error())) {
      return Error::Conflict("phone_taken", "This phone number already has an account; sign in instead.");
    }
    return std::move(session).error();
  }
  // Best effort: the user can ask for another code if this one is lost.
  if (auto sent = IssueCode(*phone, CodePurpose::kVerifyPhone, kCodeLifetimeMs); !sent.ok()) {
    spdlog::warn("register: verification code for user {} not sent: {}", session->user.id,
                 sent.error().detail);
  }
  return session;
}

Result<NewSession> AccountService::Login(std::string_view raw_phone, std::string_view password,
                                         const ClientInfo& client,
                                         std::optional<std::string> replacing_token) {
  TRY(CheckRate({{"login:ip:" + client.ip, kLoginPerIp}}));
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  const std::string backoff_key = "login:" + phone;
  TRY(CheckRate({{"login:phone:" + phone, kLoginPerPhone}}));
  if (int wait = backoff_.WaitSeconds(backoff_key); wait > 0) return Error::RateLimited(wait);
  if (password.size() > kMaxPasswordBytes) return InvalidCredentials();

  TRY_ASSIGN(auto found,
             db_.Read([&](db::Connection& c) { return LoadUserWhere(c, "WHERE phone = ?", {phone}); }));
  if (!found || found->user.status != UserStatus::kActive || found->password_hash.empty()) {
    BurnVerificationTime(password);
    backoff_.RecordFailure(backoff_key);
    if (found && found->user.status == UserStatus::kUnclaimed) {
      Error e = Error::Unauthorized(
          "This account has not been claimed yet; use the code sent by SMS to set a password.");
      e.type = "account_unclaimed";
      return e;
    }
    return InvalidCredentials();
  }
  if (!VerifyPassword(password, found->password_hash)) {
    backoff_.RecordFailure(backoff_key);
    return InvalidCredentials();
  }
  backoff_.RecordSuccess(backoff_key);

  std::optional<std::string> rehashed;
  if (NeedsRehash(found->password_hash)) {
    if (auto h = HashPassword(password); h.ok()) rehashed = *h;
  }
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<NewSession> {
    if (replacing_token && !replacing_token->empty() && replacing_token->size() <= kMaxTokenChars) {
      TRY(c.Exec(kRevokeSessionByToken, {now, ids::Sha256Hex(*replacing_token)}));
    }
    if (rehashed) TRY(c.Exec(kRehash, {*rehashed, found->user.id, found->password_hash}));
    return StartSessionWith(c, found->user.id, client, now);
  });
}

Result<NewSession> AccountService::StartSession(std::int64_t user_id, const ClientInfo& client) {
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) { return StartSessionWith(c, user_id, client, now); });
}

Result<NewSession> AccountService::StartSessionWith(db::Connection& c, std::int64_t user_id,
                                                    const ClientInfo& client, std::int64_t now) {
  TRY(c.Exec(kPruneSessions, {user_id, now}));
  TRY_ASSIGN(std::int64_t active, c.QueryInt(kCountActiveSessions, {user_id}));
  const auto max_sessions = static_cast<std::int64_t>(kMaxSessionsPerUser);
  if (active >= max_sessions) TRY(c.Exec(kRevokeOldestSessions, {now, user_id, active - max_sessions + 1}));

  NewSession session;
  session.token = ids::RandomToken(kSessionTokenBytes);
  session.expires_at = now + kSessionLifetimeMs;
  std::string user_agent = client.user_agent.substr(0, kMaxUserAgentBytes);
  if (!text::IsValidUtf8(user_agent)) user_agent.clear();
  TRY_ASSIGN(session.session_id, c.QueryInt(kInsertSession, {user_id, ids::Sha256Hex(session.token), now, now,
                                                             session.expires_at, user_agent, client.ip}));
  TRY_ASSIGN(auto user, LoadUserWhere(c, "WHERE id = ?", {user_id}));
  if (!user) return Error::NotFound("user");
  session.user = std::move(user->user);
  return session;
}

Result<Principal> AccountService::Authenticate(std::string_view token) {
  const Error unauthorized = Error::Unauthorized("The session has expired or was signed out; sign in again.");
  if (token.empty() || token.size() > kMaxTokenChars) return unauthorized;
  const std::int64_t now = clock_.NowMs();
  std::int64_t last_seen = 0;
  auto principal = db_.Read([&](db::Connection& c) -> Result<Principal> {
    TRY_ASSIGN(auto row, c.QueryOne(kSelectSessionByToken, {ids::Sha256Hex(token)}));
    if (!row || !row->IsNull(3) || row->Int(2) <= now || row->Text(7) != "active") return unauthorized;
    Principal p;
    p.session_id = row->Int(0);
    p.user_id = row->Int(1);
    last_seen = row->Int(4);
    p.phone = row->Text(5);
    p.full_name = row->Text(6);
    TRY_ASSIGN(p.grants, LoadGrants(c, p.user_id));
    return p;
  });
  if (principal.ok() && now - last_seen > kSessionTouchIntervalMs) {
    const std::int64_t session_id = principal->session_id;
    Status touched = db_.WriteWith([&](db::Connection& c) -> Status {
      TRY(c.Exec(kTouchSession, {now, session_id}));
      return Ok{};
    });
    if (!touched.ok()) spdlog::warn("session {}: last_seen not updated", session_id);
  }
  return principal;
}

Result<Principal> AccountService::PrincipalFor(std::int64_t user_id) {
  TRY_ASSIGN(User user, GetUser(user_id));
  Principal p;
  p.user_id = user.id;
  p.phone = user.phone;
  p.full_name = user.full_name;
  p.grants = std::move(user.grants);
  return p;
}

Status AccountService::Logout(const Principal& principal) {
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kRevokeSession, {now, principal.session_id, principal.user_id, now}));
    return Ok{};
  });
}

Result<std::vector<SessionInfo>> AccountService::ListSessions(const Principal& principal) {
  const std::int64_t now = clock_.NowMs();
  return db_.Read([&](db::Connection& c) -> Result<std::vector<SessionInfo>> {
    TRY_ASSIGN(db::Rows rows, c.Query(kListSessions, {principal.user_id, now}));
    std::vector<SessionInfo> out;
    for (const auto& row : rows) {
      SessionInfo s;
      s.id = row.Int(0);
      s.created_at = row.Int(1);
      s.last_seen_at = row.Int(2);
      s.expires_at = row.Int(3);
      s.user_agent = row.Text(4);
      s.ip = row.Text(5);
      s.current = s.id == principal.session_id;
      out.push_back(std::move(s));
    }
    return out;
  });
}

Status AccountService::RevokeSession(const Principal& principal, std::int64_t session_id) {
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t changed, c.Exec(kRevokeSession, {now, session_id, principal.user_id, now}));
    if (changed == 0) return Error::NotFound("session");
    return Ok{};
  });
}

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

// ---------------------------------------------------------------- profile

Result<User> AccountService::GetUser(std::int64_t user_id) {
  TRY_ASSIGN(auto found,
             db_.Read([&](db::Connection& c) { return LoadUserWhere(c, "WHERE id = ?", {user_id}); }));
  if (!found) return Error::NotFound("user");
  return std::move(found->user);
}

Result<std::optional<User>> AccountService::FindByPhone(std::string_view raw_phone) {
  auto phone = phone::Normalize(raw_phone);
  if (!phone) return std::optional<User>();
  TRY_ASSIGN(auto found,
             db_.Read([&](db::Connection& c) { return LoadUserWhere(c, "WHERE phone = ?", {*phone}); }));
  if (!found) return std::optional<User>();
  return std::optional<User>(std::move(found->user));
}

Result<User> AccountService::UpdateProfile(const Principal& principal, std::optional<std::string> full_name,
                                           std::optional<std::string> email) {
  TRY_ASSIGN(User user, GetUser(principal.user_id));
  std::vector<FieldError> errors;
  if (full_name) {
    auto cleaned = CleanName(*full_name, kMaxFullNameChars, "full_name");
    if (cleaned.ok())
      user.full_name = *cleaned;
    else
      errors.insert(errors.end(), cleaned.error().fields.begin(), cleaned.error().fields.end());
  }
  if (email) {
    if (email->empty()) {
      user.email.reset();
    } else if (auto cleaned = CleanEmail(*email); cleaned.ok()) {
      user.email = *cleaned;
    } else {
      errors.insert(errors.end(), cleaned.error().fields.begin(), cleaned.error().fields.end());
    }
  }
  if (!errors.empty()) return Error::Invalid("Some fields are invalid.", errors);
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    db::Value email_value = user.email ? db::Value{*user.email} : db::Value{};
    TRY(c.Exec(kUpdateProfile, {user.full_name, email_value, now, user.id}));
    return Ok{};
  }));
  return user;
}

Status AccountService::ConfirmPassword(const Principal& principal, std::string_view password,
                                       const std::string& field) {
  const std::string backoff_key = "login:" + principal.phone;
  if (int wait = backoff_.WaitSeconds(backoff_key); wait > 0) return Error::RateLimited(wait);
  TRY_ASSIGN(auto found, db_.Read([&](db::Connection& c) {
    return LoadUserWhere(c, "WHERE id = ?", {principal.user_id});
  }));
  if (!found) return Error::NotFound("user");
  if (password.empty() || password.size() > kMaxPasswordBytes ||
      !VerifyPassword(password, found->password_hash)) {
    backoff_.RecordFailure(backoff_key);
    return Error::Field(field, "The password is wrong.");
  }
  return Ok{};
}

Status AccountService::ChangePassword(const Principal& principal, std::string_view current_password,
                                      std::string_view new_password) {
  const std::string backoff_key = "login:" + principal.phone;
  if (int wait = backoff_.WaitSeconds(backoff_key); wait > 0) return Error::RateLimited(wait);
  TRY_ASSIGN(auto found, db_.Read([&](db::Connection& c) {
    return LoadUserWhere(c, "WHERE id = ?", {principal.user_id});
  }));
  if (!found) return Error::NotFound("user");
  if (current_password.size() > kMaxPasswordBytes ||
      !VerifyPassword(current_password, found->password_hash)) {
    backoff_.RecordFailure(backoff_key);
    return Error::Field("current_password", "The current password is wrong.");
  }
  TRY(CheckPasswordPolicy(new_password, principal.phone, "new_password"));
  TRY_ASSIGN(std::string hash, HashPassword(new_password));
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kSetPassword, {hash, now, now, principal.user_id}));
    TRY(c.Exec(kRevokeOtherSessions, {now, principal.user_id, principal.session_id}));
    return Ok{};
  });
}

// ---------------------------------------------------------------- grants

Status AccountService::GrantWith(db::Connection& c, std::int64_t user_id, Role role, const std::string& scope,
                                 std::int64_t granted_by) {
  // Checked first because a failed INSERT would abort a PostgreSQL transaction.
  TRY_ASSIGN(auto existing, c.QueryOne(kSelectGrantId, {user_id, std::string(RoleName(role)), scope}));
  if (existing) return Ok{};
  db::Value by = granted_by == 0 ? db::Value{} : db::Value{granted_by};
  TRY(c.QueryInt(kInsertGrant, {user_id, std::string(RoleName(role)), scope, by, clock_.NowMs()}));
  return Ok{};
}

Status AccountService::RevokeGrantWith(db::Connection& c, std::int64_t user_id, Role role,
                                       const std::string& scope) {
  TRY(c.Exec(kDeleteGrant, {user_id, std::string(RoleName(role)), scope}));
  return Ok{};
}

Result<std::vector<GrantHolder>> AccountService::ListGrantHoldersWith(db::Connection& c, Role role,
                                                                      const std::string& scope) {
  TRY_ASSIGN(db::Rows rows, c.Query(kSelectGrantHolders, {std::string(RoleName(role)), scope}));
  std::vector<GrantHolder> out;
  for (const auto& row : rows) {
    GrantHolder h;
    h.grant_id = row.Int(0);
    ParseRole(row.Text(1), &h.role);
    h.scope = row.Text(2);
    h.user_id = row.Int(3);
    h.phone = row.Text(4);
    h.full_name = row.Text(5);
    ParseUserStatus(row.Text(6), &h.status);
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<GrantHolder>> AccountService::ListGrantHolders(Role role, const std::string& scope) {
  return db_.Read([&](db::Connection& c) { return ListGrantHoldersWith(c, role, scope); });
}

namespace {

// The province a grant belongs to, as far as admin rights go: "" for grants no
// province admin manages.
std::string GrantProvince(const places::PlaceService* places, Role role, const std::string& scope) {
  switch (role) {
    case Role::kProvinceAdmin:
      return scope;
    case Role::kCommuneOfficer:
      if (places) {
        if (auto province = places->ProvinceOf(scope)) return *province;
      }
      return "";
    default:
      return "";
  }
}

std::vector<std::string> AdminProvinces(const Principal& admin) {
  std::vector<std::string> out;
  for (const auto& g : admin.grants) {
    if (g.role == Role::kProvinceAdmin) out.push_back(g.scope);
  }
  return out;
}

}  // namespace

Result<GrantRecord> AccountService::AdminGrant(const Principal& admin, std::string_view raw_phone, Role role,
                                               const std::string& scope, const ClientInfo& client) {
  const auto provinces = AdminProvinces(admin);
  if (provinces.empty()) return Error::Forbidden("Only a province administrator may appoint people.");
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  std::string province;
  switch (role) {
    case Role::kCommuneOfficer:
      if (!places_ || !places_->IsCommune(scope)) return Error::Field("scope", "Not a current commune code.");
      province = GrantProvince(places_, role, scope);
      break;
    case Role::kProvinceAdmin:
      province = scope;
      break;
    case Role::kCarrier:
      if (!IsScopeToken(scope)) {
        return Error::Field("scope", "Name the carrier with lower-case letters, digits, - or _.");
      }
      province = provinces.front();
      break;
    default:
      return Error::Field("role", "Only commune_officer, province_admin or carrier can be granted here.");
  }
  if (std::find(provinces.begin(), provinces.end(), province) == provinces.end()) {
    return Error::Forbidden("This is outside your province.");
  }
  TRY_ASSIGN(auto target, FindByPhone(phone));
  if (!target) {
    return Error::Unprocessable("user_not_found",
                                "No account uses this phone number; ask the person to register first.");
  }
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<GrantRecord> {
    TRY(GrantWith(c, target->id, role, scope, admin.user_id));
    TRY_ASSIGN(auto row, c.QueryOne(kSelectGrantId, {target->id, std::string(RoleName(role)), scope}));
    if (!row) return Error::Internal("grant vanished");
    GrantRecord record{row->Int(0), target->id, role, scope};
    AuditEntry audit;
    audit.actor_user_id = admin.user_id;
    audit.on_behalf_of_user_id = target->id;
    audit.action = "grant.add";
    audit.object_type = "user";
    audit.object_id = std::to_string(target->id);
    audit.after = GrantJson(role, scope);
    audit.province_code = province;
    audit.ip = client.ip;
    TRY(RecordAudit(c, audit, now));
    return record;
  });
}

Status AccountService::AdminRevokeGrant(const Principal& admin, std::int64_t grant_id,
                                        const ClientInfo& client) {
  const auto provinces = AdminProvinces(admin);
  if (provinces.empty()) return Error::Forbidden("Only a province administrator may remove appointments.");
  const std::int64_t now = clock_.NowMs();
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto row, c.QueryOne(kSelectGrantById, {grant_id}));
    if (!row) return Error::NotFound("grant");
    Role role;
    if (!ParseRole(row->Text(2), &role)) return Error::NotFound("grant");
    const std::string scope = row->Text(3);
    std::string province = role == Role::kCarrier ? provinces.front() : GrantProvince(places_, role, scope);
    if (std::find(provinces.begin(), provinces.end(), province) == provinces.end()) {
      return Error::NotFound("grant");
    }
    TRY(c.Exec(kDeleteGrantById, {grant_id}));
    AuditEntry audit;
    audit.actor_user_id = admin.user_id;
    audit.on_behalf_of_user_id = row->Int(1);
    audit.action = "grant.remove";
    audit.object_type = "user";
    audit.object_id = std::to_string(row->Int(1));
    audit.before = GrantJson(role, scope);
    audit.province_code = province;
    audit.ip = client.ip;
    return RecordAudit(c, audit, now);
  });
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

// ---------------------------------------------------------------- CLI

Result<User> AccountService::CreateOrGrantFromCli(std::string_view raw_phone, const std::string& full_name,
                                                  std::optional<std::string> password,
                                                  const std::vector<Grant>& grants) {
  TRY_ASSIGN(std::string phone, CleanPhone(raw_phone));
  TRY_ASSIGN(auto existing, FindByPhone(phone));
  std::optional<std::string> hash;
  std::string name;
  if (!existing) {
    TRY_ASSIGN(name, CleanName(full_name, kMaxFullNameChars, "name"));
    if (!password) return Error::Field("password", "A new account needs a password.");
    TRY(CheckPasswordPolicy(*password, phone));
    TRY_ASSIGN(std::string hashed, HashPassword(*password));
    hash = std::move(hashed);
  }
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(std::int64_t user_id, db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    std::int64_t id = existing ? existing->id : 0;
    if (!existing) {
      // The operator vouches for the number, so it counts as verified.
      TRY_ASSIGN(id, c.QueryInt(kInsertUser, {phone, name, std::monostate{}, *hash, std::string("active"),
                                              now, std::monostate{}, now, now}));
      TRY(GrantWith(c, id, Role::kBuyer, "", 0));
    }
    for (const auto& grant : grants) {
      TRY(GrantWith(c, id, grant.role, grant.scope, 0));
      AuditEntry audit;
      audit.on_behalf_of_user_id = id;
      audit.action = "grant.add";
      audit.object_type = "user";
      audit.object_id = std::to_string(id);
      audit.after = GrantJson(grant.role, grant.scope);
      audit.province_code = GrantProvince(places_, grant.role, grant.scope);
      audit.ip = "cli";
      TRY(RecordAudit(c, audit, now));
    }
    return id;
  }));
  return GetUser(user_id);
}

}  // namespace nongsan::accounts
