// The in-memory product search index. Each app process holds one, built at
// start from catalog_products and kept current from the change log
// (search_sync.hpp). Both backends therefore answer a search with the same
// code over the same data, and the same results.
//
// Text: product name (the "name" field) and the description's first
// kMaxIndexedDescriptionWords words plus the origin commune and the top-level
// category names (the "other" field) are folded with text::FoldVietnamese —
// the one folding function, also applied to queries — and split into words.
// Each word has two posting lists of slot numbers in ascending order: the
// products with the word in the name, and those with it only in the other
// text.
//
// A query matches a product when every query word matches one of its words:
// exactly; as the beginning of a word (in the name or the other text) for the
// last word while it is being typed (from kMinPrefixLength letters alone,
// from kMinPrefixLengthAfterWords after other words); with one typo
// (insertion, deletion, substitution or transposition) for query words of
// kMinTypoWordLength letters or more that are not already common words
// (kMaxExactMatchesForTypos), and for shorter ones (kMinShortTypoWordLength)
// that match nothing as typed; or, for a certification word ("ocop",
// "vietgap", a kind of the coverage), by a product holding such a certificate.
// Since a word being typed matches every word it begins, in every field, a
// product found by the finished word was found at every letter on the way.
// Scores add up per query word (name above other, exact above prefix above
// typo; the word being typed counts as a prefix even where it is a whole
// word, since the buyer may not have finished it); ties go to the static rank
// (photo, in stock, described) and then the newer product. One pass over the
// matches also counts the facets and keeps the best page, so the cost is the
// length of the query words' posting lists, not the catalogue's size.
//
// Thread-safety: Search/Suggest take a shared lock, Upsert/Remove/Compact an
// exclusive one; all members may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/certification_source.hpp"

