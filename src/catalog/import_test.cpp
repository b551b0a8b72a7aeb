// Bulk import on each backend: the CSV dialects officers' spreadsheets
// produce, per-line reports, idempotent re-runs, hostile files, who may
// import through the API, and the CLI's exit code.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "catalog/catalog_cli.hpp"
#include "catalog/catalog_test_support.hpp"

namespace nongsan::testing {
namespace {

constexpr const char* kHeader =
    "seller_phone,seller_name,seller_type,commune_code,sku,product_name,description,category,unit,price_vnd,"
    "stock,"
    "weight_grams";

class ImportApi : public CatalogFixture {
 protected:
  Result<catalog::ImportReport> Import(const std::string& csv, const Principal* actor = nullptr) {
    catalog::ImportOptions options;
    options.actor = actor;
    return catalog().importer.Import(csv, options);
  }
  std::int64_t Count(const std::string& table) {
    auto n =
        app_.app().db().Read([&](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM " + table); });
    return n.ok() ? *n : -1;
  }
  static std::string Row(const std::string& phone, const std::string& sku, const std::string& name,
                         const std::string& price = "180000", const std::string& commune = "05503") {
    return phone + ",Hộ Nguyễn Văn Hùng,household," + commune + "," + sku + "," + name +
           ",Chè ngon,tea-bud,gói," + price + ",10,500";
  }
};

TEST_P(ImportApi, AcceptsBomCrlfAndQuotedFields) {
  const std::string csv =
      std::string("\xEF\xBB\xBF") + kHeader + "\r\n" +
      "0912345678,\"HTX Chè Tân Cương, Thái Nguyên\",cooperative,05503,CHE-1,"
      "\"Chè \"\"móc câu\"\" loại 1\",\"Hái tay,\r\nsao chảo gang\",Tea buds,gói,\"180.000\",15,500\r\n" +
      "+84 912 345 678,HTX Chè Tân Cương,HTX,5503,CHE-2,Chè nõn tôm,,tea-bud,hop,350000,5,200\r\n" +
      "0987650001,Hộ Ma Thị Lan,hộ gia đình,02155,MIEN-1,Miến dong Na Rì,Sợi dai,proc-noodles,kg,"
      "90000,40,1000\r\n";
  auto report = Import(csv);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->rows, 3u);
  EXPECT_EQ(report->created, 3u);
  EXPECT_EQ(report->bad_rows, 0u) << (report->errors.empty() ? "" : report->errors[0].reason);
  EXPECT_EQ(report->sellers_created, 2u);  // the first two rows are one shop (same phone)

  auto ids = Search("q=moc%20cau");
  ASSERT_EQ(ids.size(), 1u);
  auto product = client_.Get("/api/v1/products/" + std::to_string(ids[0])).Json();
  EXPECT_EQ(product["name"], "Chè \"móc câu\" loại 1");
  EXPECT_EQ(product["description"], "Hái tay,\r\nsao chảo gang");
  EXPECT_EQ(product["price_vnd"], 180000);
  EXPECT_EQ(product["category"]["code"], "tea-bud");
  EXPECT_EQ(product["origin"]["commune_code"], "05503");
  EXPECT_EQ(product["status"], "active");
  auto second = Search("q=non%20tom");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(client_.Get("/api/v1/products/" + std::to_string(second[0])).Json()["unit"], "hộp");
  EXPECT_EQ(Search("q=mien%20dong").size(), 1u);
}

TEST_P(ImportApi, ReportsEveryBadRowByLineAndKeepsTheGoodOnes) {
  const std::string csv = std::string(kHeader) + "\n" + Row("0912000001", "A1", "Chè xanh") + "\n" +  // 2 ok
                          "0912000001,Hộ A,household,05503,A2\n" +  // 3 too few columns
                          Row("12345", "A3", "Chè đen") + "\n" +    // 4 bad phone
                          Row("0912000001", "A4", "Chè vàng", "180000", "99999") + "\n" +  // 5 commune
                          Row("0912000001", "A5", "Chè", "-5") + "\n" +     // 6 price (and name ok)
                          Row("0912000001", "A1", "Chè xanh lại") + "\n" +  // 7 duplicate sku
                          "0912000001,Hộ A,household,05503,A6,Chè,x,không có,gói,1000,1,1\n" +  // 8 category
                          Row("0912000001", "A7", "Chè \"hỏng\" giữa") + "\n" +  // 9 stray quote
                          Row("0912000001", "A8", "Chè ổn") + "\n" +             // 10 ok
                          "0912000001,Hộ A,household,05503,A9,\"Chè chưa đóng ngoặc,x,tea-bud,gói,1,1,1\n" +
                          Row("0912000001", "A10", "Không bao giờ tới") + "\n";
  auto report = Import(csv);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->created, 2u);
  std::map<std::size_t, std::string> errors;
  for (const auto& e : report->errors) errors[e.line] = e.reason;
  ASSERT_EQ(errors.size(), 8u) << report->errors.size();
  EXPECT_NE(errors[3].find("expected 12 columns, found 5"), std::string::npos);
  EXPECT_NE(errors[4].find("seller_phone"), std::string::npos);
  EXPECT_NE(errors[5].find("commune_code"), std::string::npos);
  EXPECT_NE(errors[6].find("price_vnd"), std::string::npos);
  EXPECT_NE(errors[7].find("first on line 2"), std::string::npos);
  EXPECT_NE(errors[8].find("category"), std::string::npos);
  EXPECT_NE(errors[9].find("quote"), std::string::npos);
  EXPECT_NE(errors[11].find("never closed"), std::string::npos);
  EXPECT_EQ(report->bad_rows, 8u);
  EXPECT_FALSE(report->ok());
}

TEST_P(ImportApi, RunningTheSameFileTwiceChangesNothing) {
  std::string csv = std::string(kHeader) + "\n";
  for (int i = 0; i < 30; ++i) {
    csv += Row("09120000" + std::to_string(10 + i % 3), "SKU-" + std::to_string(i),
               "Chè số " + std::to_string(i)) +
           "\n";
  }
  auto first = Import(csv);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->created, 30u);
  EXPECT_EQ(first->sellers_created, 3u);
  const std::int64_t changes = Count("catalog_changes");
  const std::int64_t ledger = Count("catalog_stock_ledger");

