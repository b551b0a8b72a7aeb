// Quality complaints and enforcement, and the shop reputation they feed.
//
// A buyer files a complaint on an order they received; the shop may answer
// once (the time it takes counts in its reputation); an officer of the shop's
// area resolves it (upheld or dismissed, with a note). An officer may suspend
// a product or a whole shop, with a reason, whether or not a complaint led to
// it: the catalogue or sellers module takes it out of the catalogue, search
// and the register at once, the orders module holds the shop's open orders
// for an official's decision (held_orders.hpp) and tells their buyers,
// the shop is told (quality_outbox), and the action lands in the audit log
// and in quality_enforcement. Reinstatement goes the same way.
//
// Suspending spans modules, so it runs as steps with an undo: the suspension
// first; if flagging orders or recording the action fails, the suspension is
// reversed and the error returned.
//
// Thread-safety: all methods may be called from any thread; ports are called
// outside this service's write transactions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/ports.hpp"
#include "quality/review_service.hpp"

namespace nongsan::quality {

inline constexpr std::size_t kMinComplaintChars = 10;
inline constexpr std::size_t kMaxComplaintChars = 2000;
inline constexpr std::size_t kMaxComplaintReplyChars = 2000;
// Reputation figures cover the orders and complaints of this many last days.
inline constexpr int kReputationWindowDays = 90;

enum class ComplaintStatus { kOpen, kResolved };
enum class Resolution { kUpheld, kDismissed };
enum class EnforcementTarget { kProduct, kShop };

std::string_view ComplaintStatusName(ComplaintStatus status);
std::string_view ResolutionName(Resolution resolution);
std::optional<Resolution> ParseResolution(std::string_view name);
std::string_view EnforcementTargetName(EnforcementTarget target);

struct Complaint {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t seller_id = 0;
  std::int64_t buyer_user_id = 0;
  std::optional<std::int64_t> product_id;
  std::string body;
  ComplaintStatus status = ComplaintStatus::kOpen;
  std::int64_t created_at_ms = 0;
  std::optional<std::string> shop_response;
  std::optional<std::int64_t> responded_at_ms;
  std::optional<Resolution> resolution;
  std::string resolution_note;
  std::optional<std::int64_t> resolved_by;
  std::optional<std::int64_t> resolved_at_ms;
};

struct ComplaintInput {
  std::int64_t order_id = 0;
  std::optional<std::int64_t> product_id;  // one product of the order, or the order as a whole
  std::string body;
};

// Which complaints to list: the buyer's own, a shop's (its managers), or the
// open or resolved ones in an officer's area.
struct ComplaintQuery {
  std::optional<std::int64_t> seller_id;
  std::optional<ComplaintStatus> status;
  std::size_t limit = kDefaultPageSize;
};

struct EnforcementAction {
  std::int64_t id = 0;
  EnforcementTarget target = EnforcementTarget::kProduct;
  std::int64_t target_id = 0;
  std::int64_t seller_id = 0;
  bool suspend = true;  // false: reinstatement
  std::string reason;
  std::optional<std::int64_t> complaint_id;
  std::int64_t actor_user_id = 0;
  std::int64_t at_ms = 0;
  std::optional<std::int64_t> flagged_orders;  // nullopt: the orders module cannot flag orders
};

struct Reputation {
  std::int64_t seller_id = 0;
  int window_days = kReputationWindowDays;
  std::optional<ShopOrderStats> orders;     // nullopt: the orders module cannot give them
  std::optional<double> on_time_share;      // shipped on time / shipped; nullopt with no shipments
  std::optional<double> cancellation_rate;  // cancelled / orders; nullopt with no orders
  RatingSummary rating;                     // all published reviews of the shop
  std::int64_t complaints = 0;              // filed in the window
  std::int64_t complaints_answered = 0;
  std::optional<double> median_response_hours;
};

class ComplaintService {
 public:
  ComplaintService(db::Database& db, const Clock& clock, ShopPort& shops, ProductPort& products,
                   OrderPort& orders, const AreaPort& areas, ReviewService& reviews);

  Result<Complaint> File(const Principal* buyer, ComplaintInput input);
  Result<Complaint> Respond(const Principal* principal, std::int64_t complaint_id, std::string body);
  Result<Complaint> Resolve(const Principal* officer, std::int64_t complaint_id, Resolution resolution,
                            std::string note);
  // The buyer who filed it, the shop, and officers of its area.
  Result<Complaint> Get(const Principal* principal, std::int64_t complaint_id);
  Result<std::vector<Complaint>> List(const Principal* principal, const ComplaintQuery& query);

  Result<EnforcementAction> Suspend(const Principal* officer, EnforcementTarget target,
                                    std::int64_t target_id, std::string reason,
                                    std::optional<std::int64_t> complaint_id);
  Result<EnforcementAction> Reinstate(const Principal* officer, EnforcementTarget target,
                                      std::int64_t target_id, std::string reason);
  // Enforcement actions on a shop and its products, newest first (officers of its area).
  Result<std::vector<EnforcementAction>> History(const Principal* officer, std::int64_t seller_id);

  Result<Reputation> ShopReputation(std::int64_t seller_id);

 private:
  Result<Complaint> Load(std::int64_t complaint_id);
  Result<EnforcementAction> Enforce(const Principal* officer, EnforcementTarget target,
                                    std::int64_t target_id, bool suspend, std::string reason,
                                    std::optional<std::int64_t> complaint_id);

  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  ProductPort& products_;
  OrderPort& orders_;
  const AreaPort& areas_;
  ReviewService& reviews_;
};

}  // namespace nongsan::quality
