// Settings for one nongsan process. Precedence, lowest first: built-in
// defaults, the config file (`--config FILE` or NONGSAN_CONFIG), environment
// variables (NONGSAN_<KEY>, e.g. NONGSAN_PORT, NONGSAN_DATABASE), then command
// line flags. The file holds `key = value` lines; '#' starts a comment; keys
// are the lower-case names below (port, host, data_dir, database, …).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/result.hpp"

namespace nongsan::app {

inline constexpr unsigned short kDefaultPort = 8080;
// Days after delivery within which a buyer may return an order (issue 5).
inline constexpr int kDefaultReturnWindowDays = 7;
inline constexpr int kMaxReturnWindowDays = 365;
// An online order waits this long for its money (issue 16), at most a week.
inline constexpr int kDefaultPaymentTimeoutMinutes = 30;
inline constexpr int kMaxPaymentTimeoutMinutes = 7 * 24 * 60;
inline constexpr const char* kDefaultHost = "127.0.0.1";
inline constexpr const char* kDefaultDataDir = "./data";
// Who may read /metrics (addresses and CIDR networks): loopback only, so a
// Prometheus on the same machine or behind an SSH tunnel, nobody outside.
inline constexpr const char* kDefaultMetricsAllow = "127.0.0.1, ::1";
// The province whose products the home page shows first (a GSO code): Thái
// Nguyên, whose programme the platform was first built for.
inline constexpr const char* kDefaultHomeProvince = "19";

struct Config {
  std::string host = kDefaultHost;
  unsigned short port = kDefaultPort;
  std::string data_dir = kDefaultDataDir;
  std::string database;  // empty → sqlite:<data_dir>/nongsan.db
  bool demo = false;     // load demo data into an empty database
  int threads = 0;       // 0 → 2 × hardware threads
  int db_pool_size = 8;
  bool access_log = true;
  std::string log_level = "info";
  std::string web_dir;   // templates/static root; empty → auto-detect
  std::string base_url;  // public URL for links printed on packs; empty → http://host:port
  // Limits (0 keeps the built-in named constant).
  std::size_t max_header_bytes = 0;
  std::size_t max_body_bytes = 0;
  int read_timeout_ms = 0;
  int idle_timeout_ms = 0;
  int max_connections = 0;
  int max_connections_per_client = 0;
  int header_timeout_ms = 0;
  // One-time-code SMS gateway: empty URL → development gateway (outbox table + log).
  std::string sms_gateway_url;
  std::string sms_gateway_key;
  bool trust_proxy = false;                           // take the client address from X-Forwarded-For
  std::string metrics_allow = kDefaultMetricsAllow;   // addresses/networks that may GET /metrics
  int return_window_days = kDefaultReturnWindowDays;  // a buyer may return a delivered order this long
  std::string home_province = kDefaultHomeProvince;   // two-digit GSO province code

  // ---- payments (docs/payments.md). Secrets are never logged or shown.
  int payment_timeout_minutes =
      kDefaultPaymentTimeoutMinutes;  // an unpaid online order is cancelled after this
  int commission_percent = 0;         // the platform's share of each paid order
  std::string bank_webhook_secret;    // HMAC-SHA256 key of bank-transfer notifications; empty: refused
  std::string vnpay_tmn_code;
  std::string vnpay_hash_secret;
  std::string vnpay_url;
  std::string vnpay_api_url;
  std::string momo_partner_code;
  std::string momo_access_key;
  std::string momo_secret_key;
  std::string momo_endpoint;

  std::string DatabaseUrl() const;
  std::string BaseUrl() const;
};

// Applies `key = value` pairs onto config; unknown keys or bad values are errors.
Status ApplySettings(Config& config, const std::map<std::string, std::string>& settings,
                     const std::string& source);
Status LoadConfigFile(Config& config, const std::string& path);
// Reads NONGSAN_* variables from the environment.
Status LoadEnvironment(Config& config);

}  // namespace nongsan::app
