// What the traceability module needs from the modules that own shops,
// products and certificates. Trace never reads their tables: it asks through
// these narrow interfaces, implemented over the real services in
// service_adapters.cpp and wired by the app.
//
// Thread-safety: implementations must be safe to call from any thread. They
// open their own transactions, so callers must not hold a write transaction
// (the SQLite writer is one connection) when calling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::trace {

struct ShopRef {
  std::int64_t id = 0;
  std::string name;
  std::string address_line;
  std::string commune_code;   // "" if unknown
  std::string province_code;  // "" if unknown
  bool is_public = false;     // verified or pending, not suspended
};

class ShopPort {
 public:
  virtual ~ShopPort() = default;
  virtual Result<std::optional<ShopRef>> Find(std::int64_t seller_id) = 0;
  // Owner, staff, the managing cooperative or an officer acting for the shop.
  virtual bool CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  // A commune officer of the commune, or the admin of its province.
  virtual bool OfficerCovers(const Principal& principal, const std::string& commune_code) = 0;
};

struct ProductRef {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string name;
  std::optional<std::string> gtin;
  std::string origin_commune;
  std::string photo_url;  // "" without a photo
  bool is_public = false;
};

class ProductPort {
 public:
  virtual ~ProductPort() = default;
  // The product whatever its state (deleted ones are unknown): nullopt if none.
  virtual Result<std::optional<ProductRef>> Find(std::int64_t product_id) = 0;
  // Gives the product a GTIN through the catalogue (which validates it and
  // keeps it unique within the shop), acting as `principal`.
  virtual Status SetGtin(const Principal& principal, std::int64_t product_id, const std::string& gtin) = 0;
};

struct CertificateRef {
  std::string kind;  // "ocop", "vietgap", …
  std::optional<int> ocop_stars;
  std::string number;
  std::string issuer;
  std::int64_t expires_day = 0;
  std::string verify_url;
};

class CertificatePort {
 public:
  virtual ~CertificatePort() = default;
  // Verified certificates covering the product that were valid on `day`.
  virtual Result<std::vector<CertificateRef>> ValidOn(std::int64_t product_id, std::int64_t day) = 0;
};

// Commune and province names for the provenance page.
class AreaPort {
 public:
  virtual ~AreaPort() = default;
  // "Xã Tân Cương" for a commune or province code; "" if unknown.
  virtual std::string UnitName(const std::string& code) const = 0;
  virtual std::optional<std::string> ProvinceOf(const std::string& commune_code) const = 0;
  virtual bool IsCommune(const std::string& code) const = 0;
};

// A message to the buyer of an order that took a lot (a recall).
struct BuyerNotice {
  std::int64_t order_id = 0;
  std::int64_t buyer_id = 0;
  std::string message;  // Vietnamese, ready to send
  std::int64_t at = 0;
};

// The orders module's notifications (in-app list and SMS outbox), written in
// the caller's write transaction so a recall and its notices commit together.
class BuyerNotifier {
 public:
  virtual ~BuyerNotifier() = default;
  virtual Status NotifyRecall(db::Connection& c, const std::vector<BuyerNotice>& notices) = 0;
};

}  // namespace nongsan::trace
