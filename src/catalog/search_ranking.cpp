// Answering a query: the response cache, the posting lists each query word
// walks, finding the matches (a merge of one word's two lists, or bitmaps per
// class of match), scoring, filters, facets and the page.
#include <algorithm>
#include <array>
#include <limits>
#include <mutex>
#include <queue>

#include "catalog/search_index.hpp"
#include "catalog/search_internal.hpp"

namespace nongsan::catalog {

using search_detail::kCatchAllCertKind;
using search_detail::kCertKindBits;
using search_detail::kCertKindMask;
using search_detail::kExact;
using search_detail::kLeadWordScore;
using search_detail::kLiveBit;
using search_detail::kNameScore;
using search_detail::kNoMatch;
using search_detail::kNoProvince;
using search_detail::kNoSeller;
using search_detail::kNoSlot;
using search_detail::kOtherScore;
using search_detail::kPrefetchSlots;
using search_detail::kPrefetchWords;
using search_detail::kPrefix;
using search_detail::kRankMask;

namespace {

// Per-query bitmaps, reused across queries on the same thread; `spare` is
// zero between uses (SetSlots).
struct Scratch {
  std::vector<std::uint64_t> bits;
  std::vector<std::uint64_t> spare;
  void Prepare(std::size_t words, std::size_t width) {
    if (bits.size() < words) bits.resize(words);
    if (spare.size() < width) spare.resize(width, 0);
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Sets the slots of an ascending, non-empty list in `bits`. In a list with
// at least one slot per bitmap word of its range, consecutive slots often
// share a bitmap word: each would wait for the previous one's store. Such a
// list gathers each word's slots in a register and stores them, without
// reading, into `spare` (zero on entry, zero again on return), then ORs
// that range into `bits`.
void SetSlots(const std::vector<std::uint32_t>& list, std::uint64_t* bits, std::uint64_t* spare) {
  const std::size_t first = list.front() >> 6;
  const std::size_t last = list.back() >> 6;
  if (list.size() < last - first + 1) {
    for (const std::uint32_t slot : list) bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    return;
  }
  std::size_t word = first;
  std::uint64_t gathered = 0;
  for (const std::uint32_t slot : list) {
    const std::size_t w = slot >> 6;
    gathered &= -static_cast<std::uint64_t>(w == word);  // a new word starts empty
    gathered |= std::uint64_t{1} << (slot & 63);
    word = w;
    spare[w] = gathered;
  }
  for (std::size_t w = first; w <= last; ++w) {
    bits[w] |= spare[w];
    spare[w] = 0;
  }
}

}  // namespace

// A match's place in the order, compared lexicographically, smaller first.
struct SearchIndex::Key {
  std::int64_t k1, k2, k3;
  bool operator<(const Key& o) const {
    if (k1 != o.k1) return k1 < o.k1;
    if (k2 != o.k2) return k2 < o.k2;
    return k3 < o.k3;
  }
};

// The best matches so far, the worst of them on top.
struct SearchIndex::Page : std::priority_queue<std::pair<Key, std::uint32_t>> {};

// Facet counters per lane: a match counts in the lane its slot hashes to
// (a multiplicative hash, so that matches at a regular stride spread too),
// so that consecutive matches of the same category and province (a broad
// query's usual case) do not each wait for the previous one's increment.
constexpr unsigned kTallyLaneBits = 2;
constexpr std::size_t kTallyLanes = 1u << kTallyLaneBits;
constexpr std::uint32_t kLaneHash = 2654435761u;  // 2^32 / golden ratio
inline std::size_t LaneOf(std::uint32_t slot) { return (slot * kLaneHash) >> (32 - kTallyLaneBits); }

// The facet counts of one search, and the matches under every filter.
struct SearchIndex::Tally {
  std::vector<std::uint32_t> categories;            // by category, kTallyLanes each
  std::vector<std::uint32_t> provinces;             // by province, kTallyLanes each
  std::array<std::uint32_t, kTallyLanes> passed{};  // matches under every filter (CountFiltered)
  std::array<std::uint32_t, kCertKindBits> kinds{};
  std::array<std::uint32_t, 16> stars{};  // by best OCOP rating

