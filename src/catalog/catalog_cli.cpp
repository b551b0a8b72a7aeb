#include "catalog/catalog_cli.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog/demo_catalog.hpp"
#include "catalog/product_import.hpp"

namespace nongsan::catalog {
namespace {

constexpr int kProgressBarWidth = 40;

// Redraws one line on a terminal; does nothing when stderr is a file or pipe.
class ProgressBar {
 public:
  explicit ProgressBar(std::ostream& err) : err_(err), tty_(::isatty(STDERR_FILENO) == 1) {}
  void Show(std::size_t done, std::size_t total) {
    if (!tty_ || total == 0) return;
    const double share = static_cast<double>(done) / static_cast<double>(total);
    const int filled = static_cast<int>(share * kProgressBarWidth);
    err_ << "\r[" << std::string(filled, '#') << std::string(kProgressBarWidth - filled, '.') << "] "
         << static_cast<int>(share * 100) << "%" << std::flush;
  }
  void Finish() {
    if (tty_) err_ << "\n";
  }

 private:
  std::ostream& err_;
  bool tty_;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void PrintReport(const ImportReport& report, double seconds, std::ostream& out, std::ostream& err) {
  for (const auto& e : report.errors) err << "line " << e.line << ": " << e.reason << "\n";
  if (report.bad_rows > report.errors.size()) {
    err << "… and " << report.bad_rows - report.errors.size() << " more bad rows\n";
  }
  const double rate = seconds > 0 ? static_cast<double>(report.rows) / seconds : 0;
  out << report.rows << " rows: " << report.created << " created, " << report.updated << " updated, "
      << report.unchanged << " unchanged, " << report.bad_rows << " bad; " << report.sellers_created
      << " shops created; " << static_cast<long long>(seconds * 1000) << " ms ("
      << static_cast<long long>(rate) << " rows/s)\n";
}

}  // namespace

int RunImportProducts(CatalogModule& module, const std::string& path, std::ostream& out, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "nongsan: cannot read " << path << "\n";
    return 1;
  }
  // A file is read whole in one copy; a pipe, which has no size, through a
  // stream buffer.
  std::string csv;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size >= 0) {
    csv.resize(static_cast<std::size_t>(size));
    in.seekg(0, std::ios::beg);
    in.read(csv.data(), static_cast<std::streamsize>(csv.size()));
  } else {
    in.clear();
    std::ostringstream buffer;
    buffer << in.rdbuf();
    csv = std::move(buffer).str();
  }
  if (in.bad()) {
    err << "nongsan: cannot read " << path << "\n";
    return 1;
  }
  ProgressBar bar(err);
  ImportOptions options;
  options.progress = [&bar](std::size_t done, std::size_t total) { bar.Show(done, total); };
  const auto started = std::chrono::steady_clock::now();
  auto report = module.importer.Import(csv, options);
  bar.Finish();
  if (!report.ok()) {
    err << "nongsan: " << report.error().detail << "\n";
    return 1;
  }
  PrintReport(*report, Seconds(started), out, err);
  return report->ok() ? 0 : 1;
}

int RunGenerateCatalog(CatalogModule& module, std::size_t products, std::ostream& out, std::ostream& err) {
  ProgressBar bar(err);
  const auto started = std::chrono::steady_clock::now();
  auto report = GenerateCatalog(module, products,
                                [&bar](std::size_t done, std::size_t total) { bar.Show(done, total); });
  bar.Finish();
  if (!report.ok()) {
    err << "nongsan: " << report.error().detail << "\n";
    return 1;
  }
  PrintReport(*report, Seconds(started), out, err);
  return report->ok() ? 0 : 1;
}

}  // namespace nongsan::catalog
