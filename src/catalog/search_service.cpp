#include "catalog/search_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "catalog/categories.hpp"
#include "catalog/product_store.hpp"
#include "core/field_errors.hpp"
#include "core/text.hpp"
#include "places/places.hpp"

namespace nongsan::catalog {
namespace {

// After a full build, changes this far below the newest sequence number are
// applied again: a transaction may have taken its number before the build
// read the maximum and committed after (PostgreSQL), and applying a change
// twice is harmless.
constexpr std::int64_t kRebuildOverlap = 1000;
constexpr std::size_t kMaxSuggestedCategories = 5;

constexpr const char* kIndexColumns =
    "id, seller_id, name, description, category_code, origin_province, origin_commune, price_vnd, "
    "created_at, "
    "stock, cover_photo, status, seller_visible, deleted_at";

// The words of each category that search should also find its products by:
// the top-level category's names in both languages.
const std::unordered_map<std::string, std::string>& CategoryText() {
  static const auto text = [] {
    std::unordered_map<std::string, std::string> out;
    for (const Category& c : AllCategories()) {
      const Category* top = c.parent_code.empty() ? &c : FindCategory(c.parent_code);
      out.emplace(c.code, top->name_vi + " " + top->name_en);
    }
    return out;
  }();
  return text;
}

struct IndexRow {
  IndexedProduct product;
  bool searchable = false;
};

IndexRow ToIndexRow(const db::Row& r, const places::PlaceService& places) {
  IndexRow out;
  IndexedProduct& p = out.product;
  p.id = r.Int(0);
  p.seller_id = r.Int(1);
  p.name = r.Text(2);
  const std::string description = r.Text(3);
  p.category_code = r.Text(4);
  p.province_code = r.Text(5);
  p.commune_code = r.Text(6);
  p.price_vnd = r.Int(7);
  p.created_at = r.Int(8);
  const bool in_stock = r.Int(9) > 0;
  const bool has_photo = !r.Text(10).empty();
  p.rank = (has_photo ? 4 : 0) + (in_stock ? 2 : 0) + (description.size() >= kWellDescribedChars ? 1 : 0);
  // The commune and category come first so a long description cannot push
  // them past the indexed length.
  if (!p.commune_code.empty()) {
    if (auto unit = places.Get(p.commune_code)) p.other_text = unit->short_name + " ";
  }
  if (auto it = CategoryText().find(p.category_code); it != CategoryText().end())
    p.other_text += it->second + " ";
  p.other_text += description;
  out.searchable = r.Text(11) == "active" && r.Int(12) != 0 && r.IsNull(13);
  return out;
}

Result<std::int64_t> ParseInteger(const std::string& field, const std::string& value, std::int64_t min,
                                  std::int64_t max) {
  std::int64_t out = 0;
  const char* begin = value.data();
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return Error::Field(field, "must be a whole number");
  }
  if (out < min || out > max) {
    return Error::Field(field, "must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return out;
}

std::optional<SortOrder> ParseSort(std::string_view s) {
  if (s == "relevance") return SortOrder::kRelevance;
  if (s == "price_asc") return SortOrder::kPriceAsc;
  if (s == "price_desc") return SortOrder::kPriceDesc;
  if (s == "newest") return SortOrder::kNewest;
  return std::nullopt;
}

char SortLetter(SortOrder s) {
  switch (s) {
    case SortOrder::kRelevance:
      return 'r';
    case SortOrder::kPriceAsc:
      return 'a';
    case SortOrder::kPriceDesc:
      return 'd';
    case SortOrder::kNewest:
      return 'n';
  }
  return 'r';
}

Status CheckQueryText(const std::string& q) {
  if (!text::IsValidUtf8(q)) return Error::Field("q", "is not valid UTF-8");
  if (text::CodePointCount(q) > kMaxQueryChars) {
    return Error::Field("q", "must be at most " + std::to_string(kMaxQueryChars) + " characters");
  }
  return Ok{};
}

}  // namespace

const char* SortName(SortOrder sort) {
  switch (sort) {
    case SortOrder::kRelevance:
      return "relevance";
    case SortOrder::kPriceAsc:
      return "price_asc";
    case SortOrder::kPriceDesc:
      return "price_desc";
    case SortOrder::kNewest:
      return "newest";
  }
  return "relevance";
}

std::string EncodeCursor(const SearchCursor& c) {
  return std::string(1, SortLetter(c.sort)) + "." + std::to_string(c.k1) + "." + std::to_string(c.k2) + "." +
         std::to_string(c.k3);
}

std::optional<SearchCursor> DecodeCursor(std::string_view text) {
  if (text.size() < 2 || text[1] != '.') return std::nullopt;
  SearchCursor c;
  switch (text[0]) {
    case 'r':
      c.sort = SortOrder::kRelevance;
      break;
    case 'a':
      c.sort = SortOrder::kPriceAsc;
      break;
    case 'd':
      c.sort = SortOrder::kPriceDesc;
      break;
    case 'n':
      c.sort = SortOrder::kNewest;
      break;
    default:
      return std::nullopt;
  }
  std::int64_t* parts[] = {&c.k1, &c.k2, &c.k3};
  std::string_view rest = text.substr(2);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::size_t dot = rest.find('.');
    if ((i < 2) != (dot != std::string_view::npos)) return std::nullopt;
    const std::string_view part = rest.substr(0, dot);
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), *parts[i]);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size()) return std::nullopt;
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return c;
}

