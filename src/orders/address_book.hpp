// A buyer's saved delivery addresses. Every checkout remembers the address it
// shipped to, in the checkout's own transaction (RememberWith), so the next
// checkout can start from the last one; the buyer sees and removes them on
// /tai-khoan. Identical addresses are kept once (the latest use wins), and a
// buyer keeps at most kMaxSavedAddresses: the least recently used goes.
//
// Storage: orders_addresses (orders module; migration v3).
// Thread-safety: safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/order.hpp"

namespace nongsan::orders {

inline constexpr std::size_t kMaxSavedAddresses = 10;

struct SavedAddress {
  std::int64_t id = 0;
  ShippingAddress address;
  std::int64_t last_used_at = 0;
};

// Remembers `address` for the buyer inside the caller's write transaction
// (the checkout's): a new row, or the same address's last use moved to now.
Status RememberAddressWith(db::Connection& c, std::int64_t user_id, const ShippingAddress& address,
                           std::int64_t now);

class AddressBook {
 public:
  explicit AddressBook(db::Database& db) : db_(db) {}

  // The buyer's addresses, most recently used first.
  Result<std::vector<SavedAddress>> List(std::int64_t user_id);
  // kNotFound unless the address is the buyer's own.
  Status Remove(std::int64_t user_id, std::int64_t address_id);

 private:
  db::Database& db_;
};

}  // namespace nongsan::orders