  auto second = Import(csv);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->created, 0u);
  EXPECT_EQ(second->updated, 0u);
  EXPECT_EQ(second->unchanged, 30u);
  EXPECT_EQ(second->sellers_created, 0u);
  EXPECT_EQ(Count("catalog_products"), 30);
  EXPECT_EQ(Count("catalog_changes"), changes);
  EXPECT_EQ(Count("catalog_stock_ledger"), ledger);

  // One changed price and stock: one update, the stock through the ledger.
  std::string changed = csv;
  const std::string before = Row("0912000010", "SKU-0", "Chè số 0");
  const std::string after =
      "0912000010,Hộ Nguyễn Văn Hùng,household,05503,SKU-0,Chè số 0,Chè ngon,tea-bud,gói,"
      "199000,25,500";
  changed.replace(changed.find(before), before.size(), after);
  auto third = Import(changed);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->updated, 1u);
  EXPECT_EQ(third->unchanged, 29u);
  EXPECT_EQ(Count("catalog_stock_ledger"), ledger + 1);
  auto ids = Search("q=che%20so%200%20");
  ASSERT_FALSE(ids.empty());
  auto product = client_.Get("/api/v1/products/" + std::to_string(ids[0])).Json();
  EXPECT_EQ(product["price_vnd"], 199000);
  EXPECT_EQ(product["stock"], 25);
}

TEST_P(ImportApi, RefusesJunkWithoutWritingHalfRows) {
  // A PNG uploaded by mistake: no header, nothing written.
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 20);
  auto junk = Import(png);
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().code, ErrorCode::kInvalid);
  EXPECT_NE(junk.error().detail.find("seller_phone,seller_name"), std::string::npos);
  EXPECT_FALSE(Import("").ok());
  EXPECT_FALSE(Import("phone,name\n1,2\n").ok());

  // Binary bytes inside a row spoil that row only.
  std::string csv = std::string(kHeader) + "\n" + Row("0912000020", "OK-1", "Chè tốt") + "\n" +
                    Row("0912000020", "BAD-1", std::string("Ch\xC3\x28 h\xFF\xFE", 8)) + "\n" +
                    Row("0912000020", "BAD-2", std::string("Ch\0e", 4)) + "\n";
  auto report = Import(csv);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->created, 1u);
  EXPECT_EQ(report->bad_rows, 2u);
  for (const auto& e : report->errors) EXPECT_NE(e.reason.find("UTF-8"), std::string::npos) << e.reason;
  EXPECT_EQ(Count("catalog_products"), 1);
}

