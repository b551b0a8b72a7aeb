// AccountService: sign-up, sign-in and sessions, the field checks and
// names the routes share, and a user's own profile. One-time codes and
// claims are in account_codes.cpp, roles in account_grants.cpp, the rows
// they share in user_rows.*; declarations in account_service.hpp.
#include "accounts/account_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "accounts/password.hpp"
#include "accounts/user_rows.hpp"
#include "core/ids.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "places/places.hpp"

namespace nongsan::accounts {

namespace {

// ---------------------------------------------------------------- SQL

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
constexpr const char* kRevokeOtherSessions =
    "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL";
constexpr const char* kListSessions =
    "SELECT id, created_at, last_seen_at, expires_at, user_agent, ip FROM sessions "
    "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC";
constexpr const char* kUpdateProfile =
    "UPDATE users SET full_name = ?, email = ?, updated_at = ? WHERE id = ?";
constexpr const char* kRehash = "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?";
Error InvalidCredentials() {
  Error e = Error::Unauthorized("The phone number or password is wrong.");
  e.type = "invalid_credentials";
  return e;
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
}  // namespace nongsan::accounts
