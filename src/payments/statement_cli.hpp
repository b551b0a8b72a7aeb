// `nongsan import bank-statement FILE.csv --account NUMBER`: the operator
// reconciles a bank statement of one account (PaymentService::ImportStatement).
// Prints what each line became, or every broken line by number (exit 1, nothing
// applied).
#pragma once

#include "payments/payment_service.hpp"

#include <ostream>
#include <string>

namespace nongsan::payments {

int RunImportStatement(PaymentService& payments, const std::string& path, const std::string& account,
                       std::ostream& out, std::ostream& err);

}  // namespace nongsan::payments