SearchService::SearchService(db::Database& db, const places::PlaceService& places)
    : db_(db), places_(places) {}

SearchService::~SearchService() { Stop(); }

Status SearchService::Start(bool poll) {
  TRY(Rebuild());
  if (poll && !poller_.joinable()) {
    {
      std::lock_guard lock(poll_mutex_);
      stopping_ = false;
    }
    poller_ = std::thread([this] { PollLoop(); });
  }
  return Ok{};
}

void SearchService::Stop() {
  {
    std::lock_guard lock(poll_mutex_);
    stopping_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void SearchService::PollLoop() {
  std::unique_lock lock(poll_mutex_);
  while (!stopping_) {
    poll_cv_.wait_for(lock, kPollInterval, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (Status st = CatchUp(); !st.ok()) spdlog::warn("search index catch-up failed: {}", st.error().detail);
    lock.lock();
  }
}

Status SearchService::Rebuild() {
  std::lock_guard lock(catch_up_mutex_);
  TRY_ASSIGN(std::int64_t newest, db_.Read([](db::Connection& c) {
    return c.QueryInt("SELECT COALESCE(MAX(seq), 0) FROM catalog_changes");
  }));
  std::int64_t after_id = 0;
  std::size_t loaded = 0;
  while (true) {
    std::vector<IndexedProduct> batch;
    TRY(db_.ReadWith([&](db::Connection& c) -> Status {
      TRY_ASSIGN(db::Rows rows,
                 c.Query(std::string("SELECT ") + kIndexColumns +
                             " FROM catalog_products WHERE id > ? AND status = 'active' "
                             "AND seller_visible = 1 AND deleted_at IS NULL ORDER BY id LIMIT ?",
                         {after_id, std::int64_t{kIndexLoadBatch}}));
      for (const auto& r : rows) batch.push_back(ToIndexRow(r, places_).product);
      return Ok{};
    }));
    if (batch.empty()) break;
    after_id = batch.back().id;
    loaded += batch.size();
    index_.Apply(batch, {});
  }
  watermark_ = std::max<std::int64_t>(0, newest - kRebuildOverlap);
  applied_above_.clear();
  gaps_.clear();
  started_ = true;
  spdlog::info("search index built: {} products, {} words, ~{} MB", loaded, index_.term_count(),
               index_.MemoryBytes() >> 20);
  return Ok{};
}

Status SearchService::ApplyChanges(const std::vector<std::int64_t>& product_ids,
                                   const std::vector<std::int64_t>& seller_ids) {
  std::vector<IndexedProduct> upserts;
  std::vector<std::int64_t> removals;
  auto take = [&](const db::Rows& rows) {
    for (const auto& r : rows) {
      IndexRow row = ToIndexRow(r, places_);
      if (row.searchable) {
        upserts.push_back(std::move(row.product));
      } else {
        removals.push_back(row.product.id);
      }
    }
  };
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    constexpr std::size_t kIdsPerQuery = 500;
    for (std::size_t start = 0; start < product_ids.size(); start += kIdsPerQuery) {
      const std::size_t end = std::min(product_ids.size(), start + kIdsPerQuery);
      std::string sql = std::string("SELECT ") + kIndexColumns + " FROM catalog_products WHERE id IN (";
      db::Params params;
      for (std::size_t i = start; i < end; ++i) {
        sql += i == start ? "?" : ", ?";
        params.emplace_back(product_ids[i]);
      }
      TRY_ASSIGN(db::Rows rows, c.Query(sql + ")", params));
      take(rows);
    }
    for (std::int64_t seller_id : seller_ids) {
      TRY_ASSIGN(db::Rows rows, c.Query(std::string("SELECT ") + kIndexColumns +
                                            " FROM catalog_products WHERE seller_id = ?",
                                        {seller_id}));
      take(rows);
    }
    return Ok{};
  }));
  index_.Apply(upserts, removals);
  index_.MaybeCompact();
  return Ok{};
}

