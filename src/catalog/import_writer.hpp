// The writing half of the product import (product_import.hpp): a batch of
// checked rows, in shop and SKU order, written in one transaction. The
// shops the batch names are found, or created with the batch; its products
// are inserted or updated (or left alone when the file says what is
// stored); the change log and the listing observer hear of what changed.
// Rows whose shop cannot be used go into the import's report.
// Used by ProductImporter::ImportRecords only. Not thread-safe: one writer
// per import, on the importing thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "catalog/catalog_service.hpp"
#include "catalog/inventory_service.hpp"
#include "catalog/product_import.hpp"
#include "catalog/seller_directory.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

// A checked row of the import file.
struct ImportRow {
  std::size_t line = 0;
  ImportedSeller seller;
  Product product;
};

class ImportWriter {
 public:
  // Rows refused while writing are added to `report`, which outlives the writer.
  ImportWriter(db::Database& db, const Clock& clock, CatalogService& catalog,
               const InventoryService& inventory, const ImportOptions& options,
               const std::vector<std::string>& label_columns, ImportReport& report);

  // Writes one batch: its shops found or created and its products written
  // in one transaction, the report's counts updated after it commits.
  Status Flush(std::vector<ImportRow>& batch);

 private:
  struct Attempt;  // what one try of a batch's transaction did (a retry starts again)

  // The shops of the phones the import meets for the first time, looked up
  // at once for the batch; the phones with no shop come back, from the
  // first row naming each, to be created with the batch.
  Result<std::vector<ImportedSeller>> ShopsToCreate(const std::vector<ImportRow>& batch);
  // The batch's transaction.
  Status WriteBatch(db::Connection& c, std::vector<ImportRow>& batch,
                    const std::vector<ImportedSeller>& to_create, Attempt& a);
  Status CreateShops(db::Connection& c, const std::vector<ImportedSeller>& to_create, Attempt& a);
  // A stored product the file changes is updated (its stock through the
  // ledger); one the file repeats as stored is counted unchanged.
  Status UpdateStored(db::Connection& c, const Product& current, const Product& incoming, Attempt& a);
  // New products in multi-row INSERTs, with their ledger rows.
  Status InsertNew(db::Connection& c, const std::vector<const Product*>& inserts, Attempt& a);
  // Whether this import created the shop (then its rows are all new).
  bool IsNewShop(std::int64_t seller_id, const Attempt& a) const;
  void ReportRefusedRows(const std::vector<ImportRow>& batch);
  void Bad(std::size_t line, std::string reason);

  db::Database& db_;
  const Clock& clock_;
  CatalogService& catalog_;
  const InventoryService& inventory_;
  const ImportOptions& options_;
  const std::vector<std::string>& label_columns_;
  ImportReport& report_;
  std::unordered_map<std::string, std::int64_t> seller_of_phone_;
  std::unordered_map<std::int64_t, bool> seller_public_;
  std::unordered_set<std::int64_t> created_here_;                // shops this import created
  std::unordered_map<std::string, std::string> seller_failure_;  // phone → why it could not be used
};

}  // namespace nongsan::catalog