namespace nongsan::catalog {

inline constexpr std::size_t kMaxIndexedDescriptionWords = 80;
inline constexpr std::size_t kMinTypoWordLength = 5;
// A word of this many letters (but fewer than kMinTypoWordLength) gets typo
// spellings only when it matches nothing as typed ("chee", "mat ongg"): a
// short real word is far more often typed right than a near neighbour.
inline constexpr std::size_t kMinShortTypoWordLength = 3;
// Longest word the typo index holds; longer words are exact or prefix only.
inline constexpr std::size_t kMaxTypoWordLength = 24;
// A word found exactly in this many products (counting dead slots) is
// searched as typed only: no typo spellings.
inline constexpr std::size_t kMaxExactMatchesForTypos = 1000;
// The last word while it is typed is a prefix from its first letter after
// other words ("gạo b", "chè tân c": the other words narrow the matches), and
// from two letters alone ("gạ"). A lone first letter is a prefix only for
// suggestions (SearchRequest::suggest), over product names.
inline constexpr std::size_t kMinPrefixLength = 2;
inline constexpr std::size_t kMinPrefixLengthAfterWords = 1;
inline constexpr std::size_t kMinSuggestPrefixLength = 1;
// A guard on the words one prefix expands to. Every completion counts
// (dropping one would make results vanish and come back as the word is
// typed); even one letter expands to a few hundred words in a real catalogue.
inline constexpr std::size_t kMaxPrefixExpansions = 4096;
inline constexpr std::size_t kMaxQueryWords = 8;
// Dead slots (replaced or removed products) are compacted away once they are
// this share of all slots and at least kMinDeadSlotsToCompact.
inline constexpr double kCompactDeadShare = 0.25;
// Responses kept for repeated requests (buyers repeat the same head queries;
// autocomplete repeats prefixes). Any change to the index invalidates them.
inline constexpr std::size_t kSearchCacheEntries = 512;
inline constexpr std::size_t kMinDeadSlotsToCompact = 10'000;
// A posting list this long, holding at least 1/kDenseListDivisor of the
// slots, also gets a bitmap (at most half the list's bytes): a search then
// tests its candidates against the word in the bitmap instead of walking a
// list of hundreds of thousands of slots.
inline constexpr std::size_t kMinDenseListLength = 4096;
inline constexpr std::size_t kDenseListDivisor = 16;

// What the index stores about one product (only active products of visible
// shops are indexed; anything else is removed).
struct IndexedProduct {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string name;
  std::string other_text;  // description and the other low-weight text
  std::string category_code;
  std::string province_code;
  std::string commune_code;
  std::int64_t price_vnd = 0;
  std::int64_t created_at = 0;
  int rank = 0;  // static rank, 0..kMaxStaticRank
};

inline constexpr int kMaxStaticRank = 7;

enum class SortOrder { kRelevance, kPriceAsc, kPriceDesc, kNewest };

// A position in a result list: the sort key of the last item returned.
struct SearchCursor {
  SortOrder sort = SortOrder::kRelevance;
  std::int64_t k1 = 0, k2 = 0, k3 = 0;  // compared lexicographically, smaller first
};

struct SearchRequest {
  std::string text;           // as typed; empty = browse
  std::string category_code;  // "" = any; a top-level code includes its children
  std::string province_code;  // "" = any
  std::string commune_code;   // "" = any
  std::optional<std::int64_t> seller_id;
  std::optional<std::int64_t> price_min;
  std::optional<std::int64_t> price_max;
  SortOrder sort = SortOrder::kRelevance;
  std::size_t limit = 20;
  std::optional<SearchCursor> after;
  // Certificates valid today (filters and facets); null: no certification
  // facets, and a certification filter matches nothing.
  std::shared_ptr<const CertificationCoverage> certifications;
  std::optional<std::size_t> certified_kind;  // bit in certifications->kinds
  std::optional<int> ocop_min;                // best valid OCOP rating at least this
  // Autocomplete: a lone first letter is a prefix too (of name words only).
  bool suggest = false;
};

struct SearchHit {
  std::int64_t product_id = 0;
  int score = 0;
};

struct FacetCount {
  std::string code;
  std::uint32_t count = 0;
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::optional<SearchCursor> next;  // set when more results follow
  std::uint64_t total = 0;           // matches with every filter applied
  // Each facet counts the matches under every filter except its own, so a
  // buyer can see what choosing another category or province would give.
  std::vector<FacetCount> categories;  // leaf category codes, most first
  std::vector<FacetCount> provinces;
  // With a coverage: matching products per certification kind (every kind of
  // the coverage, zeros included, in its order) and per minimum OCOP rating
  // ("3", "4", "5"), both under every filter except the certification ones.
  std::vector<FacetCount> certified;
  std::vector<FacetCount> ocop_min;
  std::vector<std::string> words;  // the folded query words used
};

// Folded query words and whether the last one is still being typed (the
// text does not end in a space or punctuation). At most kMaxQueryWords,
// duplicates dropped.
struct ParsedQuery {
  std::vector<std::string> words;
  bool last_is_prefix = false;
};
class SearchIndex {
 public:
  SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Adds or replaces a product.
  void Upsert(const IndexedProduct& product);
  void Remove(std::int64_t product_id);
  // Many changes under one lock (index builds and catch-ups).
  void Apply(const std::vector<IndexedProduct>& upserts, const std::vector<std::int64_t>& removals);
  // Drops dead slots from the posting lists when there are enough of them.
  void MaybeCompact();

  // Served from the response cache when the same request was answered since
  // the last change (kBypass: always computed, for benchmarks).
  enum class Cache { kUse, kBypass };
  SearchResponse Search(const SearchRequest& request, Cache cache = Cache::kUse) const;

  // Changes with every change to the index: anything derived from a search
  // (a rendered page) is current while the generation is the same.
  std::uint64_t generation() const;

  std::size_t size() const;        // live products
  std::size_t term_count() const;  // distinct words
  // Approximate heap bytes held (for /metrics and the benchmark notes).
  std::size_t MemoryBytes() const;

