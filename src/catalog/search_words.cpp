// Query words: parsing the typed text into folded words, and expanding each
// query word to the indexed words it matches (itself, its completions while
// it is typed, its one-typo neighbours).
#include <algorithm>
#include <string>
#include <vector>

#include "catalog/search_index.hpp"
#include "catalog/search_internal.hpp"
#include "core/text.hpp"

namespace nongsan::catalog {

namespace search_detail {

std::vector<std::string> UniqueWords(std::vector<std::string> words, std::size_t max_words) {
  if (words.size() > max_words) words.resize(max_words);
  std::vector<std::string> out;
  out.reserve(words.size());
  for (auto& w : words) {
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace search_detail

using search_detail::Hash;
using search_detail::kExact;
using search_detail::kMaxTypoExpansions;
using search_detail::kPrefix;
using search_detail::kTypo;
using search_detail::UniqueWords;

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

}  // namespace nongsan::catalog
