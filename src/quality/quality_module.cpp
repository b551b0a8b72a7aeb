#include "quality/quality_module.hpp"

#include <spdlog/spdlog.h>

#include "quality/service_adapters.hpp"

namespace nongsan::quality {

QualityModule::QualityModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                             sellers::SellerService& sellers, catalog::CatalogService& catalog,
                             orders::OrderService& orders, std::string base_url)
    : QualityModule(db, clock, std::make_unique<SellerShopPort>(sellers, catalog),
                    std::make_unique<CatalogProductPort>(catalog), std::make_unique<OrderServicePort>(orders),
                    std::make_unique<PlacesAreaPort>(places), std::move(base_url)) {}

QualityModule::QualityModule(db::Database& db_in, const Clock& clock_in, std::unique_ptr<ShopPort> shops_in,
                             std::unique_ptr<ProductPort> products_in, std::unique_ptr<OrderPort> orders_in,
                             std::unique_ptr<AreaPort> areas_in, std::string base_url)
    : db(db_in),
      clock(clock_in),
      shops(std::move(shops_in)),
      products(std::move(products_in)),
      orders(std::move(orders_in)),
      areas(std::move(areas_in)),
      staged(db, clock),
      certificates(db, clock, *shops, *products, *areas, std::move(base_url), staged),
      reviews(db, clock, *shops, *orders, *areas, staged),
      votes(db, clock),
      complaints(db, clock, *shops, *products, *orders, *areas, reviews),
      held_orders(db, clock, *shops, *orders, *areas),
      outbox(db, clock) {}

QualityModule::~QualityModule() {
  {
    std::lock_guard lock(timer_mu_);
    stopping_ = true;
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
}

void QualityModule::StartNoticeTimer() {
  if (timer_.joinable()) return;
  timer_ = std::thread([this] { RunTimer(); });
}

void QualityModule::RunTimer() {
  std::chrono::steady_clock::duration wait = kNoticeTimerFirstRun;
  std::unique_lock lock(timer_mu_);
  while (!timer_cv_.wait_for(lock, wait, [this] { return stopping_; })) {
    lock.unlock();
    auto queued = certificates.QueueExpiryNotices();
    if (!queued.ok()) {
      spdlog::error("quality: expiry notices not queued: {}", queued.error().detail);
    } else if (*queued > 0) {
      spdlog::info("quality: queued {} certificate expiry notices", *queued);
    }
    lock.lock();
    wait = kNoticeTimerInterval;
  }
}

}  // namespace nongsan::quality
