#include "catalog/product_import.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "catalog/import_writer.hpp"
#include "core/money.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "places/places.hpp"

namespace nongsan::catalog {
namespace {

// Rows read ahead and grouped by shop before they are written (a multiple of
// kImportBatchRows; about 20 MB of parsed rows).
constexpr std::size_t kImportOrderWindowRows = 10 * kImportBatchRows;
// Batches of checked rows the reading thread keeps ready for the writer.
constexpr std::size_t kBatchesReadAhead = 2;
// Rows per shop, on average over a batch, from which a file counts as
// already grouped by shop.
constexpr std::size_t kGroupedRunRows = 8;
// Excel drops the leading zeros of "05503"; commune codes are 5 digits.
constexpr std::size_t kCommuneCodeDigits = 5;
constexpr std::size_t kMaxSellerNameChars = 200;

std::string HeaderText() {
  std::string out;
  for (const char* c : kImportColumns) out += (out.empty() ? "" : ",") + std::string(c);
  return out;
}

// household | cooperative | enterprise, also written the Vietnamese way.
std::optional<std::string> NormalizeSellerType(const std::string& input) {
  std::string key;
  for (const auto& w : text::FoldedWords(input)) key += (key.empty() ? "" : " ") + w;
  if (key == "household" || key == "ho" || key == "ho gia dinh" || key == "ho san xuat") return "household";
  if (key == "cooperative" || key == "htx" || key == "hop tac xa") return "cooperative";
  if (key == "enterprise" || key == "doanh nghiep" || key == "cong ty") return "enterprise";
  return std::nullopt;
}

std::optional<std::int64_t> ParseCount(std::string_view s) {
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return out;
}

bool InScope(const Principal* actor, const std::string& commune, const places::PlaceService& places) {
  if (actor == nullptr) return true;
  if (actor->Has(Role::kCommuneOfficer, commune)) return true;
  const auto province = places.ProvinceOf(commune);
  return province && actor->Has(Role::kProvinceAdmin, *province);
}

// Reads the optional label columns of a record into p.label; a shelf life
// that is not a number is a field error (the rest is checked by Normalize).
void ParseLabelColumns(const std::vector<std::string>& f, const std::vector<std::string>& columns, Product& p,
                       std::vector<FieldError>& errors) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string& value = f[kImportColumnCount + i];
    if (columns[i] == kShelfLifeField) {
      if (value.empty()) continue;
      if (auto days = ParseCount(value)) {
        p.label.shelf_life_days = *days;
      } else {
        errors.push_back({kShelfLifeField, "must be a whole number of days"});
      }
      continue;
    }
    for (const auto& field : LabelTextFields()) {
      if (columns[i] == field.name) p.label.*field.value = value;
    }
  }
}

// Checks one record; on success fills row, else returns the reasons.
std::string ParseRow(const CsvRecord& record, const CatalogService& catalog, const Principal* actor,
                     std::int64_t now, const std::vector<std::string>& label_columns, ImportRow& row) {
  const std::size_t expected = kImportColumnCount + label_columns.size();
  if (record.fields.size() != expected) {
    return "expected " + std::to_string(expected) + " columns, found " + std::to_string(record.fields.size());
  }
  std::vector<std::string> f;
  f.reserve(expected);
  for (const auto& field : record.fields) {
    if (!text::IsValidUtf8(field) || field.find('\0') != std::string::npos) {
      return "not valid UTF-8 text (save the file as CSV UTF-8)";
    }
    f.push_back(text::Trim(field));
  }
  std::vector<std::string> problems;
  row.line = record.line;
  if (auto phone = phone::Normalize(f[0])) {
    row.seller.phone = *phone;
  } else {
    problems.push_back("seller_phone: not a Vietnamese mobile number");
  }
  row.seller.name = text::ToNfc(f[1]);
  const std::size_t name_chars = text::CodePointCount(row.seller.name);
  if (name_chars < 2 || name_chars > kMaxSellerNameChars) {
    problems.push_back("seller_name: must be 2 to " + std::to_string(kMaxSellerNameChars) + " characters");
  }
  if (auto type = NormalizeSellerType(f[2])) {
    row.seller.type = *type;
  } else {
    problems.push_back("seller_type: must be household, cooperative or enterprise");
  }
  std::string commune = f[3];
  const bool all_digits = !commune.empty() && commune.find_first_not_of("0123456789") == std::string::npos;
  if (all_digits && commune.size() < kCommuneCodeDigits) {
    commune.insert(0, kCommuneCodeDigits - commune.size(), '0');
  }
  if (!catalog.places().IsCommune(commune)) {
    problems.push_back("commune_code: \"" + f[3] + "\" is not a current commune code");
  } else if (!InScope(actor, commune, catalog.places())) {
    problems.push_back("commune_code: outside the area you may import for");
  }
  row.seller.commune_code = commune;

  Product& p = row.product;
  p.sku = f[4];
  p.name = f[5];
  p.description = f[6];
  p.category_code = f[7];
  p.unit = f[8];
  p.status = ProductStatus::kActive;
  p.origin_commune = commune;
  p.created_at = p.updated_at = now;
  std::vector<FieldError> field_errors;
  if (auto price = money::ParseVnd(f[9])) {
    p.price_vnd = *price;
  } else {
    field_errors.push_back({"price_vnd", "must be a whole number of đồng, e.g. 125000"});
  }
  if (auto stock = ParseCount(f[10])) {
    p.stock = *stock;
  } else {
    field_errors.push_back({"stock", "must be a whole number"});
  }
  if (auto weight = ParseCount(f[11])) {
    p.weight_grams = *weight;
  } else {
    field_errors.push_back({"weight_grams", "must be a whole number of grams"});
  }
  ParseLabelColumns(f, label_columns, p, field_errors);
  if (Status st = catalog.Normalize(p, true); !st.ok()) {
    for (const auto& e : st.error().fields) {
      // A price, stock or weight that did not parse is reported once.
      bool duplicate = false;
      for (const auto& seen : field_errors) duplicate = duplicate || seen.field == e.field;
      if (!duplicate && !(e.field == "origin_commune")) field_errors.push_back(e);
    }
  }
  for (const auto& e : field_errors) {
    problems.push_back((e.field == "name" ? std::string("product_name") : e.field) + ": " + e.message);
  }
  std::string reason;
  for (const auto& problem : problems) reason += (reason.empty() ? "" : "; ") + problem;
  return reason;
}

