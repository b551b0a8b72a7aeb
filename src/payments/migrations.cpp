#include "payments/migrations.hpp"

namespace nongsan::payments {
namespace {

// payments_shop_methods: what a shop takes besides cash on delivery, which
// every shop takes (no rows: cash on delivery only).
//
// payments_payments: one per order, opened in the checkout's transaction.
// `reference` is what the buyer types into a transfer; bank_bin,
// account_number and account_name are the shop's payout account copied at
// checkout, so a later change of account never redirects an open payment.
//
// payments_receipts: every sum that reached a shop's account or a gateway,
// applied or not. UNIQUE (source, external_id) is what makes a notification
// apply once however often it is delivered: the bank's transaction id for
// transfers (whether it came by notification or by statement), the
// gateway's transaction number for VNPay and MoMo.
//
// payments_ledger_*: double-entry; the entries of a transaction sum to zero
// (a debit is positive, a credit negative). A shop's balance — what the
// platform owes it — is minus the sum of its `shop` account.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE payments_shop_methods (
  seller_id BIGINT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('vietqr', 'vnpay', 'momo')),
  updated_at BIGINT NOT NULL,
  updated_by BIGINT NOT NULL,
  PRIMARY KEY (seller_id, method)
);
CREATE TABLE payments_payout_accounts (
  seller_id BIGINT PRIMARY KEY,
  bank_bin TEXT NOT NULL,
  account_number TEXT NOT NULL,
  account_name TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX payments_payout_accounts_number ON payments_payout_accounts (account_number);
CREATE TABLE payments_payments (
  order_id BIGINT PRIMARY KEY,
  order_code TEXT NOT NULL,
  seller_id BIGINT NOT NULL,
  buyer_id BIGINT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('cod', 'vietqr', 'vnpay', 'momo')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'partially_paid', 'paid', 'overpaid', 'expired',
                                         'cancelled', 'refund_due', 'refunded')),
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd >= 0),
  paid_vnd BIGINT NOT NULL DEFAULT 0 CHECK (paid_vnd >= 0),
  reference TEXT NOT NULL UNIQUE,
  bank_bin TEXT,
  account_number TEXT,
  account_name TEXT,
  expires_at BIGINT,
  paid_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX payments_payments_due ON payments_payments (status, expires_at);
CREATE INDEX payments_payments_seller ON payments_payments (seller_id, order_id);
CREATE TABLE payments_receipts (
  id {{ID}},
  source TEXT NOT NULL CHECK (source IN ('bank', 'vnpay', 'momo')),
  external_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  account_number TEXT NOT NULL DEFAULT '',
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
  description TEXT NOT NULL DEFAULT '',
  transferred_at BIGINT NOT NULL,
  seller_id BIGINT,
  order_id BIGINT,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'late', 'unmatched')),
  received_at BIGINT NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX payments_receipts_unmatched ON payments_receipts (outcome, seller_id, id);
CREATE INDEX payments_receipts_order ON payments_receipts (order_id);
CREATE TABLE payments_ledger_txns (
  id {{ID}},
  kind TEXT NOT NULL,
  seller_id BIGINT NOT NULL,
  order_id BIGINT,
  payout_id BIGINT,
  memo TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX payments_ledger_once ON payments_ledger_txns (kind, order_id);
CREATE TABLE payments_ledger_entries (
  txn_id BIGINT NOT NULL REFERENCES payments_ledger_txns(id),
  account TEXT NOT NULL,
  seller_id BIGINT NOT NULL,
  amount_vnd BIGINT NOT NULL,
  PRIMARY KEY (txn_id, account)
);
CREATE INDEX payments_ledger_entries_account ON payments_ledger_entries (seller_id, account, txn_id);
CREATE TABLE payments_payout_batches (
  id {{ID}},
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  total_vnd BIGINT NOT NULL,
  file TEXT NOT NULL
);
CREATE TABLE payments_payouts (
  id {{ID}},
  batch_id BIGINT NOT NULL REFERENCES payments_payout_batches(id),
  seller_id BIGINT NOT NULL,
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
  bank_bin TEXT NOT NULL,
  account_number TEXT NOT NULL,
  account_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('sent')),
  created_at BIGINT NOT NULL
);
)SQL";

// v2, refunds. refunded_vnd is what went back to the buyer (never more than
// paid_vnd: the reservation's UPDATE checks it). payments_refunds holds each
// refund: `posted_vnd` is the part that reversed the order's `order_paid`
// posting (the shop debited), `commission_vnd` the commission given back;
// the rest was money never applied to the order (late or surplus), held for
// the buyer in the ledger's `refunds_payable`. A gateway refund is `pending`
// while the gateway is asked (its amount already reserved), then `done` or
// `failed` (the reservation released). Refunds and held money are posted more
// than once per order, so the ledger's once-per-order index now covers only
// the sale's own postings.
constexpr const char* kSchemaV2 = R"SQL(
ALTER TABLE payments_payments ADD COLUMN refunded_vnd BIGINT NOT NULL DEFAULT 0;
CREATE TABLE payments_refunds (
  id {{ID}},
  order_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  method TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('gateway', 'shop_transfer')),
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
  posted_vnd BIGINT NOT NULL DEFAULT 0,
  commission_vnd BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  gateway_ref TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  requested_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX payments_refunds_order ON payments_refunds (order_id, id);
DROP INDEX payments_ledger_once;
CREATE UNIQUE INDEX payments_ledger_once ON payments_ledger_txns (kind, order_id)
  WHERE kind IN ('order_paid', 'collected_by_shop');
CREATE INDEX payments_ledger_txns_order ON payments_ledger_txns (order_id, kind);
)SQL";

// v3, cash on delivery remitted by the carriers. Each line of a carrier's
// remittance statement is recorded with what it became; UNIQUE
// (tracking_code, amount_vnd) makes a statement imported twice change nothing
// the second time, while a corrected amount for the same parcel is recorded
// (and flagged) in its own right. The order is paid by the `applied` line.
constexpr const char* kSchemaV3 = R"SQL(
CREATE TABLE payments_cod_remittances (
  id {{ID}},
  tracking_code TEXT NOT NULL,
  order_id BIGINT,
  seller_id BIGINT,
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
  expected_vnd BIGINT,
  remitted_at BIGINT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'amount_differs', 'unknown_tracking', 'not_cod',
                                           'order_closed', 'already_remitted')),
  imported_at BIGINT NOT NULL,
  imported_by BIGINT,
  UNIQUE (tracking_code, amount_vnd)
);
CREATE INDEX payments_cod_remittances_outcome ON payments_cod_remittances (outcome, id);
)SQL";

// v4, a cooperative's member shares sum each member's refunds of a date
// range: they are found by shop and time, not by order.
constexpr const char* kSchemaV4 = R"SQL(
CREATE INDEX payments_refunds_seller ON payments_refunds (seller_id, updated_at);
)SQL";

}  // namespace

db::ModuleMigrations Migrations() {
  return {"payments",
          {{1, "methods, payout accounts, payments, receipts, ledger, payouts", kSchemaV1, ""},
           {2, "refunds: refunded_vnd, payments_refunds, held money", kSchemaV2, ""},
           {3, "cash on delivery remittances of the carriers", kSchemaV3, ""},
           {4, "refunds by shop and time, for a cooperative's member shares", kSchemaV4, ""}}};
}

}  // namespace nongsan::payments
