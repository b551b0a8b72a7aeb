// Complaints, enforcement and reputation on both backends: a buyer complains
// about a received order, the shop answers, an officer of the area resolves it
// and suspends the product or the shop (which leaves the register at once,
// flags open orders, notifies the shop, lands in the audit log), then
// reinstates it; a failed step undoes the suspension.
#include "quality/complaint_service.hpp"

#include <gtest/gtest.h>

#include "quality/outbox.hpp"
#include "quality/quality_service.hpp"
#include "quality/quality_test_fixture.hpp"

namespace nongsan::quality::testing {
namespace {

constexpr std::int64_t kBuyer = 500;
constexpr std::int64_t kReceivedOrder = 8001;
constexpr std::int64_t kPlacedOrder = 8002;
constexpr std::int64_t kOpenOrderWithBuds = 8003;
constexpr std::int64_t kOpenOrderWithDust = 8004;

// Orders that refuse to be flagged, to check the suspension is undone.
class BrokenOrders final : public OrderPort {
 public:
  explicit BrokenOrders(FakeOrders& inner) : inner_(inner) {}
  Result<std::optional<OrderRef>> FindVisible(const Principal& principal, std::int64_t order_id) override {
    return inner_.FindVisible(principal, order_id);
  }
  Result<std::optional<std::int64_t>> FlagOpenOrders(std::int64_t, std::optional<std::int64_t>,
                                                     const std::string&) override {
    return Error::Unavailable("orders database unreachable");
  }
  Result<std::vector<std::int64_t>> HeldSellers() override { return inner_.HeldSellers(); }
  Result<std::vector<HeldOrderRef>> HeldOrders(const std::vector<std::int64_t>& seller_ids,
                                               std::size_t offset, std::size_t limit) override {
    return inner_.HeldOrders(seller_ids, offset, limit);
  }
  Result<std::optional<HeldOrderRef>> FindHeld(std::int64_t order_id) override {
    return inner_.FindHeld(order_id);
  }
  Result<HeldOrderRef> ResolveHold(std::int64_t order_id, HoldOutcome outcome, const std::string& note,
                                   std::int64_t official) override {
    return inner_.ResolveHold(order_id, outcome, note, official);
  }
  Result<std::optional<ShopOrderStats>> StatsForShop(std::int64_t seller_id, std::int64_t since) override {
    return inner_.StatsForShop(seller_id, since);
  }

 private:
  FakeOrders& inner_;
};

ComplaintQuery WithStatus(ComplaintStatus status) {
  ComplaintQuery q;
  q.status = status;
  return q;
}

ComplaintQuery OfShop(std::int64_t seller_id) {
  ComplaintQuery q;
  q.seller_id = seller_id;
  return q;
}

class QualityComplaints : public QualityFixture {
 protected:
  void SetUp() override {
    QualityFixture::SetUp();
    orders_.AddOrder(
        {kReceivedOrder, kShopTea, kBuyer, "delivered", kNowMs - kMsPerDay, {kTeaBuds, kTeaDust}});
    orders_.AddOrder({kPlacedOrder, kShopTea, kBuyer, "placed", std::nullopt, {kTeaBuds}});
    orders_.AddOrder({kOpenOrderWithBuds, kShopTea, 600, "confirmed", std::nullopt, {kTeaBuds}});
    orders_.AddOrder({kOpenOrderWithDust, kShopTea, 601, "packed", std::nullopt, {kTeaDust}});
    staged_ = std::make_unique<StagedUploads>(*db_, *clock_);
    reviews_ = std::make_unique<ReviewService>(*db_, *clock_, shops_, orders_, areas_, *staged_);
    complaints_ =
        std::make_unique<ComplaintService>(*db_, *clock_, shops_, products_, orders_, areas_, *reviews_);
    certificates_ = std::make_unique<QualityService>(*db_, *clock_, shops_, products_, areas_,
                                                     "https://n.test", *staged_);
  }

  ComplaintInput Input(std::int64_t order, std::optional<std::int64_t> product = kTeaBuds) {
    return {order, product, "Chè có mùi mốc, không giống mô tả"};
  }