// A data record of a CSV text, remembered by where it starts so that the
// rows can be read again in another order without holding them parsed.
struct PendingRecord {
  std::string phone;  // normalized; "" when it does not read as one
  std::size_t line = 0;
  std::size_t offset = 0;           // of the record's first byte (> 0: the header comes first)
  std::unique_ptr<CsvRecord> held;  // a malformed record, kept as read (its error names lines)
};

// Reads the rest of the file once, keeping only each record's shop and
// place, and returns the records by shop (phone), in file order within a
// shop. Written in this order, a file sorted by product, by date or not at
// all imports as one sorted by shop does: a batch holds the rows of a few
// shops, so it touches a few pages of the products' indexes and the
// listing observer hears of a few shops per batch rather than thousands.
std::vector<PendingRecord> ShopOrder(std::string_view csv, CsvReader& reader) {
  std::vector<PendingRecord> out;
  while (true) {
    const std::size_t offset = reader.offset();
    std::optional<CsvRecord> record = reader.Next();
    if (!record) break;
    PendingRecord pending;
    pending.line = record->line;
    pending.offset = offset;
    if (!record->error.empty() || offset == 0 || offset > csv.size()) {
      pending.held = std::make_unique<CsvRecord>(std::move(*record));
    } else if (!record->fields.empty()) {
      pending.phone = phone::Normalize(text::Trim(record->fields[0])).value_or("");
    }
    out.push_back(std::move(pending));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PendingRecord& a, const PendingRecord& b) { return a.phone < b.phone; });
  return out;
}

// Reads and checks the rows on a thread of its own, up to
// kBatchesReadAhead batches ahead of the writer: the parsing, text folding
// and checks (a third of an import's CPU) run while the writer waits for
// PostgreSQL, or on SQLite on another core, instead of between batches.
// Repeated (shop, sku) pairs are refused here, in the order the source
// gives the rows.
class RowReader {
 public:
  RowReader(const RecordSource& next, const CatalogService& catalog, const Principal* actor, std::int64_t now,
            const std::vector<std::string>& label_columns)
      : next_(next), catalog_(catalog), actor_(actor), now_(now), label_columns_(label_columns) {
    thread_ = std::thread([this] { Run(); });
  }
  ~RowReader() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  RowReader(const RowReader&) = delete;
  RowReader& operator=(const RowReader&) = delete;

