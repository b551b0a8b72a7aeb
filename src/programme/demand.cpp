#include "programme/demand.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "programme/programme_service.hpp"
#include "programme/rollups.hpp"
#include "quality/officer_scope.hpp"

namespace nongsan::programme {
namespace {

using nlohmann::json;

constexpr std::size_t kIdsPerQuery = 500;
// The default period: the last twelve weeks.
constexpr std::int64_t kDefaultDemandDays = 12 * 7;

constexpr const char* kWordUpsert =
    "INSERT INTO programme_demand_words (week, word, searches, found_nothing) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (week, word) DO UPDATE SET searches = programme_demand_words.searches + excluded.searches, "
    "found_nothing = programme_demand_words.found_nothing + excluded.found_nothing";

bool Kept(const std::string& word) {
  if (word.empty() || word.size() > kMaxDemandWordBytes) return false;
  return std::count_if(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) <=
         kMaxDigitsInDemandWord;
}

// product → the commune of its latest listing span (the programme's own table).
Result<std::map<std::int64_t, std::string>> CommunesOf(db::Connection& c,
                                                       const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
    const std::size_t end = std::min(ids.size(), start + kIdsPerQuery);
    std::string sql = "SELECT product_id, commune_code FROM programme_listing_spans WHERE product_id IN (";
    db::Params params;
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ", ?";
      params.emplace_back(ids[i]);
    }
    TRY_ASSIGN(db::Rows rows, c.Query(sql + ") ORDER BY from_day, id", params));
    for (const auto& r : rows) out[r.Int(0)] = r.Text(1);
  }
  return out;
}

}  // namespace

std::int64_t WeekOf(std::int64_t day) {
  // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is 0 on Mondays.
  return day - ((day % 7 + 7 + 3) % 7);
}

Status AddDemandProducts(db::Connection& c, std::int64_t week, const std::string& commune,
                         const std::string& buyer_province, std::int64_t views, std::int64_t carts,
                         std::int64_t orders) {
  TRY(c.Exec(
      "INSERT INTO programme_demand_products (week, commune_code, buyer_province, views, carts, orders) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (week, commune_code, buyer_province) DO UPDATE SET "
      "views = programme_demand_products.views + excluded.views, "
      "carts = programme_demand_products.carts + excluded.carts, "
      "orders = programme_demand_products.orders + excluded.orders",
      {week, commune, buyer_province, views, carts, orders}));
  return Ok{};
}

// ---------------------------------------------------------------- recorder

DemandRecorder::DemandRecorder(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {
  thread_ = std::thread([this] { Run(); });
}

DemandRecorder::~DemandRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (Status st = Flush(); !st.ok())
    spdlog::warn("demand counts not written at shutdown: {}", st.error().detail);
}

bool DemandRecorder::Room(std::size_t keys) const {
  return words_.size() + products_.size() + keys <= kMaxBufferedDemandKeys;
}

void DemandRecorder::OnSearch(const catalog::SearchSeen& search) {
  const std::int64_t week = WeekOf(timefmt::LocalDay(clock_.NowMs()));
  std::set<std::string> words;
  for (const std::string& w : search.words) {
    if (words.size() == kMaxWordsPerSearch) break;
    if (Kept(w)) words.insert(w);
  }
  std::lock_guard lock(mu_);
  for (const std::string& w : words) {
    auto it = words_.find({week, w});
    if (it == words_.end()) {
      if (!Room(1)) {
        ++dropped_;
        continue;
      }
      it = words_.emplace(std::pair{week, w}, WordCount{}).first;
    }
    it->second.searches += 1;
    if (search.found_nothing) it->second.found_nothing += 1;
  }
}

void DemandRecorder::OnProductView(std::int64_t product_id) {
  const std::int64_t week = WeekOf(timefmt::LocalDay(clock_.NowMs()));
  std::lock_guard lock(mu_);
  auto it = products_.find({week, product_id});
  if (it == products_.end() && !Room(1)) {
    ++dropped_;
    return;
  }
  products_[{week, product_id}].views += 1;
}

