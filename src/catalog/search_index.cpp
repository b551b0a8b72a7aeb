#include "catalog/search_index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <queue>

#include "catalog/categories.hpp"
#include "core/text.hpp"

namespace nongsan::catalog {
namespace {

constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;
constexpr std::uint32_t kMaxSlots = 0x7FFFFFFFu;
constexpr std::uint16_t kNoMatch = 0xFFFF;  // a filter value no product has
constexpr std::uint8_t kNoProvince = 0xFF;
constexpr std::uint32_t kNoSeller = 0xFFFFFFFFu;
constexpr std::uint8_t kLiveBit = 0x80;
// The hot byte below the live bit is the tie rank: the static rank above,
// the product's turn within its shop below (kShopTurns - 1 for a shop's
// first product of that static rank, 0 from its kShopTurns-th on).
constexpr std::uint8_t kRankMask = 0x7F;
constexpr unsigned kShopTurnBits = 4;
constexpr std::uint8_t kShopTurns = 1u << kShopTurnBits;
// A slot's certifications (CertSlots): kinds in the low bits, stars above.
constexpr unsigned kCertKindBits = kMaxCertificationKinds;
constexpr std::uint16_t kCertKindMask = (1u << kCertKindBits) - 1;
// How far ahead a search prefetches the per-slot data of the matches it
// will consider: in bitmap words (64 slots each), and in postings.
constexpr std::size_t kPrefetchWords = 4;
constexpr std::size_t kPrefetchSlots = 16;
// Most typo candidates one query word may expand to.
constexpr std::size_t kMaxTypoExpansions = 32;
// The catch-all certificate kind: not a word a buyer searches for.
constexpr std::string_view kCatchAllCertKind = "other";

enum Quality : std::uint8_t { kExact = 0, kPrefix = 1, kTypo = 2 };

// Points per query word by where and how it matched. Any name match beats
// any match elsewhere.
constexpr std::uint8_t kNameScore[] = {12, 10, 6};
constexpr std::uint8_t kOtherScore[] = {3, 2, 1};
// Added when the product's name begins with (a spelling or completion of)
// the query's first word: buyers type a name from its start, so "ch" ranks
// "Chè …" above "Cam sành Chợ Đồn" and "Bánh chưng", all name prefixes.
constexpr std::uint8_t kLeadWordScore = 1;
constexpr std::uint32_t kNoTerm = 0xFFFFFFFFu;

// The tie rank of a live slot: static rank, then its turn within its shop.
std::uint8_t TieRank(int static_rank, std::size_t turn) {
  const auto left = static_cast<unsigned>(kShopTurns - 1 - std::min<std::size_t>(turn, kShopTurns - 1));
  return static_cast<std::uint8_t>(kLiveBit | (static_cast<unsigned>(static_rank) << kShopTurnBits) | left);
}
int StaticRankOf(std::uint8_t rank_live) { return (rank_live & kRankMask) >> kShopTurnBits; }

std::uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

bool IsTypoIndexable(const std::string& w) {
  if (w.size() < kMinShortTypoWordLength || w.size() > kMaxTypoWordLength) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Per-query bitmaps, reused across queries on the same thread.
struct Scratch {
  std::vector<std::uint64_t> bits;
  void Prepare(std::size_t words) {
    if (bits.size() < words) bits.resize(words);
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

struct Key {
  std::int64_t k1, k2, k3;
  bool operator<(const Key& o) const {
    if (k1 != o.k1) return k1 < o.k1;
    if (k2 != o.k2) return k2 < o.k2;
    return k3 < o.k3;
  }
};

std::vector<std::string> UniqueWords(std::vector<std::string> words, std::size_t max_words) {
  if (words.size() > max_words) words.resize(max_words);
  std::vector<std::string> out;
  out.reserve(words.size());
  for (auto& w : words) {
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // b has one extra letter
}

ParsedQuery ParseQueryText(std::string_view text) {
  ParsedQuery q;
  std::vector<std::string> words = text::FoldedWords(text);
  const bool truncated = words.size() > kMaxQueryWords;
  const std::string last = words.empty() ? "" : words.back();
  q.words = UniqueWords(std::move(words), kMaxQueryWords);
  if (!text.empty() && !truncated && !q.words.empty() && q.words.back() == last) {
    const auto c = static_cast<unsigned char>(text.back());
    q.last_is_prefix =
        c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return q;
}

SearchIndex::SearchIndex() {
  // Categories are compiled in, so their small ids are fixed up front.
  for (const Category& c : AllCategories()) {
    category_ids_.emplace(c.code, static_cast<std::uint16_t>(categories_.size()));
    categories_.push_back(c.code);
  }
  category_parent_.resize(categories_.size());
  for (const Category& c : AllCategories()) {
    const std::string& top = c.parent_code.empty() ? c.code : c.parent_code;
    category_parent_[category_ids_.at(c.code)] = category_ids_.at(top);
  }
}

std::uint16_t SearchIndex::Intern(std::vector<std::string>& names,
                                  std::unordered_map<std::string, std::uint16_t>& ids,
                                  const std::string& code) {
  auto it = ids.find(code);
  if (it != ids.end()) return it->second;
  // Codes come from validated products (34 provinces, 3,321 communes), far
  // below the 16-bit space; the guard keeps a corrupt row from wrapping.
  if (names.size() >= kNoMatch) return kNoMatch;
  const auto id = static_cast<std::uint16_t>(names.size());
  names.push_back(code);
  ids.emplace(code, id);
  return id;
}

void SearchIndex::Columns::Push(const Filters& f) {
  hot.push_back({f.category, f.province, f.rank_live});
  id.push_back(f.id);
  price.push_back(f.price);
  seller.push_back(f.seller);
  commune.push_back(f.commune);
}

void SearchIndex::Columns::Set(std::size_t slot, const Filters& f) {
  hot[slot] = {f.category, f.province, f.rank_live};
  id[slot] = f.id;
  price[slot] = f.price;
  seller[slot] = f.seller;
  commune[slot] = f.commune;
}

SearchIndex::Filters SearchIndex::Columns::Get(std::size_t slot) const {
  return {id[slot],      price[slot],        seller[slot],       hot[slot].category,
          commune[slot], hot[slot].province, hot[slot].rank_live};
}

std::size_t SearchIndex::Columns::Bytes() const {
  return hot.capacity() * sizeof(Hot) +
         (id.capacity() + price.capacity() + seller.capacity()) * sizeof(std::uint32_t) +
         commune.capacity() * sizeof(std::uint16_t);
}

std::optional<std::uint16_t> SearchIndex::Lookup(const std::unordered_map<std::string, std::uint16_t>& ids,
                                                 const std::string& code) const {
  auto it = ids.find(code);
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

std::uint32_t SearchIndex::TermId(const std::string& word) {
  auto it = term_ids_.find(word);
  if (it != term_ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(terms_.size());
  terms_.push_back(word);
  name_postings_.emplace_back();
  other_postings_.emplace_back();
  name_bits_.emplace_back();
  other_bits_.emplace_back();
  term_ids_.emplace(word, id);
  sorted_terms_.push_back(id);  // sorted in place at the end of the batch
  if (IsTypoIndexable(word)) {
    std::string deletion;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (i > 0 && word[i] == word[i - 1]) continue;  // same deletion as the previous letter
      deletion.assign(word, 0, i);
      deletion.append(word, i + 1);
      deletions_[Hash(deletion)].push_back(id);
    }
  }
  return id;
}

void SearchIndex::UpsertLocked(const IndexedProduct& p) {
  if (p.id <= 0 || p.id > static_cast<std::int64_t>(kMaxSlots) || columns_.size() >= kMaxSlots) return;
  const auto pid = static_cast<std::size_t>(p.id);
  const std::uint64_t text_hash = Hash(p.name) * 31 + Hash(p.other_text);
  const std::uint16_t category = Intern(categories_, category_ids_, p.category_code);
  if (category >= category_parent_.size()) category_parent_.resize(category + 1, category);
  const std::uint16_t province = Intern(provinces_, province_ids_, p.province_code);
  const Filters filters{
      static_cast<std::uint32_t>(p.id),
      static_cast<std::uint32_t>(std::clamp<std::int64_t>(p.price_vnd, 0, 0xFFFFFFFFLL)),
      p.seller_id > 0 && p.seller_id < kNoSeller ? static_cast<std::uint32_t>(p.seller_id) : kNoSeller,
      category,
      Intern(communes_, commune_ids_, p.commune_code),
      static_cast<std::uint8_t>(province < kNoProvince ? province : kNoProvince),
      TieRank(std::clamp(p.rank, 0, kMaxStaticRank), 0)};
  const Identity identity{p.id, p.created_at, text_hash};
  if (pid >= slot_of_product_.size()) slot_of_product_.resize(pid + 1, kNoSlot);
  const std::uint32_t existing = slot_of_product_[pid];
  if (filters.seller != kNoSeller) touched_shops_.push_back(filters.seller);
  if (existing != kNoSlot) {
    if (columns_.seller[existing] != kNoSeller) touched_shops_.push_back(columns_.seller[existing]);
    if (identities_[existing].text_hash == text_hash) {
      columns_.Set(existing, filters);  // same words: the posting lists stay valid
      if (filters.seller != kNoSeller) shop_slots_[filters.seller].push_back(existing);
      identities_[existing] = identity;
      return;
    }
    columns_.hot[existing].rank_live &= ~kLiveBit;
    --live_;
    ++dead_;
  }
  const auto slot = static_cast<std::uint32_t>(columns_.size());
  columns_.Push(filters);
  identities_.push_back(identity);
  lead_term_.push_back(kNoTerm);
  slot_of_product_[pid] = slot;
  if (filters.seller != kNoSeller) shop_slots_[filters.seller].push_back(slot);
  ++live_;

  std::vector<std::string> name_words = UniqueWords(text::FoldedWords(p.name), kMaxIndexedDescriptionWords);
  std::vector<std::string> other_words = text::FoldedWords(p.other_text);
  if (other_words.size() > kMaxIndexedDescriptionWords) other_words.resize(kMaxIndexedDescriptionWords);
  for (const auto& w : name_words) {
    const std::uint32_t t = TermId(w);
    AddPosting(name_postings_[t], name_bits_[t], slot);
    if (lead_term_[slot] == kNoTerm) lead_term_[slot] = t;  // the name's first word
  }
  std::vector<std::uint32_t> other_terms;
  for (const auto& w : other_words) {
    if (std::find(name_words.begin(), name_words.end(), w) != name_words.end()) continue;
    other_terms.push_back(TermId(w));
  }
  std::sort(other_terms.begin(), other_terms.end());
  other_terms.erase(std::unique(other_terms.begin(), other_terms.end()), other_terms.end());
  for (std::uint32_t t : other_terms) AddPosting(other_postings_[t], other_bits_[t], slot);
}

void SearchIndex::AddPosting(std::vector<std::uint32_t>& list, std::vector<std::uint64_t>& bits,
                             std::uint32_t slot) {
  list.push_back(slot);
  if (!bits.empty()) {
    if ((slot >> 6) >= bits.size()) bits.resize((slot >> 6) + 1, 0);
    bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
  } else if (list.size() >= kMinDenseListLength && list.size() * kDenseListDivisor >= columns_.size()) {
    RebuildBitmap(list, bits);
  }
}

void SearchIndex::RebuildBitmap(const std::vector<std::uint32_t>& list,
                                std::vector<std::uint64_t>& bits) const {
  bits.assign(list.empty() ? 0 : (list.back() >> 6) + 1, 0);
  for (std::uint32_t slot : list) bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
}

void SearchIndex::RemoveLocked(std::int64_t product_id) {
  if (product_id <= 0 || static_cast<std::size_t>(product_id) >= slot_of_product_.size()) return;
  std::uint32_t& slot = slot_of_product_[static_cast<std::size_t>(product_id)];
  if (slot == kNoSlot) return;
  columns_.hot[slot].rank_live &= ~kLiveBit;
  if (columns_.seller[slot] != kNoSeller) touched_shops_.push_back(columns_.seller[slot]);
  slot = kNoSlot;
  --live_;
  ++dead_;
}

void SearchIndex::Apply(const std::vector<IndexedProduct>& upserts,
                        const std::vector<std::int64_t>& removals) {
  if (upserts.empty() && removals.empty()) return;
  std::unique_lock lock(mutex_);
  ++generation_;
  const std::size_t terms_before = terms_.size();
  for (std::int64_t id : removals) RemoveLocked(id);
  for (const auto& p : upserts) UpsertLocked(p);
  TakeShopTurnsLocked();
  if (terms_.size() != terms_before) {
    // New words were appended unsorted: sort them and merge with the rest.
    auto less = [this](std::uint32_t a, std::uint32_t b) { return terms_[a] < terms_[b]; };
    const auto middle = sorted_terms_.begin() +
                        static_cast<std::ptrdiff_t>(sorted_terms_.size() - (terms_.size() - terms_before));
    std::sort(middle, sorted_terms_.end(), less);
    std::inplace_merge(sorted_terms_.begin(), middle, sorted_terms_.end(), less);
  }
}

void SearchIndex::TakeShopTurnsLocked() {
  std::sort(touched_shops_.begin(), touched_shops_.end());
  touched_shops_.erase(std::unique(touched_shops_.begin(), touched_shops_.end()), touched_shops_.end());
  for (std::uint32_t seller : touched_shops_) {
    auto it = shop_slots_.find(seller);
    if (it == shop_slots_.end()) continue;
    // The shop's live slots (a slot may be listed twice, or be dead, or have
    // moved to another shop since), best static rank first, newest first.
    std::vector<std::uint32_t>& slots = it->second;
    std::erase_if(slots, [&](std::uint32_t s) {
      return !(columns_.hot[s].rank_live & kLiveBit) || columns_.seller[s] != seller;
    });
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    if (slots.empty()) {
      shop_slots_.erase(it);
      continue;
    }
    std::vector<std::uint32_t> order = slots;
    std::sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
      const int ra = StaticRankOf(columns_.hot[a].rank_live);
      const int rb = StaticRankOf(columns_.hot[b].rank_live);
      return ra != rb ? ra > rb : identities_[a].product_id > identities_[b].product_id;
    });
    std::size_t turn = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const int rank = StaticRankOf(columns_.hot[order[i]].rank_live);
      turn = i > 0 && rank == StaticRankOf(columns_.hot[order[i - 1]].rank_live) ? turn + 1 : 0;
      columns_.hot[order[i]].rank_live = TieRank(rank, turn);
    }
  }
  touched_shops_.clear();
}

void SearchIndex::Upsert(const IndexedProduct& product) { Apply({product}, {}); }
void SearchIndex::Remove(std::int64_t product_id) { Apply({}, {product_id}); }

void SearchIndex::MaybeCompact() {
  std::unique_lock lock(mutex_);
  if (dead_ < kMinDeadSlotsToCompact || dead_ < kCompactDeadShare * static_cast<double>(columns_.size()))
    return;
  CompactLocked();
}

void SearchIndex::CompactLocked() {
  ++generation_;
  std::vector<std::uint32_t> remap(columns_.size(), kNoSlot);
  Columns kept_filters;
  std::vector<Identity> kept_identities;
  kept_identities.reserve(live_);
  std::vector<std::uint32_t> kept_leads;
  kept_leads.reserve(live_);
  for (std::size_t s = 0; s < columns_.size(); ++s) {
    if (!(columns_.hot[s].rank_live & kLiveBit)) continue;
    remap[s] = static_cast<std::uint32_t>(kept_filters.size());
    slot_of_product_[static_cast<std::size_t>(identities_[s].product_id)] = remap[s];
    kept_filters.Push(columns_.Get(s));
    kept_identities.push_back(identities_[s]);
    kept_leads.push_back(lead_term_[s]);
  }
  // The mapping keeps order, so every posting list stays sorted.
  const std::size_t slots = kept_filters.size();
  for (auto [lists, bitmaps] :
       {std::pair{&name_postings_, &name_bits_}, std::pair{&other_postings_, &other_bits_}}) {
    for (std::size_t t = 0; t < lists->size(); ++t) {
      auto& list = (*lists)[t];
      std::size_t out = 0;
      for (std::uint32_t slot : list) {
        const std::uint32_t to = remap[slot];
        if (to != kNoSlot) list[out++] = to;
      }
      list.resize(out);
      list.shrink_to_fit();
      auto& bits = (*bitmaps)[t];
      if (list.size() >= kMinDenseListLength && list.size() * kDenseListDivisor >= slots) {
        RebuildBitmap(list, bits);
      } else {
        bits = {};
      }
    }
  }
  columns_ = std::move(kept_filters);
  identities_ = std::move(kept_identities);
  lead_term_ = std::move(kept_leads);
  for (auto& [seller, shop] : shop_slots_) {
    std::size_t out = 0;
    for (std::uint32_t slot : shop) {
      if (remap[slot] != kNoSlot) shop[out++] = remap[slot];
    }
    shop.resize(out);
  }
  std::erase_if(shop_slots_, [](const auto& entry) { return entry.second.empty(); });
  dead_ = 0;
}

std::vector<SearchIndex::Expansion> SearchIndex::Expand(const std::string& word, bool prefix) const {
  std::vector<Expansion> out;
  if (prefix) {
    auto first = std::lower_bound(sorted_terms_.begin(), sorted_terms_.end(), word,
                                  [this](std::uint32_t t, const std::string& w) { return terms_[t] < w; });
    std::vector<std::uint32_t> range;
    for (auto it = first; it != sorted_terms_.end() && terms_[*it].starts_with(word); ++it)
      range.push_back(*it);
    if (range.size() > kMaxPrefixExpansions) {
      // Keep the most frequent words, always including the word itself.
      auto by_frequency = [this, &word](std::uint32_t a, std::uint32_t b) {
        const bool a_exact = terms_[a] == word;
        const bool b_exact = terms_[b] == word;
        if (a_exact != b_exact) return a_exact;
        return name_postings_[a].size() > name_postings_[b].size();
      };
      std::nth_element(range.begin(), range.begin() + kMaxPrefixExpansions, range.end(), by_frequency);
      range.resize(kMaxPrefixExpansions);
    }
    for (std::uint32_t t : range) {
      out.push_back({t, static_cast<std::uint8_t>(terms_[t] == word ? kExact : kPrefix)});
    }
  } else if (auto it = term_ids_.find(word); it != term_ids_.end()) {
    out.push_back({it->second, kExact});
  }
  // Typo spellings are for words typed wrong: a word that is itself in
  // many products was most likely typed right, and its typo neighbours
  // (other real words) would only add weaker matches below the exact ones.
  // A short word gets them only when it matches nothing at all: "chee",
  // "ongg" are no words, while "cam" or "che" typed right are common.
  std::size_t exact_matches = 0;
  for (const Expansion& e : out) {
    if (e.quality == kExact) exact_matches += name_postings_[e.term].size() + other_postings_[e.term].size();
  }
  const bool long_word = word.size() >= kMinTypoWordLength && exact_matches < kMaxExactMatchesForTypos;
  const bool unknown_short_word = word.size() >= kMinShortTypoWordLength && out.empty();
  if (long_word || unknown_short_word) AddTypoCandidates(word, out);
  return out;
}

void SearchIndex::AddTypoCandidates(const std::string& word, std::vector<Expansion>& out) const {
  std::size_t added = 0;
  auto consider = [&](std::uint32_t t) {
    if (added >= kMaxTypoExpansions || terms_[t] == word || !WithinOneEdit(terms_[t], word)) return;
    for (const auto& e : out) {
      if (e.term == t) return;
    }
    out.push_back({t, kTypo});
    ++added;
  };
  auto consider_bucket = [&](std::string_view key) {
    auto it = deletions_.find(Hash(key));
    if (it == deletions_.end()) return;
    for (std::uint32_t t : it->second) consider(t);
  };
  consider_bucket(word);  // the query lacks a letter
  std::string deletion;
  for (std::size_t i = 0; i < word.size(); ++i) {
    deletion.assign(word, 0, i);
    deletion.append(word, i + 1);
    if (auto it = term_ids_.find(deletion); it != term_ids_.end()) consider(it->second);  // an extra letter
    consider_bucket(deletion);  // a wrong or swapped letter
  }
}

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
  std::array<std::uint32_t, kCertKindBits> kind_counts{};
  std::array<std::uint32_t, 16> star_counts{};  // by best OCOP rating

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

  std::vector<std::uint32_t> category_counts(categories_.size(), 0);
  std::vector<std::uint32_t> province_counts(provinces_.size(), 0);
  const std::size_t keep = request.limit + 1;               // one more tells whether a next page exists
  std::priority_queue<std::pair<Key, std::uint32_t>> best;  // worst of the kept on top

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
      ++category_counts[s.category];
      if (s.province < province_counts.size()) ++province_counts[s.province];
      if (c != 0) {
        for (unsigned bit = 0; bit < kCertKindBits; ++bit) kind_counts[bit] += (c >> bit) & 1u;
        ++star_counts[c >> kCertKindBits];
      }
    } else {
      const bool category_ok = !category || (category_is_top ? parents[s.category] : s.category) == *category;
      const bool place_ok =
          (!province || s.province == *province) && (!commune || columns_.commune[slot_index] == *commune);
      const bool cert_ok = !cert_filter || (cert && (c & want_kinds) == want_kinds &&
                                            static_cast<unsigned>(c >> kCertKindBits) >= want_stars);
      if (place_ok && cert_ok) ++category_counts[s.category];
      if (category_ok && cert_ok && s.province < province_counts.size()) ++province_counts[s.province];
      if (c != 0 && category_ok && place_ok) {
        for (unsigned bit = 0; bit < kCertKindBits; ++bit) kind_counts[bit] += (c >> bit) & 1u;
        ++star_counts[c >> kCertKindBits];
      }
      if (!category_ok || !place_ok || !cert_ok) return;
    }
    ++response.total;
    const std::int64_t rank = s.rank_live & kRankMask;
    if (full && can_refuse) {
      // Most matches of a broad query are refused here, from the hot fields
      // alone, before the product id is read.
      // Keys compare (k1, k2, k3); the ids settle ties, as in key_of.
      const std::int64_t id = ids[slot_index];
      if (relevance) {
        if (-score > worst.k1) return;
        if (-score == worst.k1 && (-rank > worst.k2 || (-rank == worst.k2 && -id >= worst.k3))) return;
      } else if (request.sort == SortOrder::kPriceAsc) {
        const std::int64_t price = prices[slot_index];
        if (price > worst.k1 || (price == worst.k1 && id >= worst.k3)) return;
      } else if (request.sort == SortOrder::kPriceDesc) {
        const std::int64_t price = prices[slot_index];
        if (-price > worst.k1 || (-price == worst.k1 && -id >= worst.k3)) return;
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
    // Each query word walks posting lists: the name and other-text lists of
    // every spelling it matches (a word being typed: of every completion).
    struct Walk {
      const std::vector<std::uint32_t>* list;  // null: the certified products (cert_kinds)
      const std::vector<std::uint64_t>* bits;  // the list as a bitmap, if dense
      std::uint8_t points;
      std::uint16_t cert_kinds = 0;
    };
    std::vector<std::vector<Walk>> walks(parsed.words.size());
    // The spellings of the first query word, as a set of term ids, for the
    // lead-word points (read per match: one bit test).
    std::vector<std::uint64_t> lead_terms((terms_.size() + 63) / 64, 0);
    const std::uint32_t* lead = lead_term_.data();
    auto lead_points = [&](std::uint32_t slot) -> int {
      const std::uint32_t t = lead[slot];
      return t != kNoTerm && ((lead_terms[t >> 6] >> (t & 63)) & 1u) ? kLeadWordScore : 0;
    };
    std::vector<std::size_t> spellings(parsed.words.size());
    std::vector<std::size_t> cost(parsed.words.size());
    const std::size_t min_prefix = parsed.words.size() > 1 ? kMinPrefixLengthAfterWords
                                   : request.suggest       ? kMinSuggestPrefixLength
                                                           : kMinPrefixLength;
    for (std::size_t i = 0; i < parsed.words.size(); ++i) {
      const std::string& word = parsed.words[i];
      const bool prefix = parsed.last_is_prefix && i + 1 == parsed.words.size() && word.size() >= min_prefix;
      // A lone letter (suggestions only) walks names: nearly every
      // description has a word beginning with any letter.
      const bool names_only = prefix && parsed.words.size() == 1 && word.size() < kMinPrefixLength;
      const std::vector<Expansion> expansions = Expand(word, prefix);
      spellings[i] = expansions.size();
      if (i == 0) {
        for (const Expansion& e : expansions) lead_terms[e.term >> 6] |= std::uint64_t{1} << (e.term & 63);
      }
      for (const Expansion& e : expansions) {
        // The word being typed may be unfinished ("ga" on the way to "gạo"):
        // where it is a whole word, that is one completion among the others.
        const std::uint8_t quality = prefix && e.quality == kExact ? std::uint8_t{kPrefix} : e.quality;
        walks[i].push_back({&name_postings_[e.term],
                            name_bits_[e.term].empty() ? nullptr : &name_bits_[e.term], kNameScore[quality]});
        if (!names_only) {
          walks[i].push_back({&other_postings_[e.term],
                              other_bits_[e.term].empty() ? nullptr : &other_bits_[e.term],
                              kOtherScore[quality]});
        }
      }
      for (const Walk& w : walks[i]) cost[i] += w.list->size();
      // A certification word ("ocop", "vietgap") also matches the products
      // holding a certificate of that kind valid today, as strongly as a name.
      if (cert != nullptr) {
        std::uint16_t kinds = 0;
        const auto& names = request.certifications->kinds;
        for (std::size_t k = 0; k < names.size() && k < kCertKindBits; ++k) {
          if (names[k] == kCatchAllCertKind) continue;
          if (names[k] == word || (prefix && names[k].starts_with(word))) kinds |= std::uint16_t(1u << k);
        }
        if (kinds != 0) {
          walks[i].push_back({nullptr, nullptr, kNameScore[prefix ? kPrefix : kExact], kinds});
          ++spellings[i];
          cost[i] += request.certifications->by_product.size();
        }
      }
    }
    // The rarest word goes first: it decides the candidate list.
    std::vector<std::size_t> order(parsed.words.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
    if (cost[order.front()] == 0) {
      // Some word matches nothing: no results.
    } else if (order.size() == 1 && spellings[0] == 1 && walks[0][0].list != nullptr) {
      // One word, one spelling: its name and other lists hold disjoint
      // products, so merging them newest first is the answer; no marks.
      static const std::vector<std::uint32_t> kNone;
      const auto& a = *walks[0][0].list;
      const auto& b = walks[0].size() > 1 ? *walks[0][1].list : kNone;
      const std::uint8_t a_points = walks[0][0].points;
      const std::uint8_t b_points = walks[0].size() > 1 ? walks[0][1].points : 0;
      std::size_t i = a.size();
      std::size_t j = b.size();
      while (i > 0 || j > 0) {
        if (i > kPrefetchSlots) {
          __builtin_prefetch(hot + a[i - kPrefetchSlots]);
          __builtin_prefetch(lead + a[i - kPrefetchSlots]);
          if (cert != nullptr) __builtin_prefetch(cert + a[i - kPrefetchSlots]);
        }
        if (j > kPrefetchSlots) {
          __builtin_prefetch(hot + b[j - kPrefetchSlots]);
          if (cert != nullptr) __builtin_prefetch(cert + b[j - kPrefetchSlots]);
        }
        if (j == 0 || (i > 0 && a[i - 1] > b[j - 1])) {
          --i;
          consider(a[i], a_points + lead_points(a[i]));
        } else {
          consider(b[--j], b_points);  // other text only: the name holds no spelling of the word
        }
      }
    } else {
      // Bitmaps: each query word's matches by how they matched (a class:
      // name exact, prefix, typo; other text exact, typo), then one pass
      // over the slots that ANDs the words' unions and one pass over the
      // matches, newest first, that scores each from its classes. A dense
      // list is ORed in a word at a time; a short one sets its bits.
      Scratch& scratch = ThreadScratch();
      const std::size_t width = (columns_.size() + 63) / 64;
      struct Class {
        std::uint64_t* bits = nullptr;
        std::size_t lo = 0, hi = 0;  // words [lo, hi) may be non-zero
        std::uint8_t points = 0;
      };
      std::vector<std::vector<Class>> classes(parsed.words.size());
      std::size_t bitmaps = 0;
      for (std::size_t i = 0; i < parsed.words.size(); ++i) {
        for (const Walk& walk : walks[i]) {
          if (walk.list != nullptr && walk.list->empty()) continue;
          auto& word_classes = classes[i];
          auto it = std::find_if(word_classes.begin(), word_classes.end(),
                                 [&](const Class& c) { return c.points == walk.points; });
          if (it == word_classes.end()) {
            word_classes.push_back(Class{nullptr, width, 0, walk.points});
            ++bitmaps;
            it = word_classes.end() - 1;
          }
          it->lo = walk.list ? std::min<std::size_t>(it->lo, walk.list->front() >> 6) : 0;
          it->hi = walk.list ? std::max<std::size_t>(it->hi, (walk.list->back() >> 6) + 1) : width;
        }
        // Best class first: a slot scores the points of the first that holds it.
        std::sort(classes[i].begin(), classes[i].end(),
                  [](const Class& x, const Class& y) { return x.points > y.points; });
      }
      scratch.Prepare((bitmaps + 1) * width);  // + the matches
      std::size_t next = 0;
      std::size_t lo = 0;
      std::size_t hi = width;
      for (std::size_t i = 0; i < parsed.words.size(); ++i) {
        std::size_t word_lo = width;
        std::size_t word_hi = 0;
        for (Class& c : classes[i]) {
          c.bits = scratch.bits.data() + next;
          next += width;
          std::fill(c.bits + c.lo, c.bits + c.hi, std::uint64_t{0});
          for (const Walk& walk : walks[i]) {
            if (walk.points != c.points) continue;
            if (walk.list == nullptr) {
              CertifiedBits(cert, walk.cert_kinds, c.bits);
            } else if (walk.list->empty()) {
              continue;
            } else if (walk.bits) {
              const auto& bits = *walk.bits;
              const std::size_t end = std::min(bits.size(), width);
              for (std::size_t w = c.lo; w < end; ++w) c.bits[w] |= bits[w];
            } else {
              for (std::uint32_t slot : *walk.list) c.bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
            }
          }
          word_lo = std::min(word_lo, c.lo);
          word_hi = std::max(word_hi, c.hi);
        }
        lo = std::max(lo, word_lo);
        hi = std::min(hi, word_hi);
      }
      // The matches: the AND of the words' unions, one bitmap word at a time.
      const std::size_t words = parsed.words.size();
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
      // Newest slot first.
      for (std::size_t w = hi; w-- > lo;) {
        if (w >= lo + kPrefetchWords && matches[w - kPrefetchWords] != 0) {
          // The per-slot data a few bitmap words ahead, so that it is in the
          // cache by the time its matches are considered.
          const std::size_t ahead = (w - kPrefetchWords) * 64;
          for (std::size_t line = 0; line < 64 * sizeof(Hot); line += 64) {
            __builtin_prefetch(reinterpret_cast<const char*>(hot + ahead) + line);
            __builtin_prefetch(reinterpret_cast<const char*>(lead + ahead) + line);
          }
          if (cert != nullptr) {
            for (std::size_t line = 0; line < 64 * sizeof(std::uint16_t); line += 64)
              __builtin_prefetch(reinterpret_cast<const char*>(cert + ahead) + line);
          }
        }
        std::uint64_t match = matches[w];
        while (match != 0) {
          const unsigned bit = 63u - static_cast<unsigned>(__builtin_clzll(match));
          match &= ~(std::uint64_t{1} << bit);
          int score = 0;
          for (std::size_t i = 0; i < words; ++i) {
            for (const Class& c : classes[i]) {
              if (w >= c.lo && w < c.hi && ((c.bits[w] >> bit) & 1u)) {
                score += c.points;
                break;
              }
            }
          }
          const auto slot = static_cast<std::uint32_t>(w * 64 + bit);
          consider(slot, score + lead_points(slot));
        }
      }
    }
  }

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
  response.categories = facets(category_counts, categories_);
  response.provinces = facets(province_counts, provinces_);
  if (request.certifications) {
    const auto& kinds = request.certifications->kinds;
    for (std::size_t i = 0; i < kinds.size() && i < kCertKindBits; ++i) {
      response.certified.push_back({kinds[i], kind_counts[i]});
    }
    for (int min = kMinOcopStarsFilter; min <= kMaxOcopStarsFilter; ++min) {
      std::uint32_t n = 0;
      for (std::size_t stars = static_cast<std::size_t>(min); stars < star_counts.size(); ++stars)
        n += star_counts[stars];
      response.ocop_min.push_back({std::to_string(min), n});
    }
  }
  return response;
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

std::uint64_t SearchIndex::generation() const {
  std::shared_lock lock(mutex_);
  return generation_;
}

std::size_t SearchIndex::size() const {
  std::shared_lock lock(mutex_);
  return live_;
}

std::size_t SearchIndex::term_count() const {
  std::shared_lock lock(mutex_);
  return terms_.size();
}

std::size_t SearchIndex::MemoryBytes() const {
  std::shared_lock lock(mutex_);
  std::size_t bytes = columns_.Bytes() + identities_.capacity() * sizeof(Identity) +
                      slot_of_product_.capacity() * sizeof(std::uint32_t) +
                      lead_term_.capacity() * sizeof(std::uint32_t);
  for (const auto& [seller, shop] : shop_slots_) bytes += shop.capacity() * sizeof(std::uint32_t) + 48;
  for (const auto* lists : {&name_postings_, &other_postings_}) {
    for (const auto& list : *lists) bytes += list.capacity() * sizeof(std::uint32_t) + sizeof(list);
  }
  for (const auto& t : terms_) bytes += t.capacity() + sizeof(t) + 32;  // + the term_ids_ node
  bytes += sorted_terms_.capacity() * sizeof(std::uint32_t);
  for (const auto& [hash, list] : deletions_) bytes += list.capacity() * sizeof(std::uint32_t) + 48;
  return bytes;
}

}  // namespace nongsan::catalog
