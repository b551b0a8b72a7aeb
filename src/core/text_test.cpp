#include "core/text.hpp"

#include <gtest/gtest.h>
#include <unicode/ustring.h>

#include <string>

namespace nongsan::text {
namespace {

TEST(TextFold, StripsTonesAndVowelMarks) {
  EXPECT_EQ(FoldVietnamese("Chè Tân Cương"), "che tan cuong");
  EXPECT_EQ(FoldVietnamese("CHÈ TÂN CƯƠNG"), "che tan cuong");
  EXPECT_EQ(FoldVietnamese("Mật ong rừng"), "mat ong rung");
  EXPECT_EQ(FoldVietnamese("Hồng không hạt Bắc Kạn"), "hong khong hat bac kan");
}

TEST(TextFold, MapsDStrokeToD) {
  EXPECT_EQ(FoldVietnamese("Đại Từ"), "dai tu");
  EXPECT_EQ(FoldVietnamese("đồng"), "dong");
}

TEST(TextFold, BothTonePlacementsAgree) {
  EXPECT_EQ(FoldVietnamese("hoà"), FoldVietnamese("hòa"));
  EXPECT_EQ(FoldVietnamese("thuý"), FoldVietnamese("thúy"));
  EXPECT_EQ(FoldVietnamese("Định Hoá"), "dinh hoa");
}

TEST(TextFold, HandlesDecomposedInput) {
  // "e" + combining grave, "a" + combining breve + combining acute.
  EXPECT_EQ(FoldVietnamese("e\xCC\x80 a\xCC\x86\xCC\x81"), "e a");
}

TEST(TextFold, KeepsOtherScriptsAndDropsMalformedBytes) {
  EXPECT_EQ(FoldVietnamese("茶 tea"), "茶 tea");
  EXPECT_EQ(FoldVietnamese("ab\xFF"
                           "c"),
            "abc");
}

TEST(TextWords, SplitsOnPunctuation) {
  auto words = FoldedWords("Gạo Bao Thai (Định Hóa), 5kg!");
  ASSERT_EQ(words.size(), 6u);
  EXPECT_EQ(words[0], "gao");
  EXPECT_EQ(words[3], "dinh");
  EXPECT_EQ(words[5], "5kg");
}

TEST(TextSlug, MakesCleanVietnameseSlugs) {
  EXPECT_EQ(Slugify("Chè Tân Cương loại 1"), "che-tan-cuong-loai-1");
  EXPECT_EQ(Slugify("  Đặc sản -- Thái Nguyên  "), "dac-san-thai-nguyen");
  EXPECT_LE(Slugify(std::string(300, 'a') + " b", 80).size(), 80u);
}

TEST(TextUtf8, ValidatesStrictly) {
  EXPECT_TRUE(IsValidUtf8("Thái Nguyên"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_EQ(CodePointCount("Thái"), 4u);
}

// ICU's converter as the independent judge: every lead and second byte,
// with third and fourth bytes from each side of the continuation range.
TEST(TextUtf8, AgreesWithIcuOnEveryLeadAndSecondByte) {
  const auto icu_valid = [](const std::string& s) {
    UChar out[8];
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(out, 8, &length, s.data(), static_cast<int32_t>(s.size()), &status);
    return U_SUCCESS(status) != 0;
  };
  int checked = 0, valid = 0;
  for (int lead = 0; lead < 256; ++lead) {
    for (int second = 0; second < 256; ++second) {
      for (int third : {0x41, 0x80, 0xBF, 0xC0}) {
        for (int fourth : {0x41, 0x80, 0xBF}) {
          for (std::size_t n = 1; n <= 4; ++n) {
            const char bytes[4] = {static_cast<char>(lead), static_cast<char>(second),
                                   static_cast<char>(third), static_cast<char>(fourth)};
            const std::string s(bytes, n);
            const bool ours = IsValidUtf8(s);
            ASSERT_EQ(ours, icu_valid(s)) << "bytes " << lead << " " << second << " " << third << " "
                                          << fourth << " (first " << n << ")";
            ++checked;
            valid += ours;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 256 * 256 * 4 * 3 * 4);
  EXPECT_GT(valid, 0);
}

TEST(TextUtf8, SequenceLengthNamesEachWellFormedSequence) {
  const std::string s = "a\xC3\xA1\xE1\xBB\x87\xF0\x9F\x8D\x83\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80";
  EXPECT_EQ(Utf8SequenceLength(s, 0), 1u);                                 // a
  EXPECT_EQ(Utf8SequenceLength(s, 1), 2u);                                 // á
  EXPECT_EQ(Utf8SequenceLength(s, 3), 3u);                                 // ệ
  EXPECT_EQ(Utf8SequenceLength(s, 6), 4u);                                 // U+1F343
  EXPECT_EQ(Utf8SequenceLength(s, 10), 0u);                                // overlong '/'
  EXPECT_EQ(Utf8SequenceLength(s, 12), 0u);                                // a surrogate
  EXPECT_EQ(Utf8SequenceLength(s, 15), 0u);                                // past U+10FFFF
  EXPECT_EQ(Utf8SequenceLength(s, 7), 0u);                                 // a continuation byte alone
  EXPECT_EQ(Utf8SequenceLength(std::string_view(s).substr(0, 5), 3), 0u);  // cut short
}

TEST(TextNfc, ComposesDecomposedText) {
  EXPECT_EQ(ToNfc("e\xCC\x80"), "è");
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

TEST(TextTruncate, CutsOnCharacterBoundaries) {
  EXPECT_EQ(Truncate("Chè Tân Cương", 100), "Chè Tân Cương");
  // "Chè" is C h \xC3\xA8: three bytes cannot keep half of "è".
  EXPECT_EQ(Truncate("Chè", 3), "Ch");
  EXPECT_EQ(Truncate("Chè", 4), "Chè");
  // NFD "e" + U+0300: the letter goes with its mark or not at all.
  const std::string nfd = "Che\xCC\x80";
  EXPECT_EQ(Truncate(nfd, 4), "Ch");
  EXPECT_EQ(Truncate(nfd, 5), nfd);
  EXPECT_EQ(Truncate("Mật ong rừng", 8, "…"), "Mật…");
  EXPECT_TRUE(IsValidUtf8(Truncate("Đồng Hỷ", 2)));
  EXPECT_EQ(Truncate("Đồng Hỷ", 1), "");
}

}  // namespace
}  // namespace nongsan::text
