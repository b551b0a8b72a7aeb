// GS1 rules against published vectors: the GS1 Vietnam example in
// ../shared/DOMAIN.md (08935012345677, its Digital Link) and the EAN-13
// 4006381333931 printed in GS1's and Wikipedia's check-digit examples.
#include "trace/gs1.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"

namespace nongsan::trace::gs1 {
namespace {

TEST(Gs1, Gtin13UnderAPrefixMatchesPublishedNumbers) {
  EXPECT_EQ(Gtin13("8935012", 34567), "8935012345677");  // DOMAIN.md's GTIN, 13-digit form
  EXPECT_EQ(Gtin13("4006381", 33393), "4006381333931");
  EXPECT_EQ(Gtin13("8935012", 0), "8935012000002");
  EXPECT_EQ(Gtin13("8935012", 1), "8935012000019");
  EXPECT_EQ(Gtin13("8935012345", 99), "8935012345998");
}

TEST(Gs1, ItemReferencesStopAtThePrefixsRange) {
  EXPECT_EQ(ItemReferenceCapacity("8935012"), 100000);
  EXPECT_EQ(ItemReferenceCapacity("8935012345"), 100);
  EXPECT_FALSE(Gtin13("8935012345", 100).has_value());
  EXPECT_FALSE(Gtin13("8935012", -1).has_value());
}

TEST(Gs1, CompanyPrefixMustBeGs1VietnamsAndSevenToTenDigits) {
  EXPECT_FALSE(CompanyPrefixProblem("8935012").has_value());
  EXPECT_FALSE(CompanyPrefixProblem("8935012345").has_value());
  EXPECT_TRUE(CompanyPrefixProblem("8945012").has_value());      // not 893
  EXPECT_TRUE(CompanyPrefixProblem("893501").has_value());       // 6 digits
  EXPECT_TRUE(CompanyPrefixProblem("89350123456").has_value());  // 11 digits
  EXPECT_TRUE(CompanyPrefixProblem("893501A").has_value());
  EXPECT_TRUE(CompanyPrefixProblem("").has_value());
}

TEST(Gs1, ToGtin14PadsWithZeros) {
  EXPECT_EQ(ToGtin14("8935012345677"), "08935012345677");
  EXPECT_EQ(ToGtin14("08935012345677"), "08935012345677");
}

TEST(Gs1, LotCodesFollowAi10) {
  EXPECT_FALSE(LotCodeProblem("LOT123").has_value());
  EXPECT_FALSE(LotCodeProblem("A-1.b_2:3;4<5=6>7?").has_value());
  EXPECT_FALSE(LotCodeProblem(std::string(20, 'X')).has_value());
  EXPECT_TRUE(LotCodeProblem(std::string(21, 'X')).has_value());
  EXPECT_TRUE(LotCodeProblem("").has_value());
  EXPECT_TRUE(LotCodeProblem("LÔ1").has_value());    // not in character set 82
  EXPECT_TRUE(LotCodeProblem("LOT 1").has_value());  // space
  EXPECT_TRUE(LotCodeProblem("LOT#1").has_value());
  EXPECT_TRUE(LotCodeProblem("LOT/1").has_value());
}

TEST(Gs1, DigitalLinkAsInDomainNotes) {
  const auto expiry = timefmt::ParseIsoDate("2026-12-31");
  ASSERT_TRUE(expiry.has_value());
  EXPECT_EQ(DigitalLink("https://example.vn", "08935012345677", "LOT123", expiry),
            "https://example.vn/01/08935012345677/10/LOT123?17=261231");
  EXPECT_EQ(DigitalLink("https://example.vn/", "08935012345677", "A%B", std::nullopt),
            "https://example.vn/01/08935012345677/10/A%25B");
}

}  // namespace
}  // namespace nongsan::trace::gs1