 private:
  // One slot's filter values.
  struct Filters {
    std::uint32_t id;      // product ids are at most kMaxSlots
    std::uint32_t price;   // prices are at most kMaxPriceVnd (10^9)
    std::uint32_t seller;  // kNoSeller for ids past 32 bits (never filtered on)
    std::uint16_t category;
    std::uint16_t commune;
    std::uint8_t province;
    std::uint8_t rank_live;  // static rank in the low bits, kLiveBit while current
  };
  // What a search reads for every match: four bytes, so that a broad query
  // (hundreds of thousands of matches) streams through as little memory as
  // possible. The other values are read only when a filter or the sort
  // needs them.
  struct Hot {
    std::uint16_t category;
    std::uint8_t province;
    std::uint8_t rank_live;
  };
  static_assert(sizeof(Hot) == 4, "keep the per-match data small");
  // The filter values by slot, one array per column.
  struct Columns {
    std::vector<Hot> hot;
    std::vector<std::uint32_t> id;  // product ids, for the ties at the edge of the page
    std::vector<std::uint32_t> price;
    std::vector<std::uint32_t> seller;
    std::vector<std::uint16_t> commune;

    std::size_t size() const { return hot.size(); }
    void Push(const Filters& f);
    void Set(std::size_t slot, const Filters& f);
    Filters Get(std::size_t slot) const;
    std::size_t Bytes() const;
  };
  // Read only for the matches that may reach the page.
  struct Identity {
    std::int64_t product_id;
    std::int64_t created_at;
    std::uint64_t text_hash;  // of the indexed text, to update in place when unchanged
  };
  struct Expansion {
    std::uint32_t term;
    std::uint8_t quality;  // 0 exact, 1 prefix, 2 typo
  };

  // A product's certifications by slot: kinds in the low kCertKindBits bits,
  // best OCOP stars above; built from a coverage once per (index generation,
  // coverage version) so a search reads two bytes per match.
  struct CertSlots {
    std::uint64_t generation = 0;
    std::shared_ptr<const CertificationCoverage> coverage;
    std::vector<std::uint16_t> by_slot;
  };
  // Under the shared lock.
  std::shared_ptr<const CertSlots> CertSlotsFor(
      const std::shared_ptr<const CertificationCoverage>& coverage) const;

  // One search (search_ranking.cpp): the posting lists each query word
  // walks, then the matches found by merging one word's lists newest first
  // or through bitmaps per class of match, each offered to `consider`.
  struct Walk;
  struct Plan;
  struct Key;    // a match's place in the order
  struct Page;   // the best matches so far
  struct Tally;  // the facet counts
  SearchResponse SearchLocked(const SearchRequest& request, const ParsedQuery& parsed) const;
  Plan PlanWalks(const SearchRequest& request, const ParsedQuery& parsed, bool certifications) const;
  template <class Consider>
  void MergeNewestFirst(const Plan& plan, const std::uint16_t* cert, Consider& consider) const;
  template <class Consider>
  void ScanBitmaps(const Plan& plan, const std::uint16_t* cert, Consider& consider) const;
  void FillPage(Page& best, const SearchRequest& request, SearchResponse& response) const;
  void FillFacets(const Tally& tally, const SearchRequest& request, SearchResponse& response) const;
  void UpsertLocked(const IndexedProduct& product);
  void RemoveLocked(std::int64_t product_id);
  void CompactLocked();
  // Gives each live product of the shops in touched_shops_ its turn within
  // its shop (by static rank, newest first), the tie-break after the static
  // rank: among equally good matches each shop shows its first product
  // before any shop its second, so one shop's many alike products (or the
  // newest shops') do not fill the first page.
  void TakeShopTurnsLocked();
  std::uint32_t TermId(const std::string& word);
  // Appends a slot to a term's list, keeping or starting its bitmap.
  void AddPosting(std::vector<std::uint32_t>& list, std::vector<std::uint64_t>& bits, std::uint32_t slot);
  void RebuildBitmap(const std::vector<std::uint32_t>& list, std::vector<std::uint64_t>& bits) const;
  static void SetBit(std::vector<std::uint64_t>& bits, std::uint32_t slot);
  std::uint16_t Intern(std::vector<std::string>& names, std::unordered_map<std::string, std::uint16_t>& ids,
                       const std::string& code);
  std::optional<std::uint16_t> Lookup(const std::unordered_map<std::string, std::uint16_t>& ids,
                                      const std::string& code) const;
  std::vector<Expansion> Expand(const std::string& word, bool prefix) const;
  void AddTypoCandidates(const std::string& word, std::vector<Expansion>& out) const;
  // Sets in `bits` (one per slot) the products holding a certificate of the
  // kinds in `kinds`; returns how many.
  std::size_t CertifiedBits(const std::uint16_t* cert, std::uint16_t kinds, std::uint64_t* bits) const;