Status SearchService::CatchUp() {
  std::lock_guard lock(catch_up_mutex_);
  if (!started_) return Ok{};
  while (true) {
    TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
      return c.Query(
          "SELECT seq, product_id, seller_id FROM catalog_changes WHERE seq > ? "
          "ORDER BY seq LIMIT ?",
          {watermark_, std::int64_t{kIndexLoadBatch}});
    }));
    if (rows.empty()) break;
    std::vector<std::int64_t> product_ids;
    std::vector<std::int64_t> seller_ids;
    std::vector<std::int64_t> seqs;
    for (const auto& r : rows) {
      const std::int64_t seq = r.Int(0);
      if (applied_above_.count(seq)) continue;
      seqs.push_back(seq);
      if (!r.IsNull(1)) product_ids.push_back(r.Int(1));
      if (!r.IsNull(2)) seller_ids.push_back(r.Int(2));
    }
    std::sort(product_ids.begin(), product_ids.end());
    product_ids.erase(std::unique(product_ids.begin(), product_ids.end()), product_ids.end());
    std::sort(seller_ids.begin(), seller_ids.end());
    seller_ids.erase(std::unique(seller_ids.begin(), seller_ids.end()), seller_ids.end());
    TRY(ApplyChanges(product_ids, seller_ids));

    // Advance the watermark over everything applied; a missing number is a
    // transaction still in flight (wait for it) or rolled back (give up on
    // it after kChangeGapTimeout).
    applied_above_.insert(seqs.begin(), seqs.end());
    const auto now = std::chrono::steady_clock::now();
    const std::int64_t newest = rows[rows.size() - 1].Int(0);
    for (std::int64_t next = watermark_ + 1; next <= newest; ++next) {
      if (applied_above_.erase(next)) {
        watermark_ = next;
        continue;
      }
      auto [gap, inserted] = gaps_.emplace(next, now);
      if (!inserted && now - gap->second > kChangeGapTimeout) {
        gaps_.erase(gap);
        watermark_ = next;
        continue;
      }
      break;
    }
    for (auto it = gaps_.begin(); it != gaps_.end() && it->first <= watermark_;) it = gaps_.erase(it);
    if (static_cast<int>(rows.size()) < kIndexLoadBatch || watermark_ < newest) break;
  }
  return Ok{};
}

