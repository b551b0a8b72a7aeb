// The in-memory search index on its own: Vietnamese folding on both sides,
// prefixes, typos, ranking, filters, facets, paging and updates.
#include "catalog/search_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace nongsan::catalog {
namespace {

IndexedProduct Make(std::int64_t id, std::string name, std::string other = "",
                    std::string category = "tea-bud", std::int64_t price = 100000,
                    std::string province = "19", std::string commune = "05503") {
  IndexedProduct p;
  p.id = id;
  p.seller_id = 1;
  p.name = std::move(name);
  p.other_text = std::move(other);
  p.category_code = std::move(category);
  p.province_code = std::move(province);
  p.commune_code = std::move(commune);
  p.price_vnd = price;
  p.created_at = 1000 + id;
  return p;
}

std::vector<std::int64_t> Ids(const SearchResponse& r) {
  std::vector<std::int64_t> ids;
  for (const auto& h : r.hits) ids.push_back(h.product_id);
  return ids;
}

SearchRequest Query(std::string text) {
  SearchRequest r;
  r.text = std::move(text);
  return r;
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Apply({Make(1, "Chè móc câu Tân Cương", "Búp chè hái tay"),
                  Make(2, "Gạo Bao Thai Định Hóa", "Cơm dẻo", "rice-white", 25000, "19", "05569"),
                  Make(3, "Miến dong Na Rì", "Sợi dai", "proc-noodles", 90000, "19", "02155"),
                  Make(4, "Chè búp Đại Từ", "", "tea-bud", 150000, "19", "05830"),
                  Make(5, "Mật ong rừng", "Khai thác ở Hòa Bình", "honey-forest", 450000, "17", "04000"),
                  Make(6, "Túi quà Tết", "Có chè Tân Cương và mật ong", "processed", 300000),
                  Make(7, "Nước mắm Phú Quốc", "Cá cơm", "proc-sauces", 120000, "91", "30000")},
                 {});
  }
  SearchIndex index_;
};

