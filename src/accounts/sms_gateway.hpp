// Sending text messages (one-time codes, account claim codes). The accounts
// service talks to an SmsGateway; which one is chosen at start-up from config:
//  * DevSmsGateway (no gateway URL configured): writes each message to the
//    sms_outbox table and the log, so a developer or a test can read the code.
//  * HttpSmsGateway: POSTs {"to": "+84…", "message": "…"} as JSON with
//    "Authorization: Bearer KEY" to the configured URL and treats any 2xx as
//    sent, through the shared client (http/client.hpp) with the timeouts
//    below; plain HTTP only: for an https provider, point it at a local TLS
//    relay.
// Implementations are thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/client.hpp"

namespace nongsan::accounts {

inline constexpr std::chrono::milliseconds kSmsConnectTimeout{3000};
inline constexpr std::chrono::milliseconds kSmsIoTimeout{5000};
inline constexpr std::size_t kMaxSmsResponseBytes = 16 * 1024;

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  // to: canonical phone ("0912345678").
  virtual Status Send(const std::string& to, const std::string& message) = 0;
};

class DevSmsGateway final : public SmsGateway {
 public:
  DevSmsGateway(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Status Send(const std::string& to, const std::string& message) override;

 private:
  db::Database& db_;
  const Clock& clock_;
};

class HttpSmsGateway final : public SmsGateway {
 public:
  // url: "http://host[:port]/path".
  static Result<std::unique_ptr<HttpSmsGateway>> Create(const std::string& url, std::string key);
  Status Send(const std::string& to, const std::string& message) override;

 private:
  HttpSmsGateway(http::HttpTarget target, std::string key)
      : target_(std::move(target)), key_(std::move(key)) {}

  http::HttpTarget target_;
  std::string key_;
};

// The gateway for a configuration: HTTP when url is set, else development.
Result<std::unique_ptr<SmsGateway>> MakeSmsGateway(const std::string& url, const std::string& key,
                                                   db::Database& db, const Clock& clock);

// "+84912345678" for a canonical "0912345678" (providers want E.164).
std::string ToE164(const std::string& canonical_phone);

}  // namespace nongsan::accounts
