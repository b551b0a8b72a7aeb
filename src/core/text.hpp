// Vietnamese text: folding for search, slugs, UTF-8 validation.
//
// FoldVietnamese() is the ONE function used both when indexing and when
// querying, so the two always agree: it lower-cases, strips tone and vowel
// marks (precomposed or combining), and maps đ/Đ → d, so "Chè Tân Cương",
// "che tan cuong" and "CHÈ TÂN CƯƠNG" fold alike, and so do the two tone
// placements "hoà"/"hòa". Code points outside Vietnamese Latin pass through
// unchanged. A table lookup, no ICU: millions of names a second.
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::text {

// True when `s` is well-formed UTF-8 (RFC 3629): no overlong forms, no
// surrogates, no code points above U+10FFFF, no truncated sequences.
bool IsValidUtf8(std::string_view s);

// The length (1–4) of the well-formed UTF-8 sequence that starts at s[i],
// or 0 where none does (i must be < s.size()). IsValidUtf8 is this, in a loop.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// Number of Unicode code points (s must be valid UTF-8).
std::size_t CodePointCount(std::string_view s);

std::string FoldVietnamese(std::string_view s);

// Folded words: FoldVietnamese then split on anything not a letter or digit.
std::vector<std::string> FoldedWords(std::string_view s);

// URL slug from a name: folded words joined with '-', at most max_len bytes,
// e.g. "Chè Tân Cương loại 1" → "che-tan-cuong-loai-1".
std::string Slugify(std::string_view s, std::size_t max_len = 80);

// At most max_bytes of s, cut on a character boundary: never inside a UTF-8
// sequence nor between a letter and the combining marks after it (so a cut
// "Chè" is "Ch", never "Ch\xC3" or "Che"). `ellipsis` ("…") is appended when
// the text was cut and counts toward max_bytes.
std::string Truncate(std::string_view s, std::size_t max_bytes, std::string_view ellipsis = "");

// Trims ASCII whitespace at both ends.
std::string Trim(std::string_view s);

// NFC normalisation through ICU (used on input names so stored text is NFC).
std::string ToNfc(std::string_view s);

// Escapes &, <, >, ", ' for HTML text and attributes.
std::string HtmlEscape(std::string_view s);

}  // namespace nongsan::text
