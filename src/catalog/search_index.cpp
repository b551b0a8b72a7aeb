// The index's upkeep: adding, replacing and removing products (slots, posting
// lists and their bitmaps, the shops' turns), compaction and its size.
// Answering a query is in search_ranking.cpp, query words in search_words.cpp.
#include "catalog/search_index.hpp"

#include <algorithm>
#include <mutex>

#include "catalog/categories.hpp"
#include "catalog/search_internal.hpp"
#include "core/text.hpp"

namespace nongsan::catalog {

using search_detail::Hash;
using search_detail::kLiveBit;
using search_detail::kMaxSlots;
using search_detail::kNoMatch;
using search_detail::kNoProvince;
using search_detail::kNoSeller;
using search_detail::kNoSlot;
using search_detail::StaticRankOf;
using search_detail::TieRank;
using search_detail::UniqueWords;

namespace {

bool IsTypoIndexable(const std::string& w) {
  if (w.size() < kMinShortTypoWordLength || w.size() > kMaxTypoWordLength) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

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
  lead_postings_.emplace_back();
  lead_bits_.emplace_back();
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
  slot_of_product_[pid] = slot;
  if (filters.seller != kNoSeller) shop_slots_[filters.seller].push_back(slot);
  ++live_;

  std::vector<std::string> name_words = UniqueWords(text::FoldedWords(p.name), kMaxIndexedDescriptionWords);
  std::vector<std::string> other_words = text::FoldedWords(p.other_text);
  if (other_words.size() > kMaxIndexedDescriptionWords) other_words.resize(kMaxIndexedDescriptionWords);
  for (const auto& w : name_words) {
    const std::uint32_t t = TermId(w);
    AddPosting(name_postings_[t], name_bits_[t], slot);
    if (&w == &name_words.front()) AddPosting(lead_postings_[t], lead_bits_[t], slot);  // the first word
    SetBit(initial_name_bits_[static_cast<unsigned char>(w.front())], slot);
  }
  std::vector<std::uint32_t> other_terms;
  for (const auto& w : other_words) {
    if (std::find(name_words.begin(), name_words.end(), w) != name_words.end()) continue;
    other_terms.push_back(TermId(w));
  }
  std::sort(other_terms.begin(), other_terms.end());
  other_terms.erase(std::unique(other_terms.begin(), other_terms.end()), other_terms.end());
  for (std::uint32_t t : other_terms) {
    AddPosting(other_postings_[t], other_bits_[t], slot);
    SetBit(initial_other_bits_[static_cast<unsigned char>(terms_[t].front())], slot);
  }
}

void SearchIndex::SetBit(std::vector<std::uint64_t>& bits, std::uint32_t slot) {
  if ((slot >> 6) >= bits.size()) bits.resize((slot >> 6) + 1, 0);
  bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
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
  for (std::size_t s = 0; s < columns_.size(); ++s) {
    if (!(columns_.hot[s].rank_live & kLiveBit)) continue;
    remap[s] = static_cast<std::uint32_t>(kept_filters.size());
    slot_of_product_[static_cast<std::size_t>(identities_[s].product_id)] = remap[s];
    kept_filters.Push(columns_.Get(s));
    kept_identities.push_back(identities_[s]);
  }
  // The mapping keeps order, so every posting list stays sorted.
  const std::size_t slots = kept_filters.size();
  for (auto [lists, bitmaps] :
       {std::pair{&name_postings_, &name_bits_}, std::pair{&other_postings_, &other_bits_},
        std::pair{&lead_postings_, &lead_bits_}}) {
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
  for (auto* initials : {&initial_name_bits_, &initial_other_bits_}) {
    for (auto& bits : *initials) {
      if (bits.empty()) continue;
      std::vector<std::uint64_t> kept;
      for (std::size_t w = 0; w < bits.size(); ++w) {
        for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
          const std::uint32_t to = remap[w * 64 + static_cast<unsigned>(__builtin_ctzll(word))];
          if (to != kNoSlot) SetBit(kept, to);
        }
      }
      bits = std::move(kept);
    }
  }
  columns_ = std::move(kept_filters);
  identities_ = std::move(kept_identities);
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
                      slot_of_product_.capacity() * sizeof(std::uint32_t);
  for (const auto& [seller, shop] : shop_slots_) bytes += shop.capacity() * sizeof(std::uint32_t) + 48;
  for (const auto* lists : {&name_postings_, &other_postings_, &lead_postings_}) {
    for (const auto& list : *lists) bytes += list.capacity() * sizeof(std::uint32_t) + sizeof(list);
  }
  for (const auto* initials : {&initial_name_bits_, &initial_other_bits_}) {
    for (const auto& bits : *initials) bytes += bits.capacity() * sizeof(std::uint64_t);
  }
  for (const auto& t : terms_) bytes += t.capacity() + sizeof(t) + 32;  // + the term_ids_ node
  bytes += sorted_terms_.capacity() * sizeof(std::uint32_t);
  for (const auto& [hash, list] : deletions_) bytes += list.capacity() * sizeof(std::uint32_t) + 48;
  return bytes;
}

}  // namespace nongsan::catalog
