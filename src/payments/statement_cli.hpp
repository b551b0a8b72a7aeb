// `nongsan import bank-statement FILE.csv --account NUMBER`: the operator
// reconciles a bank statement of one account (PaymentService::ImportStatement).
// Prints what each line became, or every broken line by number (exit 1, nothing
// applied).
#pragma once

#include <ostream>
#include <string>

#include "payments/payment_service.hpp"

namespace nongsan::payments {

int RunImportStatement(PaymentService& payments, const std::string& path, const std::string& account,
                       std::ostream& out, std::ostream& err);

// `nongsan import cod-remittance FILE.csv`: a carrier's cash-on-delivery
// remittance (PaymentService::ImportCodRemittance). Prints the counts and each
// difference, or every broken line (exit 1, nothing applied).
int RunImportCodRemittance(PaymentService& payments, const std::string& path, std::ostream& out,
                           std::ostream& err);

}  // namespace nongsan::payments
