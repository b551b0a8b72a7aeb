// Everything the quality module runs in one process: its ports onto the other
// modules, its services, the shop outbox, and the timer that queues
// certificate expiry notices. App holds one (built after sellers, catalog and
// orders); tests build one over fakes. Members are public so wiring and tests
// can reach each service; each documents its own thread-safety. The timer
// thread is started by StartNoticeTimer() and stopped by the destructor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "quality/complaint_service.hpp"
#include "quality/held_orders.hpp"
#include "quality/outbox.hpp"
#include "quality/ports.hpp"
#include "quality/quality_service.hpp"
#include "quality/review_service.hpp"
#include "quality/review_votes.hpp"
#include "quality/staged_uploads.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
}
namespace nongsan::orders {
class OrderService;
}
namespace nongsan::places {
class PlaceService;
}

namespace nongsan::quality {

// How often the expiry notices are queued. Notices are per day, so hourly is
// plenty, and a restarted server catches up within the first minute.
inline constexpr std::chrono::minutes kNoticeTimerInterval{60};
inline constexpr std::chrono::minutes kNoticeTimerFirstRun{1};

struct QualityModule {
  // The production wiring over the other modules' services.
  QualityModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                sellers::SellerService& sellers, catalog::CatalogService& catalog,
                orders::OrderService& orders, std::string base_url);
  // Over any ports (tests).
  QualityModule(db::Database& db, const Clock& clock, std::unique_ptr<ShopPort> shops,
                std::unique_ptr<ProductPort> products, std::unique_ptr<OrderPort> orders,
                std::unique_ptr<AreaPort> areas, std::string base_url);
  ~QualityModule();
  QualityModule(const QualityModule&) = delete;
  QualityModule& operator=(const QualityModule&) = delete;

  // Queues expiry notices now and then every kNoticeTimerInterval.
  void StartNoticeTimer();

  db::Database& db;
  const Clock& clock;
  std::unique_ptr<ShopPort> shops;
  std::unique_ptr<ProductPort> products;
  std::unique_ptr<OrderPort> orders;
  std::unique_ptr<AreaPort> areas;
  StagedUploads staged;  // before the services that claim its files
  QualityService certificates;
  ReviewService reviews;
  ReviewVotes votes;
  ComplaintService complaints;
  HeldOrderService held_orders;
  ShopOutbox outbox;

 private:
  void RunTimer();

  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool stopping_ = false;  // guarded by timer_mu_
  std::thread timer_;
};

}  // namespace nongsan::quality
