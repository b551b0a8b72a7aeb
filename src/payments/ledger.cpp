#include "payments/ledger.hpp"

#include <algorithm>

namespace nongsan::payments {
namespace {

constexpr std::string_view kShopAccount = "shop";
constexpr std::string_view kCommissionAccount = "commission";
constexpr std::string_view kPayoutsAccount = "payouts";
constexpr std::string_view kRefundsPayableAccount = "refunds_payable";

constexpr std::string_view kInsertTxn =
    "INSERT INTO payments_ledger_txns (kind, seller_id, order_id, payout_id, memo, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kInsertEntry =
    "INSERT INTO payments_ledger_entries (txn_id, account, seller_id, amount_vnd) VALUES (?, ?, ?, ?)";
constexpr std::string_view kShopSum =
    "SELECT COALESCE(SUM(amount_vnd), 0) FROM payments_ledger_entries WHERE seller_id = ? AND account = "
    "'shop'";
constexpr std::string_view kShopEntries =
    "SELECT t.id, t.kind, t.order_id, t.payout_id, t.memo, e.amount_vnd, t.created_at "
    "FROM payments_ledger_entries e JOIN payments_ledger_txns t ON t.id = e.txn_id "
    "WHERE e.seller_id = ? AND e.account = 'shop' ORDER BY t.id";
constexpr std::string_view kUnbalanced =
    "SELECT COUNT(*) FROM (SELECT txn_id FROM payments_ledger_entries GROUP BY txn_id "
    "HAVING SUM(amount_vnd) <> 0) AS unbalanced";
constexpr std::string_view kTxnCount = "SELECT COUNT(*) FROM payments_ledger_txns";
// Paid payments without their posting, and postings without a paid payment.
constexpr std::string_view kPaidWithoutPosting =
    "SELECT COUNT(*) FROM payments_payments p WHERE p.paid_at IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM payments_ledger_txns t WHERE t.kind = 'order_paid' AND t.order_id = p.order_id)";
constexpr std::string_view kPostingWithoutPaid =
    "SELECT COUNT(*) FROM payments_ledger_txns t WHERE t.kind = 'order_paid' AND NOT EXISTS "
    "(SELECT 1 FROM payments_payments p WHERE p.order_id = t.order_id AND p.paid_at IS NOT NULL)";
// Money a shop collected itself is cleared at once: its VietQR clearing is 0.
constexpr std::string_view kUnclearedShops =
    "SELECT COUNT(*) FROM (SELECT seller_id FROM payments_ledger_entries WHERE account = 'clearing:vietqr' "
    "GROUP BY seller_id HAVING SUM(amount_vnd) <> 0) AS uncleared";

// Every payment past its open states: the money received is its sale (when
// posted paid) plus what was held for the buyer; what went back is the sum of
// its refunds (pending ones reserved).
constexpr std::string_view kMoneyMismatched =
    "SELECT COUNT(*) FROM payments_payments p WHERE (p.status NOT IN ('pending', 'partially_paid') AND "
    "p.paid_vnd <> "
    "(CASE WHEN p.paid_at IS NOT NULL THEN p.amount_vnd ELSE 0 END) + COALESCE((SELECT -SUM(e.amount_vnd) "
    "FROM payments_ledger_txns t JOIN payments_ledger_entries e ON e.txn_id = t.id WHERE t.order_id = "
    "p.order_id "
    "AND t.kind = 'held' AND e.account = 'refunds_payable'), 0)) OR p.refunded_vnd <> COALESCE((SELECT "
    "SUM(r.amount_vnd) FROM payments_refunds r WHERE r.order_id = p.order_id AND r.status <> 'failed'), 0) "
    "OR p.refunded_vnd > p.paid_vnd";
constexpr std::string_view kSaleOf =
    "SELECT (SELECT COALESCE(SUM(e.amount_vnd), 0) FROM payments_ledger_entries e WHERE e.txn_id = t.id AND "
    "e.account LIKE 'clearing:%'), (SELECT COALESCE(-SUM(e.amount_vnd), 0) FROM payments_ledger_entries e "
    "WHERE e.txn_id = t.id AND e.account = 'commission') FROM payments_ledger_txns t "
    "WHERE t.kind = 'order_paid' AND t.order_id = ?";
constexpr std::string_view kHeldFor =
    "SELECT COALESCE(-SUM(e.amount_vnd), 0) FROM payments_ledger_txns t JOIN payments_ledger_entries e "
    "ON e.txn_id = t.id WHERE t.order_id = ? AND t.kind IN ('held', 'refund') AND e.account = "
    "'refunds_payable'";
constexpr std::string_view kRefundsPayable =
    "SELECT COALESCE(-SUM(amount_vnd), 0) FROM payments_ledger_entries WHERE seller_id = ? AND "
    "account = 'refunds_payable'";

// A shop's sums over a time range, each from the postings of that range.
constexpr std::string_view kSalesBetween =
    "SELECT COALESCE(SUM(e.amount_vnd), 0) FROM payments_ledger_txns t JOIN payments_ledger_entries e "
    "ON e.txn_id = t.id WHERE e.seller_id = ? AND e.account LIKE 'clearing:%' AND t.kind = 'order_paid' "
    "AND t.created_at >= ? AND t.created_at < ?";
constexpr std::string_view kCommissionBetween =
    "SELECT COALESCE(-SUM(e.amount_vnd), 0) FROM payments_ledger_txns t JOIN payments_ledger_entries e "
    "ON e.txn_id = t.id WHERE e.seller_id = ? AND e.account = 'commission' AND t.created_at >= ? "
    "AND t.created_at < ?";
// A VietQR refund moves no clearing money (the shop paid the buyer itself), so
// the sale a refund reversed is read from the refund's own record.
constexpr std::string_view kRefundedBetween =
    "SELECT COALESCE(SUM(posted_vnd), 0) FROM payments_refunds WHERE seller_id = ? AND status = 'done' "
    "AND updated_at >= ? AND updated_at < ?";
constexpr std::string_view kShopSumBefore =
    "SELECT COALESCE(SUM(e.amount_vnd), 0) FROM payments_ledger_entries e JOIN payments_ledger_txns t "
    "ON t.id = e.txn_id WHERE e.seller_id = ? AND e.account = 'shop' AND t.created_at < ?";

struct Posting {
  std::string account;
  std::int64_t amount_vnd;
};

Status Post(db::Connection& c, const std::string& kind, std::int64_t seller_id, db::Value order_id,
            db::Value payout_id, const std::string& memo, const std::vector<Posting>& postings,
            std::int64_t at) {
  std::int64_t sum = 0;
  for (const Posting& p : postings) sum += p.amount_vnd;
  if (sum != 0) return Error::Internal("ledger transaction " + kind + " does not balance");
  // Nothing moves (a refund of held money only, with no commission): no transaction.
  if (std::all_of(postings.begin(), postings.end(), [](const Posting& p) { return p.amount_vnd == 0; }))
    return Ok{};
  TRY_ASSIGN(std::int64_t txn, c.QueryInt(kInsertTxn, {kind, seller_id, order_id, payout_id, memo, at}));
  for (const Posting& p : postings) {
    if (p.amount_vnd == 0) continue;
    TRY(c.Exec(kInsertEntry, {txn, p.account, seller_id, p.amount_vnd}));
  }
  return Ok{};
}

}  // namespace

Status PostOrderPaid(db::Connection& c, std::int64_t seller_id, std::int64_t order_id,
                     const std::string& method, std::int64_t amount_vnd, int commission_percent,
                     std::int64_t at) {
  // amount ≤ money::kMaxVnd (1e12) and percent ≤ 100, so the product fits.
  const std::int64_t commission = amount_vnd * commission_percent / 100;
  const std::string clearing = "clearing:" + method;
  TRY(Post(c, "order_paid", seller_id, order_id, db::Value{}, method,
           {{clearing, amount_vnd},
            {std::string(kShopAccount), -(amount_vnd - commission)},
            {std::string(kCommissionAccount), -commission}},
           at));
  if (method != "vietqr") return Ok{};
  // The buyer paid into the shop's own account: the shop already holds it.
  return Post(c, "collected_by_shop", seller_id, order_id, db::Value{}, method,
              {{std::string(kShopAccount), amount_vnd}, {clearing, -amount_vnd}}, at);
}

Status PostPayout(db::Connection& c, std::int64_t seller_id, std::int64_t payout_id, std::int64_t amount_vnd,
                  std::int64_t at) {
  return Post(c, "payout", seller_id, db::Value{}, payout_id, "",
              {{std::string(kShopAccount), amount_vnd}, {std::string(kPayoutsAccount), -amount_vnd}}, at);
}

Status PostHeld(db::Connection& c, std::int64_t seller_id, std::int64_t order_id, const std::string& method,
                std::int64_t amount_vnd, std::int64_t at) {
  return Post(c, "held", seller_id, order_id, db::Value{}, method,
              {{"unapplied:" + method, amount_vnd}, {std::string(kRefundsPayableAccount), -amount_vnd}}, at);
}

Result<std::optional<SalePosting>> SaleOf(db::Connection& c, std::int64_t order_id) {
  TRY_ASSIGN(auto row, c.QueryOne(kSaleOf, {order_id}));
  if (!row) return std::optional<SalePosting>();
  return std::optional<SalePosting>(SalePosting{row->Int(0), row->Int(1)});
}

Result<std::int64_t> HeldFor(db::Connection& c, std::int64_t order_id) {
  return c.QueryInt(kHeldFor, {order_id});
}

Status PostRefund(db::Connection& c, std::int64_t seller_id, std::int64_t order_id, const std::string& method,
                  const RefundPosting& refund, std::int64_t at) {
  const std::string clearing = "clearing:" + method;
  const std::int64_t p = refund.posted_vnd;
  const std::int64_t shop_debit = method == "vietqr" ? -refund.commission_vnd : p - refund.commission_vnd;
  const std::int64_t clearing_credit = method == "vietqr" ? 0 : -p;
  return Post(c, "refund", seller_id, order_id, db::Value{}, method,
              {{clearing, clearing_credit},
               {std::string(kShopAccount), shop_debit},
               {std::string(kCommissionAccount), refund.commission_vnd},
               {std::string(kRefundsPayableAccount), refund.held_vnd},
               {"unapplied:" + method, -refund.held_vnd}},
              at);
}

Result<std::int64_t> RefundsPayable(db::Connection& c, std::int64_t seller_id) {
  return c.QueryInt(kRefundsPayable, {seller_id});
}

Result<std::int64_t> ShopBalance(db::Connection& c, std::int64_t seller_id) {
  TRY_ASSIGN(std::int64_t sum, c.QueryInt(kShopSum, {seller_id}));
  return -sum;
}

Result<std::vector<LedgerEntry>> ShopLedger(db::Connection& c, std::int64_t seller_id) {
  TRY_ASSIGN(db::Rows rows, c.Query(kShopEntries, {seller_id}));
  std::vector<LedgerEntry> out;
  std::int64_t balance = 0;
  for (const db::Row& r : rows) {
    LedgerEntry e;
    e.txn_id = r.Int(0);
    e.kind = r.Text(1);
    e.order_id = r.Int(2);
    e.payout_id = r.Int(3);
    e.memo = r.Text(4);
    e.amount_vnd = -r.Int(5);
    balance += e.amount_vnd;
    e.balance_vnd = balance;
    e.at = r.Int(6);
    out.push_back(std::move(e));
  }
  return out;
}

Result<ShopShare> ShopShareBetween(db::Connection& c, std::int64_t seller_id, std::int64_t from_ms,
                                   std::int64_t to_ms) {
  ShopShare share;
  TRY_ASSIGN(share.sales_vnd, c.QueryInt(kSalesBetween, {seller_id, from_ms, to_ms}));
  TRY_ASSIGN(share.commission_vnd, c.QueryInt(kCommissionBetween, {seller_id, from_ms, to_ms}));
  TRY_ASSIGN(share.refunds_vnd, c.QueryInt(kRefundedBetween, {seller_id, from_ms, to_ms}));
  TRY_ASSIGN(std::int64_t shop_sum, c.QueryInt(kShopSumBefore, {seller_id, to_ms}));
  share.balance_vnd = -shop_sum;
  return share;
}

Result<LedgerCheck> CheckLedger(db::Connection& c) {
  LedgerCheck check;
  TRY_ASSIGN(check.unbalanced_txns, c.QueryInt(kUnbalanced));
  TRY_ASSIGN(check.txns, c.QueryInt(kTxnCount));
  TRY_ASSIGN(std::int64_t unposted, c.QueryInt(kPaidWithoutPosting));
  TRY_ASSIGN(std::int64_t unpaid, c.QueryInt(kPostingWithoutPaid));
  check.orders_mismatched = unposted + unpaid;
  TRY_ASSIGN(check.shops_uncleared, c.QueryInt(kUnclearedShops));
  TRY_ASSIGN(check.money_mismatched, c.QueryInt(kMoneyMismatched));
  return check;
}

}  // namespace nongsan::payments