  std::unique_ptr<StagedUploads> staged_;  // outlives the services that claim from it
  std::unique_ptr<ReviewService> reviews_;
  std::unique_ptr<ComplaintService> complaints_;
  std::unique_ptr<QualityService> certificates_;
  Principal buyer_ = User(kBuyer, {{Role::kBuyer, ""}}, "Nguyễn Thị Lan");
  Principal tea_owner_ = User(kTeaOwner, {{Role::kShopOwner, "1"}});
  Principal officer_ = CommuneOfficer(900, kTanCuong);
};

TEST_P(QualityComplaints, BuyerFilesShopAnswersOfficerResolves) {
  EXPECT_EQ(complaints_->File(&buyer_, Input(kPlacedOrder)).error().type, "order_not_received");
  Principal stranger = User(777);
  EXPECT_EQ(complaints_->File(&stranger, Input(kReceivedOrder)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(complaints_->File(&buyer_, Input(kReceivedOrder, kRice)).error().fields.at(0).field,
            "product_id");
  ComplaintInput short_text = Input(kReceivedOrder);
  short_text.body = "tệ";
  EXPECT_EQ(complaints_->File(&buyer_, short_text).error().fields.at(0).field, "text");
  EXPECT_EQ(Count("quality_complaints"), 0);

  auto filed = complaints_->File(&buyer_, Input(kReceivedOrder));
  ASSERT_TRUE(filed.ok()) << filed.error().detail;
  EXPECT_EQ(filed->status, ComplaintStatus::kOpen);
  EXPECT_EQ(filed->seller_id, kShopTea);
  EXPECT_EQ(complaints_->File(&buyer_, Input(kReceivedOrder)).error().type, "complaint_open");

  clock_->Advance(5 * 3600 * 1000);  // the shop answers five hours later
  auto answered = complaints_->Respond(&tea_owner_, filed->id, "Shop xin lỗi, sẽ hoàn tiền.");
  ASSERT_TRUE(answered.ok()) << answered.error().detail;
  EXPECT_EQ(complaints_->Respond(&tea_owner_, filed->id, "Lần hai").error().type, "already_answered");

  Principal far = CommuneOfficer(901, kDaiTu);
  EXPECT_EQ(complaints_->Resolve(&far, filed->id, Resolution::kUpheld, "Đã kiểm tra mẫu").error().code,
            ErrorCode::kNotFound)
      << "an officer of another area learns nothing";
  auto resolved =
      complaints_->Resolve(&officer_, filed->id, Resolution::kUpheld, "Đã kiểm tra mẫu chè, bị ẩm");
  ASSERT_TRUE(resolved.ok()) << resolved.error().detail;
  EXPECT_EQ(resolved->status, ComplaintStatus::kResolved);
  EXPECT_EQ(resolved->resolution, Resolution::kUpheld);
  EXPECT_EQ(complaints_->Resolve(&officer_, filed->id, Resolution::kDismissed, "Đổi ý").error().type,
            "invalid_transition");

  // Who sees it.
  EXPECT_TRUE(complaints_->Get(&buyer_, filed->id).ok());
  EXPECT_TRUE(complaints_->Get(&tea_owner_, filed->id).ok());
  EXPECT_TRUE(complaints_->Get(&officer_, filed->id).ok());
  EXPECT_EQ(complaints_->Get(&far, filed->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(complaints_->List(&buyer_, {})->size(), 1u);
  EXPECT_EQ(complaints_->List(&officer_, WithStatus(ComplaintStatus::kResolved))->size(), 1u);
  EXPECT_EQ(complaints_->List(&officer_, WithStatus(ComplaintStatus::kOpen))->size(), 0u);
  EXPECT_EQ(complaints_->List(&far, {})->size(), 0u);
  EXPECT_EQ(complaints_->List(&tea_owner_, OfShop(kShopTea))->size(), 1u);
  EXPECT_EQ(complaints_->List(&buyer_, OfShop(kShopTea)).error().code, ErrorCode::kNotFound);

  auto rep = complaints_->ShopReputation(kShopTea);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->complaints, 1);
  EXPECT_EQ(rep->complaints_answered, 1);
  ASSERT_TRUE(rep->median_response_hours);
  EXPECT_DOUBLE_EQ(*rep->median_response_hours, 5.0);
}

TEST_P(QualityComplaints, SuspendedProductLeavesTheRegisterAtOnceAndComesBack) {
  CertificateInput in;
  in.kind = "vietgap";
  in.number = "VG-TEA-1";
  in.issuer = "QUACERT";
  in.issued_on = "2026-01-15";
  in.expires_on = "2027-01-14";
  in.product_ids = {kTeaBuds, kTeaDust};
  auto cert = certificates_->Submit(&tea_owner_, kShopTea, in);
  ASSERT_TRUE(cert.ok()) << cert.error().detail;
  ASSERT_TRUE(certificates_->Verify(&officer_, cert->certificate.id).ok());
  ASSERT_EQ(certificates_->Register({})->items.size(), 2u);
  auto complaint = complaints_->File(&buyer_, Input(kReceivedOrder));
  ASSERT_TRUE(complaint.ok());

  // Refusals change nothing.
  Principal far = ProvinceAdmin(902, kHanoi);
  EXPECT_EQ(complaints_->Suspend(&far, EnforcementTarget::kProduct, kTeaBuds, "Hàng mốc", std::nullopt)
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(complaints_->Suspend(&tea_owner_, EnforcementTarget::kProduct, kTeaBuds, "Hàng mốc", std::nullopt)
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      complaints_->Suspend(&officer_, EnforcementTarget::kProduct, kTeaBuds, "", std::nullopt).error().code,
      ErrorCode::kInvalid);
  EXPECT_EQ(complaints_->Suspend(&officer_, EnforcementTarget::kProduct, 999, "Hàng mốc", std::nullopt)
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(certificates_->Register({})->items.size(), 2u);
  EXPECT_EQ(Count("quality_enforcement"), 0);

  auto action = complaints_->Suspend(&officer_, EnforcementTarget::kProduct, kTeaBuds,
                                     "Khiếu nại đúng: chè bị mốc", complaint->id);
  ASSERT_TRUE(action.ok()) << action.error().detail;
  EXPECT_EQ(action->flagged_orders, 2) << "the open orders holding tea buds, not the one holding only dust";
  EXPECT_EQ(action->complaint_id, complaint->id);
  // Same clock instant: gone from the register.
  auto reg = certificates_->Register({});
  ASSERT_EQ(reg->items.size(), 1u);
  EXPECT_EQ(reg->items[0].product_id, kTeaDust);
  EXPECT_EQ(complaints_->Suspend(&officer_, EnforcementTarget::kProduct, kTeaBuds, "Lần nữa", std::nullopt)
                .error()
                .type,
            "already_suspended");

  auto notices = ShopOutbox(*db_, *clock_).ForShop(kShopTea, 10);
  ASSERT_TRUE(notices.ok());
  ASSERT_FALSE(notices->empty());
  EXPECT_EQ((*notices)[0].topic, "product_suspended");
  EXPECT_NE((*notices)[0].message.find("chè bị mốc"), std::string::npos);
  auto audit = db_->Read([](db::Connection& c) {
    return c.QueryOne(
        "SELECT action, actor_user_id, object_id FROM audit_log WHERE action = 'product.suspend'");
  });
  ASSERT_TRUE(audit.ok() && audit->has_value());
  EXPECT_EQ((*audit)->Int(1), 900);
  EXPECT_EQ((*audit)->Text(2), std::to_string(kTeaBuds));

  auto back =
      complaints_->Reinstate(&officer_, EnforcementTarget::kProduct, kTeaBuds, "Đã thu hồi lô hàng lỗi");
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_FALSE(back->suspend);
  EXPECT_EQ(certificates_->Register({})->items.size(), 2u);
  EXPECT_EQ(
      complaints_->Reinstate(&officer_, EnforcementTarget::kProduct, kTeaBuds, "Lần nữa nhé").error().type,
      "not_suspended");
  auto history = complaints_->History(&officer_, kShopTea);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[0].suspend);
  EXPECT_TRUE((*history)[1].suspend);
}

TEST_P(QualityComplaints, SuspendedShopLeavesTheRegisterWithAllItsProducts) {
  CertificateInput in;
  in.kind = "organic";
  in.number = "ORG-77";
  in.issuer = "Control Union";
  in.issued_on = "2026-03-01";
  in.expires_on = "2027-03-01";
  in.product_ids = {kTeaBuds, kTeaDust};
  auto cert = certificates_->Submit(&tea_owner_, kShopTea, in);
  ASSERT_TRUE(cert.ok());
  ASSERT_TRUE(certificates_->Verify(&officer_, cert->certificate.id).ok());

  Principal admin = ProvinceAdmin(903, kThaiNguyen);
  auto action = complaints_->Suspend(&admin, EnforcementTarget::kShop, kShopTea, "Bán hàng giả nhãn hữu cơ",
                                     std::nullopt);
  ASSERT_TRUE(action.ok()) << action.error().detail;
  EXPECT_EQ(action->flagged_orders, 3) << "every open order of the shop";
  EXPECT_TRUE(certificates_->Register({})->items.empty());
  auto back =
      complaints_->Reinstate(&admin, EnforcementTarget::kShop, kShopTea, "Đã khắc phục, kiểm tra lại đạt");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(certificates_->Register({})->items.size(), 2u);
}

TEST_P(QualityComplaints, AFailedStepUndoesTheSuspension) {
  BrokenOrders broken(orders_);
  ComplaintService service(*db_, *clock_, shops_, products_, broken, areas_, *reviews_);
  auto r = service.Suspend(&officer_, EnforcementTarget::kProduct, kTeaBuds, "Khiếu nại về chất lượng",
                           std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  auto product = products_.FindMany({kTeaBuds});
  ASSERT_EQ(product->size(), 1u);
  EXPECT_FALSE((*product)[0].suspended) << "the suspension was undone";
  EXPECT_EQ(Count("quality_enforcement"), 0);
  EXPECT_EQ(Count("audit_log"), 0);
}

TEST_P(QualityComplaints, ReputationFromRealFigures) {
  orders_.SetStats(kShopTea, {.orders = 40, .cancelled = 2, .shipped = 36, .shipped_on_time = 27});
  ASSERT_TRUE(reviews_->Create(&buyer_, {kReceivedOrder, kTeaBuds, 4, "", {}}).ok());
  ASSERT_TRUE(reviews_->Create(&buyer_, {kReceivedOrder, kTeaDust, 5, "", {}}).ok());
  auto first = complaints_->File(&buyer_, Input(kReceivedOrder, kTeaBuds));
  auto second = complaints_->File(&buyer_, Input(kReceivedOrder, kTeaDust));
  ASSERT_TRUE(first.ok() && second.ok());
  clock_->Advance(2 * 3600 * 1000);
  ASSERT_TRUE(complaints_->Respond(&tea_owner_, first->id, "Đã liên hệ khách").ok());

  auto rep = complaints_->ShopReputation(kShopTea);
  ASSERT_TRUE(rep.ok());
  EXPECT_DOUBLE_EQ(*rep->on_time_share, 0.75);
  EXPECT_DOUBLE_EQ(*rep->cancellation_rate, 0.05);
  EXPECT_EQ(rep->rating.count, 2);
  EXPECT_DOUBLE_EQ(rep->rating.average, 4.5);
  EXPECT_EQ(rep->complaints, 2);
  EXPECT_EQ(rep->complaints_answered, 1);
  EXPECT_DOUBLE_EQ(*rep->median_response_hours, 2.0);

  auto empty = complaints_->ShopReputation(kShopRice);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->on_time_share);
  EXPECT_FALSE(empty->cancellation_rate);
  EXPECT_FALSE(empty->median_response_hours);
  EXPECT_EQ(complaints_->ShopReputation(77).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Quality, QualityComplaints, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
