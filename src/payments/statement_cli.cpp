#include "payments/statement_cli.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

namespace nongsan::payments {

int RunImportStatement(PaymentService& payments, const std::string& path, const std::string& account,
                       std::ostream& out, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "nongsan: cannot read " << path << "\n";
    return 1;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const auto started = std::chrono::steady_clock::now();
  auto result = payments.ImportStatement(account, buffer.str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!result.ok()) {
    err << "nongsan: " << result.error().detail << "\n";
    for (const FieldError& f : result.error().fields) err << "  " << f.field << ": " << f.message << "\n";
    return 1;
  }
  out << result->lines << " lines in " << seconds << " s: " << result->applied << " applied, " << result->late
      << " late (flagged for refund), " << result->unmatched << " unmatched, " << result->duplicate
      << " already received\n";
  return 0;
}

int RunImportCodRemittance(PaymentService& payments, const std::string& path, std::ostream& out,
                           std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "nongsan: cannot read " << path << "\n";
    return 1;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto result = payments.ImportCodRemittance(buffer.str(), 0);
  if (!result.ok()) {
    err << "nongsan: " << result.error().detail << "\n";
    for (const FieldError& f : result.error().fields) err << "  " << f.field << ": " << f.message << "\n";
    return 1;
  }
  out << result->lines << " lines: " << result->applied << " orders paid, " << result->duplicate
      << " imported before, " << result->differences.size() << " differences\n";
  for (const RemittanceLine& d : result->differences) {
    out << "  line " << d.line << " " << d.tracking_code << " " << d.amount_vnd << ": " << d.outcome;
    if (d.order_id > 0) out << " (order " << d.order_id << ", " << d.expected_vnd << " expected)";
    out << "\n";
  }
  return 0;
}

}  // namespace nongsan::payments