void DemandRecorder::OnAddedToCart(std::int64_t product_id) {
  const std::int64_t week = WeekOf(timefmt::LocalDay(clock_.NowMs()));
  std::lock_guard lock(mu_);
  auto it = products_.find({week, product_id});
  if (it == products_.end() && !Room(1)) {
    ++dropped_;
    return;
  }
  products_[{week, product_id}].carts += 1;
}

void DemandRecorder::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, kDemandFlushInterval, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (Status st = Flush(); !st.ok()) spdlog::warn("demand counts not written: {}", st.error().detail);
    lock.lock();
  }
}

Status DemandRecorder::Flush() {
  std::lock_guard flushing(flush_mu_);
  decltype(words_) words;
  decltype(products_) products;
  std::int64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    words.swap(words_);
    products.swap(products_);
    std::swap(dropped, dropped_);
  }
  if (dropped > 0) spdlog::warn("demand: {} counts dropped (buffer full between flushes)", dropped);
  if (words.empty() && products.empty()) return Ok{};
  Status written = db_.Write([&](db::Connection& c) -> Status {
    for (const auto& [key, n] : words)
      TRY(c.Exec(kWordUpsert, {key.first, key.second, n.searches, n.found_nothing}));
    std::vector<std::int64_t> ids;
    for (const auto& [key, n] : products) ids.push_back(key.second);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    TRY_ASSIGN(auto communes, CommunesOf(c, ids));
    std::map<std::pair<std::int64_t, std::string>, ProductCount> by_commune;
    for (const auto& [key, n] : products) {
      auto it = communes.find(key.second);
      if (it == communes.end() || it->second.empty()) continue;  // never on sale: no commune to count in
      ProductCount& sum = by_commune[{key.first, it->second}];
      sum.views += n.views;
      sum.carts += n.carts;
    }
    for (const auto& [key, n] : by_commune)
      TRY(AddDemandProducts(c, key.first, key.second, "", n.views, n.carts, 0));
    return Ok{};
  });
  if (!written.ok()) {
    // Kept for the next flush rather than lost.
    std::lock_guard lock(mu_);
    for (const auto& [key, n] : words) {
      words_[key].searches += n.searches;
      words_[key].found_nothing += n.found_nothing;
    }
    for (const auto& [key, n] : products) {
      products_[key].views += n.views;
      products_[key].carts += n.carts;
    }
  }
  return written;
}

// ---------------------------------------------------------------- query

DemandService::DemandService(db::Database& db, const Clock& clock, const AreaPort& areas,
                             ProgrammeService& programmes, DemandRecorder& recorder)
    : db_(db), clock_(clock), areas_(areas), programmes_(programmes), recorder_(recorder) {}

