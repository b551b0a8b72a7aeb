// A cooperative's member households and their share of its sales: each
// member shop keeps its own ledger (its products are sold on its own shop and
// shown by the cooperative), so the cooperative's table is each member's
// ledger summed over the range — never a second set of books.
#include "core/field_errors.hpp"
#include "payments/ledger.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {
namespace {

// A Vietnam calendar day's first instant.
std::int64_t DayStartMs(std::int64_t day) { return day * kMsPerDay - kVietnamOffsetMs; }

struct DayRange {
  std::int64_t from = 0;
  std::int64_t to = 0;  // inclusive
};

// from/to as the query gave them; empty means the current month to today.
Result<DayRange> ReadRange(std::string_view from_text, std::string_view to_text, std::int64_t now_ms) {
  const std::int64_t today = timefmt::LocalDay(now_ms);
  const std::string month_start = timefmt::IsoDate(today).substr(0, 8) + "01";
  const auto from = from_text.empty() ? timefmt::ParseIsoDate(month_start) : timefmt::ParseIsoDate(from_text);
  const auto to = to_text.empty() ? std::optional(today) : timefmt::ParseIsoDate(to_text);
  std::vector<FieldError> bad;
  if (!from) bad.push_back({"from", "Must be a date YYYY-MM-DD."});
  if (!to) bad.push_back({"to", "Must be a date YYYY-MM-DD."});
  if (from && to && *from > *to) bad.push_back({"from", "Must not be after to."});
  if (from && to && *from <= *to && *to - *from >= kMaxShareRangeDays) {
    bad.push_back({"to", "At most " + std::to_string(kMaxShareRangeDays) + " days from the start."});
  }
  // A well-formed query, a range we cannot answer: 422.
  if (!bad.empty()) return UnprocessableFields(std::move(bad));
  return DayRange{*from, *to};
}

nlohmann::json ShareJson(const ShopShare& s) {
  return {{"sales_vnd", s.sales_vnd},
          {"commission_vnd", s.commission_vnd},
          {"refunds_vnd", s.refunds_vnd},
          {"net_vnd", s.net_vnd()},
          {"balance_vnd", s.balance_vnd}};
}

}  // namespace

Result<nlohmann::json> PaymentService::MemberShares(const Principal* principal, std::int64_t coop_id,
                                                    std::string_view from, std::string_view to) {
  TRY_ASSIGN(bool may, MaySeeMoney(principal, coop_id));
  if (!may) return Error::NotFound("shop");
  TRY_ASSIGN(sellers::Seller coop, sellers_.Get(coop_id));
  if (coop.type != sellers::SellerType::kCooperative) return Error::NotFound("cooperative");
  TRY_ASSIGN(DayRange range, ReadRange(from, to, clock_.NowMs()));
  TRY_ASSIGN(std::vector<sellers::Membership> members, sellers_.ListMembers(coop_id));
  const std::int64_t from_ms = DayStartMs(range.from);
  const std::int64_t to_ms = DayStartMs(range.to + 1);
  // One read transaction: every member's sums are of the same moment.
  TRY_ASSIGN(std::vector<ShopShare> shares,
             db_.Read([&](db::Connection& c) -> Result<std::vector<ShopShare>> {
               std::vector<ShopShare> out;
               for (const sellers::Membership& m : members) {
                 TRY_ASSIGN(ShopShare share, ShopShareBetween(c, m.member_id, from_ms, to_ms));
                 out.push_back(share);
               }
               return out;
             }));
  nlohmann::json rows = nlohmann::json::array();
  ShopShare total;
  for (std::size_t i = 0; i < members.size(); ++i) {
    nlohmann::json row = ShareJson(shares[i]);
    row["member_id"] = members[i].member_id;
    row["name"] = members[i].member.name;
    rows.push_back(std::move(row));
    total.sales_vnd += shares[i].sales_vnd;
    total.commission_vnd += shares[i].commission_vnd;
    total.refunds_vnd += shares[i].refunds_vnd;
    total.balance_vnd += shares[i].balance_vnd;
  }
  return nlohmann::json{{"seller_id", coop_id},
                        {"from", timefmt::IsoDate(range.from)},
                        {"to", timefmt::IsoDate(range.to)},
                        {"members", std::move(rows)},
                        {"totals", ShareJson(total)}};
}

}  // namespace nongsan::payments