  Tally(std::size_t category_count, std::size_t province_count)
      : categories(category_count * kTallyLanes, 0), provinces(province_count * kTallyLanes, 0) {}
  // A match under no place or certification filter: it counts everywhere.
  __attribute__((always_inline)) void Count(std::uint32_t slot, std::uint16_t category, std::uint8_t province,
                                            std::uint16_t cert) {
    const std::size_t lane = LaneOf(slot);
    ++categories[category * kTallyLanes + lane];
    if (province * kTallyLanes < provinces.size()) ++provinces[province * kTallyLanes + lane];
    if (cert != 0) CountCertificates(cert);
  }
  // Each facet counts the matches under every filter except its own.
  __attribute__((always_inline)) void CountFiltered(std::uint32_t slot, std::uint16_t category,
                                                    std::uint8_t province, std::uint16_t cert,
                                                    bool category_ok, bool place_ok, bool cert_ok) {
    const std::size_t lane = LaneOf(slot);
    if (place_ok && cert_ok) ++categories[category * kTallyLanes + lane];
    if (category_ok && cert_ok && province * kTallyLanes < provinces.size())
      ++provinces[province * kTallyLanes + lane];
    if (cert != 0 && category_ok && place_ok) CountCertificates(cert);
    passed[lane] += category_ok && place_ok && cert_ok;
  }
  __attribute__((always_inline)) void CountCertificates(std::uint16_t cert) {
    for (unsigned bit = 0; bit < kCertKindBits; ++bit) kinds[bit] += (cert >> bit) & 1u;
    ++stars[cert >> kCertKindBits];
  }
  // The lanes added up.
  static std::vector<std::uint32_t> Sum(const std::vector<std::uint32_t>& lanes) {
    std::vector<std::uint32_t> out(lanes.size() / kTallyLanes, 0);
    for (std::size_t i = 0; i < lanes.size(); ++i) out[i / kTallyLanes] += lanes[i];
    return out;
  }
};

SearchResponse SearchIndex::Search(const SearchRequest& request, Cache cache) const {
  const ParsedQuery parsed = ParseQueryText(request.text);
  if (cache == Cache::kBypass) {
    std::shared_lock lock(mutex_);
    return SearchLocked(request, parsed);
  }
  // Everything that decides the answer, in a compact form.
  std::string key =
      std::to_string(static_cast<int>(request.sort)) + '|' + std::to_string(request.limit) + '|' +
      request.category_code + '|' + request.province_code + '|' + request.commune_code + '|' +
      (request.seller_id ? std::to_string(*request.seller_id) : "") + '|' +
      (request.price_min ? std::to_string(*request.price_min) : "") + '|' +
      (request.price_max ? std::to_string(*request.price_max) : "") + '|' +
      (request.after ? std::to_string(request.after->k1) + ',' + std::to_string(request.after->k2) + ',' +
                           std::to_string(request.after->k3)
                     : "") +
      '|' + (parsed.last_is_prefix ? "p" : "w") + (request.suggest ? "s" : "") + '|' +
      (request.certifications ? std::to_string(request.certifications->version) : "-") + ',' +
      (request.certified_kind ? std::to_string(*request.certified_kind) : "") + ',' +
      (request.ocop_min ? std::to_string(*request.ocop_min) : "");
  for (const auto& w : parsed.words) key += '|' + w;

  std::shared_lock lock(mutex_);
  {
    std::lock_guard cache_lock(cache_mutex_);
    auto hit = cache_index_.find(key);
    if (hit != cache_index_.end()) {
      if (hit->second->second.generation == generation_) {
        cache_.splice(cache_.begin(), cache_, hit->second);
        return hit->second->second.response;
      }
      cache_.erase(hit->second);
      cache_index_.erase(hit);
    }
  }
  SearchResponse response = SearchLocked(request, parsed);
  std::lock_guard cache_lock(cache_mutex_);
  if (cache_index_.count(key) == 0) {
    cache_.emplace_front(key, CachedResponse{generation_, response});
    cache_index_.emplace(std::move(key), cache_.begin());
    if (cache_.size() > kSearchCacheEntries) {
      cache_index_.erase(cache_.back().first);
      cache_.pop_back();
    }
  }
  return response;
}

std::shared_ptr<const SearchIndex::CertSlots> SearchIndex::CertSlotsFor(
    const std::shared_ptr<const CertificationCoverage>& coverage) const {
  std::lock_guard lock(cert_mutex_);
  if (cert_slots_ && cert_slots_->generation == generation_ && cert_slots_->coverage == coverage)
    return cert_slots_;
  auto slots = std::make_shared<CertSlots>();
  slots->generation = generation_;
  slots->coverage = coverage;
  slots->by_slot.assign(columns_.size(), 0);
  for (const auto& [product_id, entry] : coverage->by_product) {
    if (product_id < 0 || static_cast<std::uint64_t>(product_id) >= slot_of_product_.size()) continue;
    const std::uint32_t slot = slot_of_product_[static_cast<std::size_t>(product_id)];
    if (slot == kNoSlot) continue;
    slots->by_slot[slot] = static_cast<std::uint16_t>(
        (entry.kinds & kCertKindMask) | (std::min<unsigned>(entry.ocop_stars, 15) << kCertKindBits));
  }
  cert_slots_ = slots;
  return slots;
}

// A posting list one query word walks, and what a match in it scores.
struct SearchIndex::Walk {
  const std::vector<std::uint32_t>*
      list;  // null: a bitmap only (bits), or the certified products (cert_kinds)
  const std::vector<std::uint64_t>* bits;  // the list as a bitmap, if dense
  std::uint8_t points;
  std::uint16_t cert_kinds = 0;
};

struct SearchIndex::Plan {
  std::vector<std::vector<Walk>> walks;  // by query word
  std::vector<std::size_t> spellings;    // by query word: the words and certificate kinds it matches
  std::vector<std::size_t> cost;         // by query word: the postings it walks
  // The lead lists of the first word's spellings: a match whose name begins
  // with one of them scores kLeadWordScore more.
  std::vector<Walk> leads;
};

// Each query word walks posting lists: the name and other-text lists of every
// spelling it matches (a word being typed: of every completion).
SearchIndex::Plan SearchIndex::PlanWalks(const SearchRequest& request, const ParsedQuery& parsed,
                                         bool certifications) const {
  Plan plan;
  const std::size_t words = parsed.words.size();
  plan.walks.resize(words);
  plan.spellings.resize(words);
  plan.cost.resize(words);
  const std::size_t min_prefix = words > 1         ? kMinPrefixLengthAfterWords
                                 : request.suggest ? kMinSuggestPrefixLength
                                                   : kMinPrefixLength;
  for (std::size_t i = 0; i < words; ++i) {
    const std::string& word = parsed.words[i];
    const bool prefix = parsed.last_is_prefix && i + 1 == words && word.size() >= min_prefix;
    // A lone letter (suggestions only) walks names: nearly every
    // description has a word beginning with any letter.
    const bool names_only = prefix && words == 1 && word.size() < kMinPrefixLength;
    const std::vector<Expansion> expansions = Expand(word, prefix);
    std::vector<Walk>& walks = plan.walks[i];
    plan.spellings[i] = expansions.size();
    // A one-letter prefix walks the union of its completions' lists, kept
    // by first letter (all of them: none was left out as past the guard).
    const unsigned char initial = static_cast<unsigned char>(word.front());
    const bool by_initial = prefix && word.size() == 1 && expansions.size() < kMaxPrefixExpansions;
    if (by_initial) {
      walks.push_back({nullptr, &initial_name_bits_[initial], kNameScore[kPrefix]});
      if (!names_only) walks.push_back({nullptr, &initial_other_bits_[initial], kOtherScore[kPrefix]});
    }
    for (const Expansion& e : expansions) {
      plan.cost[i] += name_postings_[e.term].size() + (names_only ? 0 : other_postings_[e.term].size());
      if (i == 0 && !lead_postings_[e.term].empty()) {
        plan.leads.push_back({&lead_postings_[e.term],
                              lead_bits_[e.term].empty() ? nullptr : &lead_bits_[e.term], kLeadWordScore});
      }
      if (by_initial) continue;
      // The word being typed may be unfinished ("ga" on the way to "gạo"):
      // where it is a whole word, that is one completion among the others.
      const std::uint8_t quality = prefix && e.quality == kExact ? std::uint8_t{kPrefix} : e.quality;
      walks.push_back({&name_postings_[e.term], name_bits_[e.term].empty() ? nullptr : &name_bits_[e.term],
                       kNameScore[quality]});
      if (!names_only) {
        walks.push_back({&other_postings_[e.term],
                         other_bits_[e.term].empty() ? nullptr : &other_bits_[e.term], kOtherScore[quality]});
      }
    }
    // A certification word ("ocop", "vietgap") also matches the products
    // holding a certificate of that kind valid today, as strongly as a name.
    if (certifications) {
      std::uint16_t kinds = 0;
      const auto& names = request.certifications->kinds;
      for (std::size_t k = 0; k < names.size() && k < kCertKindBits; ++k) {
        if (names[k] == kCatchAllCertKind) continue;
        if (names[k] == word || (prefix && names[k].starts_with(word))) kinds |= std::uint16_t(1u << k);
      }
      if (kinds != 0) {
        walks.push_back({nullptr, nullptr, kNameScore[prefix ? kPrefix : kExact], kinds});
        ++plan.spellings[i];
        plan.cost[i] += request.certifications->by_product.size();
      }
    }
  }
  return plan;
}

// One word, one spelling: its name and other lists hold disjoint products,
// so merging them newest first is the answer; no bitmaps. The word's lead
// list is a part of its name list, walked alongside.
template <class Consider>
__attribute__((always_inline)) inline void SearchIndex::MergeNewestFirst(const Plan& plan,
                                                                         const std::uint16_t* cert,
                                                                         Consider& consider) const {
  static const std::vector<std::uint32_t> kNone;
  const std::vector<Walk>& walks = plan.walks[0];
  const auto& a = *walks[0].list;
  const auto& b = walks.size() > 1 ? *walks[1].list : kNone;
  const auto& leads = plan.leads.empty() ? kNone : *plan.leads[0].list;
  const std::uint8_t a_points = walks[0].points;
  const std::uint8_t b_points = walks.size() > 1 ? walks[1].points : 0;
  const Hot* hot = columns_.hot.data();
  std::size_t i = a.size();
  std::size_t j = b.size();
  std::size_t k = leads.size();
  while (i > 0 || j > 0) {
    if (i > kPrefetchSlots) {
      __builtin_prefetch(hot + a[i - kPrefetchSlots]);
      if (cert != nullptr) __builtin_prefetch(cert + a[i - kPrefetchSlots]);
    }
    if (j > kPrefetchSlots) {
      __builtin_prefetch(hot + b[j - kPrefetchSlots]);
      if (cert != nullptr) __builtin_prefetch(cert + b[j - kPrefetchSlots]);
    }
    if (j == 0 || (i > 0 && a[i - 1] > b[j - 1])) {
      const std::uint32_t slot = a[--i];
      while (k > 0 && leads[k - 1] > slot) --k;
      consider(slot, a_points + (k > 0 && leads[k - 1] == slot ? kLeadWordScore : 0));
    } else {
      consider(b[--j], b_points);  // other text only: the name holds no spelling of the word
    }
  }
}

// Bitmaps: each query word's matches by how they matched (a class: name
// exact, prefix, typo; other text exact, typo), then one pass over the slots
// that ANDs the words' unions and one pass over the matches, newest first,
// that scores each from its classes and the lead lists. A dense list is ORed
// in a word at a time; a short one sets its bits.
template <class Consider>
__attribute__((always_inline)) inline void SearchIndex::ScanBitmaps(const Plan& plan,
                                                                    const std::uint16_t* cert,
                                                                    Consider& consider) const {
  Scratch& scratch = ThreadScratch();
  const std::size_t width = (columns_.size() + 63) / 64;
  const std::size_t words = plan.walks.size();
  struct Class {
    std::uint64_t* bits = nullptr;
    std::size_t lo = 0, hi = 0;  // words [lo, hi) may be non-zero
    std::uint8_t points = 0;
  };
  // The bitmap words a walk may set: its list's range, a bitmap's length,
  // or every slot (certificates).
  auto widen = [width](Class& c, const Walk& walk) {
    c.lo = walk.list ? std::min<std::size_t>(c.lo, walk.list->front() >> 6) : 0;
    c.hi = walk.list   ? std::max<std::size_t>(c.hi, (walk.list->back() >> 6) + 1)
           : walk.bits ? std::max(c.hi, std::min(walk.bits->size(), width))
                       : width;
  };
  auto empty = [](const Walk& walk) {
    return walk.list ? walk.list->empty() : walk.bits != nullptr && walk.bits->empty();
  };
  std::vector<std::vector<Class>> classes(words);
  std::size_t bitmaps = 0;
  for (std::size_t i = 0; i < words; ++i) {
    for (const Walk& walk : plan.walks[i]) {
      if (empty(walk)) continue;
      auto& word_classes = classes[i];
      auto it = std::find_if(word_classes.begin(), word_classes.end(),
                             [&](const Class& c) { return c.points == walk.points; });
      if (it == word_classes.end()) {
        word_classes.push_back(Class{nullptr, width, 0, walk.points});
        ++bitmaps;
        it = word_classes.end() - 1;
      }
      widen(*it, walk);
    }
    // Best class first: a slot scores the points of the first that holds it.
    std::sort(classes[i].begin(), classes[i].end(),
              [](const Class& x, const Class& y) { return x.points > y.points; });
  }
  Class lead{nullptr, width, 0, kLeadWordScore};
  for (const Walk& walk : plan.leads) widen(lead, walk);
  const bool has_lead = lead.lo < lead.hi;
  scratch.Prepare((bitmaps + 1 + (has_lead ? 1 : 0)) * width, width);  // + the matches and the lead bitmap
  std::size_t next = 0;
  auto fill = [&](Class& c, const std::vector<Walk>& walks) {
    c.bits = scratch.bits.data() + next;
    next += width;
    std::fill(c.bits + c.lo, c.bits + c.hi, std::uint64_t{0});
    for (const Walk& walk : walks) {
      if (walk.points != c.points) continue;
      if (walk.list == nullptr && walk.bits == nullptr) {
        CertifiedBits(cert, walk.cert_kinds, c.bits);
      } else if (empty(walk)) {
        continue;
      } else if (walk.bits) {
        const auto& bits = *walk.bits;
        const std::size_t end = std::min(bits.size(), width);
        const std::size_t begin = walk.list ? std::max<std::size_t>(c.lo, walk.list->front() >> 6) : c.lo;
        for (std::size_t w = begin; w < end; ++w) c.bits[w] |= bits[w];
      } else {
        SetSlots(*walk.list, c.bits, scratch.spare.data());
      }
    }
  };
  std::size_t lo = 0;
  std::size_t hi = width;
  for (std::size_t i = 0; i < words; ++i) {
    std::size_t word_lo = width;
    std::size_t word_hi = 0;
    for (Class& c : classes[i]) {
      fill(c, plan.walks[i]);
      word_lo = std::min(word_lo, c.lo);
      word_hi = std::max(word_hi, c.hi);
    }
    lo = std::max(lo, word_lo);
    hi = std::min(hi, word_hi);
  }
  if (has_lead) fill(lead, plan.leads);
  // The matches: the AND of the words' unions, one bitmap word at a time.
  std::uint64_t* matches = scratch.bits.data() + next;
  for (std::size_t w = lo; w < hi; ++w) {
    std::uint64_t match = ~std::uint64_t{0};
    for (std::size_t i = 0; i < words && match != 0; ++i) {
      std::uint64_t any = 0;
      for (const Class& c : classes[i]) {
        if (w >= c.lo && w < c.hi) any |= c.bits[w];
      }
      match &= any;
    }
    matches[w] = match;
  }
  // The classes in one row, each word's best first (word i's from first[i]):
  // their points, and at each bitmap word being scored the matches each
  // scores (its bits less those of the word's better classes).
  std::vector<const Class*> row;
  std::vector<std::size_t> first;
  for (const auto& word_classes : classes) {
    first.push_back(row.size());
    for (const Class& c : word_classes) row.push_back(&c);
  }
  first.push_back(row.size());
  std::vector<std::uint8_t> points(row.size());
  for (std::size_t k = 0; k < row.size(); ++k) points[k] = row[k]->points;
  std::vector<std::uint64_t> own(row.size());
  const Hot* hot = columns_.hot.data();
  // Newest bitmap word first. The order of the matches within a word does
  // not change the answer (the keys are distinct); one word's matches go
  // class by class.
  for (std::size_t w = hi; w-- > lo;) {
    if (w >= lo + kPrefetchWords && matches[w - kPrefetchWords] != 0) {
      // The per-slot data a few bitmap words ahead, so that it is in the
      // cache by the time its matches are considered.
      const std::size_t ahead = (w - kPrefetchWords) * 64;
      for (std::size_t line = 0; line < 64 * sizeof(Hot); line += 64)
        __builtin_prefetch(reinterpret_cast<const char*>(hot + ahead) + line);
      if (cert != nullptr) {
        for (std::size_t line = 0; line < 64 * sizeof(std::uint16_t); line += 64)
          __builtin_prefetch(reinterpret_cast<const char*>(cert + ahead) + line);
      }
    }
    const std::uint64_t match = matches[w];
    if (match == 0) continue;
    for (std::size_t i = 0; i < words; ++i) {
      std::uint64_t taken = ~match;
      for (std::size_t k = first[i]; k < first[i + 1]; ++k) {
        const Class& c = *row[k];
        own[k] = w >= c.lo && w < c.hi ? c.bits[w] & ~taken : 0;
        taken |= own[k];
      }
    }
    const std::uint64_t leads = has_lead && w >= lead.lo && w < lead.hi ? lead.bits[w] : 0;
    const auto base = static_cast<std::uint32_t>(w * 64);
    if (words == 1) {
      for (std::size_t k = 0; k < row.size(); ++k) {
        for (std::uint64_t in = own[k]; in != 0;) {
          const unsigned bit = 63u - static_cast<unsigned>(__builtin_clzll(in));
          in ^= std::uint64_t{1} << bit;
          consider(base + bit, points[k] + static_cast<int>((leads >> bit) & 1u) * kLeadWordScore);
        }
      }
      continue;
    }
    for (std::uint64_t in = match; in != 0;) {
      const unsigned bit = 63u - static_cast<unsigned>(__builtin_clzll(in));
      in ^= std::uint64_t{1} << bit;
      int score = static_cast<int>((leads >> bit) & 1u) * kLeadWordScore;
      for (std::size_t k = 0; k < row.size(); ++k)
        score += points[k] * static_cast<int>((own[k] >> bit) & 1u);
      consider(base + bit, score);
    }
  }
}

SearchResponse SearchIndex::SearchLocked(const SearchRequest& request, const ParsedQuery& parsed) const {
  SearchResponse response;
  response.words = parsed.words;

  // Certifications: a filter on a kind and/or a minimum OCOP rating, and
  // facets over the coverage's kinds. Without a coverage a filter matches nothing.
  std::shared_ptr<const CertSlots> cert_slots;
  if (request.certifications) cert_slots = CertSlotsFor(request.certifications);
  const std::uint16_t* cert = cert_slots ? cert_slots->by_slot.data() : nullptr;
  const bool cert_filter = request.certified_kind.has_value() || request.ocop_min.has_value();
  // A kind past the mask (no source knows it) matches nothing, like no coverage.
  if (request.certified_kind && *request.certified_kind >= kCertKindBits) cert = nullptr;
  const std::uint16_t want_kinds = request.certified_kind && *request.certified_kind < kCertKindBits
                                       ? static_cast<std::uint16_t>(1u << *request.certified_kind)
                                       : std::uint16_t{0};
  const unsigned want_stars = request.ocop_min ? static_cast<unsigned>(std::max(*request.ocop_min, 1)) : 0;
  Tally tally(categories_.size(), provinces_.size());

  // Filters as small ids; a code the index has never seen matches nothing.
  std::optional<std::uint16_t> category;
  bool category_is_top = false;
  if (!request.category_code.empty()) {
    category = Lookup(category_ids_, request.category_code).value_or(kNoMatch);
    category_is_top = *category != kNoMatch && category_parent_[*category] == *category;
  }
  std::optional<std::uint8_t> province;
  if (!request.province_code.empty()) {
    const std::uint16_t id = Lookup(province_ids_, request.province_code).value_or(kNoMatch);
    province = static_cast<std::uint8_t>(id < kNoProvince ? id : kNoProvince);
  }
  std::optional<std::uint32_t> seller;
  if (request.seller_id) {
    seller = *request.seller_id > 0 && *request.seller_id < kNoSeller
                 ? static_cast<std::uint32_t>(*request.seller_id)
                 : kNoSeller - 1;  // matches nothing
  }
  std::optional<std::uint16_t> commune;
  if (!request.commune_code.empty()) commune = Lookup(commune_ids_, request.commune_code).value_or(kNoMatch);

  const std::size_t keep = request.limit + 1;  // one more tells whether a next page exists
  Page best;                                   // worst of the kept on top
  auto key_of = [&](std::uint32_t slot, std::int64_t score, std::int64_t rank) -> Key {
    const Identity& id = identities_[slot];
    const std::int64_t price = columns_.price[slot];
    switch (request.sort) {
      case SortOrder::kRelevance:
        return {-score, -rank, -id.product_id};
      case SortOrder::kPriceAsc:
        return {price, 0, id.product_id};
      case SortOrder::kPriceDesc:
        return {-price, 0, -id.product_id};
      case SortOrder::kNewest:
        return {-id.created_at, 0, -id.product_id};
    }
    return {0, 0, 0};
  };
  const std::optional<Key> after =
      request.after ? std::optional<Key>(Key{request.after->k1, request.after->k2, request.after->k3})
                    : std::nullopt;
  const bool relevance = request.sort == SortOrder::kRelevance;

  const Hot* hot = columns_.hot.data();
  const std::uint32_t* prices = columns_.price.data();
  const std::uint32_t* ids = columns_.id.data();
  const std::uint16_t* parents = category_parent_.data();
  const bool price_filter = request.price_min.has_value() || request.price_max.has_value();
  const std::int64_t price_min = request.price_min.value_or(0);
  const std::int64_t price_max = request.price_max.value_or(std::numeric_limits<std::int64_t>::max());
  // The page so far; `full` and the worst kept key are copied out so that
  // refusing a match (most of a broad query's) reads no heap.
  bool full = false;
  Key worst{0, 0, 0};
  const bool can_refuse = !after;
  auto offer = [&](std::uint32_t slot_index, int score, std::int64_t rank) __attribute__((noinline)) {
    const Key key = key_of(slot_index, score, rank);
    if (after && !(*after < key)) return;
    if (best.size() < keep) {
      best.emplace(key, slot_index);
    } else if (key < best.top().first) {
      best.pop();
      best.emplace(key, slot_index);
    } else {
      return;
    }
    full = best.size() == keep;
    if (full) worst = best.top().first;
  };
  const bool place_filters = category || province || commune || cert_filter;
  auto consider = [&](std::uint32_t slot_index, int score) __attribute__((always_inline)) {
    const Hot s = hot[slot_index];
    if (!(s.rank_live & kLiveBit)) return;
    if (seller && columns_.seller[slot_index] != *seller) return;
    if (price_filter && (prices[slot_index] < price_min || prices[slot_index] > price_max)) return;
    const std::uint16_t c = cert ? cert[slot_index] : 0;
    if (!place_filters) {
      tally.Count(slot_index, s.category, s.province, c);
    } else {
      const bool category_ok = !category || (category_is_top ? parents[s.category] : s.category) == *category;
      const bool place_ok =
          (!province || s.province == *province) && (!commune || columns_.commune[slot_index] == *commune);
      const bool cert_ok = !cert_filter || (cert && (c & want_kinds) == want_kinds &&
                                            static_cast<unsigned>(c >> kCertKindBits) >= want_stars);
      tally.CountFiltered(slot_index, s.category, s.province, c, category_ok, place_ok, cert_ok);
      if (!category_ok || !place_ok || !cert_ok) return;
    }
    const std::int64_t rank = s.rank_live & kRankMask;
    if (full && can_refuse) {
      // Most matches of a broad query are refused here, from the hot fields
      // alone; the product id is read only to settle a tie, as in key_of.
      // Keys compare (k1, k2, k3).
      if (relevance) {
        if (-score > worst.k1) return;
        if (-score == worst.k1 &&
            (-rank > worst.k2 ||
             (-rank == worst.k2 && -static_cast<std::int64_t>(ids[slot_index]) >= worst.k3)))
          return;
      } else if (request.sort == SortOrder::kPriceAsc) {
        const std::int64_t price = prices[slot_index];
        if (price > worst.k1 || (price == worst.k1 && static_cast<std::int64_t>(ids[slot_index]) >= worst.k3))
          return;
      } else if (request.sort == SortOrder::kPriceDesc) {
        const std::int64_t price = prices[slot_index];
        if (-price > worst.k1 ||
            (-price == worst.k1 && -static_cast<std::int64_t>(ids[slot_index]) >= worst.k3))
          return;
      }
    }
    offer(slot_index, score, rank);
  };

  // Candidates are visited newest slot first: ties in every sort order go to
  // the newer product, so once the page is full most candidates are refused
  // by a single comparison instead of churning the heap.
  if (parsed.words.empty()) {
    for (std::size_t s = columns_.size(); s-- > 0;) consider(static_cast<std::uint32_t>(s), 0);
  } else {
    const Plan plan = PlanWalks(request, parsed, cert != nullptr);
    const std::size_t rarest =
        static_cast<std::size_t>(std::min_element(plan.cost.begin(), plan.cost.end()) - plan.cost.begin());
    if (plan.cost[rarest] == 0) {
      // Some word matches nothing: no results.
    } else if (plan.walks.size() == 1 && plan.spellings[0] == 1 && plan.walks[0][0].list != nullptr) {
      MergeNewestFirst(plan, cert, consider);
    } else {
      ScanBitmaps(plan, cert, consider);
    }
  }
  FillPage(best, request, response);
  FillFacets(tally, request, response);
  // Without place or certification filters every counted match passed them all.
  for (const std::uint32_t n : place_filters
                                   ? std::vector<std::uint32_t>(tally.passed.begin(), tally.passed.end())
                                   : tally.categories)
    response.total += n;
  return response;
}

void SearchIndex::FillPage(Page& best, const SearchRequest& request, SearchResponse& response) const {
  std::vector<std::pair<Key, std::uint32_t>> ranked;
  ranked.reserve(best.size());
  while (!best.empty()) {
    ranked.push_back(best.top());
    best.pop();
  }
  std::reverse(ranked.begin(), ranked.end());
  if (ranked.size() > request.limit) {
    ranked.resize(request.limit);
    const Key& last = ranked.back().first;
    response.next = SearchCursor{request.sort, last.k1, last.k2, last.k3};
  }
  for (const auto& [key, slot] : ranked) {
    const int score = request.sort == SortOrder::kRelevance ? static_cast<int>(-key.k1) : 0;
    response.hits.push_back({identities_[slot].product_id, score});
  }
}

void SearchIndex::FillFacets(const Tally& tally, const SearchRequest& request,
                             SearchResponse& response) const {
  auto facets = [](const std::vector<std::uint32_t>& counts, const std::vector<std::string>& names) {
    std::vector<FacetCount> out;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > 0 && !names[i].empty()) out.push_back({names[i], counts[i]});
    }
    std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.code < b.code;
    });
    return out;
  };
  response.categories = facets(Tally::Sum(tally.categories), categories_);
  response.provinces = facets(Tally::Sum(tally.provinces), provinces_);
  if (request.certifications) {
    const auto& kinds = request.certifications->kinds;
    for (std::size_t i = 0; i < kinds.size() && i < kCertKindBits; ++i) {
      response.certified.push_back({kinds[i], tally.kinds[i]});
    }
    for (int min = kMinOcopStarsFilter; min <= kMaxOcopStarsFilter; ++min) {
      std::uint32_t n = 0;
      for (std::size_t stars = static_cast<std::size_t>(min); stars < tally.stars.size(); ++stars)
        n += tally.stars[stars];
      response.ocop_min.push_back({std::to_string(min), n});
    }
  }
}

std::size_t SearchIndex::CertifiedBits(const std::uint16_t* cert, std::uint16_t kinds,
                                       std::uint64_t* bits) const {
  std::size_t n = 0;
  for (std::size_t slot = 0; slot < columns_.size(); ++slot) {
    if ((cert[slot] & kinds) != 0) {
      bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
      ++n;
    }
  }
  return n;
}

}  // namespace nongsan::catalog
