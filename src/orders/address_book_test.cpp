// The buyer's address book on both backends: checkout remembers the address
// in its own transaction, the same address is kept once with its latest use
// first, the book keeps at most kMaxSavedAddresses, and only its buyer
// removes an entry.
#include "orders/address_book.hpp"

#include <gtest/gtest.h>

#include "orders/orders_test_support.hpp"

namespace nongsan::orders::testing {
namespace {

class AddressBookTest : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    shop_ = NewShop("Chè Hảo Đạt", kTnCommuneA);
    tea_ = NewProduct(shop_);
    buyer_ = NewPerson("Người mua");
  }

  int Checkout(const std::string& address_line, const std::string& commune = kTnCommuneA) {
    HttpClient client = Client();
    nlohmann::json body = CheckoutBody({{tea_, 1}}, commune);
    body["shipping_address"]["address_line"] = address_line;
    return PostCheckout(client, buyer_, "book-" + std::to_string(++placed_), body).status;
  }

  std::vector<SavedAddress> Book(const Person& who) {
    auto book = services().addresses->List(who.user_id);
    EXPECT_TRUE(book.ok());
    return book.ok() ? *book : std::vector<SavedAddress>{};
  }

  Shop shop_;
  std::int64_t tea_ = 0;
  Person buyer_;
  int placed_ = 0;
};

TEST_P(AddressBookTest, CheckoutRemembersTheAddressLatestFirstOnce) {
  ASSERT_EQ(Checkout("Số 5, tổ 3"), 201);
  app_->clock().Advance(60'000);
  ASSERT_EQ(Checkout("Xóm Đồng Kem", kTnCommuneB), 201);
  auto book = Book(buyer_);
  ASSERT_EQ(book.size(), 2u);
  EXPECT_EQ(book[0].address.address_line, "Xóm Đồng Kem");
  EXPECT_EQ(book[0].address.commune_code, kTnCommuneB);
  EXPECT_EQ(book[0].address.phone, "0912345678");

  // The first address used again moves to the front and is not duplicated.
  app_->clock().Advance(60'000);
  ASSERT_EQ(Checkout("Số 5, tổ 3"), 201);
  book = Book(buyer_);
  ASSERT_EQ(book.size(), 2u);
  EXPECT_EQ(book[0].address.address_line, "Số 5, tổ 3");

  // A refused checkout (nothing ordered) remembers nothing.
  HttpClient client = Client();
  nlohmann::json bad = CheckoutBody({{tea_, 1'000'000}});
  bad["shipping_address"]["address_line"] = "Không được lưu";
  EXPECT_NE(PostCheckout(client, buyer_, "book-refused", bad).status, 201);
  EXPECT_EQ(Book(buyer_).size(), 2u);
  EXPECT_TRUE(Book(NewPerson("Người khác")).empty());
}

TEST_P(AddressBookTest, TheBookIsCappedAndOnlyItsBuyerRemovesAnEntry) {
  for (std::size_t i = 0; i < kMaxSavedAddresses + 2; ++i) {
    ASSERT_EQ(Checkout("Nhà số " + std::to_string(i)), 201);
    app_->clock().Advance(1000);
  }
  auto book = Book(buyer_);
  ASSERT_EQ(book.size(), kMaxSavedAddresses);
  EXPECT_EQ(book.front().address.address_line, "Nhà số " + std::to_string(kMaxSavedAddresses + 1));
  EXPECT_EQ(book.back().address.address_line, "Nhà số 2");  // the two oldest went

  const Person other = NewPerson("Người khác");
  EXPECT_EQ(services().addresses->Remove(other.user_id, book.front().id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Book(buyer_).size(), kMaxSavedAddresses);
  EXPECT_TRUE(services().addresses->Remove(buyer_.user_id, book.front().id).ok());
  EXPECT_EQ(Book(buyer_).size(), kMaxSavedAddresses - 1);
}

INSTANTIATE_TEST_SUITE_P(Orders, AddressBookTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders::testing
