#include "catalog/demo_catalog.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <string_view>

#include "catalog/label_data.hpp"
#include "places/places.hpp"

namespace nongsan::catalog {
namespace {

// What a shop makes decides where it is: each group lists the communes
// (2025 codes of province 19) known for it.
struct Group {
  std::string_view key;
  std::vector<std::string_view> communes;
  std::string_view coop_word;  // "HTX Chè Tân Cương"
  std::string_view care;       // how to keep it, as sellers write on the label
};

const std::vector<Group>& Groups() {
  static const std::vector<Group> groups = {
      {"tea",
       {"05503", "05830", "05818", "05773", "05662", "05611", "05641", "05800", "05809", "05776", "05788",
        "05488", "05845", "05851"},
       "Chè",
       "Bảo quản nơi khô ráo, đậy kín sau khi mở."},
      {"rice",
       {"05569", "05581", "05587", "05602", "05605", "05551", "05563", "05542", "05908", "05917"},
       "Nông nghiệp",
       "Để nơi thoáng mát, tránh ẩm mốc."},
      {"custard_apple",
       {"05716", "05740", "05746", "05755", "05719", "05722", "05725"},
       "Na",
       "Quả chín mềm nên ăn trong 2 ngày."},
      {"guava", {"05710", "05707", "05692"}, "Ổi", "Để ngăn mát tủ lạnh, dùng trong một tuần."},
      {"persimmon",
       {"02038", "02020", "01906", "02026", "02044"},
       "Hồng không hạt",
       "Hồng chín nên để ngăn mát, ăn trong 3–4 ngày."},
      {"noodles",
       {"02155", "02185", "02176", "02152", "02143"},
       "Miến dong",
       "Bảo quản nơi khô ráo, tránh ánh nắng."},
      {"honey",
       {"01906", "01912", "01936", "05725", "02155", "01954"},
       "Mật ong",
       "Đậy kín nắp, không cần để tủ lạnh."},
      {"bamboo",
       {"01954", "01957", "01960", "01969", "01981", "02086"},
       "Măng",
       "Măng khô để nơi khô thoáng; măng tươi dùng ngay trong ngày."},
      {"smoked_meat",
       {"01843", "01840", "01921", "01933", "01894"},
       "Thực phẩm",
       "Để ngăn đá, hấp lại trước khi ăn."},
      {"citrus", {"02014", "01849", "01864", "02020"}, "Cam quýt", "Để nơi thoáng mát, dùng trong hai tuần."},
      {"poultry",
       {"05908", "05923", "05941", "05953"},
       "Chăn nuôi",
       "Giao kèm đá lạnh; cấp đông nếu chưa dùng ngay."},
      {"cakes", {"05611", "05443", "05455", "05467", "05860"}, "Bánh", "Dùng trong 3 ngày hoặc để tủ lạnh."},
      {"herbs", {"01882", "01879", "02071", "02083", "02101"}, "Dược liệu", "Đựng trong lọ kín, để nơi khô."},
      {"crafts", {"01906", "02104", "02107", "05632"}, "Thủ công", "Lau bằng khăn khô, tránh để nơi ẩm."},
      {"vegetables",
       {"05500", "05528", "05533", "05881", "05857", "05518", "05890", "05899"},
       "Rau sạch",
       "Rửa sạch trước khi dùng, để ngăn mát."},
      {"fish", {"01906", "05830", "05845"}, "Thủy sản", "Giao kèm đá lạnh, chế biến trong ngày."},
  };
  return groups;
}

struct Template {
  std::string_view group;
  std::string_view category;
  std::string_view name;  // "{place}" becomes the commune's short name
  std::string_view unit;
  std::int64_t price;   // đồng per unit
  std::int64_t weight;  // grams per unit
  std::string_view description;
};

const std::vector<Template>& Templates() {
  static const std::vector<Template> templates = {
      {"tea", "tea-bud", "Chè móc câu {place}", "gói", 180000, 500,
       "Búp chè một tôm hai lá hái tay buổi sáng, sao suốt trên chảo gang, cánh xoăn như móc câu. Nước xanh "
       "vàng sánh, hương cốm non, vị chát dịu rồi ngọt hậu."},
      {"tea", "tea-bud", "Chè nõn tôm {place}", "hộp", 350000, 200,
       "Chỉ lấy phần nõn tôm của búp chè vụ xuân, sao thủ công nhiều lửa. Hộp giấy kraft có túi zip giữ "
       "hương."},
      {"tea", "tea-green", "Chè xanh {place} sao sấy", "kg", 220000, 1000,
       "Chè búp sao sấy theo cách truyền thống của vùng chè Thái Nguyên, pha được nhiều nước, hợp uống hằng "
       "ngày."},
      {"tea", "tea-green", "Chè búp {place} hút chân không", "gói", 95000, 200,
       "Gói hút chân không tiện mang đi, giữ chè thơm đến 12 tháng. Hãm với nước 80 độ C trong 2 phút."},
      {"tea", "tea-black", "Hồng trà {place}", "hộp", 160000, 100,
       "Lá chè ủ lên men rồi sấy, nước màu hổ phách, vị ngọt mật. Hợp pha trà sữa hoặc uống nóng."},
      {"tea", "tea-oolong", "Trà ô long {place}", "hộp", 280000, 200,
       "Giống chè ô long trồng trên đồi chè Thái Nguyên, vê viên, hương hoa lan nhẹ."},
      {"rice", "rice-white", "Gạo Bao Thai {place}", "kg", 25000, 1000,
       "Gạo Bao Thai vụ mùa trồng trên ruộng bậc thang Định Hóa, hạt nhỏ, cơm dẻo, để nguội không cứng."},
      {"rice", "rice-white", "Gạo Bao Thai {place} túi 5kg", "túi", 120000, 5000,
       "Túi 5kg đóng ngay sau khi xay, có ngày xay trên bao. Cơm thơm mềm, hợp bữa cơm gia đình."},
      {"rice", "rice-sticky", "Gạo nếp cái hoa vàng {place}", "kg", 38000, 1000,
       "Nếp cái hoa vàng hạt tròn mẩy, đồ xôi, gói bánh chưng, nấu rượu đều ngon."},
      {"rice", "rice-sticky", "Gạo nếp vải {place}", "kg", 35000, 1000,
       "Nếp vải dẻo thơm, người Tày dùng làm bánh chưng, bánh giầy ngày Tết."},
      {"rice", "rice-brown", "Gạo lứt đỏ {place}", "kg", 42000, 1000,
       "Gạo lứt xay dối giữ lớp cám, giàu chất xơ, hợp người ăn kiêng."},
      {"rice", "grain-corn", "Ngô nếp {place}", "kg", 20000, 1000,
       "Ngô nếp địa phương bắp nhỏ, hạt trắng ngà, luộc dẻo thơm."},
      {"custard_apple", "fruit-tropical", "Na dai {place}", "kg", 70000, 1000,
       "Na trồng trên núi đá vôi Võ Nhai, quả to, múi dày, ngọt đậm. Hái già, để 2–3 ngày là chín."},
      {"custard_apple", "fruit-tropical", "Na bở {place} thùng 3kg", "hộp", 190000, 3000,
       "Na bở mềm thơm, thùng carton có lót xốp, giao trong ngày tới nội thành Thái Nguyên."},
      {"guava", "fruit-tropical", "Ổi {place}", "kg", 30000, 1000,
       "Ổi trồng ven sông Cầu, quả giòn, ngọt mát, ít hạt. Rửa sạch ăn cả vỏ."},
      {"guava", "fruit-tropical", "Ổi găng {place}", "kg", 35000, 1000,
       "Giống ổi găng truyền thống, ruột trắng, thơm nồng, bao trái từ khi còn nhỏ nên vỏ sạch."},
      {"persimmon", "fruit-temperate", "Hồng không hạt {place}", "kg", 45000, 1000,
       "Hồng không hạt Bắc Kạn chín cây, vỏ mỏng màu đỏ cam, thịt mềm ngọt, không chát."},
      {"persimmon", "fruit-dried", "Hồng sấy dẻo {place}", "hộp", 150000, 500,
       "Hồng không hạt sấy dẻo tự nhiên, không đường, không chất bảo quản."},
      {"noodles", "proc-noodles", "Miến dong {place}", "kg", 90000, 1000,
       "Miến làm từ tinh bột củ dong riềng trồng tại chỗ, phơi nắng, sợi dai, nấu không nát."},
      {"noodles", "proc-noodles", "Miến dong {place} gói 500g", "gói", 48000, 500,
       "Sợi miến màu trong, ngâm nước 10 phút là nấu được. Không phẩm màu, không hàn the."},
      {"noodles", "veg-root", "Củ dong riềng {place}", "kg", 12000, 1000,
       "Củ dong riềng tươi, dùng làm bánh, nấu canh hoặc làm tinh bột."},
      {"honey", "honey-forest", "Mật ong rừng {place}", "chai", 450000, 1000,
       "Mật ong khai thác từ tổ ong khoái trên núi đá, màu sẫm, vị ngọt đậm hơi đắng nhẹ."},
      {"honey", "honey-farmed", "Mật ong hoa nhãn {place}", "chai", 220000, 500,
       "Mật ong nuôi thả vùng nhãn, sánh vàng, thơm mùi hoa nhãn, quay vào mùa hoa."},
      {"honey", "honey-products", "Phấn hoa {place}", "hũ", 180000, 300,
       "Phấn hoa ong nuôi thu từ cửa tổ, sấy khô lạnh, dùng pha với mật ong hoặc sữa chua."},
      {"bamboo", "bamboo-dried", "Măng khô {place}", "kg", 320000, 1000,
       "Măng nứa rừng luộc chín rồi phơi gác bếp, ngâm một đêm trước khi nấu với chân giò."},
      {"bamboo", "bamboo-fresh", "Măng nứa tươi {place}", "kg", 25000, 1000,
       "Măng nứa mới bẻ buổi sớm, luộc kỹ hai nước để hết đắng."},
      {"bamboo", "proc-pickles", "Măng chua {place}", "hũ", 60000, 1000,
       "Măng tươi thái lát muối chua theo cách người Tày, ăn kèm bún hoặc xào thịt bò."},
      {"smoked_meat", "proc-dried-meat", "Thịt trâu gác bếp {place}", "gói", 280000, 500,
       "Thịt bắp trâu tẩm mắc khén, ớt, gừng rồi hun khói trên gác bếp. Xé sợi chấm chẩm chéo."},
      {"smoked_meat", "proc-dried-meat", "Thịt lợn gác bếp {place}", "gói", 220000, 500,
       "Thịt lợn bản thả đồi ướp gia vị núi rừng, hun khói củi nghiến, hấp lại là ăn được."},
      {"smoked_meat", "proc-sausage", "Lạp xưởng hun khói {place}", "kg", 260000, 1000,
       "Lạp xưởng thịt nạc vai, rượu ngô và hạt dổi, hun khói nhẹ."},
      {"citrus", "fruit-citrus", "Cam sành {place}", "kg", 30000, 1000,
       "Cam trồng trên đồi, vỏ sần, mọng nước, vị ngọt thanh hơi chua."},
      {"citrus", "fruit-citrus", "Quýt {place}", "kg", 40000, 1000,
       "Quýt vỏ vàng mỏng, dễ bóc, múi ngọt, thu hoạch dịp Tết."},
      {"poultry", "meat-poultry", "Gà đồi {place}", "con", 280000, 1800,
       "Gà thả đồi trên 5 tháng, thịt chắc, da giòn, làm sạch và hút chân không trước khi giao."},
      {"poultry", "eggs", "Trứng gà ri {place}", "hộp", 45000, 600,
       "Trứng gà ri nuôi thả vườn, lòng đỏ đậm, hộp 10 quả."},
      {"poultry", "meat-poultry", "Vịt bầu {place}", "con", 200000, 2000,
       "Vịt bầu nuôi ven suối, thịt thơm ít mỡ."},
      {"cakes", "proc-cakes", "Bánh chưng Bờ Đậu", "cái", 60000, 1000,
       "Bánh chưng gói lá dong, nếp cái hoa vàng, đỗ xanh và thịt ba chỉ, luộc 10 tiếng."},
      {"cakes", "proc-cakes", "Bánh gio {place}", "bó", 50000, 1000,
       "Bánh gio làm từ nước tro và nếp, ăn với mật mía, mát ngày hè."},
      {"cakes", "proc-cakes", "Bánh coóc mò {place}", "gói", 45000, 500,
       "Bánh của người Tày hình sừng bò, nếp cẩm và đường phên."},
      {"herbs", "herb-roots", "Tinh bột nghệ {place}", "hũ", 250000, 500,
       "Nghệ vàng trồng đồi, lọc tinh bột thủ công, sấy lạnh."},
      {"herbs", "herb-leaves", "Giảo cổ lam {place}", "gói", 120000, 500,
       "Giảo cổ lam năm lá phơi khô, hãm như trà."},
      {"herbs", "herb-roots", "Ba kích tím {place}", "kg", 420000, 1000,
       "Củ ba kích tím rút lõi, phơi khô, dùng ngâm rượu."},
      {"herbs", "mush-dried", "Nấm hương rừng {place}", "kg", 480000, 1000,
       "Nấm hương mọc trên thân gỗ mục, mũ dày, thơm đậm, sấy than hoa."},
      {"herbs", "mush-dried", "Mộc nhĩ rừng {place}", "kg", 260000, 1000,
       "Mộc nhĩ thu hái trên gỗ rừng, phơi nắng, nở to, giòn."},
      {"herbs", "herb-spices", "Hạt dổi {place}", "hũ", 150000, 100,
       "Hạt dổi rừng nướng thơm, giã cùng muối làm gia vị chấm thịt nướng."},
      {"crafts", "craft-textiles", "Túi thổ cẩm {place}", "cái", 180000, 300,
       "Túi dệt tay bằng khung cửi của phụ nữ Tày, Dao, hoa văn truyền thống."},
      {"crafts", "craft-bamboo", "Giỏ mây đan {place}", "cái", 150000, 500,
       "Giỏ mây đan tay, khung tre, dùng đựng quà hoặc trang trí."},
      {"crafts", "craft-bamboo", "Bộ ống hút tre {place}", "bộ", 40000, 100,
       "Mười ống hút tre luộc sấy khô, kèm que cọ, thay ống nhựa."},
      {"vegetables", "veg-leafy", "Rau cải ngồng {place}", "bó", 15000, 500,
       "Cải ngồng trồng theo VietGAP, cắt buổi sáng, giao trong ngày."},
      {"vegetables", "veg-wild", "Rau bò khai {place}", "bó", 20000, 300,
       "Rau rừng xào tỏi giòn ngọt, hái ở bìa rừng."},
      {"vegetables", "veg-fruiting", "Su su {place}", "kg", 12000, 1000,
       "Quả su su non, xanh mướt, luộc hoặc xào."},
      {"vegetables", "veg-root", "Khoai môn {place}", "kg", 30000, 1000,
       "Khoai môn củ to, bở, nấu canh xương rất ngon."},
      {"fish", "fish-freshwater", "Cá bống hồ {place}", "kg", 250000, 1000,
       "Cá bống đánh bắt tự nhiên, rang khô hoặc kho tộ."},
      {"fish", "fish-shellfish", "Ốc đá {place}", "kg", 150000, 1000,
       "Ốc sống ở suối đá, nấu chuối đậu hoặc hấp sả."},
      {"fish", "fish-dried", "Cá suối khô {place}", "gói", 180000, 300,
       "Cá suối nhỏ phơi khô trên gác bếp, rán giòn."},
  };
  return templates;
}

struct Grade {
  std::string_view suffix;
  int percent;  // of the template price
};

constexpr Grade kGrades[] = {
    {"", 100},         {" loại 1", 110},  {" loại đặc biệt", 140}, {" hữu cơ", 130},  {" VietGAP", 120},
    {" vụ xuân", 105}, {" túi quà", 115}, {" OCOP 3 sao", 125},    {" nhà làm", 100}, {" thượng hạng", 150}};

constexpr std::string_view kSurnames[] = {"Nguyễn", "Trần", "Hoàng", "Nông",  "Ma", "Lộc", "Triệu", "Hà",
                                          "Đặng",   "Lý",   "Dương", "Lương", "Bế", "Hứa", "Phạm",  "Vi"};
constexpr std::string_view kMiddleNames[] = {"Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc"};
constexpr std::string_view kGivenNames[] = {"Hùng",  "Lan",  "Hoa",   "Thắng",  "Tuấn", "Hằng", "Thảo",
                                            "Quang", "Sơn",  "Hải",   "Phương", "Dũng", "Mai",  "Chiến",
                                            "Nga",   "Bình", "Khánh", "Thu",    "Tâm",  "Hưng"};

std::string Fill(std::string_view pattern, const std::string& place) {
  std::string out(pattern);
  const std::size_t at = out.find("{place}");
  if (at != std::string::npos) out.replace(at, 7, place);
  return out;
}

struct Shop {
  std::string phone;
  std::string name;
  std::string type;
  std::string commune;
  std::string place;  // commune short name
  const Group* group;
};

// Demo shops use 0912 0xx xxx, generated ones 086x xxx xxx: valid mobile
// prefixes that no test or officer file would use by accident.
Shop MakeShop(std::size_t index, const std::string& phone, std::mt19937& rng,
              const places::PlaceService& places) {
  const auto& groups = Groups();
  const Group& group = groups[index % groups.size()];
  Shop shop;
  shop.phone = phone;
  shop.group = &group;
  shop.commune = std::string(group.communes[(index / groups.size()) % group.communes.size()]);
  auto unit = places.Get(shop.commune);
  shop.place = unit ? unit->short_name : "Thái Nguyên";
  const std::string person = std::string(kSurnames[rng() % std::size(kSurnames)]) + " " +
                             std::string(kMiddleNames[rng() % std::size(kMiddleNames)]) + " " +
                             std::string(kGivenNames[rng() % std::size(kGivenNames)]);
  switch (rng() % 10) {
    case 0:
    case 1:
      shop.type = "cooperative";
      shop.name = "HTX " + std::string(group.coop_word) + " " + shop.place;
      break;
    case 2:
      shop.type = "enterprise";
      shop.name = "Công ty TNHH " + std::string(group.coop_word) + " " + shop.place;
      break;
    default:
      shop.type = "household";
      shop.name = "Hộ " + person;
  }
  if (shop.type != "household" && index >= groups.size())
    shop.name += " " + std::to_string(index / groups.size() + 1);
  return shop;
}

std::vector<std::string> MakeRow(const Shop& shop, std::size_t number, std::mt19937& rng) {
  std::vector<const Template*> mine;
  for (const auto& t : Templates()) {
    if (t.group == shop.group->key) mine.push_back(&t);
  }
  const Template& t = *mine[number % mine.size()];
  const Grade& grade = kGrades[(number / mine.size()) % std::size(kGrades)];
  const std::size_t round = number / (mine.size() * std::size(kGrades));
  std::string name = Fill(t.name, shop.place) + std::string(grade.suffix);
  if (round > 0) name += " lô " + std::to_string(round + 1);
  // Prices end in a thousand đồng, as sellers write them.
  const std::int64_t jitter = 90 + static_cast<std::int64_t>(rng() % 21);
  const std::int64_t price =
      std::max<std::int64_t>(1000, t.price * grade.percent / 100 * jitter / 100 / 1000 * 1000);
  const std::int64_t stock = static_cast<std::int64_t>(rng() % 200);
  std::string description = Fill(t.description, shop.place) + " Sản phẩm của " + shop.name + ", " +
                            shop.place + ", Thái Nguyên. " + std::string(shop.group->care);
  char sku[32];
  std::snprintf(sku, sizeof sku, "SP-%04zu", number + 1);
  return {shop.phone,
          shop.name,
          shop.type,
          shop.commune,
          sku,
          name,
          description,
          std::string(t.category),
          std::string(t.unit),
          std::to_string(price),
          std::to_string(stock),
          std::to_string(t.weight)};
}

// The demo's label data (what every food label needs, so the demo can print
// labels): net quantity from the unit weight, a shelf life and storage
// advice by label class. Ingredients and usage stay for the seller to fill
// in, so the print page's list of missing fields shows too.
const std::vector<std::string> kDemoLabelColumns = {"net_quantity", "shelf_life_days",
                                                    "storage_instructions"};

void AddDemoLabel(std::vector<std::string>& fields) {
  const std::string& category = fields[7];
  const std::int64_t grams = std::stoll(fields[11]);
  const bool fresh = LabelClassOf(category) == LabelClass::kFreshFood;
  fields.push_back(grams >= 1000 && grams % 1000 == 0 ? std::to_string(grams / 1000) + " kg"
                                                      : std::to_string(grams) + " g");
  fields.push_back(fresh ? "5" : "365");
  fields.push_back(fresh ? "Bảo quản mát từ 2 đến 8 °C" : "Bảo quản nơi khô ráo, thoáng mát");
}

}  // namespace

Result<bool> LoadDemoCatalog(CatalogModule& m) {
  TRY_ASSIGN(std::int64_t existing, m.db.Read([](db::Connection& c) {
    return c.QueryInt("SELECT COUNT(*) FROM catalog_products");
  }));
  if (existing > 0) return false;
  std::mt19937 rng(20251);  // fixed: the demo is the same on every machine
  std::vector<Shop> shops;
  for (std::size_t i = 0; i < kDemoShops; ++i) {
    char phone[16];
    std::snprintf(phone, sizeof phone, "09120%05zu", i + 1);
    shops.push_back(MakeShop(i, phone, rng, m.places));
  }
  std::size_t shop_index = 0;
  std::size_t product = 0;
  std::size_t count = kDemoProductsPerShopMin;
  std::size_t line = 1;
  RecordSource next = [&]() -> std::optional<CsvRecord> {
    if (product == count) {
      ++shop_index;
      product = 0;
      count = kDemoProductsPerShopMin + rng() % (kDemoProductsPerShopMax - kDemoProductsPerShopMin + 1);
    }
    if (shop_index >= shops.size()) return std::nullopt;
    CsvRecord record;
    record.line = ++line;
    record.fields = MakeRow(shops[shop_index], product++, rng);
    AddDemoLabel(record.fields);
    return record;
  };
  TRY_ASSIGN(ImportReport report, m.importer.ImportRecords(next, 0, {}, kDemoLabelColumns));
  spdlog::info("demo catalogue: {} shops, {} products ({} rows refused)", report.sellers_created,
               report.created, report.bad_rows);
  for (const auto& e : report.errors) spdlog::warn("demo row {}: {}", e.line, e.reason);
  return true;
}

Result<ImportReport> GenerateCatalog(CatalogModule& m, std::size_t products,
                                     const std::function<void(std::size_t, std::size_t)>& progress) {
  if (products == 0 || products > kMaxGeneratedProducts) {
    return Error::Field("products", "must be from 1 to " + std::to_string(kMaxGeneratedProducts));
  }
  std::mt19937 rng(7);
  const std::size_t shop_count = (products + kGeneratedProductsPerShop - 1) / kGeneratedProductsPerShop;
  std::size_t made = 0;
  std::size_t shop_index = 0;
  std::optional<Shop> shop;
  RecordSource next = [&]() -> std::optional<CsvRecord> {
    if (made == products || shop_index > shop_count) return std::nullopt;
    const std::size_t number = made % kGeneratedProductsPerShop;
    if (number == 0) {
      char phone[16];
      std::snprintf(phone, sizeof phone, "086%07zu", shop_index + 1);
      shop = MakeShop(shop_index++, phone, rng, m.places);
    }
    CsvRecord record;
    record.line = made + 2;
    record.fields = MakeRow(*shop, number, rng);
    ++made;
    return record;
  };
  ImportOptions options;
  options.progress = progress;
  return m.importer.ImportRecords(next, products, options);
}

}  // namespace nongsan::catalog
