// What the search index's files share (search_index.cpp keeps the index,
// search_words.cpp reads query words, search_ranking.cpp answers a query):
// the per-slot encodings, the scores and small helpers. Not for use outside
// the search index.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/certification_source.hpp"
#include "catalog/search_index.hpp"

namespace nongsan::catalog::search_detail {

inline constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;
inline constexpr std::uint32_t kMaxSlots = 0x7FFFFFFFu;
inline constexpr std::uint16_t kNoMatch = 0xFFFF;  // a filter value no product has
inline constexpr std::uint8_t kNoProvince = 0xFF;
inline constexpr std::uint32_t kNoSeller = 0xFFFFFFFFu;
inline constexpr std::uint8_t kLiveBit = 0x80;
// The hot byte below the live bit is the tie rank: the static rank above,
// the product's turn within its shop below (kShopTurns - 1 for a shop's
// first product of that static rank, 0 from its kShopTurns-th on).
inline constexpr std::uint8_t kRankMask = 0x7F;
inline constexpr unsigned kShopTurnBits = 4;
inline constexpr std::uint8_t kShopTurns = 1u << kShopTurnBits;
// A slot's certifications (CertSlots): kinds in the low bits, stars above.
inline constexpr unsigned kCertKindBits = kMaxCertificationKinds;
inline constexpr std::uint16_t kCertKindMask = (1u << kCertKindBits) - 1;
// How far ahead a search prefetches the per-slot data of the matches it
// will consider: in bitmap words (64 slots each), and in postings.
inline constexpr std::size_t kPrefetchWords = 4;
inline constexpr std::size_t kPrefetchSlots = 16;
// Most typo candidates one query word may expand to.
inline constexpr std::size_t kMaxTypoExpansions = 32;
// The catch-all certificate kind: not a word a buyer searches for.
inline constexpr std::string_view kCatchAllCertKind = "other";

enum Quality : std::uint8_t { kExact = 0, kPrefix = 1, kTypo = 2 };

// Points per query word by where and how it matched. Any name match beats
// any match elsewhere.
inline constexpr std::uint8_t kNameScore[] = {12, 10, 6};
inline constexpr std::uint8_t kOtherScore[] = {3, 2, 1};
// Added when the product's name begins with (a spelling or completion of)
// the query's first word: buyers type a name from its start, so "ch" ranks
// "Chè …" above "Cam sành Chợ Đồn" and "Bánh chưng", all name prefixes.
inline constexpr std::uint8_t kLeadWordScore = 1;

// The tie rank of a live slot: static rank, then its turn within its shop.
inline std::uint8_t TieRank(int static_rank, std::size_t turn) {
  const auto left = static_cast<unsigned>(kShopTurns - 1 - std::min<std::size_t>(turn, kShopTurns - 1));
  return static_cast<std::uint8_t>(kLiveBit | (static_cast<unsigned>(static_rank) << kShopTurnBits) | left);
}
inline int StaticRankOf(std::uint8_t rank_live) { return (rank_live & kRankMask) >> kShopTurnBits; }

inline std::uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

// The first max_words words, each once, in their order (search_words.cpp).
std::vector<std::string> UniqueWords(std::vector<std::string> words, std::size_t max_words);

}  // namespace nongsan::catalog::search_detail
