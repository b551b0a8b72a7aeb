// What the quality module needs from the modules that own shops, products and
// orders. Quality never reads their tables: it asks through these narrow
// interfaces, implemented over the real services in service_adapters.cpp and
// by fakes in the tests (quality/fake_ports.hpp).
//
// Thread-safety: implementations must be safe to call from any thread.
// Implementations open their own transactions, so callers must not hold a
// write transaction (the SQLite writer is one connection) when calling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"

namespace nongsan::quality {

struct ShopRef {
  std::int64_t id = 0;
  std::string name;
  std::string commune_code;  // current commune, "" if unknown
  bool is_public = false;    // listed and not suspended
};

class ShopPort {
 public:
  virtual ~ShopPort() = default;
  virtual Result<std::optional<ShopRef>> Find(std::int64_t seller_id) = 0;
  // Shops by id; unknown ids are left out.
  virtual Result<std::vector<ShopRef>> FindMany(const std::vector<std::int64_t>& seller_ids) = 0;
  // Owner, staff, the managing cooperative or an officer acting for the shop.
  virtual Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  // Suspends (or reinstates) the whole shop: its products leave the
  // catalogue, search and the register at once. `actor` is the officer.
  virtual Status SetSuspended(std::int64_t seller_id, bool suspended, const std::string& reason,
                              const Principal& actor) = 0;
};

struct ProductRef {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string name;
  bool is_public = false;  // active, not suspended, and the shop visible
  bool suspended = false;
};

class ProductPort {
 public:
  virtual ~ProductPort() = default;
  // Products by id; unknown ids are left out.
  virtual Result<std::vector<ProductRef>> FindMany(const std::vector<std::int64_t>& product_ids) = 0;
  virtual Status SetSuspended(std::int64_t product_id, bool suspended, const std::string& reason,
                              const Principal& actor) = 0;
};

// An order as the orders service shows it to the principal asking.
struct OrderRef {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::int64_t buyer_user_id = 0;
  std::string status;  // the orders module's status name
  std::optional<std::int64_t> delivered_at_ms;
  std::vector<std::int64_t> product_ids;  // of its lines
};

// Figures for a shop's reputation over a period, from its real orders.
struct ShopOrderStats {
  std::int64_t orders = 0;           // placed in the period
  std::int64_t cancelled = 0;        // of those, cancelled (by anyone)
  std::int64_t shipped = 0;          // of those, handed to a carrier
  std::int64_t shipped_on_time = 0;  // of the shipped, within the shop's promised handling time
};

// An order held for an official's decision after a suspension.
struct HeldOrderRef {
  std::int64_t id = 0;
  std::string code;
  std::int64_t seller_id = 0;
  std::string shop_name;
  std::string status;  // the orders module's status name
  std::int64_t total_vnd = 0;
  std::string reason;  // the suspension's
  std::int64_t held_at_ms = 0;
};

enum class HoldOutcome { kRelease, kCancel };

class OrderPort {
 public:
  virtual ~OrderPort() = default;
  // The order when the orders service shows it to this principal (its
  // buyer, or someone who manages its shop: the orders service's own access
  // rule decides); nullopt when it is unknown or not theirs to see. Callers
  // tell the buyer from the shop side by buyer_user_id.
  virtual Result<std::optional<OrderRef>> FindVisible(const Principal& principal, std::int64_t order_id) = 0;
  // Holds the shop's orders that are not yet shipped (and contain the
  // product, when given) for an official's decision, with the reason, and
  // tells their buyers; returns how many, or nullopt when the orders module
  // cannot hold orders.
  virtual Result<std::optional<std::int64_t>> FlagOpenOrders(std::int64_t seller_id,
                                                             std::optional<std::int64_t> product_id,
                                                             const std::string& reason) = 0;
  // Held orders still open, oldest hold first, at most `limit` (any area:
  // the caller keeps those of the officer's shops).
  virtual Result<std::vector<std::int64_t>> HeldSellers() = 0;
  // Held open orders of these shops, oldest hold first, from offset, at most limit.
  virtual Result<std::vector<HeldOrderRef>> HeldOrders(const std::vector<std::int64_t>& seller_ids,
                                                       std::size_t offset, std::size_t limit) = 0;
  // The order when it is held and still open; nullopt otherwise.
  virtual Result<std::optional<HeldOrderRef>> FindHeld(std::int64_t order_id) = 0;
  // Releases or cancels a held order with the official's note; 409 not_held
  // when it is not held any more.
  virtual Result<HeldOrderRef> ResolveHold(std::int64_t order_id, HoldOutcome outcome,
                                           const std::string& note, std::int64_t official_user_id) = 0;
  // Order figures of the shop since since_ms; nullopt when the orders module
  // cannot give them.
  virtual Result<std::optional<ShopOrderStats>> StatsForShop(std::int64_t seller_id,
                                                             std::int64_t since_ms) = 0;
};

// Who covers which area: a commune officer their communes, a province admin
// every commune of their province.
class AreaPort {
 public:
  virtual ~AreaPort() = default;
  virtual std::optional<std::string> ProvinceOf(const std::string& commune_code) const = 0;
  // "Xã Tân Cương" for a commune or province code; "" if unknown.
  virtual std::string UnitName(const std::string& code) const = 0;
};

}  // namespace nongsan::quality
