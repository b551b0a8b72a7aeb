// Product search and autocomplete over the in-memory SearchIndex, plus the
// machinery that keeps the index current: a full build at Start() and a
// catch-up from the catalog_changes log, run after every write in this
// process (CatalogService calls CatchUp) and by a poller thread every
// kPollInterval for writes made by other processes (the CLI importer, other
// app servers on the same PostgreSQL).
//
// Untrusted query parameters are checked here (ParseSearchParams): a q over
// kMaxQueryChars, invalid UTF-8, unknown category/commune/province codes,
// negative or absurd prices, a bad cursor — each a clear kInvalid error.
// Full-text syntax has no meaning: q is folded into plain words.
//
// Thread-safety: all members may be called from any thread after Start().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/certification_source.hpp"
#include "catalog/demand_observer.hpp"
#include "catalog/product.hpp"
#include "catalog/search_index.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::catalog {

inline constexpr std::size_t kMaxQueryChars = 100;
inline constexpr std::size_t kMaxSearchLimit = 100;
inline constexpr std::size_t kDefaultSearchLimit = 20;
inline constexpr std::size_t kSuggestLimit = 8;
inline constexpr std::chrono::milliseconds kPollInterval{1000};
// A gap in the change sequence (a transaction that took a number and has not
// committed) is waited for this long before it is taken as rolled back.
inline constexpr std::chrono::seconds kChangeGapTimeout{30};
// Rows read per query when building or catching up.
inline constexpr int kIndexLoadBatch = 5000;
// Description length from which a product counts as well described (rank).
inline constexpr std::size_t kWellDescribedChars = 80;

// The query parameters as they arrived (decoded, not yet checked).
struct SearchParams {
  std::optional<std::string> q, category, province, commune, seller, price_min, price_max, sort, limit,
      cursor, ocop_min, certified;
};

struct SearchPage {
  SearchResponse response;
  std::vector<Product> products;                                // in hit order, public ones only
  std::shared_ptr<const CertificationCoverage> certifications;  // searched with; null without a source
};

struct Suggestions {
  std::vector<Product> products;
  std::vector<std::string> category_codes;
};

std::string EncodeCursor(const SearchCursor& cursor);
std::optional<SearchCursor> DecodeCursor(std::string_view text);
const char* SortName(SortOrder sort);

class SearchService {
 public:
  SearchService(db::Database& db, const places::PlaceService& places);
  ~SearchService();
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  // Builds the index from the database; with `poll`, starts the poller.
  Status Start(bool poll = true);
  void Stop();
  // Applies every change logged since the last catch-up.
  Status CatchUp();

  // Where certificates come from (the quality module, through the app
  // wiring); until set, searches have no certification facets and the
  // certification filters are refused. Set once, before serving.
  void SetCertificationSource(CertificationSource* source) { certifications_.store(source); }
  CertificationSource* certifications() const { return certifications_.load(); }
  // Told of each search's first page (start-up wiring; demand_observer.hpp).
  void SetDemandObserver(DemandObserver* observer) { demand_.store(observer); }
  // Tells the demand observer of a search answered without Search (a cached
  // page); Search itself does this for the searches it runs.
  void NoteSearch(const SearchRequest& request, bool found_nothing) const;

  // Checks raw parameters (see the header comment). ocop_min (3..5) and
  // certified (a kind name) filter on certificates valid today; the request
  // carries the current certification coverage.
  Result<SearchRequest> ParseSearchParams(const SearchParams& params) const;
  // A request without a coverage gets the current one.
  Result<SearchPage> Search(const SearchRequest& request);
  Result<Suggestions> Suggest(std::string_view q);

  const SearchIndex& index() const { return index_; }

 private:
  Status Rebuild();
  Status ApplyChanges(const std::vector<std::int64_t>& product_ids,
                      const std::vector<std::int64_t>& seller_ids);
  void PollLoop();

  db::Database& db_;
  const places::PlaceService& places_;
  SearchIndex index_;
  std::atomic<CertificationSource*> certifications_{nullptr};
  std::atomic<DemandObserver*> demand_{nullptr};

  std::mutex catch_up_mutex_;             // one catch-up at a time
  std::int64_t watermark_ = 0;            // every change ≤ this is applied
  std::set<std::int64_t> applied_above_;  // applied changes past a gap
  // Missing seq → when first seen. Wall time, not the app's Clock: this is
  // a timeout on other transactions, not a business date.
  std::map<std::int64_t, std::chrono::steady_clock::time_point> gaps_;
  bool started_ = false;

  std::mutex poll_mutex_;
  std::condition_variable poll_cv_;
  bool stopping_ = false;
  std::thread poller_;
};

}  // namespace nongsan::catalog