TEST_P(ImportApi, OfficersImportForTheirAreaOnly) {
  TestUser officer = world_.CreateUser("Cán bộ xã Đức Xuân", {{Role::kCommuneOfficer, kCommuneIn}});
  TestUser admin = world_.CreateUser("Sở Nông nghiệp", {{Role::kProvinceAdmin, kProvince}});
  TestUser buyer = world_.CreateUser("Người mua");
  const std::string csv = std::string(kHeader) + "\n" +
                          Row("0912000030", "IN-1", "Chè Đức Xuân", "180000", kCommuneIn) + "\n" +
                          Row("0912000031", "OUT-1", "Chè Bắc Kạn", "180000", kCommuneOut) + "\n";
  const ClientHeaders csv_type = {{"Content-Type", "text/csv"}};
  auto with = [&](const TestUser& u) {
    ClientHeaders h = As(u);
    h.insert(csv_type.begin(), csv_type.end());
    return h;
  };
  EXPECT_EQ(client_.Post("/api/v1/imports/products", csv, csv_type).status, 401);
  EXPECT_EQ(client_.Post("/api/v1/imports/products", csv, with(buyer)).status, 403);

  ClientResponse by_officer = client_.Post("/api/v1/imports/products", csv, with(officer));
  ASSERT_EQ(by_officer.status, 200) << by_officer.body;
  auto report = by_officer.Json();
  EXPECT_EQ(report["created"], 1);
  EXPECT_EQ(report["bad_rows"], 1);
  EXPECT_EQ(report["errors"][0]["line"], 3);
  EXPECT_NE(report["errors"][0]["reason"].get<std::string>().find("outside"), std::string::npos);

  ClientResponse by_admin = client_.Post("/api/v1/imports/products", csv, with(admin));
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_EQ(by_admin.Json()["created"], 1);
  EXPECT_EQ(by_admin.Json()["unchanged"], 1);
  EXPECT_EQ(client_.Post("/api/v1/imports/products", std::string("garbage"), with(admin)).status, 400);
}

// The commune column is the file's claim: an existing shop matched by phone
// takes rows only from an officer who may manage it.
TEST_P(ImportApi, OfficersImportOnlyIntoShopsTheyMayManage) {
  TestUser officer_in = world_.CreateUser("Cán bộ xã Đức Xuân", {{Role::kCommuneOfficer, kCommuneIn}});
  TestUser officer_out = world_.CreateUser("Cán bộ xã Bắc Kạn", {{Role::kCommuneOfficer, kCommuneOut}});
  const Principal in = world_.PrincipalOf(officer_in.id);
  const Principal out = world_.PrincipalOf(officer_out.id);
  TestShop shop = MakeShop(kCommuneIn);  // officer help off; its phone is the owner's
  auto products_of_shop = [&] {
    auto n = app_.app().db().Read([&](db::Connection& c) {
      return c.QueryInt("SELECT COUNT(*) FROM catalog_products WHERE seller_id = ?", {shop.id});
    });
    return n.ok() ? *n : -1;
  };
  const std::string as_out = std::string(kHeader) + "\n" +
                             Row(shop.owner.phone, "LAN-1", "Chè lấn xã", "180000", kCommuneOut) + "\n";
  const std::string as_in = std::string(kHeader) + "\n" +
                            Row(shop.owner.phone, "XA-1", "Chè Đức Xuân", "180000", kCommuneIn) + "\n";

  auto refused = Import(as_out, &out);
  ASSERT_TRUE(refused.ok()) << refused.error().detail;
  EXPECT_EQ(refused->created, 0u);
  EXPECT_EQ(refused->bad_rows, 1u);
  auto without_help = Import(as_in, &in);
  ASSERT_TRUE(without_help.ok());
  EXPECT_EQ(without_help->created, 0u);
  EXPECT_EQ(without_help->bad_rows, 1u);
  EXPECT_EQ(products_of_shop(), 0);

  world_.SetOfficerAssist(shop.owner.id, shop.id, true);
  auto with_help = Import(as_in, &in);
  ASSERT_TRUE(with_help.ok());
  EXPECT_EQ(with_help->created, 1u);
  auto still_refused = Import(as_out, &out);
  ASSERT_TRUE(still_refused.ok());
  EXPECT_EQ(still_refused->bad_rows, 1u);
  EXPECT_EQ(products_of_shop(), 1);
}

