// Accounts: users identified by a Vietnamese mobile number, their role
// grants, sessions (one token serves as the web cookie and the API bearer
// token), one-time codes sent by SMS (phone verification, password reset,
// account claim) and the abuse controls around them.
//
// Secrets are never stored or logged in the clear: passwords as argon2id
// hashes, session tokens and one-time codes as SHA-256 hashes. Every method
// that takes a phone number accepts any form phone::Normalize() accepts.
// Sign-in endpoints are rate limited here, not in the HTTP layer, so every
// caller gets the same protection; a refusal is Error::RateLimited with the
// seconds to wait.
//
// The methods ending in `With` run inside a caller's transaction (another
// module creating a shop and its owner's grant atomically).
//
// Thread-safety: all methods may be called concurrently; the rate limiters
// are the only in-memory state and are internally locked.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/rate_limiter.hpp"
#include "accounts/sms_gateway.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::accounts {

inline constexpr std::int64_t kSessionLifetimeMs = 30 * kMsPerDay;
// last_seen_at is refreshed at most this often, so reading pages does not
// turn every request into a database write.
inline constexpr std::int64_t kSessionTouchIntervalMs = 10 * 60'000;
// Oldest sessions beyond this are revoked on the next login.
inline constexpr std::size_t kMaxSessionsPerUser = 20;
inline constexpr std::size_t kSessionTokenBytes = 32;
// Longer "tokens" are refused before hashing.
inline constexpr std::size_t kMaxTokenChars = 128;

inline constexpr std::size_t kCodeDigits = 6;
inline constexpr std::int64_t kCodeLifetimeMs = 10 * 60'000;
// A household onboarded by an officer may not read the SMS for a few days.
inline constexpr std::int64_t kClaimCodeLifetimeMs = 3 * kMsPerDay;
// Where a household claims the account an officer opened for it; the claim
// SMS prints the site's URL with it (SetSiteUrl).
inline constexpr std::string_view kClaimPath = "/nhan-tai-khoan";
inline constexpr std::string_view kDefaultSiteUrl = "http://localhost:8080";
inline constexpr int kMaxCodeAttempts = 5;

inline constexpr std::size_t kMaxFullNameChars = 100;
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxUserAgentBytes = 256;
inline constexpr std::size_t kMaxScopeBytes = 32;

