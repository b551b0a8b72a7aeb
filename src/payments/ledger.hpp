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
//   unapplied:M money received through M that was not the order's sale
//               (it came late, or beyond the amount) …
//   refunds_payable … and is owed back to the buyer until refunded
// A paid order is posted once (UNIQUE (kind, order_id)); a refund reverses
// the sale in proportion (the shop debited, the commission given back) or
// returns held money. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::payments {

// Commission percentages the operator may set (0 by default).
inline constexpr int kMaxCommissionPercent = 100;

struct LedgerEntry {
  std::int64_t txn_id = 0;
  std::string kind;           // order_paid, collected_by_shop, held, refund, payout
  std::int64_t order_id = 0;  // 0 when none
  std::int64_t payout_id = 0;
  std::string memo;
  std::int64_t amount_vnd = 0;   // on the shop's balance: + credit to the shop, − debit
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
  // Settled or closed payments whose money received is not exactly their
  // sale plus the money held for the buyer, or whose refunded_vnd is not
  // the sum of their refunds.
  std::int64_t money_mismatched = 0;
  bool Holds() const {
    return unbalanced_txns == 0 && orders_mismatched == 0 && shops_uncleared == 0 && money_mismatched == 0;
  }
};

// An order's money arrived in full: the shop is credited the amount less the
// commission (rounded down to the đồng), the commission is the platform's.
// A second posting for the same order is refused by the database.
Status PostOrderPaid(db::Connection& c, std::int64_t seller_id, std::int64_t order_id,
                     const std::string& method, std::int64_t amount_vnd, int commission_percent,
                     std::int64_t at);
// A payout sent to the shop's bank account debits its balance.
Status PostPayout(db::Connection& c, std::int64_t seller_id, std::int64_t payout_id, std::int64_t amount_vnd,
                  std::int64_t at);
// Money that reached the shop (VietQR) or the platform for an order but was
// not its sale — it came after the order closed, or beyond its amount — is
// held for the buyer (unapplied:M debit, refunds_payable credit).
Status PostHeld(db::Connection& c, std::int64_t seller_id, std::int64_t order_id, const std::string& method,
                std::int64_t amount_vnd, std::int64_t at);

// What a paid order's `order_paid` posting credited: the sale and its commission.
struct SalePosting {
  std::int64_t amount_vnd = 0;
  std::int64_t commission_vnd = 0;
};
Result<std::optional<SalePosting>> SaleOf(db::Connection& c, std::int64_t order_id);
// Money held for the order's buyer and not yet refunded.
Result<std::int64_t> HeldFor(db::Connection& c, std::int64_t order_id);

// A refund: `posted_vnd` of the sale reversed — money leaves method M's
// clearing, the shop is debited it less `commission_vnd`, which the platform
// gives back (for VietQR the shop itself paid the buyer from its account, so
// only the commission moves) — and `held_vnd` of held money returned.
struct RefundPosting {
  std::int64_t posted_vnd = 0;
  std::int64_t commission_vnd = 0;
  std::int64_t held_vnd = 0;
};
Status PostRefund(db::Connection& c, std::int64_t seller_id, std::int64_t order_id, const std::string& method,
                  const RefundPosting& refund, std::int64_t at);

// The shop's balance (what the platform owes it; negative when the shop owes
// commission on money it collected itself).
Result<std::int64_t> ShopBalance(db::Connection& c, std::int64_t seller_id);
// What the shop's buyers are owed back and not yet refunded (held money).
Result<std::int64_t> RefundsPayable(db::Connection& c, std::int64_t seller_id);
// The shop's ledger, oldest first, with the running balance.
Result<std::vector<LedgerEntry>> ShopLedger(db::Connection& c, std::int64_t seller_id);
Result<LedgerCheck> CheckLedger(db::Connection& c);

// One shop's money over [from_ms, to_ms): its sales (the order_paid sums),
// the part of them refunds reversed (held money returned is not a sale), the
// commission kept (charged less given back), and its balance at to_ms. What a
// cooperative shows for each member household.
struct ShopShare {
  std::int64_t sales_vnd = 0;
  std::int64_t commission_vnd = 0;
  std::int64_t refunds_vnd = 0;
  std::int64_t balance_vnd = 0;
  std::int64_t net_vnd() const { return sales_vnd - refunds_vnd - commission_vnd; }
};
Result<ShopShare> ShopShareBetween(db::Connection& c, std::int64_t seller_id, std::int64_t from_ms,
                                   std::int64_t to_ms);

}  // namespace nongsan::payments
