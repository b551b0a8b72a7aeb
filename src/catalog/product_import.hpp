// Bulk import of shops and products from CSV, for the officers who onboard
// households (format in docs/import.md). Columns, exactly and in order:
//   seller_phone,seller_name,seller_type,commune_code,sku,product_name,
//   description,category,unit,price_vnd,stock,weight_grams
// Shops are matched by phone and created through SellerDirectory when new,
// inside the transaction of the batch that first names them (the sellers
// module writes its own tables, with the batch's connection), so a batch's
// new shops and their products commit together; products are upserted by
// (shop, sku) and a row that matches what is stored changes nothing, so
// running a file twice is harmless. Every bad row is reported with its line
// and reason and skipped whole (a shop the sellers module refuses: every row
// of it, nothing of the shop written); the good rows are written in batches
// of kImportBatchRows per transaction.
//
// Thread-safety: an importer may run on any thread; imports may run
// concurrently (each batch is its own write transaction).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_service.hpp"
#include "catalog/inventory_service.hpp"
#include "core/clock.hpp"
#include "core/csv_reader.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

inline constexpr std::size_t kImportBatchRows = 2000;
// Largest CSV accepted by the upload endpoint (the CLI reads any size).
inline constexpr std::size_t kMaxImportUploadBytes = 32 * 1024 * 1024;
// Most row errors kept in a report (the count is always exact).
inline constexpr std::size_t kMaxReportedRowErrors = 1000;

inline constexpr const char* kImportColumns[] = {
    "seller_phone", "seller_name", "seller_type", "commune_code", "sku",   "product_name",
    "description",  "category",    "unit",        "price_vnd",    "stock", "weight_grams"};
inline constexpr std::size_t kImportColumnCount = std::size(kImportColumns);
// Optional columns after those, in any order: the label data (label_data.hpp)
// — brand, net_quantity, ingredients, usage_instructions,
// storage_instructions, warnings, shelf_life_days. A file without them
// leaves products' label data as it is; an empty cell clears the field.
std::vector<std::string> OptionalImportColumns();

struct ImportRowError {
  std::size_t line = 0;
  std::string reason;
};

struct ImportReport {
  std::size_t rows = 0;       // data rows read
  std::size_t created = 0;    // products created
  std::size_t updated = 0;    // products changed
  std::size_t unchanged = 0;  // rows identical to what is stored
  std::size_t sellers_created = 0;
  std::size_t bad_rows = 0;
  std::vector<ImportRowError> errors;  // the first kMaxReportedRowErrors
  bool ok() const { return bad_rows == 0; }
};

struct ImportOptions {
  // Who imports: a commune officer may import rows of their commune only, a
  // province admin rows of their province; nullptr is the operator (CLI).
  const Principal* actor = nullptr;
  // Called after each batch with (done, total): bytes of a CSV text, or rows
  // of a generated source.
  std::function<void(std::size_t, std::size_t)> progress;
};

// Yields the data rows of an import (fields in kImportColumns order), or
// nullopt at the end. CsvReader is one source; the demo generator another.
using RecordSource = std::function<std::optional<CsvRecord>()>;

class ProductImporter {
 public:
  ProductImporter(db::Database& db, const Clock& clock, CatalogService& catalog,
                  const InventoryService& inventory)
      : db_(db), clock_(clock), catalog_(catalog), inventory_(inventory) {}

  // Imports a whole CSV text. Errors only for the file as a whole (a wrong
  // header, not an officer); row problems go into the report.
  Result<ImportReport> Import(std::string_view csv, const ImportOptions& options);
  // Imports rows from any source (no header). `progress_total` is passed to
  // options.progress with the number of rows done.
  // `label_columns` names the optional columns that follow the required
  // ones in each record, in order.
  Result<ImportReport> ImportRecords(const RecordSource& next, std::size_t progress_total,
                                     const ImportOptions& options,
                                     const std::vector<std::string>& label_columns = {});

 private:
  db::Database& db_;
  const Clock& clock_;
  CatalogService& catalog_;
  const InventoryService& inventory_;
};

// May this principal import at all (commune officer or province admin)?
bool MayImport(const Principal* principal);

}  // namespace nongsan::catalog
