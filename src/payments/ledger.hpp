// The shops' money as a double-entry ledger. Every posting is one ledger
// transaction whose entries sum to zero (a debit is positive, a credit
// negative), written inside the caller's write transaction, so an order
// marked paid and its posting commit together. Accounts (per shop):
//   shop        what the platform owes the shop (its balance is minus the sum)
//   commission  the platform's commission on the shop's sales
//   clearing:M  money received for the shop through method M (vietqr, vnpay,
//               momo): a VietQR transfer lands in the shop's own bank
//               account, so it is cleared against `shop` at once — the shop
//               then owes only the commission
//   payouts     money the platform sent to the shop's bank account
// A paid order is posted once (UNIQUE (kind, order_id)). Thread-safe (no state).
#pragma once

#include "core/result.hpp"
#include "db/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nongsan::payments {

// Commission percentages the operator may set (0 by default).
inline constexpr int kMaxCommissionPercent = 100;

struct LedgerEntry {
  std::int64_t txn_id = 0;
  std::string kind;  // order_paid, collected_by_shop, refund, payout
  std::int64_t order_id = 0;  // 0 when none
  std::int64_t payout_id = 0;
  std::string memo;
  std::int64_t amount_vnd = 0;  // on the shop's balance: + credit to the shop, − debit
  std::int64_t balance_vnd = 0;  // the shop's balance after this transaction
  std::int64_t at = 0;
};

// What the ledger's books say. Holds() when every transaction balances, every
// paid payment is posted exactly once and nothing else is posted as paid,
// and no shop's VietQR clearing account is left open.
struct LedgerCheck {
  std::int64_t txns = 0;
  std::int64_t unbalanced_txns = 0;
  std::int64_t orders_mismatched = 0;
  std::int64_t shops_uncleared = 0;
  bool Holds() const { return unbalanced_txns == 0 && orders_mismatched == 0 && shops_uncleared == 0; }
};

// An order's money arrived in full: the shop is credited the amount less the
// commission (rounded down to the đồng), the commission is the platform's.
// A second posting for the same order is refused by the database.
Status PostOrderPaid(db::Connection& c, std::int64_t seller_id, std::int64_t order_id, const std::string& method,
                     std::int64_t amount_vnd, int commission_percent, std::int64_t at);
// A payout sent to the shop's bank account debits its balance.
Status PostPayout(db::Connection& c, std::int64_t seller_id, std::int64_t payout_id, std::int64_t amount_vnd,
                  std::int64_t at);
// The shop's balance (what the platform owes it; negative when the shop owes
// commission on money it collected itself).
Result<std::int64_t> ShopBalance(db::Connection& c, std::int64_t seller_id);
// The shop's ledger, oldest first, with the running balance.
Result<std::vector<LedgerEntry>> ShopLedger(db::Connection& c, std::int64_t seller_id);
Result<LedgerCheck> CheckLedger(db::Connection& c);

}  // namespace nongsan::payments