  // The next checked rows in the source's order (at most kImportBatchRows);
  // none at the end. Rethrows what the reading thread threw.
  std::vector<ImportRow> Take() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (failure_) std::rethrow_exception(failure_);
    if (ready_.empty()) return {};
    std::vector<ImportRow> rows = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return rows;
  }
  // Records read so far (all of them once Take has returned none).
  std::size_t rows_read() const { return rows_read_.load(); }
  // After the end: the bad rows found while reading.
  std::size_t bad_rows() const { return bad_rows_; }
  std::vector<ImportRowError>& errors() { return errors_; }

 private:
  void Run() {
    try {
      Read();
    } catch (...) {
      std::lock_guard lock(mu_);
      failure_ = std::current_exception();
    }
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    changed_.notify_all();
  }

  void Read() {
    std::unordered_map<std::string, std::size_t> first_line_of;  // phone/sku → line
    std::vector<ImportRow> rows;
    rows.reserve(kImportBatchRows);
    while (auto record = next_()) {
      ++rows_read_;
      if (!record->error.empty()) {
        Bad(record->line, std::move(record->error));
        continue;
      }
      ImportRow row;
      std::string reason = ParseRow(*record, catalog_, actor_, now_, label_columns_, row);
      if (!reason.empty()) {
        Bad(record->line, std::move(reason));
        continue;
      }
      const std::string key = row.seller.phone + "/" + row.product.sku;
      auto [first, fresh] = first_line_of.emplace(key, record->line);
      if (!fresh) {
        Bad(record->line, "sku: " + row.product.sku + " appears again for this seller (first on line " +
                              std::to_string(first->second) + ")");
        continue;
      }
      rows.push_back(std::move(row));
      if (rows.size() == kImportBatchRows && !Hand(rows)) return;
    }
    if (!rows.empty()) Hand(rows);
  }

  // Passes rows to the writer, waiting while it is kBatchesReadAhead
  // behind; false when the writer has stopped.
  bool Hand(std::vector<ImportRow>& rows) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return ready_.size() < kBatchesReadAhead || stop_; });
    if (stop_) return false;
    ready_.push_back(std::move(rows));
    rows = {};
    rows.reserve(kImportBatchRows);
    changed_.notify_all();
    return true;
  }

  void Bad(std::size_t line, std::string reason) {
    ++bad_rows_;
    if (errors_.size() < kMaxReportedRowErrors) errors_.push_back({line, std::move(reason)});
  }

  const RecordSource& next_;
  const CatalogService& catalog_;
  const Principal* actor_;
  const std::int64_t now_;
  const std::vector<std::string>& label_columns_;
  std::atomic<std::size_t> rows_read_{0};
  // Written by the reading thread only; read after it is done.
  std::size_t bad_rows_ = 0;
  std::vector<ImportRowError> errors_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<ImportRow>> ready_;  // guarded by mu_
  bool done_ = false;                         // guarded by mu_
  bool stop_ = false;                         // guarded by mu_
  std::exception_ptr failure_;                // guarded by mu_
  std::thread thread_;                        // last: started once the rest exists
};

}  // namespace

std::vector<std::string> OptionalImportColumns() {
  std::vector<std::string> out;
  for (const auto& field : LabelTextFields()) out.emplace_back(field.name);
  out.emplace_back(kShelfLifeField);
  return out;
}

bool MayImport(const Principal* principal) {
  return principal != nullptr &&
         (principal->Has(Role::kCommuneOfficer) || principal->Has(Role::kProvinceAdmin));
}

Result<ImportReport> ProductImporter::Import(std::string_view csv, const ImportOptions& options) {
  if (options.actor != nullptr && !MayImport(options.actor)) {
    return Error::Forbidden("Only commune officers and province administrators may import products.");
  }
  CsvReader reader(csv);
  const auto header = reader.Next();
  bool header_ok = header && header->error.empty() && header->fields.size() >= kImportColumnCount;
  for (std::size_t i = 0; header_ok && i < kImportColumnCount; ++i) {
    header_ok = text::Trim(header->fields[i]) == kImportColumns[i];
  }
  if (!header_ok) {
    return Error::Invalid("The first line must be exactly the header " + HeaderText() +
                          " (UTF-8 CSV; see docs/import.md).");
  }
  std::vector<std::string> label_columns;
  const std::vector<std::string> optional = OptionalImportColumns();
  for (std::size_t i = kImportColumnCount; i < header->fields.size(); ++i) {
    std::string name = text::Trim(header->fields[i]);
    if (std::find(optional.begin(), optional.end(), name) == optional.end() ||
        std::find(label_columns.begin(), label_columns.end(), name) != label_columns.end()) {
      std::string names;
      for (const auto& o : optional) names += (names.empty() ? "" : ", ") + o;
      return Error::Invalid("Column \"" + name + "\" of the header is unknown or repeated; after " +
                            HeaderText() + " only these may follow, once each: " + names +
                            " (see docs/import.md).");
    }
    label_columns.push_back(std::move(name));
  }
  // The rows in shop order, whatever their order in the file.
  std::vector<PendingRecord> order = ShopOrder(csv, reader);
  std::size_t done = 0;  // advanced by the importer's reading thread
  ImportOptions by_bytes = options;
  if (options.progress) {
    by_bytes.progress = [&](std::size_t rows_done, std::size_t) {
      options.progress(order.empty() ? csv.size() : csv.size() / order.size() * rows_done, csv.size());
    };
  }
  auto next = [&]() -> std::optional<CsvRecord> {
    if (done == order.size()) return std::nullopt;
    PendingRecord& pending = order[done++];
    if (pending.held) return std::optional<CsvRecord>(std::move(*pending.held));
    // The byte before a record is the line end of the one before it, which
    // the reader takes for a blank line (and no byte-order mark can follow).
    CsvReader again(csv.substr(pending.offset - 1));
    std::optional<CsvRecord> record = again.Next();
    if (record) record->line = pending.line;
    return record;
  };
  return ImportRecords(next, order.size(), by_bytes, label_columns);
}