  mutable std::shared_mutex mutex_;
  std::uint64_t generation_ = 0;  // bumped by every change, under the exclusive lock

  struct CachedResponse {
    std::uint64_t generation;
    SearchResponse response;
  };
  mutable std::mutex cert_mutex_;  // guards cert_slots_; taken inside a shared lock
  mutable std::shared_ptr<const CertSlots> cert_slots_;
  mutable std::mutex cache_mutex_;  // guards the two below; taken inside a shared lock
  mutable std::list<std::pair<std::string, CachedResponse>> cache_;  // most recent first
  mutable std::unordered_map<std::string, std::list<std::pair<std::string, CachedResponse>>::iterator>
      cache_index_;
  // One entry per slot, in both arrays; a product's slot changes when its
  // words do (the old one is marked dead until compaction).
  Columns columns_;
  std::vector<Identity> identities_;
  std::vector<std::uint32_t> slot_of_product_;  // by product id; kNoSlot if absent
  // Slots by shop (pruned of dead and moved slots when the shop is touched),
  // and the shops a batch touched: for the turns within a shop.
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> shop_slots_;
  std::vector<std::uint32_t> touched_shops_;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;

  std::unordered_map<std::string, std::uint32_t> term_ids_;
  std::vector<std::string> terms_;
  std::vector<std::vector<std::uint32_t>> name_postings_;   // by term id
  std::vector<std::vector<std::uint32_t>> other_postings_;  // by term id; words not in the name
  // The same slots as a bitmap, for dense lists only (empty otherwise); may
  // be shorter than the slots (missing words are zero).
  std::vector<std::vector<std::uint64_t>> name_bits_;
  std::vector<std::vector<std::uint64_t>> other_bits_;
  // By term id, the slots whose name begins with the word (a part of its
  // name list), and their bitmap if dense: the lead-word point.
  std::vector<std::vector<std::uint32_t>> lead_postings_;
  std::vector<std::vector<std::uint64_t>> lead_bits_;
  // By a word's first byte, the slots holding a word that begins with it in
  // the name, and (not in the name) in the other text, as bitmaps: the
  // union of the lists a one-letter prefix ("chè tân c") walks, kept so
  // that it does not walk the lists of every completion.
  std::array<std::vector<std::uint64_t>, 256> initial_name_bits_;
  std::array<std::vector<std::uint64_t>, 256> initial_other_bits_;
  std::vector<std::uint32_t> sorted_terms_;  // term ids in word order, for prefixes
  // Hash of each one-letter deletion of a word (≥ kMinTypoWordLength letters)
  // → the words it came from; candidates are verified, so collisions are harmless.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> deletions_;

  std::vector<std::string> categories_;  // codes by small id
  std::unordered_map<std::string, std::uint16_t> category_ids_;
  std::vector<std::uint16_t> category_parent_;  // small id → top-level small id
  std::vector<std::string> provinces_;
  std::unordered_map<std::string, std::uint16_t> province_ids_;
  std::vector<std::string> communes_;
  std::unordered_map<std::string, std::uint16_t> commune_ids_;
};

ParsedQuery ParseQueryText(std::string_view text);

// Optimal-string-alignment distance ≤ 1 (one insertion, deletion,
// substitution or adjacent transposition).
bool WithinOneEdit(std::string_view a, std::string_view b);

}  // namespace nongsan::catalog
