#include "core/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdint>

namespace nongsan::text {
namespace {

// Decodes one code point at s[i]; returns 0xFFFFFFFF on malformed input.
char32_t Decode(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len;
  char32_t cp;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFFFFFF;
  }
  if (i + len > s.size()) {
    i = s.size();
    return 0xFFFFFFFF;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      i += k;
      return 0xFFFFFFFF;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  // Overlong forms, surrogates and out-of-range values are malformed.
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFFFFFF;
  return cp;
}

// Fold table for U+00C0..U+1EFF: the ASCII base letter, or 0 for "not
// Vietnamese Latin, keep as is".
constexpr char32_t kTableFirst = 0x00C0;
constexpr char32_t kTableLast = 0x1EFF;

struct FoldTable {
  std::array<char, kTableLast - kTableFirst + 1> base{};
  FoldTable() {
    struct Family {
      char base;
      const char* letters;
    };
    // Every precomposed Vietnamese letter (both cases), grouped by base.
    static const Family kFamilies[] = {
        {'a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬäåÄÅ"},
        {'e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆëË"},
        {'i', "ìíỉĩịÌÍỈĨỊïîÏÎ"},
        {'o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢöÖ"},
        {'u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰüûÜÛ"},
        {'y', "ỳýỷỹỵỲÝỶỸỴÿ"},
        {'d', "đĐ"},
        {'c', "çÇ"},
        {'n', "ñÑ"},
    };
    for (const auto& f : kFamilies) {
      std::string_view s(f.letters);
      for (std::size_t i = 0; i < s.size();) {
        char32_t cp = Decode(s, i);
        if (cp >= kTableFirst && cp <= kTableLast) base[cp - kTableFirst] = f.base;
      }
    }
  }
};

const FoldTable& Table() {
  static const FoldTable table;
  return table;
}

bool IsCombiningMark(char32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

}  // namespace

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return 1;
  // RFC 3629 section 4: the second byte's range depends on the lead byte,
  // which is what rules out overlong forms and surrogates.
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  const auto second = static_cast<unsigned char>(s[i + 1]);
  if (second < second_min || second > second_max) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    const auto continuation = static_cast<unsigned char>(s[i + k]);
    if (continuation < 0x80 || continuation > 0xBF) return 0;
  }
  return length;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(s, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

namespace {

bool IsContinuationByte(unsigned char b) { return (b & 0xC0) == 0x80; }

// U+0300–U+036F (combining diacritical marks: Vietnamese tones in NFD) are
// encoded CC 80–CD AF.
bool StartsCombiningMark(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return false;
  const auto b0 = static_cast<unsigned char>(s[i]);
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  return b0 == 0xCC || (b0 == 0xCD && b1 <= 0xAF);
}

}  // namespace

std::string Truncate(std::string_view s, std::size_t max_bytes, std::string_view ellipsis) {
  if (s.size() <= max_bytes) return std::string(s);
  if (ellipsis.size() >= max_bytes) ellipsis = {};
  std::size_t cut = max_bytes - ellipsis.size();
  while (cut > 0 && IsContinuationByte(static_cast<unsigned char>(s[cut]))) --cut;
  while (cut > 0 && StartsCombiningMark(s, cut)) {
    --cut;
    while (cut > 0 && IsContinuationByte(static_cast<unsigned char>(s[cut]))) --cut;
  }
  std::string out(s.substr(0, cut));
  out += ellipsis;
  return out;
}

std::string FoldVietnamese(std::string_view s) {
  const FoldTable& table = Table();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out += static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      ++i;
      continue;
    }
    std::size_t start = i;
    char32_t cp = Decode(s, i);
    if (cp == 0xFFFFFFFF) continue;  // malformed bytes are dropped
    if (IsCombiningMark(cp)) continue;
    if (cp >= kTableFirst && cp <= kTableLast) {
      char base = table.base[cp - kTableFirst];
      if (base != 0) {
        out += base;
        continue;
      }
    }
    out.append(s.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> FoldedWords(std::string_view s) {
  std::string folded = FoldVietnamese(s);
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < folded.size();) {
    const auto b = static_cast<unsigned char>(folded[i]);
    if (b < 0x80) {
      if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
        word += static_cast<char>(b);
      } else if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
      ++i;
    } else {
      // Non-ASCII letters that survive folding (other scripts) stay in the word.
      std::size_t start = i;
      Decode(folded, i);
      word.append(folded, start, i - start);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string Slugify(std::string_view s, std::size_t max_len) {
  std::string slug;
  for (const auto& w : FoldedWords(s)) {
    bool ascii = true;
    for (unsigned char c : w) ascii = ascii && c < 0x80;
    if (!ascii) continue;
    if (slug.size() + w.size() + 1 > max_len) break;
    if (!slug.empty()) slug += '-';
    slug += w;
  }
  return slug;
}

std::string Trim(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  std::size_t a = 0, b = s.size();
  while (a < b && is_space(s[a])) ++a;
  while (b > a && is_space(s[b - 1])) --b;
  return std::string(s.substr(a, b - a));
}

std::string ToNfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(s);
  icu::UnicodeString in =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (nfc->isNormalized(in, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  icu::UnicodeString norm = nfc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(s);
  std::string out;
  norm.toUTF8String(out);
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace nongsan::text
