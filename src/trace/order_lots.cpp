#include "trace/order_lots.hpp"

#include <map>

#include "core/field_errors.hpp"
#include "trace/epcis.hpp"

namespace nongsan::trace {
namespace {

// One quantity taken from one lot for one line.
struct Take {
  std::int64_t line_id = 0;
  std::int64_t product_id = 0;
  std::int64_t lot_id = 0;
  std::int64_t quantity = 0;
  std::string field;  // the body field that chose it ("" for a default)
};

std::string StatusText(const std::string& status) {
  if (status == "recalled") return "recalled";
  if (status == "on_hold") return "on hold";
  return "sold out";
}

Status Invalid(std::vector<FieldError> errors) { return InvalidFields(std::move(errors)); }

// The shop's choices, checked against the order and the lots' owners.
Result<std::vector<Take>> ChosenTakes(db::Connection& c, const orders::PackedOrder& order,
                                      const std::vector<orders::LotChoice>& choices) {
  std::map<std::int64_t, const orders::PackedLine*> lines;
  for (const auto& l : order.lines) lines[l.line_id] = &l;
  std::vector<FieldError> errors;
  std::vector<Take> takes;
  std::map<std::int64_t, std::int64_t> chosen_per_line;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const orders::LotChoice& choice = choices[i];
    const std::string at = "lots[" + std::to_string(i) + "].";
    auto line = lines.find(choice.line_id);
    if (line == lines.end()) {
      errors.push_back({at + "line_id", "is not a line of this order"});
      continue;
    }
    TRY_ASSIGN(auto lot, c.QueryOne("SELECT seller_id, product_id, status, code FROM trace_lots WHERE id = ?",
                                    {choice.lot_id}));
    if (!lot || lot->Int(0) != order.seller_id) {
      errors.push_back({at + "lot_id", "is not a lot of this shop"});
      continue;
    }
    if (lot->Int(1) != line->second->product_id) {
      errors.push_back({at + "lot_id", "is a lot of another product than the line's"});
      continue;
    }
    if (lot->Text(2) != "active") {
      return Error::Conflict("lot_not_active", at + "lot_id: lot " + lot->Text(3) + " is " +
                                                   StatusText(lot->Text(2)) + " and cannot be packed.");
    }
    chosen_per_line[choice.line_id] += choice.quantity;
    takes.push_back(
        {choice.line_id, line->second->product_id, choice.lot_id, choice.quantity, at + "quantity"});
  }
  for (const auto& [line_id, total] : chosen_per_line) {
    if (total != lines[line_id]->quantity) {
      errors.push_back({"lots", "the lots chosen for line " + std::to_string(line_id) + " add up to " +
                                    std::to_string(total) + ", the line has " +
                                    std::to_string(lines[line_id]->quantity)});
    }
  }
  if (!errors.empty()) return Invalid(std::move(errors)).error();
  return takes;
}

// Earliest-expiry lots for a line nobody chose lots for; none when the
// product has no lots at all.
Status DefaultTakes(db::Connection& c, std::int64_t seller_id, const orders::PackedLine& line,
                    std::vector<Take>& takes) {
  TRY_ASSIGN(db::Rows lots, c.Query("SELECT id, quantity - packed FROM trace_lots WHERE product_id = ? AND "
                                    "seller_id = ? AND status = 'active' AND packed < quantity "
                                    "ORDER BY COALESCE(expires_day, 2147483647), id",
                                    {line.product_id, seller_id}));
  std::int64_t wanted = line.quantity;
  for (const auto& lot : lots) {
    if (wanted == 0) break;
    const std::int64_t take = std::min(wanted, lot.Int(1));
    takes.push_back({line.line_id, line.product_id, lot.Int(0), take, ""});
    wanted -= take;
  }
  if (wanted == 0) return Ok{};
  TRY_ASSIGN(auto any,
             c.QueryOne("SELECT 1 FROM trace_lots WHERE product_id = ? LIMIT 1", {line.product_id}));
  if (!any) return Ok{};  // an untracked product packs without a lot
  return Error::Conflict("lot_short", "line " + std::to_string(line.line_id) +
                                          ": its product's active lots hold " +
                                          std::to_string(line.quantity - wanted) + ", the line needs " +
                                          std::to_string(line.quantity) + "; choose lots or record one.");
}

}  // namespace

