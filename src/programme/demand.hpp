// The demand side of a programme's figures (issue 17, item 7): what buyers
// search for each week (and what found nothing — a product a commune could
// list), and product views, carts and orders of a commune's products or the
// whole province's, orders by the buyer's province. Aggregate counts only:
// nothing names or can single out a buyer (docs/programme-metrics.md,
// "Demand").
//
// DemandRecorder is the catalogue's DemandObserver and the orders module's
// CartObserver. Searches, views and carts happen on the hot path, so it only
// counts in memory under a short lock; a background thread writes the counts
// every kDemandFlushInterval (and the demand query flushes first, so an
// answer includes everything counted before it). Counts still in memory
// when the process dies are lost: these are trends, not accounts. Orders
// by the buyer's province are counted exactly, in each order's transaction,
// by OrderRollups (rollups.hpp).
//
// Thread-safety: all members may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>

#include "catalog/demand_observer.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/cart_service.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

class ProgrammeService;

inline constexpr std::chrono::seconds kDemandFlushInterval{10};
// Distinct (week, word) and (week, product) keys held between flushes; past
// it new keys wait for the next flush (counted as dropped in the log).
inline constexpr std::size_t kMaxBufferedDemandKeys = 100'000;
// Words counted per search, and the longest word kept (longer is not a word
// anyone lists a product under).
inline constexpr std::size_t kMaxWordsPerSearch = 8;
inline constexpr std::size_t kMaxDemandWordBytes = 40;
// A word with this many digits is likely a phone number or an order code:
// never kept.
inline constexpr int kMaxDigitsInDemandWord = 3;
// Counts below this are not shown (a word searched once or twice, orders
// from a province that sent one or two): they could point at one person.
inline constexpr std::int64_t kMinReportedCount = 3;
// Words shown per week in each list.
inline constexpr std::size_t kTopDemandWords = 20;
// The longest period one demand request covers.
inline constexpr std::int64_t kMaxDemandDays = 366;

// The Monday (day number) of the week a Vietnam day falls in.
std::int64_t WeekOf(std::int64_t day);

// Adds to a week's row of a commune's products (on the caller's write
// connection); buyer_province "" where it is not known (views, carts).
Status AddDemandProducts(db::Connection& c, std::int64_t week, const std::string& commune,
                         const std::string& buyer_province, std::int64_t views, std::int64_t carts,
                         std::int64_t orders);

class DemandRecorder final : public catalog::DemandObserver, public orders::CartObserver {
 public:
  DemandRecorder(db::Database& db, const Clock& clock);
  ~DemandRecorder() override;
  DemandRecorder(const DemandRecorder&) = delete;
  DemandRecorder& operator=(const DemandRecorder&) = delete;

  void OnSearch(const catalog::SearchSeen& search) override;
  void OnProductView(std::int64_t product_id) override;
  void OnAddedToCart(std::int64_t product_id) override;

  // Writes what is counted so far; on failure the counts are kept for the
  // next flush.
  Status Flush();

 private:
  struct WordCount {
    std::int64_t searches = 0;
    std::int64_t found_nothing = 0;
  };
  struct ProductCount {
    std::int64_t views = 0;
    std::int64_t carts = 0;
  };
  void Run();
  bool Room(std::size_t keys) const;

  db::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::pair<std::int64_t, std::string>, WordCount> words_;         // guarded by mu_
  std::map<std::pair<std::int64_t, std::int64_t>, ProductCount> products_;  // guarded by mu_
  std::int64_t dropped_ = 0;                                                // guarded by mu_
  std::mutex flush_mu_;                                                     // one flush at a time
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

struct DemandQuery {
  std::string from;  // "" → 12 weeks before `to`
  std::string to;    // "" → today
  std::string unit;  // "" or the province code → the whole province (the officer's communes); or a commune
};

class DemandService {
 public:
  DemandService(db::Database& db, const Clock& clock, const AreaPort& areas, ProgrammeService& programmes,
                DemandRecorder& recorder);

  // 404 as for the programme; 403 for a commune outside an officer's area;
  // 422 naming a bad field.
  Result<nlohmann::json> Demand(const Principal* principal, std::int64_t programme_id,
                                const DemandQuery& query);

 private:
  db::Database& db_;
  const Clock& clock_;
  const AreaPort& areas_;
  ProgrammeService& programmes_;
  DemandRecorder& recorder_;
};

}  // namespace nongsan::programme
