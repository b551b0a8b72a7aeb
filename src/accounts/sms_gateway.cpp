#include "accounts/sms_gateway.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http/client.hpp"

namespace nongsan::accounts {

namespace {

constexpr std::string_view kHttpScheme = "http://";

constexpr const char* kInsertOutbox =
    "INSERT INTO sms_outbox (to_phone, message, created_at) VALUES (?, ?, ?)";

}  // namespace

std::string ToE164(const std::string& canonical_phone) {
  if (canonical_phone.size() > 1 && canonical_phone[0] == '0') return "+84" + canonical_phone.substr(1);
  return canonical_phone;
}

Status DevSmsGateway::Send(const std::string& to, const std::string& message) {
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kInsertOutbox, {to, message, now}));
    return Ok{};
  }));
  // The development gateway exists so that a developer can read the code.
  spdlog::info("sms (development gateway) to {}: {}", to, message);
  return Ok{};
}

Result<std::unique_ptr<HttpSmsGateway>> HttpSmsGateway::Create(const std::string& url, std::string key) {
  if (!url.starts_with(kHttpScheme)) {
    return Error::Invalid("The SMS gateway URL must start with http:// (use a local TLS relay for https).");
  }
  TRY_ASSIGN(http::HttpTarget target, http::ParseHttpUrl(url, "The SMS gateway URL"));
  return std::unique_ptr<HttpSmsGateway>(new HttpSmsGateway(std::move(target), std::move(key)));
}

Status HttpSmsGateway::Send(const std::string& to, const std::string& message) {
  constexpr http::ClientLimits kLimits{kSmsConnectTimeout, kSmsIoTimeout, kMaxSmsResponseBytes};
  const std::string body = nlohmann::json{{"to", ToE164(to)}, {"message", message}}.dump();
  // The status line is all the answer we need.
  auto answer =
      http::Post(target_, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key_}}, body,
                 kLimits, http::ReadUntil::kStatusLine, "sms gateway");
  if (!answer.ok()) return Error::Unavailable("The SMS gateway cannot be reached; try again shortly.");
  if (answer->status < 200 || answer->status > 299) {
    spdlog::warn("sms gateway: {} answered {}", target_.host, answer->status);
    return Error::Unavailable("The SMS gateway refused the message; try again shortly.");
  }
  return Ok{};
}

Result<std::unique_ptr<SmsGateway>> MakeSmsGateway(const std::string& url, const std::string& key,
                                                   db::Database& db, const Clock& clock) {
  if (url.empty()) return std::unique_ptr<SmsGateway>(std::make_unique<DevSmsGateway>(db, clock));
  TRY_ASSIGN(auto gateway, HttpSmsGateway::Create(url, key));
  return std::unique_ptr<SmsGateway>(std::move(gateway));
}

}  // namespace nongsan::accounts
