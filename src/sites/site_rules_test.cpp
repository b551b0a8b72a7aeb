// The website settings' pure rules: WCAG contrast with white, host names,
// Host headers and plain text.
#include "sites/site_rules.hpp"

#include <gtest/gtest.h>

namespace nongsan::sites {
namespace {

TEST(SiteRules, ContrastWithWhiteFollowsWcag) {
  // Reference values from the WCAG 2.x formula (WebAIM's checker agrees).
  EXPECT_NEAR(*ContrastWithWhite("#000000"), 21.0, 1e-9);
  EXPECT_NEAR(*ContrastWithWhite("#ffffff"), 1.0, 1e-9);
  EXPECT_EQ(RatioText(*ContrastWithWhite("#767676")), "4.54");
  EXPECT_EQ(RatioText(*ContrastWithWhite("#777777")), "4.47");
  EXPECT_EQ(RatioText(*ContrastWithWhite("#1B6E3A")), RatioText(*ContrastWithWhite("#1b6e3a")));
  EXPECT_FALSE(ContrastWithWhite("1b6e3a"));
  EXPECT_FALSE(ContrastWithWhite("#1b6e3"));
  EXPECT_FALSE(ContrastWithWhite("#1b6e3g"));
  std::vector<FieldError> errors;
  EXPECT_EQ(CheckThemeColor(" #1B6E3A ", errors), "#1b6e3a");
  EXPECT_FALSE(CheckThemeColor(std::string(kDefaultThemeColor) + "0", errors));
  EXPECT_GE(*ContrastWithWhite(kDefaultThemeColor), kMinContrastWithWhite);
}

TEST(SiteRules, CustomDomainsAreLdhHostNames) {
  std::vector<FieldError> errors;
  EXPECT_EQ(CheckCustomDomain("Che-DucXuan.VN.", "nongsan.vn", errors), "che-ducxuan.vn");
  EXPECT_EQ(CheckCustomDomain("xn--ch-tan-cuong-vkb.vn", "nongsan.vn", errors), "xn--ch-tan-cuong-vkb.vn");
  EXPECT_TRUE(errors.empty());
  for (const char* bad : {"", "vn", "che_tan.vn", "-che.vn", "che-.vn", "che..vn", "10.0.0.1", "che.vn/",
                          "http://che.vn", "che.vn:80", "nongsan.vn", "shop.nongsan.vn", "a b.vn"}) {
    std::vector<FieldError> e;
    EXPECT_FALSE(CheckCustomDomain(bad, "nongsan.vn", e)) << bad;
    ASSERT_EQ(e.size(), 1u) << bad;
    EXPECT_EQ(e[0].field, "custom_domain");
  }
  std::vector<FieldError> e;
  EXPECT_FALSE(CheckCustomDomain(std::string(64, 'a') + ".vn", "nongsan.vn", e)) << "a label of 64";
  EXPECT_TRUE(CheckCustomDomain(std::string(63, 'a') + ".vn", "nongsan.vn", e));
}

// Unicode names through ICU's IDNA (UTS #46). The expected xn-- forms were
// computed by another implementation, Python's "idna" codec
// ("nôngsản.vn".encode("idna")), not by our code.
TEST(SiteRules, UnicodeDomainsAreStoredAsTheirXnFormAndShownInUnicode) {
  std::vector<FieldError> errors;
  EXPECT_EQ(CheckCustomDomain("nôngsản.vn", "nongsan.vn", errors), "xn--nngsn-6ta0134c.vn");
  // Decomposed (NFD) input, capitals and a trailing dot name the same domain.
  EXPECT_EQ(CheckCustomDomain("no\u0302ngsa\u0309n.vn", "nongsan.vn", errors), "xn--nngsn-6ta0134c.vn");
  EXPECT_EQ(CheckCustomDomain("NÔNGSẢN.VN.", "nongsan.vn", errors), "xn--nngsn-6ta0134c.vn");
  EXPECT_EQ(CheckCustomDomain("chè.vn", "nongsan.vn", errors), "xn--ch-8ia.vn");
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(DomainForDisplay("xn--nngsn-6ta0134c.vn"), "nôngsản.vn");
  EXPECT_EQ(DomainForDisplay("che-ducxuan.vn"), "che-ducxuan.vn");
  EXPECT_EQ(DomainForDisplay("xn--zz.vn"), "xn--zz.vn") << "what does not decode is shown as stored";
  for (const char* bad :
       {"nông sản.vn", "nông_sản.vn", "nôngsản", "xn--zz.vn", "\xff\xfe.vn", "nông<b>.vn"}) {
    std::vector<FieldError> e;
    EXPECT_FALSE(CheckCustomDomain(bad, "nongsan.vn", e)) << bad;
    ASSERT_EQ(e.size(), 1u) << bad;
    EXPECT_EQ(e[0].field, "custom_domain");
  }
}

TEST(SiteRules, HostHeadersAreMatchedOnlyWhenPlausible) {
  EXPECT_EQ(HostOfHeader("Che-DucXuan.vn:8080"), "che-ducxuan.vn");
  EXPECT_EQ(HostOfHeader("che-ducxuan.vn."), "che-ducxuan.vn");
  EXPECT_EQ(HostOfHeader("[::1]:80"), "");
  EXPECT_EQ(HostOfHeader("127.0.0.1:8080"), "");
  EXPECT_EQ(HostOfHeader("che\r\n.vn"), "");
  EXPECT_EQ(HostOfHeader(""), "");
  EXPECT_EQ(HostOfUrl("https://Nongsan.vn:8443/x"), "nongsan.vn");
  EXPECT_EQ(HostOfUrl("http://127.0.0.1:8080"), "127.0.0.1");
}

TEST(SiteRules, TextIsPlainAndWithinItsLimit) {
  std::vector<FieldError> errors;
  EXPECT_EQ(CleanSiteText("  Chè & trà  ", "tagline", kMaxTaglineChars, false, errors), "Chè & trà");
  EXPECT_EQ(CleanSiteText("Một\r\nHai", "story", kMaxStoryChars, true, errors), "Một\nHai");
  // 120 Vietnamese letters are 120 characters, not their bytes.
  std::string long_vi;
  for (int i = 0; i < 120; ++i) long_vi += "ệ";
  EXPECT_TRUE(CleanSiteText(long_vi, "tagline", kMaxTaglineChars, false, errors));
  EXPECT_TRUE(errors.empty());
  for (const std::string& bad :
       {long_vi + "a", std::string("<script>"), std::string("a\x01"), std::string("a\nb"),
        std::string("a\xc2\x85"
                    "b"),
        std::string("\xff")}) {
    std::vector<FieldError> e;
    EXPECT_FALSE(CleanSiteText(bad, "tagline", kMaxTaglineChars, false, e)) << bad;
    EXPECT_EQ(e.size(), 1u);
  }
}

}  // namespace
}  // namespace nongsan::sites