TEST_F(SearchIndexTest, MatchesWithOrWithoutToneMarksAndDd) {
  EXPECT_EQ(Ids(index_.Search(Query("che tan cuong"))), (std::vector<std::int64_t>{1, 6}));
  EXPECT_EQ(Ids(index_.Search(Query("CHÈ TÂN CƯƠNG"))), (std::vector<std::int64_t>{1, 6}));
  EXPECT_EQ(Ids(index_.Search(Query("dai tu"))), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(Ids(index_.Search(Query("Đại Từ"))), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(Ids(index_.Search(Query("gao dinh hoa"))), (std::vector<std::int64_t>{2}));
}

TEST_F(SearchIndexTest, EitherTonePlacementMatches) {
  // "Hòa" is stored; "hoà" (old placement) and a decomposed "hoa\u0300" find it.
  EXPECT_EQ(Ids(index_.Search(Query("mật ong hoà bình"))), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(Ids(index_.Search(Query("hoa\xCC\x80 binh"))), (std::vector<std::int64_t>{5}));
}

TEST_F(SearchIndexTest, TheLastWordIsAPrefixWhileTyping) {
  EXPECT_EQ(Ids(index_.Search(Query("gao bao tha"))), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Ids(index_.Search(Query("gao bao th"))), (std::vector<std::int64_t>{2}));
  // After other words, from the first letter; alone, from two letters.
  EXPECT_EQ(Ids(index_.Search(Query("gao bao t"))), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Ids(index_.Search(Query("gạo b"))), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Ids(index_.Search(Query("chè tân c"))), (std::vector<std::int64_t>{1, 6}));
  EXPECT_EQ(Ids(index_.Search(Query("mi"))), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(Ids(index_.Search(Query("gạ"))), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(index_.Search(Query("m")).hits.empty()) << "a lone letter is a prefix for suggestions only";
  EXPECT_EQ(Ids(index_.Search(Query("mie"))), (std::vector<std::int64_t>{3}));
  // A finished word (followed by a space) is not a prefix.
  EXPECT_TRUE(index_.Search(Query("mi ")).hits.empty());
  // Only the last word: "mi dong" needs "mi" as a whole word.
  EXPECT_TRUE(index_.Search(Query("mi dong")).hits.empty());
}

TEST_F(SearchIndexTest, OneTypoInLongWords) {
  EXPECT_EQ(Ids(index_.Search(Query("tan cuonng"))), (std::vector<std::int64_t>{1, 6}));  // insertion
  EXPECT_EQ(Ids(index_.Search(Query("cuogn tan"))), (std::vector<std::int64_t>{1, 6}));   // transposition
  EXPECT_EQ(Ids(index_.Search(Query("cuxng "))), (std::vector<std::int64_t>{1, 6}));      // substitution
  EXPECT_EQ(Ids(index_.Search(Query("mieen dong"))),
            (std::vector<std::int64_t>{3}));                 // extra letter, 5 typed
  EXPECT_TRUE(index_.Search(Query("cxxng ")).hits.empty());  // two typos
}

// A short word gets one typo only when it matches nothing as typed: "ongg"
// and "chee" are no words; "mat" and "cao" typed right are not taken for
// their neighbours.
TEST_F(SearchIndexTest, OneTypoInAShortWordThatMatchesNothing) {
  index_.Apply({Make(40, "Cao dược liệu")}, {});
  EXPECT_EQ(Ids(index_.Search(Query("mat ongg"))), (std::vector<std::int64_t>{5, 6}));  // extra letter
  EXPECT_EQ(Ids(index_.Search(Query("mật ongg "))), (std::vector<std::int64_t>{5, 6}));
  EXPECT_EQ(Ids(index_.Search(Query("mat onh"))), (std::vector<std::int64_t>{5, 6}));    // wrong letter
  EXPECT_EQ(Ids(index_.Search(Query("chee"))), (std::vector<std::int64_t>{4, 1, 6}));    // alone too
  EXPECT_EQ(Ids(index_.Search(Query("tan cuon "))), (std::vector<std::int64_t>{1, 6}));  // a letter missing
  // "cao" is a word: no typo spellings ("gao", "can"), so no rice.
  EXPECT_EQ(Ids(index_.Search(Query("cao "))), (std::vector<std::int64_t>{40}));
  // Two letters are never guessed at; two typos are not one.
  EXPECT_TRUE(index_.Search(Query("xz ")).hits.empty());
  EXPECT_TRUE(index_.Search(Query("mat oxxg ")).hits.empty());
}

TEST_F(SearchIndexTest, NameMatchesRankAboveOtherText) {
  const auto r = index_.Search(Query("mat ong"));
  ASSERT_EQ(Ids(r), (std::vector<std::int64_t>{5, 6}));
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

TEST_F(SearchIndexTest, ExactBeatsPrefixBeatsTypo) {
  index_.Apply({Make(30, "Khoai mọng"), Make(31, "Khoai mong sọ"), Make(32, "Khoai môn")}, {});
  // Finished, "mon" is a whole word of 32 only; while it is typed it may
  // still become "mong" (30, 31), so the three score alike.
  const auto r = index_.Search(Query("khoai mon "));
  ASSERT_EQ(Ids(r), (std::vector<std::int64_t>{32}));
  const auto typing = index_.Search(Query("khoai mon"));
  ASSERT_EQ(Ids(typing), (std::vector<std::int64_t>{32, 31, 30}));
  EXPECT_EQ(typing.hits[0].score, typing.hits[2].score);
  EXPECT_GT(index_.Search(Query("khoai mong ")).hits[0].score, typing.hits[0].score) << "exact beats prefix";
  // A typo match scores below the exact word, even for a newer product.
  index_.Apply({Make(35, "Trà Cương"), Make(36, "Trà Cươngg")}, {});
  const auto typo = index_.Search(Query("tra cuong "));
  ASSERT_EQ(Ids(typo), (std::vector<std::int64_t>{35, 36}));
  EXPECT_GT(typo.hits[0].score, typo.hits[1].score);
}

TEST_F(SearchIndexTest, StaticRankBreaksTies) {
  IndexedProduct a = Make(20, "Ổi Linh Sơn");
  IndexedProduct b = Make(21, "Ổi Linh Sơn");
  a.rank = 6;
  b.rank = 0;
  index_.Apply({a, b}, {});
  EXPECT_EQ(Ids(index_.Search(Query("oi linh son"))), (std::vector<std::int64_t>{20, 21}));
}

TEST_F(SearchIndexTest, FullTextSyntaxIsPlainText) {
  EXPECT_EQ(Ids(index_.Search(Query("\"chè\" -tân* OR cương NEAR '\\"))).size(), 0u);
  EXPECT_EQ(Ids(index_.Search(Query("\"chè\" tân* cương"))), (std::vector<std::int64_t>{1, 6}));
}

TEST_F(SearchIndexTest, FiltersAndFacets) {
  SearchRequest r = Query("che");
  auto all = index_.Search(r);
  EXPECT_EQ(all.total, 3u);  // 1, 4 (names) and 6 (description)
  r.category_code = "tea";   // a top-level category includes its children
  EXPECT_EQ(Ids(index_.Search(r)), (std::vector<std::int64_t>{4, 1}));  // equal scores: newer first
  r.category_code = "processed";
  auto processed = index_.Search(r);
  EXPECT_EQ(Ids(processed), (std::vector<std::int64_t>{6}));
  // Category facets ignore the category filter, so the alternatives show.
  std::map<std::string, std::uint32_t> facets;
  for (const auto& f : processed.categories) facets[f.code] = f.count;
  EXPECT_EQ(facets["tea-bud"], 2u);
  EXPECT_EQ(facets["processed"], 1u);

  SearchRequest by_place;
  by_place.commune_code = "05830";
  EXPECT_EQ(Ids(index_.Search(by_place)), (std::vector<std::int64_t>{4}));
  by_place.commune_code.clear();
  by_place.province_code = "91";
  auto south = index_.Search(by_place);
  EXPECT_EQ(Ids(south), (std::vector<std::int64_t>{7}));
  std::map<std::string, std::uint32_t> provinces;
  for (const auto& f : south.provinces) provinces[f.code] = f.count;
  EXPECT_EQ(provinces["19"], 5u);
  EXPECT_EQ(provinces["91"], 1u);

  SearchRequest priced;
  priced.price_min = 100000;
  priced.price_max = 200000;
  priced.sort = SortOrder::kPriceAsc;
  EXPECT_EQ(Ids(index_.Search(priced)), (std::vector<std::int64_t>{1, 7, 4}));
  priced.sort = SortOrder::kPriceDesc;
  EXPECT_EQ(Ids(index_.Search(priced)), (std::vector<std::int64_t>{4, 7, 1}));

  SearchRequest unknown;
  unknown.province_code = "01";  // valid but nothing indexed there
  EXPECT_TRUE(index_.Search(unknown).hits.empty());
}

TEST_F(SearchIndexTest, PagesWithCursorsCoverEverythingOnce) {
  for (std::int64_t id = 100; id < 160; ++id) index_.Upsert(Make(id, "Na dai Võ Nhai " + std::to_string(id)));
  for (SortOrder sort :
       {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kPriceAsc, SortOrder::kPriceDesc}) {
    SearchRequest r = Query("na dai vo nhai");
    r.sort = sort;
    r.limit = 7;
    std::vector<std::int64_t> seen;
    for (int page = 0; page < 20; ++page) {
      auto response = index_.Search(r);
      for (auto id : Ids(response)) seen.push_back(id);
      if (!response.next) break;
      r.after = response.next;
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen.size(), 60u);
    EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  }
}

TEST_F(SearchIndexTest, UpdatesAndRemovalsTakeEffect) {
  index_.Upsert(Make(3, "Miến dong Côn Minh", "Sợi dai", "proc-noodles", 95000, "19", "02185"));
  EXPECT_TRUE(index_.Search(Query("na ri")).hits.empty());
  EXPECT_EQ(Ids(index_.Search(Query("con minh"))), (std::vector<std::int64_t>{3}));
  // Same text, new price: updated in place.
  index_.Upsert(Make(3, "Miến dong Côn Minh", "Sợi dai", "proc-noodles", 10000, "19", "02185"));
  SearchRequest cheap = Query("mien");
  cheap.price_max = 20000;
  EXPECT_EQ(Ids(index_.Search(cheap)), (std::vector<std::int64_t>{3}));
  index_.Remove(3);
  EXPECT_TRUE(index_.Search(Query("mien")).hits.empty());
  EXPECT_EQ(index_.size(), 6u);
}

TEST(SearchIndexCompaction, DeadSlotsAreDroppedAndResultsKept) {
  SearchIndex index;
  std::vector<IndexedProduct> batch;
  for (std::int64_t id = 1; id <= 30000; ++id)
    batch.push_back(Make(id, "Gạo nếp " + std::to_string(id % 97)));
  index.Apply(batch, {});
  // Renaming everything kills every first slot, then compaction runs.
  for (auto& p : batch) p.name = "Gạo tẻ " + std::to_string(p.id % 89);
  index.Apply(batch, {});
  const std::size_t before = index.MemoryBytes();
  index.MaybeCompact();
  EXPECT_LT(index.MemoryBytes(), before);
  EXPECT_EQ(index.size(), 30000u);
  EXPECT_EQ(index.Search(Query("gao te")).total, 30000u);
  EXPECT_EQ(index.Search(Query("gao nep")).total, 0u);
}

TEST(SearchQueryParsing, FoldsDedupesAndLimitsWords) {
  auto q = ParseQueryText("Chè  chè TÂN cương");
  EXPECT_EQ(q.words, (std::vector<std::string>{"che", "tan", "cuong"}));
  EXPECT_TRUE(q.last_is_prefix);
  EXPECT_FALSE(ParseQueryText("tan cuong ").last_is_prefix);
  EXPECT_EQ(ParseQueryText("a b c d e f g h i j k").words.size(), kMaxQueryWords);
  EXPECT_TRUE(WithinOneEdit("cuong", "cuogn"));
  EXPECT_TRUE(WithinOneEdit("cuong", "cuon"));
  EXPECT_TRUE(WithinOneEdit("cuong", "cuoang"));
  EXPECT_FALSE(WithinOneEdit("cuong", "cougn"));
}

// Certificate filters and facets read a coverage snapshot: per product, the
// kinds held and the best OCOP rating; the index maps it onto its slots once
// per (index generation, coverage version).
TEST_F(SearchIndexTest, CertificationFiltersAndFacetsFollowTheCoverage) {
  auto coverage = std::make_shared<CertificationCoverage>();
  coverage->version = 1;
  coverage->kinds = {"ocop", "vietgap", "organic"};
  coverage->by_product[1] = {0b001, 4};   // OCOP 4★
  coverage->by_product[4] = {0b011, 3};   // OCOP 3★ and VietGAP
  coverage->by_product[2] = {0b010, 0};   // VietGAP
  coverage->by_product[99] = {0b001, 5};  // not in the index: ignored
  auto search = [&](std::string text, std::optional<int> ocop_min, std::optional<std::size_t> kind,
                    std::shared_ptr<const CertificationCoverage> with) {
    SearchRequest r = Query(std::move(text));
    r.sort = SortOrder::kNewest;
    r.ocop_min = ocop_min;
    r.certified_kind = kind;
    r.certifications = std::move(with);
    return index_.Search(r);
  };
  EXPECT_EQ(Ids(search("", 4, std::nullopt, coverage)), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Ids(search("", 3, std::nullopt, coverage)), (std::vector<std::int64_t>{4, 1}));
  EXPECT_EQ(Ids(search("", 5, std::nullopt, coverage)), (std::vector<std::int64_t>{}));
  EXPECT_EQ(Ids(search("", std::nullopt, 1, coverage)), (std::vector<std::int64_t>{4, 2}));
  EXPECT_EQ(Ids(search("", 3, 1, coverage)), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(Ids(search("", std::nullopt, 2, coverage)), (std::vector<std::int64_t>{}));
  EXPECT_EQ(Ids(search("che", 4, std::nullopt, coverage)), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Ids(search("", 3, std::nullopt, nullptr)), (std::vector<std::int64_t>{}))
      << "no coverage: nothing";

  SearchResponse all = search("", std::nullopt, std::nullopt, coverage);
  EXPECT_EQ(all.total, 7u);
  ASSERT_EQ(all.certified.size(), 3u);
  EXPECT_EQ(all.certified[0].code, "ocop");
  EXPECT_EQ(all.certified[0].count, 2u);
  EXPECT_EQ(all.certified[1].count, 2u);  // vietgap
  EXPECT_EQ(all.certified[2].count, 0u);  // organic
  ASSERT_EQ(all.ocop_min.size(), 3u);
  EXPECT_EQ(all.ocop_min[0].code, "3");
  EXPECT_EQ(all.ocop_min[0].count, 2u);
  EXPECT_EQ(all.ocop_min[1].count, 1u);
  EXPECT_EQ(all.ocop_min[2].count, 0u);
  // Certificate facets ignore their own filters but follow the others; the
  // other facets follow the certificate filters.
  SearchResponse filtered = search("", 4, std::nullopt, coverage);
  EXPECT_EQ(filtered.total, 1u);
  EXPECT_EQ(filtered.certified[1].count, 2u);
  ASSERT_EQ(filtered.provinces.size(), 1u);
  EXPECT_EQ(filtered.provinces[0].count, 1u);
  EXPECT_EQ(search("gao", std::nullopt, std::nullopt, coverage).certified[0].count, 0u);
  EXPECT_TRUE(search("", std::nullopt, std::nullopt, nullptr).certified.empty());

  // A new coverage (a certificate expired, another verified) applies at
  // once, also to a cached request; so does a change to the index.
  auto next = std::make_shared<CertificationCoverage>(*coverage);
  next->version = 2;
  next->by_product.erase(1);
  next->by_product[5] = {0b001, 5};
  EXPECT_EQ(Ids(search("", 4, std::nullopt, next)), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(Ids(search("", 4, std::nullopt, coverage)), (std::vector<std::int64_t>{1}));
  index_.Remove(1);
  EXPECT_EQ(Ids(search("", 4, std::nullopt, coverage)), (std::vector<std::int64_t>{}));
  index_.Upsert(Make(1, "Chè móc câu Tân Cương", "Búp chè hái tay"));
  EXPECT_EQ(Ids(search("", 4, std::nullopt, coverage)), (std::vector<std::int64_t>{1}));
}

// A certification word matches the products holding such a certificate valid
// today, as strongly as a name word, besides products with the word in
// their text; the catch-all kind "other" is no search word.
TEST_F(SearchIndexTest, CertificationWordsMatchCertifiedProducts) {
  index_.Apply({Make(8, "Chè OCOP Tân Cương")}, {});
  auto coverage = std::make_shared<CertificationCoverage>();
  coverage->version = 7;
  coverage->kinds = {"ocop", "vietgap", "other"};
  coverage->by_product[3] = {0b001, 4};  // Miến dong: OCOP 4★
  coverage->by_product[2] = {0b010, 0};  // Gạo Bao Thai: VietGAP
  coverage->by_product[7] = {0b100, 0};  // Nước mắm: other
  auto search = [&](std::string text, std::shared_ptr<const CertificationCoverage> with) {
    SearchRequest r = Query(std::move(text));
    r.certifications = std::move(with);
    return index_.Search(r);
  };
  EXPECT_EQ(Ids(search("ocop", coverage)), (std::vector<std::int64_t>{8, 3}));
  EXPECT_EQ(Ids(search("OCOP ", coverage)), (std::vector<std::int64_t>{8, 3}));
  EXPECT_EQ(Ids(search("oc", coverage)), (std::vector<std::int64_t>{8, 3})) << "while typed";
  EXPECT_EQ(Ids(search("vietgap", coverage)), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Ids(search("gạo vietgap", coverage)), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Ids(search("miến ocop", coverage)), (std::vector<std::int64_t>{3}));
  EXPECT_TRUE(search("chè vietgap ", coverage).hits.empty());
  EXPECT_TRUE(search("other ", coverage).hits.empty());
  EXPECT_EQ(Ids(search("ocop", nullptr)), (std::vector<std::int64_t>{8})) << "no coverage: text only";
  const auto scored = search("ocop ", coverage);
  EXPECT_EQ(scored.hits[0].score, scored.hits[1].score);
}

// Whatever the finished words find, every shorter prefix typed on the way
// (from two letters) found too: a word being typed matches the words it
// begins in the name and in the other text.
TEST_F(SearchIndexTest, ResultsNeverShrinkAsAWordIsCompleted) {
  index_.Apply({Make(9, "Chè xanh Thái Nguyên", "Hái ở xã Tân Cương"), Make(10, "Chè Tân Cươngg"),
                Make(11, "Bánh chưng", "Gói bằng gạo Bao Thai")},
               {});
  auto all = [&](const std::string& text) {
    SearchRequest r = Query(text);
    r.limit = 100;
    std::vector<std::int64_t> ids = Ids(index_.Search(r));
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  for (const std::string name : {"chè tân cương", "che tan cuong", "gạo bao thai", "mat ong rung"}) {
    std::vector<std::int64_t> later = all(name + " ");
    ASSERT_FALSE(later.empty()) << name;
    for (std::size_t end = name.size(); end >= 2; --end) {
      if ((static_cast<unsigned char>(name[end - 1]) & 0xC0) == 0xC0 ||
          (end < name.size() && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80))
        continue;  // not a whole character
      const std::string typed = name.substr(0, end);
      const std::vector<std::int64_t> now = all(typed);
      EXPECT_TRUE(std::includes(now.begin(), now.end(), later.begin(), later.end()))
          << "typed '" << typed << "'";
      later = now;
    }
  }
  // Product 9 (Tân Cương only in its text) is found at every step.
  EXPECT_EQ(all("chè tân c"), (std::vector<std::int64_t>{1, 6, 9, 10}));
}

// Among equally good matches each shop shows its first product before any
// shop its second, so the newest shop's many alike products do not fill the
// first page; within a shop the better static rank, then the newer, go first.
TEST_F(SearchIndexTest, ShopsTakeTurnsAmongEqualMatches) {
  std::vector<IndexedProduct> batch;
  for (std::int64_t id = 50; id < 56; ++id) {
    IndexedProduct p = Make(id, "Măng khô loại " + std::to_string(id));
    p.seller_id = id < 53 ? 2 : 3;  // shop 2: 50–52; shop 3: 53–55
    batch.push_back(p);
  }
  IndexedProduct old_shop = Make(40, "Măng khô Bắc Kạn");
  old_shop.seller_id = 4;
  batch.push_back(old_shop);
  index_.Apply(batch, {});
  EXPECT_EQ(Ids(index_.Search(Query("mang kho "))), (std::vector<std::int64_t>{55, 52, 40, 54, 51, 53, 50}));
  // A better static rank still comes first; the turns are counted per rank.
  IndexedProduct photo = Make(50, "Măng khô loại 50");
  photo.seller_id = 2;
  photo.rank = 4;
  index_.Apply({photo}, {});
  EXPECT_EQ(Ids(index_.Search(Query("mang kho "))), (std::vector<std::int64_t>{50, 55, 52, 40, 54, 51, 53}));
  // A removed product gives its turn to the shop's next one.
  index_.Apply({}, {55});
  EXPECT_EQ(Ids(index_.Search(Query("mang kho "))), (std::vector<std::int64_t>{50, 54, 52, 40, 53, 51}));
}

// Buyers type a name from its start: a name that begins with the query's
// first word (or a completion of it) ranks above one holding it further on.
TEST_F(SearchIndexTest, NamesBeginningWithTheFirstWordRankFirst) {
  index_.Apply({Make(60, "Cam sành Chợ Đồn"), Make(61, "Bánh chưng"), Make(62, "Chè xanh")}, {});
  const auto r = index_.Search(Query("ch"));
  // Every name with a word beginning "ch" matches; those beginning with one first.
  EXPECT_EQ(Ids(r), (std::vector<std::int64_t>{62, 4, 1, 61, 60, 6}));
  EXPECT_EQ(r.hits[0].score, r.hits[3].score + 1);
  const auto finished = index_.Search(Query("che "));
  EXPECT_EQ(Ids(finished), (std::vector<std::int64_t>{62, 4, 1, 6}));
  // Only the first query word counts: "xanh" begins no name.
  EXPECT_EQ(Ids(index_.Search(Query("xanh chè "))), (std::vector<std::int64_t>{62}));
  EXPECT_EQ(index_.Search(Query("xanh chè ")).hits[0].score, 24);
  EXPECT_EQ(index_.Search(Query("chè xanh ")).hits[0].score, 25);
}

// A catalogue large and repetitive enough that its common words get bitmaps
// (kMinDenseListLength), checked against a brute-force reading of the
// matching rules: every query word must match a name word exactly (12
// points) or as a prefix when it is the last, unfinished word (10), or an
// other-text word exactly (3), one more when the name begins with the first
// query word; ranking by score, static rank, newer id (one shop);
// total and facets over every match. Words are short (no typo spellings).
// With 24,000 products, 3 name words and 4 other words drawn from 14, each
// word's name and other lists hold ~4,800 slots: past kMinDenseListLength.
class DenseSearchIndexTest : public ::testing::Test {
 protected:
  static constexpr int kProducts = 24'000;
  static constexpr const char* kWords[] = {"che", "tra", "gao", "nep",  "mat",  "ong", "ca",
                                           "ga",  "rau", "cai", "trau", "chen", "gac", "na"};
  static constexpr const char* kCategories[] = {"tea-bud", "rice-white", "honey-forest", "proc-noodles"};
  static constexpr const char* kProvinces[] = {"19", "17", "91"};

  struct Reference {
    std::int64_t id;
    std::vector<std::string> name, other;
    std::string category, province;
    std::int64_t price;
    int rank;
    std::int64_t seller = 1;
  };

  void SetUp() override {
    std::uint64_t seed = 12345;
    auto next = [&seed](std::uint64_t n) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<std::size_t>((seed >> 33) % n);
    };
    std::vector<IndexedProduct> batch;
    for (int i = 1; i <= kProducts; ++i) {
      Reference r;
      r.id = i;
      for (int k = 0; k < 3; ++k) r.name.push_back(kWords[next(std::size(kWords))]);
      for (int k = 0; k < 4; ++k) r.other.push_back(kWords[next(std::size(kWords))]);
      r.category = kCategories[next(std::size(kCategories))];
      r.province = kProvinces[next(std::size(kProvinces))];
      r.price = 1000 * static_cast<std::int64_t>(1 + next(500));
      r.rank = static_cast<int>(next(kMaxStaticRank + 1));
      batch.push_back(ToProduct(r));
      products_[r.id] = r;
    }
    index_.Apply(batch, {});
    // Dead slots: some products removed, some renamed (a new slot each).
    std::vector<IndexedProduct> renamed;
    std::vector<std::int64_t> removed;
    for (int i = 1; i <= kProducts; i += 97) {
      removed.push_back(i);
      products_.erase(i);
    }
    for (int i = 2; i <= kProducts; i += 89) {
      if (!products_.count(i)) continue;
      Reference& r = products_[i];
      std::reverse(r.name.begin(), r.name.end());
      r.name[0] = kWords[next(std::size(kWords))];
      renamed.push_back(ToProduct(r));
    }
    index_.Apply(renamed, removed);
  }

  static std::string Join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
  }
  static IndexedProduct ToProduct(const Reference& r) {
    IndexedProduct p = Make(r.id, Join(r.name), Join(r.other), r.category, r.price, r.province, "05503");
    p.rank = r.rank;
    p.seller_id = r.seller;
    return p;
  }

  // Each product's turn within its shop among the shop's products of the
  // same static rank, newest first (0 for the first), capped at 15.
  std::map<std::int64_t, int> Turns() const {
    std::map<std::int64_t, std::vector<const Reference*>> shops;
    for (const auto& [id, r] : products_) shops[r.seller].push_back(&r);
    std::map<std::int64_t, int> turns;
    for (auto& [seller, list] : shops) {
      std::sort(list.begin(), list.end(), [](const Reference* a, const Reference* b) {
        return a->rank != b->rank ? a->rank > b->rank : a->id > b->id;
      });
      for (std::size_t i = 0; i < list.size(); ++i) {
        const bool same_rank = i > 0 && list[i]->rank == list[i - 1]->rank;
        turns[list[i]->id] = same_rank ? std::min(turns[list[i - 1]->id] + 1, 15) : 0;
      }
    }
    return turns;
  }

  // Brute force: the expected page, total and facets.
  struct Expected {
    std::vector<SearchHit> hits;
    std::uint64_t total = 0;
    std::map<std::string, std::uint32_t> categories, provinces;
  };
  Expected BruteForce(const std::vector<std::string>& words, bool last_is_prefix,
                      const SearchRequest& request) {
    struct Match {
      int score, rank, turn;
      std::int64_t id;
    };
    std::vector<Match> matches;
    Expected out;
    const std::map<std::int64_t, int> turns = Turns();
    for (const auto& [id, r] : products_) {
      if (request.price_max && r.price > *request.price_max) continue;
      int score = 0;
      bool all = true;
      for (std::size_t i = 0; i < words.size() && all; ++i) {
        const std::size_t min_prefix = words.size() > 1 ? kMinPrefixLengthAfterWords : kMinPrefixLength;
        const bool prefix = last_is_prefix && i + 1 == words.size() && words[i].size() >= min_prefix;
        auto matches = [&](const std::string& w) { return prefix ? w.starts_with(words[i]) : w == words[i]; };
        int best = 0;
        for (const auto& w : r.name) {
          if (matches(w)) best = prefix ? 10 : 12;
        }
        if (i == 0 && matches(r.name.front())) best += 1;  // the name begins with the first word
        if (best == 0 && std::any_of(r.other.begin(), r.other.end(), matches)) best = prefix ? 2 : 3;
        all = best > 0;
        score += best;
      }
      if (!all) continue;
      const bool category_ok = request.category_code.empty() || r.category == request.category_code;
      ++out.categories[r.category];
      if (category_ok) ++out.provinces[r.province];
      if (!category_ok) continue;
      ++out.total;
      matches.push_back({score, r.rank, turns.at(id), id});
    }
    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.rank != b.rank) return a.rank > b.rank;
      if (a.turn != b.turn) return a.turn < b.turn;
      return a.id > b.id;
    });
    for (std::size_t i = 0; i < matches.size() && i < request.limit; ++i)
      out.hits.push_back({matches[i].id, matches[i].score});
    return out;
  }

  // Every query of DenseQueries, plain, under a category and under a
  // price, gives the brute-force page (ids and scores), total and facets.
  void ExpectBruteForceResults();

  std::map<std::int64_t, Reference> products_;
  SearchIndex index_;
};

// The queries of the brute-force comparisons, with their folded words.
const std::vector<std::pair<std::string, std::vector<std::string>>>& DenseQueries() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> queries = {
      {"che ", {"che"}},
      {"che", {"che"}},  // prefix: che, chen
      {"tra", {"tra"}},  // prefix: tra, trau
      {"mat ong ", {"mat", "ong"}},
      {"gao nep ca ", {"gao", "nep", "ca"}},
      {"ga tra", {"ga", "tra"}},
      {"na ", {"na"}},
      {"cai rau gac ong ", {"cai", "rau", "gac", "ong"}},
      {"ch", {"ch"}},
      {"mat g", {"mat", "g"}},
      {"tra c", {"tra", "c"}},  // lone two letters, one after
      {"nep ch", {"nep", "ch"}},
  };
  return queries;
}

void DenseSearchIndexTest::ExpectBruteForceResults() {
  for (const auto& [text, words] : DenseQueries()) {
    for (int variant = 0; variant < 3; ++variant) {
      SearchRequest request = Query(text);
      request.limit = 30;
      if (variant == 1) request.category_code = "honey-forest";
      if (variant == 2) request.price_max = 200000;
      const bool last_is_prefix = text.back() != ' ';
      const Expected want = BruteForce(words, last_is_prefix, request);
      const SearchResponse got = index_.Search(request, SearchIndex::Cache::kBypass);
      SCOPED_TRACE("query '" + text + "' variant " + std::to_string(variant));
      ASSERT_GT(want.total, 0u);
      EXPECT_EQ(got.total, want.total);
      ASSERT_EQ(got.hits.size(), want.hits.size());
      for (std::size_t i = 0; i < want.hits.size(); ++i) {
        EXPECT_EQ(got.hits[i].product_id, want.hits[i].product_id) << "hit " << i;
        EXPECT_EQ(got.hits[i].score, want.hits[i].score) << "hit " << i;
      }
      std::map<std::string, std::uint32_t> categories, provinces;
      for (const auto& f : got.categories) categories[f.code] = f.count;
      for (const auto& f : got.provinces) provinces[f.code] = f.count;
      EXPECT_EQ(categories, want.categories);
      EXPECT_EQ(provinces, want.provinces);
    }
  }
}

TEST_F(DenseSearchIndexTest, BitmapSearchAgreesWithBruteForce) { ExpectBruteForceResults(); }

// Many shops: among equally good matches of the same static rank each shop's
// first product (newest first) comes before any shop's second, and so on.
// The products move to 37 shops (the same text: their slots stay), then a
// few are removed, which gives their turns to the shop's next products.
TEST_F(DenseSearchIndexTest, ShopTurnsAgreeWithBruteForce) {
  std::vector<IndexedProduct> moved;
  for (auto& [id, r] : products_) {
    r.seller = 1 + id % 37;
    moved.push_back(ToProduct(r));
  }
  index_.Apply(moved, {});
  ExpectBruteForceResults();
  if (HasFailure()) return;
  std::vector<std::int64_t> removed;
  for (auto it = products_.begin(); it != products_.end();) {
    if (it->first % 7 == 3) {
      removed.push_back(it->first);
      it = products_.erase(it);
    } else {
      ++it;
    }
  }
  index_.Apply({}, removed);
  ExpectBruteForceResults();
}

}  // namespace
}  // namespace nongsan::catalog