// What an import left: per (shop phone, sku) the product's fields and stock
// ledger total, the shop count, and how many products search finds.
std::string Snapshot(TestApp& app) {
  std::ostringstream out;
  auto rows = app.app().db().Read([](db::Connection& c) {
    return c.Query(
        "SELECT s.phone, p.sku, p.name, p.description, p.price_vnd, p.stock, p.weight_grams, "
        "p.origin_commune, "
        "p.status, (SELECT CAST(SUM(l.quantity) AS BIGINT) FROM catalog_stock_ledger l WHERE l.product_id = "
        "p.id) "
        "FROM catalog_products p JOIN sellers s ON s.id = p.seller_id ORDER BY s.phone, p.sku");
  });
  if (!rows.ok()) return "query failed";
  for (const auto& r : *rows) {
    out << r.Text(0) << '|' << r.Text(1) << '|' << r.Text(2) << '|' << r.Text(3) << '|' << r.Int(4) << '|'
        << r.Int(5) << '|' << r.Int(6) << '|' << r.Text(7) << '|' << r.Text(8) << '|' << r.Int(9) << '\n';
  }
  auto shops =
      app.app().db().Read([](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM sellers"); });
  auto& search = app.app().services().catalog->search;
  (void)search.CatchUp();
  catalog::SearchRequest all;
  all.text = "che ";
  out << "shops " << (shops.ok() ? *shops : -1) << ", search finds " << search.index().Search(all).total;
  return out.str();
}

// The order of the rows in a spreadsheet does not matter: rows of many shops
// interleaved and shuffled (more than one batch of kImportBatchRows, each
// touching hundreds of shops) leave exactly what the same rows sorted by shop
// leave, on the first run, on a re-run that changes nothing and on a run that
// changes some prices and stocks.
TEST_P(ImportApi, RowsInAnyOrderGiveTheSameResult) {
  constexpr int kShops = 300;
  constexpr int kRowsPerShop = 8;
  static_assert(kShops * kRowsPerShop > catalog::kImportBatchRows);
  const std::vector<std::string> communes = {"05503", "05569", "02155", "05830", "00004"};
  std::vector<std::string> rows, changed;
  for (int shop = 0; shop < kShops; ++shop) {
    for (int k = 0; k < kRowsPerShop; ++k) {
      const std::string phone = "0912" + std::to_string(100000 + shop);
      const std::string sku = "SKU-" + std::to_string(k);
      const std::string name = "Chè búp số " + std::to_string(shop * kRowsPerShop + k);
      const std::string commune = communes[static_cast<std::size_t>(shop) % communes.size()];
      rows.push_back(Row(phone, sku, name, std::to_string(100000 + k), commune));
      changed.push_back(Row(phone, sku, name, std::to_string(k % 3 == 0 ? 150000 + k : 100000 + k), commune));
      if (k % 4 == 0) changed.back().replace(changed.back().rfind(",10,"), 4, ",12,");  // stock 10 → 12
    }
  }
  auto file = [](std::vector<std::string> lines, unsigned seed) {
    if (seed != 0) std::shuffle(lines.begin(), lines.end(), std::mt19937(seed));
    std::string csv = std::string(kHeader) + "\n";
    for (const auto& line : lines) csv += line + "\n";
    return csv;
  };
  TestApp shuffled_app(GetParam());
  auto import_into = [](TestApp& app, const std::string& csv) {
    catalog::ImportOptions options;
    return app.app().services().catalog->importer.Import(csv, options);
  };
  struct Step {
    const std::vector<std::string>* lines;
    unsigned seed;
  };
  for (const Step& step : {Step{&rows, 11}, Step{&rows, 12}, Step{&changed, 13}}) {
    auto sorted = Import(file(*step.lines, 0));
    auto shuffled = import_into(shuffled_app, file(*step.lines, step.seed));
    ASSERT_TRUE(sorted.ok());
    ASSERT_TRUE(shuffled.ok());
    EXPECT_EQ(shuffled->created, sorted->created);
    EXPECT_EQ(shuffled->updated, sorted->updated);
    EXPECT_EQ(shuffled->unchanged, sorted->unchanged);
    EXPECT_EQ(shuffled->sellers_created, sorted->sellers_created);
    EXPECT_EQ(shuffled->bad_rows, 0u);
    EXPECT_EQ(Snapshot(shuffled_app), Snapshot(app_)) << "after the file shuffled with seed " << step.seed;
  }
  auto last = Import(file(changed, 0));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->unchanged, static_cast<std::size_t>(kShops * kRowsPerShop));
}

// Rows are written by shop, not in file order: a row read again out of
// order keeps its own line in the report, a quoted field spanning lines
// comes back whole, and the first row of a repeated SKU is still the one
// highest in the file.
TEST_P(ImportApi, RowsWrittenByShopAreReportedByTheirOwnLines) {
  const std::string csv = std::string(kHeader) + "\r\n" + Row("0987000002", "B-1", "Chè Bắc") +
                          "\r\n" +  // 2 ok, shop B
                          "0912000001,Hộ A,household,05503,A-1,Chè Nam,\"Hái tay,\r\nsao chảo\",tea-bud,gói,"
                          "180000,10,500\r\n" +  // 3–4 ok, shop A
                          Row("0987000002", "B-2", "Chè Bắc hai", "-1") +
                          "\r\n" +                                                  // 5 price
                          Row("0912000001", "A-1", "Chè Nam lại") + "\r\n" +        // 6 repeats line 3
                          Row("0987000002", "B-3", "Chè \"lệch\" giữa") + "\r\n" +  // 7 stray quote
                          Row("+84 912 000 001", "A-2", "Chè Nam hai") + "\r\n";    // 8 ok, shop A
  auto report = Import(csv);
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->rows, 6u);
  EXPECT_EQ(report->created, 3u);
  EXPECT_EQ(report->sellers_created, 2u);
  ASSERT_EQ(report->errors.size(), 3u);
  EXPECT_EQ(report->errors[0].line, 5u);
  EXPECT_NE(report->errors[0].reason.find("price_vnd"), std::string::npos) << report->errors[0].reason;
  EXPECT_EQ(report->errors[1].line, 6u);
  EXPECT_NE(report->errors[1].reason.find("first on line 3"), std::string::npos) << report->errors[1].reason;
  EXPECT_EQ(report->errors[2].line, 7u);
  EXPECT_NE(report->errors[2].reason.find("quote"), std::string::npos) << report->errors[2].reason;
  auto ids = Search("q=che%20nam");
  ASSERT_EQ(ids.size(), 2u);
  std::set<std::string> descriptions;
  for (std::int64_t id : ids) {
    descriptions.insert(client_.Get("/api/v1/products/" + std::to_string(id)).Json()["description"]);
  }
  EXPECT_TRUE(descriptions.count("Hái tay,\r\nsao chảo")) << *descriptions.begin();
}

TEST_P(ImportApi, TheCommandExitsOneWhenARowIsBad) {
  const auto dir = std::filesystem::temp_directory_path() / ("nongsan-import-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto good = dir / ("good-" + GetParam() + ".csv");
  const auto bad = dir / ("bad-" + GetParam() + ".csv");
  std::ofstream(good) << kHeader << "\n" << Row("0912000040", "C-1", "Chè một") << "\n";
  std::ofstream(bad) << kHeader << "\n" << Row("0912000040", "C-2", "Chè hai") << "\nnot,a,row\n";
  std::ostringstream out, err;
  EXPECT_EQ(catalog::RunImportProducts(catalog(), good.string(), out, err), 0) << err.str();
  EXPECT_NE(out.str().find("1 created"), std::string::npos) << out.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(catalog::RunImportProducts(catalog(), bad.string(), out2, err2), 1);
  EXPECT_NE(err2.str().find("line 3: expected 12 columns"), std::string::npos) << err2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(catalog::RunImportProducts(catalog(), (dir / "missing.csv").string(), out3, err3), 1);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Import, ImportApi, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