Result<SearchRequest> SearchService::ParseSearchParams(const SearchParams& params) const {
  SearchRequest r;
  std::vector<FieldError> errors;
  auto note = [&](const Error& e) {
    for (const auto& f : e.fields) errors.push_back(f);
  };
  if (params.q) {
    if (Status st = CheckQueryText(*params.q); !st.ok()) {
      note(st.error());
    } else {
      r.text = *params.q;
    }
  }
  if (params.category && !params.category->empty()) {
    if (FindCategory(*params.category)) {
      r.category_code = *params.category;
    } else {
      errors.push_back({"category", "unknown category code; see GET /api/v1/categories"});
    }
  }
  if (params.province && !params.province->empty()) {
    if (places_.IsProvince(*params.province)) {
      r.province_code = *params.province;
    } else {
      errors.push_back({"province", "unknown province code; see GET /api/v1/admin-units"});
    }
  }
  if (params.commune && !params.commune->empty()) {
    if (places_.IsCommune(*params.commune)) {
      r.commune_code = *params.commune;
    } else {
      errors.push_back({"commune", "unknown commune code; see GET /api/v1/admin-units?parent=PROVINCE"});
    }
  }
  if (params.seller && !params.seller->empty()) {
    auto id = ParseInteger("seller", *params.seller, 1, std::numeric_limits<std::int64_t>::max());
    if (id.ok())
      r.seller_id = *id;
    else
      note(id.error());
  }
  if (params.price_min && !params.price_min->empty()) {
    auto v = ParseInteger("price_min", *params.price_min, 0, kMaxPriceVnd);
    if (v.ok())
      r.price_min = *v;
    else
      note(v.error());
  }
  if (params.price_max && !params.price_max->empty()) {
    auto v = ParseInteger("price_max", *params.price_max, 0, kMaxPriceVnd);
    if (v.ok())
      r.price_max = *v;
    else
      note(v.error());
  }
  if (r.price_min && r.price_max && *r.price_min > *r.price_max) {
    errors.push_back({"price_min", "must not be above price_max"});
  }
  if (params.sort && !params.sort->empty()) {
    if (auto sort = ParseSort(*params.sort)) {
      r.sort = *sort;
    } else {
      errors.push_back({"sort", "must be relevance, price_asc, price_desc or newest"});
    }
  }
  r.limit = kDefaultSearchLimit;
  if (params.limit && !params.limit->empty()) {
    auto v = ParseInteger("limit", *params.limit, 1, static_cast<std::int64_t>(kMaxSearchLimit));
    if (v.ok())
      r.limit = static_cast<std::size_t>(*v);
    else
      note(v.error());
  }
  CertificationSource* source = certifications_.load();
  if (source) {
    TRY_ASSIGN(r.certifications, source->Coverage());
  }
  if (params.ocop_min && !params.ocop_min->empty()) {
    auto v = ParseInteger("ocop_min", *params.ocop_min, kMinOcopStarsFilter, kMaxOcopStarsFilter);
    if (!v.ok()) {
      note(v.error());
    } else if (!r.certifications) {
      errors.push_back({"ocop_min", "certificates are not available on this server"});
    } else {
      r.ocop_min = static_cast<int>(*v);
    }
  }
  if (params.certified && !params.certified->empty()) {
    std::optional<std::size_t> bit;
    if (r.certifications) bit = r.certifications->KindBit(*params.certified);
    if (bit) {
      r.certified_kind = *bit;
    } else {
      std::string kinds;
      if (r.certifications) {
        for (const auto& k : r.certifications->kinds) kinds += (kinds.empty() ? "" : ", ") + k;
      }
      errors.push_back({"certified", kinds.empty() ? "certificates are not available on this server"
                                                   : "must be one of " + kinds});
    }
  }
  if (params.cursor && !params.cursor->empty()) {
    auto cursor = DecodeCursor(*params.cursor);
    if (!cursor) {
      errors.push_back({"cursor", "is not a cursor this API returned"});
    } else if (cursor->sort != r.sort) {
      errors.push_back({"cursor", "belongs to another sort order"});
    } else {
      r.after = cursor;
    }
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return r;
}

Result<SearchPage> SearchService::Search(const SearchRequest& request) {
  SearchPage page;
  CertificationSource* source = certifications_.load();
  if (!request.certifications && source) {
    SearchRequest with = request;
    TRY_ASSIGN(with.certifications, source->Coverage());
    page.certifications = with.certifications;
    page.response = index_.Search(with);
  } else {
    page.certifications = request.certifications;
    page.response = index_.Search(request);
  }
  NoteSearch(request, page.response.hits.empty());
  std::vector<std::int64_t> ids;
  ids.reserve(page.response.hits.size());
  for (const auto& hit : page.response.hits) ids.push_back(hit.product_id);
  if (ids.empty()) return page;
  TRY_ASSIGN(std::vector<Product> loaded,
             db_.Read([&](db::Connection& c) { return store::LoadMany(c, ids); }));
  std::unordered_map<std::int64_t, std::size_t> position;
  for (std::size_t i = 0; i < loaded.size(); ++i) position.emplace(loaded[i].id, i);
  for (std::int64_t id : ids) {
    auto it = position.find(id);
    // A product changed since the index saw it is left out rather than shown
    // in a state the public may not see.
    if (it == position.end() || !loaded[it->second].IsPublic()) continue;
    page.products.push_back(std::move(loaded[it->second]));
  }
  return page;
}

void SearchService::NoteSearch(const SearchRequest& request, bool found_nothing) const {
  // A search typed by someone: first pages only (later pages are the same search).
  if (request.text.empty() || request.after || request.suggest) return;
  if (DemandObserver* demand = demand_.load())
    demand->OnSearch({text::FoldedWords(request.text), found_nothing});
}

Result<Suggestions> SearchService::Suggest(std::string_view q) {
  const std::string text(q);
  TRY(CheckQueryText(text));
  Suggestions out;
  const ParsedQuery parsed = ParseQueryText(text);
  if (parsed.words.empty()) return out;
  for (const Category& c : AllCategories()) {
    const auto words = text::FoldedWords(c.name_vi + " " + c.name_en);
    const bool all = std::all_of(parsed.words.begin(), parsed.words.end(), [&](const std::string& w) {
      return std::any_of(words.begin(), words.end(),
                         [&](const std::string& cw) { return cw.starts_with(w); });
    });
    if (all) out.category_codes.push_back(c.code);
    if (out.category_codes.size() == kMaxSuggestedCategories) break;
  }
  SearchRequest request;
  request.text = text;
  request.limit = kSuggestLimit;
  request.suggest = true;  // a lone first letter already suggests products
  TRY_ASSIGN(SearchPage page, Search(request));
  out.products = std::move(page.products);
  return out;
}

}  // namespace nongsan::catalog
