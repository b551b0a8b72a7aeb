// Prices and weights as people type them: the forms the issue lists are
// accepted, the ambiguous or wordy ones refused rather than guessed.
#include "web/amount_input.hpp"

#include <gtest/gtest.h>

namespace nongsan::web::detail {
namespace {

TEST(AmountInput, PricesAsPeopleTypeThem) {
  for (const char* typed : {"300000", "300.000", "300,000", "300 000", "300k", "300K", "300 nghìn",
                            "300.000đ", "300.000 ₫", "300000 VND", " 300.000 "}) {
    EXPECT_EQ(ParsePriceVnd(typed), 300000) << typed;
  }
  EXPECT_EQ(ParsePriceVnd("1,5tr"), 1500000);
  EXPECT_EQ(ParsePriceVnd("2.5k"), 2500);
  EXPECT_EQ(ParsePriceVnd("1.250.000"), 1250000);
  EXPECT_EQ(ParsePriceVnd("12"), 12);
}

TEST(AmountInput, PricesThatAreNotClearAreRefused) {
  for (const char* typed : {"3.00.0", "", "k", "hai trăm", "-5000", "1.5", "300.000,5", "300.000.00",
                            "1,2345k", "3000.000", "300..000", ".300", "300.", "1.000,000"}) {
    EXPECT_EQ(ParsePriceVnd(typed), std::nullopt) << typed;
  }
  EXPECT_EQ(ParsePriceVnd("99999999999999999999"), std::nullopt) << "too long, not overflowed";
}

TEST(AmountInput, WeightsAsPeopleTypeThem) {
  EXPECT_EQ(ParseWeightGrams("500"), 500) << "a bare number is grams, as the field always was";
  EXPECT_EQ(ParseWeightGrams("500 g"), 500);
  EXPECT_EQ(ParseWeightGrams("500gr"), 500);
  EXPECT_EQ(ParseWeightGrams("500 gam"), 500);
  EXPECT_EQ(ParseWeightGrams("1 kg"), 1000);
  EXPECT_EQ(ParseWeightGrams("1KG"), 1000);
  EXPECT_EQ(ParseWeightGrams("1,5 kg"), 1500);
  EXPECT_EQ(ParseWeightGrams("1.5kg"), 1500);
  EXPECT_EQ(ParseWeightGrams("0,25 kg"), 250);
  EXPECT_EQ(ParseWeightGrams("2 ký"), 2000);
  EXPECT_EQ(ParseWeightGrams("3 lạng"), 300);
  EXPECT_EQ(ParseWeightGrams("1.000 g"), 1000) << "three digits after '.' group thousands";
}

TEST(AmountInput, WeightsThatAreNotClearAreRefused) {
  for (const char* typed :
       {"1 tấn rưỡi", "một cân", "1,2345 kg", "1,5 g", "kg", "1 kg 200 g", "1,,5 kg", "-1 kg", "1,000.5 g"}) {
    EXPECT_EQ(ParseWeightGrams(typed), std::nullopt) << typed;
  }
}

}  // namespace
}  // namespace nongsan::web::detail
