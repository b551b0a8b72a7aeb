// 200 buyers race for the last 50 units of a product, each on its own thread
// with its own HTTP connection: exactly 50 units are sold, every other buyer
// hears out_of_stock, and the stock arithmetic holds. Both backends.
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "orders/orders_test_support.hpp"

namespace nongsan::orders::testing {
namespace {

constexpr int kBuyers = 200;
constexpr std::int64_t kStock = 50;
// Making an account hashes its password (argon2id, slow on purpose), so the
// 200 buyers are 50 accounts signed in on 4 devices each: every buyer still
// has its own session, connection and Idempotency-Keys.
constexpr int kAccounts = 50;
constexpr int kSessionsPerAccount = kBuyers / kAccounts;
constexpr int kSetupThreads = 2;

class CheckoutConcurrencyTest : public OrdersApiTest {};

TEST_P(CheckoutConcurrencyTest, TwoHundredBuyersRaceForFiftyUnits) {
  Shop shop = NewShop("Na Võ Nhai livestream", kTnCommuneA);
  const std::int64_t custard = NewProduct(shop, {"Na dai Võ Nhai (1 kg)", 80'000, kStock, 1000});
  const std::int64_t tea = NewProduct(shop, {"Chè búp", 100'000, 10'000, 500});

  std::vector<Person> people(kAccounts);
  {
    std::vector<std::thread> makers;
    for (int t = 0; t < kSetupThreads; ++t) {
      makers.emplace_back([&, t] {
        for (int i = t; i < kAccounts; i += kSetupThreads)
          people[i] = NewPerson("Người mua " + std::to_string(i));
      });
    }
    for (auto& m : makers) m.join();
  }
  std::vector<Person> buyers;
  for (const Person& account : people) {
    for (int s = 0; s < kSessionsPerAccount; ++s) {
      auto session =
          services().accounts->StartSession(account.user_id, accounts::ClientInfo{"127.0.0.1", "device"});
      ASSERT_TRUE(session.ok());
      buyers.push_back(
          {account.user_id, account.phone, session->token, {{"Authorization", "Bearer " + session->token}}});
    }
  }
  ASSERT_EQ(buyers.size(), static_cast<std::size_t>(kBuyers));
  for (const Person& b : buyers) ASSERT_FALSE(b.token.empty());

  std::vector<int> status(kBuyers, 0);
  std::vector<std::string> code(kBuyers);
  std::latch start(kBuyers);
  std::vector<std::thread> racers;
  for (int i = 0; i < kBuyers; ++i) {
    racers.emplace_back([&, i] {
      HttpClient client = Client();
      client.set_timeout(std::chrono::seconds(60));
      // Half the buyers also take some tea, so orders with several lines race too.
      auto body = i % 2 == 0 ? CheckoutBody({{custard, 1}}) : CheckoutBody({{tea, 2}, {custard, 1}});
      start.arrive_and_wait();
      auto resp = PostCheckout(client, buyers[i], "race-" + std::to_string(i), body);
      status[i] = resp.status;
      if (resp.status != 201) code[i] = resp.Json().value("code", "");
    });
  }
  for (auto& r : racers) r.join();

  int sold = 0;
  int refused = 0;
  int tea_buyers = 0;
  for (int i = 0; i < kBuyers; ++i) {
    if (status[i] == 201) {
      ++sold;
      if (i % 2 == 1) ++tea_buyers;
    } else if (status[i] == 409 && code[i] == "out_of_stock") {
      ++refused;
    } else {
      ADD_FAILURE() << "buyer " << i << " got " << status[i] << " " << code[i];
    }
  }
  EXPECT_EQ(sold, kStock);
  EXPECT_EQ(refused, kBuyers - kStock);

  auto custard_check = ExpectStockHolds(custard);
  EXPECT_EQ(custard_check.catalog.available, 0);
  EXPECT_EQ(custard_check.held_by_orders, kStock);
  // A refused buyer's tea went back with the rest of the checkout.
  auto tea_check = ExpectStockHolds(tea);
  EXPECT_EQ(tea_check.catalog.available, 10'000 - 2 * tea_buyers);
  EXPECT_EQ(CountRows("orders_orders"), kStock);
  EXPECT_EQ(CountRows("orders_checkouts"), kStock);
}

INSTANTIATE_TEST_SUITE_P(Checkout, CheckoutConcurrencyTest,
                         ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders::testing
