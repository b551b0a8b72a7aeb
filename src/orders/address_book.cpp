#include "orders/address_book.hpp"

namespace nongsan::orders {
namespace {

constexpr std::string_view kFind =
    "SELECT id FROM orders_addresses WHERE user_id = ? AND full_name = ? AND phone = ? AND address_line = ? "
    "AND "
    "commune_code = ?";
constexpr std::string_view kTouch = "UPDATE orders_addresses SET last_used_at = ? WHERE id = ?";
constexpr std::string_view kInsert =
    "INSERT INTO orders_addresses (user_id, full_name, phone, address_line, commune_code, created_at, "
    "last_used_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
// Beyond the limit, the least recently used go.
constexpr std::string_view kTrim =
    "DELETE FROM orders_addresses WHERE user_id = ? AND id NOT IN (SELECT id FROM orders_addresses WHERE "
    "user_id = ? "
    "ORDER BY last_used_at DESC, id DESC LIMIT ?)";
constexpr std::string_view kList =
    "SELECT id, full_name, phone, address_line, commune_code, last_used_at FROM orders_addresses WHERE "
    "user_id = ? "
    "ORDER BY last_used_at DESC, id DESC LIMIT ?";

}  // namespace

Status RememberAddressWith(db::Connection& c, std::int64_t user_id, const ShippingAddress& a,
                           std::int64_t now) {
  TRY_ASSIGN(auto found, c.QueryOne(kFind, {user_id, a.full_name, a.phone, a.address_line, a.commune_code}));
  if (found) {
    TRY(c.Exec(kTouch, {now, found->Int(0)}));
    return Ok{};
  }
  TRY(c.Exec(kInsert, {user_id, a.full_name, a.phone, a.address_line, a.commune_code, now, now}));
  TRY(c.Exec(kTrim, {user_id, user_id, static_cast<std::int64_t>(kMaxSavedAddresses)}));
  return Ok{};
}

Result<std::vector<SavedAddress>> AddressBook::List(std::int64_t user_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<SavedAddress>> {
    TRY_ASSIGN(db::Rows rows, c.Query(kList, {user_id, static_cast<std::int64_t>(kMaxSavedAddresses)}));
    std::vector<SavedAddress> out;
    for (const db::Row& r : rows) {
      out.push_back({r.Int(0), {r.Text(1), r.Text(2), r.Text(3), r.Text(4)}, r.Int(5)});
    }
    return out;
  });
}

Status AddressBook::Remove(std::int64_t user_id, std::int64_t address_id) {
  return db_.Write([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t removed,
               c.Exec("DELETE FROM orders_addresses WHERE id = ? AND user_id = ?", {address_id, user_id}));
    if (removed == 0) return Error::NotFound("address");
    return Ok{};
  });
}

}  // namespace nongsan::orders