Result<ImportReport> ProductImporter::ImportRecords(const RecordSource& next, std::size_t progress_total,
                                                    const ImportOptions& options,
                                                    const std::vector<std::string>& label_columns) {
  if (options.actor != nullptr && !MayImport(options.actor)) {
    return Error::Forbidden("Only commune officers and province administrators may import products.");
  }
  ImportReport report;
  ImportWriter writer(db_, clock_, catalog_, inventory_, options, label_columns, report);

  // Rows are written grouped by shop, a window of rows at a time: a batch
  // of rows of a few shops touches a few pages of the products' indexes,
  // one of rows of 2,000 interleaved shops touches hundreds, so a sheet
  // sorted by product or date would otherwise import far slower than the
  // same sheet sorted by shop. Within a shop rows go in SKU order, the order
  // of the (shop, sku) index; new shops are created in phone order, so their
  // ids, and the index entries of their products, rise through a batch.
  std::vector<ImportRow> window;
  window.reserve(kImportOrderWindowRows);
  std::size_t shop_switches = 0;  // in the window, between consecutive rows
  auto flush_window = [&]() -> Status {
    // Positions are sorted, not rows: each row is moved once, into its batch.
    std::vector<std::size_t> order(window.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&window](std::size_t a, std::size_t b) {
      const ImportRow& x = window[a];
      const ImportRow& y = window[b];
      if (int by_phone = x.seller.phone.compare(y.seller.phone); by_phone != 0) return by_phone < 0;
      return x.product.sku < y.product.sku;  // unique within a shop (repeats were refused)
    });
    std::vector<ImportRow> batch;
    batch.reserve(kImportBatchRows);
    for (std::size_t i : order) {
      batch.push_back(std::move(window[i]));
      if (batch.size() == kImportBatchRows) {
        TRY(writer.Flush(batch));
        batch.clear();
      }
    }
    window.clear();
    return writer.Flush(batch);
  };
  RowReader reader(next, catalog_, options.actor, clock_.NowMs(), label_columns);
  for (std::vector<ImportRow> rows = reader.Take(); !rows.empty(); rows = reader.Take()) {
    for (ImportRow& row : rows) {
      if (!window.empty() && window.back().seller.phone != row.seller.phone) ++shop_switches;
      window.push_back(std::move(row));
      // Rows already grouped by shop (runs of kGroupedRunRows or more) gain
      // nothing from waiting for the window: they are written a batch at a
      // time, while the rows are still in the cache.
      const bool grouped =
          window.size() == kImportBatchRows && shop_switches * kGroupedRunRows <= window.size();
      if (grouped || window.size() == kImportOrderWindowRows) {
        shop_switches = 0;
        TRY(flush_window());
        if (options.progress) options.progress(reader.rows_read(), progress_total);
      }
    }
  }
  TRY(flush_window());
  // Bad rows found while reading and while writing (a shop that could not
  // be created, in the window's shop order): the report lists them by line.
  report.rows = reader.rows_read();
  report.bad_rows += reader.bad_rows();
  report.errors.insert(report.errors.end(), std::make_move_iterator(reader.errors().begin()),
                       std::make_move_iterator(reader.errors().end()));
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const ImportRowError& a, const ImportRowError& b) { return a.line < b.line; });
  if (report.errors.size() > kMaxReportedRowErrors) report.errors.resize(kMaxReportedRowErrors);
  if (options.progress) options.progress(progress_total, progress_total);
  if (report.created + report.updated > 0) catalog_.NotifyChanged();
  return report;
}

}  // namespace nongsan::catalog
