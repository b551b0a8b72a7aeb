// A shop's ledger (PaymentService::Ledger's JSON) as the files a shop's
// bookkeeper opens: CSV (UTF-8 with BOM, so spreadsheet programs read the
// Vietnamese text) and XLSX (libxlsxwriter; amounts as numbers, the running
// balance beside them). Pure functions apart from XLSX's temporary file;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.hpp"

namespace nongsan::payments {

// Columns: txn_id, at, kind, order_id, payout_id, amount_vnd, balance_vnd.
std::string LedgerCsv(const nlohmann::json& ledger);
Result<std::string> LedgerXlsx(const nlohmann::json& ledger);
// A cooperative's member shares (PaymentService::MemberShares' JSON) as CSV:
// member_id, name, sales_vnd, commission_vnd, refunds_vnd, net_vnd,
// balance_vnd, then a totals line.
std::string MemberSharesCsv(const nlohmann::json& shares);

}  // namespace nongsan::payments
