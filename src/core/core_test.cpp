#include <gtest/gtest.h>

#include <set>

#include "core/clock.hpp"
#include "core/field_errors.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/phone.hpp"
#include "core/result.hpp"
#include "core/rfc3339.hpp"

namespace nongsan {
namespace {

TEST(Money, FormatsWithDotsAndDongSign) {
  EXPECT_EQ(money::FormatVnd(125000), "125.000\u00a0₫");
  EXPECT_EQ(money::GroupThousands(0), "0");
  EXPECT_EQ(money::GroupThousands(1234567), "1.234.567");
  EXPECT_EQ(money::GroupThousands(-1000), "-1.000");
}

TEST(Money, ParsesCommonForms) {
  EXPECT_EQ(money::ParseVnd("125000"), 125000);
  EXPECT_EQ(money::ParseVnd("125.000 ₫"), 125000);
  EXPECT_EQ(money::ParseVnd("125,000đ"), 125000);
  EXPECT_FALSE(money::ParseVnd("-5").has_value());
  EXPECT_FALSE(money::ParseVnd("12.5abc").has_value());
  EXPECT_FALSE(money::ParseVnd("99999999999999999999").has_value());
  EXPECT_FALSE(money::MulVnd(money::kMaxVnd, 2).has_value());
  EXPECT_EQ(money::AddVnd(1, 2), 3);
}

TEST(Phone, NormalizesVietnameseMobiles) {
  EXPECT_EQ(phone::Normalize("0912345678"), "0912345678");
  EXPECT_EQ(phone::Normalize("84912345678"), "0912345678");
  EXPECT_EQ(phone::Normalize("+84 912 345 678"), "0912345678");
  EXPECT_EQ(phone::Normalize("+84-35.123.4567"), "0351234567");
  EXPECT_EQ(phone::Display("0912345678"), "0912 345 678");
}

TEST(Phone, RejectsNonMobileAndForeignNumbers) {
  EXPECT_FALSE(phone::Normalize("0212345678").has_value());  // landline prefix
  EXPECT_FALSE(phone::Normalize("091234567").has_value());   // too short
  EXPECT_FALSE(phone::Normalize("+1 415 555 0100").has_value());
  EXPECT_FALSE(phone::Normalize("+0912345678").has_value());
  EXPECT_FALSE(phone::Normalize("09123abc78").has_value());
  EXPECT_FALSE(phone::Normalize("").has_value());
}

TEST(Clock, FormatsVietnamTime) {
  // 2026-11-29T13:49:00Z is 20:49 in Hà Nội.
  const std::int64_t t = 1795960140000;
  EXPECT_EQ(timefmt::Rfc3339(t), "2026-11-29T20:49:00+07:00");
  EXPECT_EQ(timefmt::DisplayDate(t), "29/11/2026");
  // 18:00Z is already the next day in Vietnam.
  EXPECT_EQ(timefmt::DisplayDate(1795975200000), "30/11/2026");
}

TEST(Clock, ParsesIsoDates) {
  auto d = timefmt::ParseIsoDate("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(timefmt::IsoDate(*d), "2024-02-29");
  EXPECT_EQ(timefmt::DisplayIsoDays(*d), "29/02/2024");
  EXPECT_FALSE(timefmt::ParseIsoDate("2023-02-29").has_value());
  EXPECT_FALSE(timefmt::ParseIsoDate("2023-13-01").has_value());
  EXPECT_FALSE(timefmt::ParseIsoDate("2023-1-01").has_value());
  EXPECT_EQ(*timefmt::ParseIsoDate("1970-01-02"), 1);
}

TEST(Clock, FakeClockMoves) {
  FakeClock clock(1000);
  clock.Advance(kMsPerDay);
  EXPECT_EQ(clock.NowMs(), 1000 + kMsPerDay);
}

TEST(Ids, TokensAreRandomAndUrlSafe) {
  ASSERT_TRUE(ids::InitCrypto());
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = ids::RandomToken(32);
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(ids::RandomCode(6).size(), 6u);
  EXPECT_EQ(ids::RandomDigits(6).find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(ids::Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ids::SecureEquals("abc", "abc"));
  EXPECT_FALSE(ids::SecureEquals("abc", "abd"));
}

Result<int> Half(int x) {
  if (x % 2) return Error::Field("x", "must be even");
  return x / 2;
}
Result<int> Quarter(int x) {
  TRY_ASSIGN(int h, Half(x));
  TRY_ASSIGN(int q, Half(h));
  return q;
}

TEST(ResultType, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "x");
}

TEST(Clock, ParsesRfc3339DateTimes) {
  EXPECT_EQ(timefmt::ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(timefmt::ParseRfc3339("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(timefmt::ParseRfc3339("2026-11-20T08:00:00+07:00"),
            timefmt::ParseRfc3339("2026-11-20T01:00:00Z"));
  EXPECT_EQ(timefmt::ParseRfc3339(timefmt::Rfc3339(1764000000000)), 1764000000000);
  EXPECT_FALSE(timefmt::ParseRfc3339("2026-11-20 08:00:00Z"));
  EXPECT_FALSE(timefmt::ParseRfc3339("2026-11-20T08:00:00"));
  EXPECT_FALSE(timefmt::ParseRfc3339("2026-02-30T08:00:00Z"));
  EXPECT_FALSE(timefmt::ParseRfc3339("2026-11-20T24:00:00Z"));
  EXPECT_FALSE(timefmt::ParseRfc3339("2026-11-20T08:00:00.Z"));
}

TEST(FieldErrors, OneAnswerNamesEveryFieldInOrder) {
  const Error bad = InvalidFields({{"name", "required"}, {"price_vnd", "must be > 0"}});
  EXPECT_EQ(bad.code, ErrorCode::kInvalid);
  EXPECT_EQ(bad.type, "validation");
  EXPECT_EQ(bad.detail, "name: required; price_vnd: must be > 0");
  ASSERT_EQ(bad.fields.size(), 2u);
  EXPECT_EQ(bad.fields[1].field, "price_vnd");

  const Error refused = UnprocessableFields({{"unit", "not a commune"}});
  EXPECT_EQ(refused.code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.type, "validation");
  EXPECT_EQ(refused.detail, "unit: not a commune");
  ASSERT_EQ(refused.fields.size(), 1u);

  EXPECT_TRUE(CheckFields({}).ok());
  const Status checked = CheckFields({{"a", "x"}, {"b", "y"}});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(checked.error().detail, "a: x; b: y");
}

}  // namespace
}  // namespace nongsan