// Per-IP limits are generous because Vietnamese mobile networks put many
// subscribers behind one address (carrier-grade NAT); per-phone limits are
// the strict ones.
inline constexpr BucketPolicy kRegisterPerIp{20, 30'000};
inline constexpr BucketPolicy kRegisterPerPhone{3, 10 * 60'000};
inline constexpr BucketPolicy kLoginPerIp{30, 2'000};
inline constexpr BucketPolicy kLoginPerPhone{10, 6'000};
inline constexpr BucketPolicy kCodeRequestPerIp{10, 30'000};
inline constexpr BucketPolicy kCodeRequestPerPhone{3, 5 * 60'000};
inline constexpr BucketPolicy kCodeCheckPerIp{30, 2'000};
inline constexpr BucketPolicy kCodeCheckPerPhone{10, 30'000};

enum class UserStatus { kActive, kUnclaimed, kDisabled };
enum class CodePurpose { kVerifyPhone, kResetPassword, kClaimAccount };

const char* UserStatusName(UserStatus status);
const char* CodePurposeName(CodePurpose purpose);
bool ParseCodePurpose(const std::string& name, CodePurpose* out);

struct User {
  std::int64_t id = 0;
  std::string phone;  // canonical
  std::string full_name;
  std::optional<std::string> email;
  UserStatus status = UserStatus::kActive;
  std::optional<std::int64_t> phone_verified_at;
  std::int64_t created_at = 0;
  std::vector<Grant> grants;
};

// {id, phone, full_name, email, status, phone_verified, roles, created_at}.
nlohmann::json UserJson(const User& user);

// Who is on the other end, recorded with sessions and audit entries.
struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

struct NewSession {
  User user;
  std::int64_t session_id = 0;
  std::string token;  // shown once; only its hash is stored
  std::int64_t expires_at = 0;
};

struct SessionInfo {
  std::int64_t id = 0;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::string user_agent;
  std::string ip;
  bool current = false;
};

struct GrantRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  Role role = Role::kBuyer;
  std::string scope;
};

struct GrantHolder {
  std::int64_t grant_id = 0;
  Role role = Role::kBuyer;
  std::string scope;
  std::int64_t user_id = 0;
  std::string phone;
  std::string full_name;
  UserStatus status = UserStatus::kActive;
};

struct RegisterInput {
  std::string phone;
  std::string password;
  std::string full_name;
  std::optional<std::string> email;
};

// Field checks shared with other modules. Each returns the cleaned value or a
// kInvalid error naming `field`.
Result<std::string> CleanPhone(std::string_view raw, const std::string& field = "phone");
// Trimmed, NFC, 1..max_chars code points, no control characters.
Result<std::string> CleanName(std::string_view raw, std::size_t max_chars, const std::string& field);
Result<std::string> CleanEmail(std::string_view raw, const std::string& field = "email");

class AccountService {
 public:
  // places may be null only where no admin grants are made (CLI bootstrap).
  AccountService(db::Database& db, const Clock& clock, SmsGateway& sms, const places::PlaceService* places);
  // The public URL the claim SMS points to ("https://nongsan.vn"); start-up
  // wiring only (not thread-safe against requests).
  void SetSiteUrl(std::string site_url) { site_url_ = std::move(site_url); }

  // ---- registration, sign-in, sessions
  // Creates an active buyer account and signs it in; sends a phone
  // verification code (best effort).
  Result<NewSession> Register(const RegisterInput& input, const ClientInfo& client);
  // replacing_token: the session cookie the browser already had, revoked so
  // that a session id never survives a login (fixation).
  Result<NewSession> Login(std::string_view phone, std::string_view password, const ClientInfo& client,
                           std::optional<std::string> replacing_token = std::nullopt);
  // A new session for a user whose identity the caller has already proved
  // (claim, tests). Also trims the user's surplus and expired sessions.
  Result<NewSession> StartSession(std::int64_t user_id, const ClientInfo& client);
  // The principal for a token; kUnauthorized when unknown, expired, revoked
  // or the account is disabled.
  Result<Principal> Authenticate(std::string_view token);
  // The principal of a user acting outside any session (operator commands,
  // background jobs, test fixtures); session_id is 0.
  Result<Principal> PrincipalFor(std::int64_t user_id);
  Status Logout(const Principal& principal);
  Result<std::vector<SessionInfo>> ListSessions(const Principal& principal);
  // kNotFound unless the session is the principal's own and still active.
  Status RevokeSession(const Principal& principal, std::int64_t session_id);

  // ---- one-time codes. Requesting never reveals whether an account exists:
  // the answer is the same and an SMS goes out only when it makes sense.
  Status RequestCode(std::string_view phone, CodePurpose purpose, const ClientInfo& client);
  Result<User> VerifyPhone(std::string_view phone, std::string_view code, const ClientInfo& client);
  // Sets a new password and signs out every session of the account.
  Status ResetPassword(std::string_view phone, std::string_view code, std::string_view new_password,
                       const ClientInfo& client);
  // An onboarded household sets its password and is signed in.
  Result<NewSession> Claim(std::string_view phone, std::string_view code, std::string_view password,
                           const ClientInfo& client);

  // ---- profile
  Result<User> GetUser(std::int64_t user_id);
  Result<std::optional<User>> FindByPhone(std::string_view phone);
  Result<User> UpdateProfile(const Principal& principal, std::optional<std::string> full_name,
                             std::optional<std::string> email);
  // Re-checks the principal's own password before a sensitive change made by
  // another module (a shop's payout account); a wrong one is a kInvalid error
  // naming `field` and counts towards the sign-in backoff, as a failed
  // sign-in does.
  Status ConfirmPassword(const Principal& principal, std::string_view password, const std::string& field);
  // Signs out every other session.
  Status ChangePassword(const Principal& principal, std::string_view current_password,
                        std::string_view new_password);

  // ---- grants
  Status GrantWith(db::Connection& c, std::int64_t user_id, Role role, const std::string& scope,
                   std::int64_t granted_by);
  Status RevokeGrantWith(db::Connection& c, std::int64_t user_id, Role role, const std::string& scope);
  Result<std::vector<GrantHolder>> ListGrantHoldersWith(db::Connection& c, Role role,
                                                        const std::string& scope);
  Result<std::vector<GrantHolder>> ListGrantHolders(Role role, const std::string& scope);
  // A province admin appoints a commune officer (commune in their province),
  // another admin of their province, or a carrier account.
  Result<GrantRecord> AdminGrant(const Principal& admin, std::string_view phone, Role role,
                                 const std::string& scope, const ClientInfo& client);
  // kNotFound unless the grant lies within the admin's province.
  Status AdminRevokeGrant(const Principal& admin, std::int64_t grant_id, const ClientInfo& client);

  // ---- assisted onboarding
  // An account with no password for a phone with no account yet; an
  // existing unclaimed account is reused. kConflict when the phone already
  // belongs to an active account.
  Result<User> CreateUnclaimedUserWith(db::Connection& c, std::string_view phone,
                                       const std::string& full_name, std::int64_t created_by);
  // Sends a claim code to an unclaimed account (call after the commit).
  Status SendClaimCode(std::int64_t user_id);

  // ---- operator bootstrap (`nongsan admin create-user`): an active account
  // with a password and the given grants; an existing account only gains the
  // grants. Audited as done by the system.
  Result<User> CreateOrGrantFromCli(std::string_view phone, const std::string& full_name,
                                    std::optional<std::string> password, const std::vector<Grant>& grants);

  // Takes one token from each bucket; the longest wait if any is empty.
  Status CheckRate(std::initializer_list<std::pair<std::string, BucketPolicy>> buckets);

  db::Database& db() { return db_; }
  const Clock& clock() const { return clock_; }

 private:
  Result<NewSession> StartSessionWith(db::Connection& c, std::int64_t user_id, const ClientInfo& client,
                                      std::int64_t now);
  Status IssueCode(const std::string& phone, CodePurpose purpose, std::int64_t lifetime_ms);

  db::Database& db_;
  const Clock& clock_;
  SmsGateway& sms_;
  const places::PlaceService* places_;
  RateLimiter limiter_;
  LoginBackoff backoff_;
  std::string site_url_{kDefaultSiteUrl};  // set at start-up, before serving
};

}  // namespace nongsan::accounts
