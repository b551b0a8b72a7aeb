#include "core/text.hpp"

#include <gtest/gtest.h>

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