Status TraceLotLedger::Pack(db::Connection& c, const orders::PackedOrder& order,
                            const std::vector<orders::LotChoice>& choices) {
  TRY_ASSIGN(std::vector<Take> takes, ChosenTakes(c, order, choices));
  for (const auto& line : order.lines) {
    const bool chosen = std::any_of(choices.begin(), choices.end(),
                                    [&](const orders::LotChoice& ch) { return ch.line_id == line.line_id; });
    if (!chosen) TRY(DefaultTakes(c, order.seller_id, line, takes));
  }
  for (const Take& t : takes) {
    // Conditional on the lot still being active with enough left, so two
    // packings racing for the last units cannot both take them.
    TRY_ASSIGN(std::int64_t changed,
               c.Exec("UPDATE trace_lots SET packed = packed + ?, status = CASE WHEN packed + ? >= quantity "
                      "THEN 'closed' ELSE status END, updated_at = ? "
                      "WHERE id = ? AND status = 'active' AND quantity - packed >= ?",
                      {t.quantity, t.quantity, order.at, t.lot_id, t.quantity}));
    if (changed == 0) {
      return Error::Conflict("lot_short", (t.field.empty() ? std::string("lots") : t.field) + ": lot " +
                                              std::to_string(t.lot_id) + " has fewer than " +
                                              std::to_string(t.quantity) + " left or is no longer active.");
    }
    TRY(
        c.Exec("INSERT INTO trace_lot_lines (lot_id, order_id, order_code, line_id, seller_id, buyer_id, "
               "product_id, "
               "quantity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {t.lot_id, order.order_id, order.order_code, t.line_id, order.seller_id, order.buyer_id,
                t.product_id, t.quantity, order.at}));
  }
  return Ok{};
}

Result<std::optional<std::string>> TraceLotLedger::ShipBlocker(db::Connection& c, std::int64_t order_id) {
  TRY_ASSIGN(
      auto row,
      c.QueryOne("SELECT l.code, l.status FROM trace_lot_lines ll JOIN trace_lots l ON l.id = ll.lot_id "
                 "WHERE ll.order_id = ? AND l.status IN ('recalled', 'on_hold') ORDER BY ll.id LIMIT 1",
                 {order_id}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{"Lot " + row->Text(0) + " on this order is " + StatusText(row->Text(1)) +
                                    "; it may not be shipped."};
}

Status TraceLotLedger::Moved(db::Connection& c, std::int64_t order_id, orders::LotMove move,
                             std::int64_t at) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT l.id, l.seller_id, l.gtin14, l.code, l.public_code, l.origin_commune_code, "
                     "SUM(ll.quantity) FROM trace_lot_lines ll JOIN trace_lots l ON l.id = ll.lot_id "
                     "WHERE ll.order_id = ? GROUP BY l.id, l.seller_id, l.gtin14, l.code, l.public_code, "
                     "l.origin_commune_code ORDER BY l.id",
                     {order_id}));
  const bool shipped = move == orders::LotMove::kShipped;
  for (const auto& r : rows) {
    Lot lot;
    lot.id = r.Int(0);
    lot.seller_id = r.Int(1);
    lot.gtin14 = r.OptText(2);
    lot.code = r.Text(3);
    lot.public_code = r.Text(4);
    lot.origin_commune_code = r.Text(5);
    // A delivery names no place: the buyer's commune is not for the public.
    TRY(RecordPlatformEvent(c, lot,
                            {.action = "OBSERVE",
                             .biz_step = shipped ? "shipping" : "receiving",
                             .disposition = shipped ? "in_transit" : "in_progress",
                             .at_ms = at,
                             .quantity = r.Int(6),
                             .at_origin = shipped,
                             .reason = ""}));
  }
  return Ok{};
}

Status TraceLotLedger::Unpacked(db::Connection& c, std::int64_t order_id, std::int64_t at) {
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT lot_id, SUM(quantity) FROM trace_lot_lines WHERE order_id = ? "
                                    "GROUP BY lot_id ORDER BY lot_id",
                                    {order_id}));
  for (const auto& r : rows) {
    TRY(c.Exec(
        "UPDATE trace_lots SET packed = packed - ?, status = CASE WHEN status = 'closed' THEN 'active' "
        "ELSE status END, updated_at = ? WHERE id = ?",
        {r.Int(1), at, r.Int(0)}));
  }
  TRY(c.Exec("DELETE FROM trace_lot_lines WHERE order_id = ?", {order_id}));
  return Ok{};
}

Result<std::vector<orders::LineLot>> TraceLotLedger::LotsOf(db::Connection& c, std::int64_t order_id) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT ll.line_id, ll.lot_id, l.code, ll.quantity, l.status, l.status_reason "
                     "FROM trace_lot_lines ll JOIN trace_lots l ON l.id = ll.lot_id "
                     "WHERE ll.order_id = ? ORDER BY ll.id",
                     {order_id}));
  std::vector<orders::LineLot> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4), r.Text(5)});
  return out;
}

}  // namespace nongsan::trace
