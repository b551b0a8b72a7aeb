#include "app/config.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>

#include "core/text.hpp"
#include "http/address_list.hpp"

namespace nongsan::app {

std::string Config::DatabaseUrl() const {
  if (!database.empty()) return database;
  return "sqlite:" + data_dir + "/nongsan.db";
}

std::string Config::BaseUrl() const {
  if (!base_url.empty()) return base_url;
  std::string h = host == "0.0.0.0" ? "localhost" : host;
  return "http://" + h + ":" + std::to_string(port);
}

namespace {

Result<long long> ParseInt(const std::string& value, long long min, long long max, const std::string& key) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0 || v < min || v > max) {
    return Error::Field(
        key, key + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

Result<bool> ParseBool(const std::string& value, const std::string& key) {
  if (value == "1" || value == "true" || value == "yes" || value == "on") return true;
  if (value == "0" || value == "false" || value == "no" || value == "off") return false;
  return Error::Field(key, key + " must be true or false");
}

using Setter = std::function<Status(Config&, const std::string&, const std::string&)>;

template <typename T>
Setter IntSetter(T Config::*member, long long min, long long max) {
  return [=](Config& c, const std::string& v, const std::string& key) -> Status {
    TRY_ASSIGN(long long n, ParseInt(v, min, max, key));
    c.*member = static_cast<T>(n);
    return Ok{};
  };
}
Setter StringSetter(std::string Config::*member) {
  return [=](Config& c, const std::string& v, const std::string&) -> Status {
    c.*member = v;
    return Ok{};
  };
}
// Kept as text; checked here so a typo stops the start instead of silently
// shutting (or opening) /metrics.
Setter AddressListSetter(std::string Config::*member) {
  return [=](Config& c, const std::string& v, const std::string& key) -> Status {
    if (auto parsed = http::AddressList::Parse(v); !parsed.ok()) {
      return Error::Field(key, key + ": " + parsed.error().detail);
    }
    c.*member = v;
    return Ok{};
  };
}
// A GSO province code is two digits ("01" Hà Nội, "19" Thái Nguyên).
Setter ProvinceCodeSetter(std::string Config::*member) {
  return [=](Config& c, const std::string& v, const std::string& key) -> Status {
    const bool two_digits = v.size() == 2 && std::isdigit(static_cast<unsigned char>(v[0])) &&
                            std::isdigit(static_cast<unsigned char>(v[1]));
    if (!two_digits) return Error::Field(key, key + " must be a two-digit province code such as 19");
    c.*member = v;
    return Ok{};
  };
}
Setter BoolSetter(bool Config::*member) {
  return [=](Config& c, const std::string& v, const std::string& key) -> Status {
    TRY_ASSIGN(bool b, ParseBool(v, key));
    c.*member = b;
    return Ok{};
  };
}

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> setters = {
      {"host", StringSetter(&Config::host)},
      {"port", IntSetter(&Config::port, 0, 65535)},
      {"data_dir", StringSetter(&Config::data_dir)},
      {"database", StringSetter(&Config::database)},
      {"demo", BoolSetter(&Config::demo)},
      {"threads", IntSetter(&Config::threads, 0, 256)},
      {"db_pool_size", IntSetter(&Config::db_pool_size, 1, 256)},
      {"access_log", BoolSetter(&Config::access_log)},
      {"log_level", StringSetter(&Config::log_level)},
      {"web_dir", StringSetter(&Config::web_dir)},
      {"base_url", StringSetter(&Config::base_url)},
      {"max_header_bytes", IntSetter(&Config::max_header_bytes, 1024, 1 << 20)},
      {"max_body_bytes", IntSetter(&Config::max_body_bytes, 1024, 1LL << 30)},
      {"read_timeout_ms", IntSetter(&Config::read_timeout_ms, 100, 3'600'000)},
      {"idle_timeout_ms", IntSetter(&Config::idle_timeout_ms, 100, 3'600'000)},
      {"max_connections", IntSetter(&Config::max_connections, 1, 1'000'000)},
      {"max_connections_per_client", IntSetter(&Config::max_connections_per_client, 1, 1'000'000)},
      {"header_timeout_ms", IntSetter(&Config::header_timeout_ms, 100, 3'600'000)},
      {"metrics_allow", AddressListSetter(&Config::metrics_allow)},
      {"sms_gateway_url", StringSetter(&Config::sms_gateway_url)},
      {"sms_gateway_key", StringSetter(&Config::sms_gateway_key)},
      {"trust_proxy", BoolSetter(&Config::trust_proxy)},
      {"return_window_days", IntSetter(&Config::return_window_days, 1, kMaxReturnWindowDays)},
      {"home_province", ProvinceCodeSetter(&Config::home_province)},
      // payments
      {"payment_timeout_minutes", IntSetter(&Config::payment_timeout_minutes, 1, kMaxPaymentTimeoutMinutes)},
      {"commission_percent", IntSetter(&Config::commission_percent, 0, 100)},
      {"bank_webhook_secret", StringSetter(&Config::bank_webhook_secret)},
      {"vnpay_tmn_code", StringSetter(&Config::vnpay_tmn_code)},
      {"vnpay_hash_secret", StringSetter(&Config::vnpay_hash_secret)},
      {"vnpay_url", StringSetter(&Config::vnpay_url)},
      {"vnpay_api_url", StringSetter(&Config::vnpay_api_url)},
      {"momo_partner_code", StringSetter(&Config::momo_partner_code)},
      {"momo_access_key", StringSetter(&Config::momo_access_key)},
      {"momo_secret_key", StringSetter(&Config::momo_secret_key)},
      {"momo_endpoint", StringSetter(&Config::momo_endpoint)},
  };
  return setters;
}

}  // namespace

Status ApplySettings(Config& config, const std::map<std::string, std::string>& settings,
                     const std::string& source) {
  for (const auto& [key, value] : settings) {
    auto it = Setters().find(key);
    if (it == Setters().end()) return Error::Invalid(source + ": unknown setting '" + key + "'");
    Status st = it->second(config, value, key);
    if (!st.ok()) return Error::Invalid(source + ": " + st.error().detail);
  }
  return Ok{};
}

Status LoadConfigFile(Config& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::Unavailable("cannot read config file " + path);
  std::map<std::string, std::string> settings;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::string t = text::Trim(line);
    if (t.empty()) continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) {
      return Error::Invalid(path + ":" + std::to_string(line_no) + ": expected key = value");
    }
    std::string value = text::Trim(t.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    settings[text::Trim(t.substr(0, eq))] = value;
  }
  return ApplySettings(config, settings, path);
}

Status LoadEnvironment(Config& config) {
  std::map<std::string, std::string> settings;
  for (const auto& [key, setter] : Setters()) {
    std::string name = "NONGSAN_";
    for (char c : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = std::getenv(name.c_str())) settings[key] = v;
  }
  return ApplySettings(config, settings, "environment");
}

}  // namespace nongsan::app