Result<json> DemandService::Demand(const Principal* principal, std::int64_t programme_id,
                                   const DemandQuery& query) {
  TRY_ASSIGN(Programme p, programmes_.Get(principal, programme_id));
  const bool admin = programmes_.IsAdminOf(*principal, p);
  std::vector<FieldError> bad;
  const std::int64_t today = timefmt::LocalDay(clock_.NowMs());
  const auto to = query.to.empty() ? std::optional(today) : timefmt::ParseIsoDate(query.to);
  std::optional<std::int64_t> from;
  if (query.from.empty()) {
    if (to) from = *to - kDefaultDemandDays + 1;
  } else {
    from = timefmt::ParseIsoDate(query.from);
  }
  if (!query.from.empty() && !from) bad.push_back({"from", "must be a date YYYY-MM-DD"});
  if (!to) bad.push_back({"to", "must be a date YYYY-MM-DD"});
  if (from && to && *from > *to) bad.push_back({"from", "must not be after to"});
  if (from && to && *to - *from >= kMaxDemandDays) {
    bad.push_back({"to", "at most " + std::to_string(kMaxDemandDays) + " days after from"});
  }
  const bool whole = query.unit.empty() || query.unit == p.province_code;
  if (!whole && !(areas_.IsCommune(query.unit) && areas_.ProvinceOf(query.unit) == p.province_code)) {
    bad.push_back({"unit", "not the programme's province or one of its communes"});
  }
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  // The communes counted: one, the province's, or an officer's own.
  std::set<std::string> communes;
  if (!whole) {
    if (!admin && !quality::CoversCommune(*principal, areas_, query.unit)) {
      return Error::Forbidden("This commune is outside your area.");
    }
    communes.insert(query.unit);
  } else {
    for (const UnitRef& c : areas_.Communes(p.province_code)) {
      if (admin || quality::CoversCommune(*principal, areas_, c.code)) communes.insert(c.code);
    }
  }
  TRY(recorder_.Flush());
  // Orders by the buyer's province come through the orders journal.
  TRY(FoldOrderJournal(db_));
  const std::int64_t first_week = WeekOf(*from);
  const std::int64_t last_week = WeekOf(*to);
  TRY_ASSIGN(auto word_rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT week, word, searches, found_nothing FROM programme_demand_words WHERE week >= ? AND "
        "week <= ? AND searches >= ? ORDER BY week, searches DESC, word",
        {first_week, last_week, kMinReportedCount});
  }));
  TRY_ASSIGN(auto product_rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT week, commune_code, buyer_province, views, carts, orders FROM programme_demand_products "
        "WHERE week >= ? AND week <= ?",
        {first_week, last_week});
  }));

  struct Week {
    std::vector<std::pair<std::int64_t, std::string>> searched, nothing;  // (count, word)
    std::int64_t views = 0, carts = 0, orders = 0;
  };
  std::map<std::int64_t, Week> weeks;
  for (std::int64_t w = first_week; w <= last_week; w += 7) weeks[w];
  for (const auto& r : word_rows) {
    Week& w = weeks[r.Int(0)];
    w.searched.push_back({r.Int(2), r.Text(1)});
    if (r.Int(3) >= kMinReportedCount) w.nothing.push_back({r.Int(3), r.Text(1)});
  }
  std::map<std::string, std::int64_t> by_province;
  std::int64_t views = 0, carts = 0, orders = 0;
  for (const auto& r : product_rows) {
    if (!communes.count(r.Text(1))) continue;
    Week& w = weeks[r.Int(0)];
    w.views += r.Int(3);
    w.carts += r.Int(4);
    w.orders += r.Int(5);
    views += r.Int(3);
    carts += r.Int(4);
    orders += r.Int(5);
    if (r.Int(5) != 0) by_province[r.Text(2)] += r.Int(5);
  }
  auto top = [](std::vector<std::pair<std::int64_t, std::string>> list) {
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    json out = json::array();
    for (std::size_t i = 0; i < list.size() && i < kTopDemandWords; ++i) {
      out.push_back({{"word", list[i].second}, {"searches", list[i].first}});
    }
    return out;
  };
  json week_list = json::array();
  for (auto& [start, w] : weeks) {
    week_list.push_back({{"week_start", timefmt::IsoDate(start)},
                         {"top_words", top(std::move(w.searched))},
                         {"found_nothing", top(std::move(w.nothing))},
                         {"views", w.views},
                         {"carts", w.carts},
                         {"orders", w.orders}});
  }
  // Provinces that sent fewer than kMinReportedCount orders are summed into one line.
  json provinces = json::array();
  std::int64_t few = 0;
  std::vector<std::pair<std::int64_t, std::string>> sorted;
  for (const auto& [code, n] : by_province) sorted.push_back({n, code});
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [n, code] : sorted) {
    if (n < kMinReportedCount || code.empty()) {
      few += n;
      continue;
    }
    provinces.push_back({{"province_code", code}, {"province_name", areas_.UnitName(code)}, {"orders", n}});
  }
  if (few > 0)
    provinces.push_back({{"province_code", nullptr}, {"province_name", "Các tỉnh khác"}, {"orders", few}});
  return json{{"programme_id", p.id},
              {"from", timefmt::IsoDate(*from)},
              {"to", timefmt::IsoDate(*to)},
              {"unit", whole ? json(p.province_code) : json(query.unit)},
              {"min_reported_count", kMinReportedCount},
              {"totals", {{"views", views}, {"carts", carts}, {"orders", orders}}},
              {"orders_by_buyer_province", std::move(provinces)},
              {"weeks", std::move(week_list)}};
}

}  // namespace nongsan::programme
