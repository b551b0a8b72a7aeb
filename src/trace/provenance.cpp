#include "trace/provenance.hpp"

#include "core/clock.hpp"
#include "trace/gs1.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace nongsan::trace {
namespace {

// The lot's story from what the shop recorded: its farming log, harvest,
// production and any hold or recall, oldest first.
std::vector<TimelineEvent> LotTimeline(const Lot& lot) {
  std::vector<TimelineEvent> events;
  for (const auto& e : lot.farming_log) {
    std::string detail = e.input;
    if (!e.note.empty()) detail += (detail.empty() ? "" : " · ") + e.note;
    events.push_back({e.date, e.activity, detail});
  }
  if (lot.harvested_day) events.push_back({timefmt::IsoDate(*lot.harvested_day), "Thu hoạch", ""});
  events.push_back({timefmt::IsoDate(lot.produced_day), "Sản xuất, đóng gói lô " + lot.code,
                    std::to_string(lot.quantity) + " đơn vị"});
  std::stable_sort(events.begin(), events.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.date < b.date; });
  if (lot.status == LotStatus::kOnHold) {
    events.push_back({timefmt::IsoDate(timefmt::LocalDay(lot.updated_at)), "Tạm dừng bán", lot.status_reason});
  } else if (lot.status == LotStatus::kRecalled) {
    events.push_back({timefmt::IsoDate(timefmt::LocalDay(lot.updated_at)), "Thu hồi", lot.status_reason});
  }
  return events;
}

}  // namespace

ProvenanceService::ProvenanceService(TraceService& trace, CertificatePort& certificates)
    : trace_(trace), certificates_(certificates) {}

ProvenanceService::~ProvenanceService() {
  if (Status st = FlushScans(); !st.ok()) spdlog::error("trace: scans not written at shutdown: {}", st.error().detail);
}

Result<std::optional<Provenance>> ProvenanceService::Assemble(std::optional<Lot> lot, std::int64_t product_id) {
  TRY_ASSIGN(auto product, trace_.products().Find(product_id));
  if (!product) return std::optional<Provenance>{};
  TRY_ASSIGN(auto shop, trace_.shops().Find(product->seller_id));
  if (!shop) return std::optional<Provenance>{};
  AreaPort& areas = trace_.areas();
  Provenance p;
  p.product = std::move(*product);
  p.shop = std::move(*shop);
  if (lot && lot->gtin14) {
    p.gtin14 = *lot->gtin14;
  } else if (p.product.gtin) {
    p.gtin14 = gs1::ToGtin14(*p.product.gtin);
  }
  p.origin_commune_code = lot ? lot->origin_commune_code : p.product.origin_commune;
  p.origin_commune_name = areas.UnitName(p.origin_commune_code);
  p.origin_province_name = areas.UnitName(areas.ProvinceOf(p.origin_commune_code).value_or(""));
  p.shop_commune_name = areas.UnitName(p.shop.commune_code);
  p.shop_province_name = areas.UnitName(p.shop.province_code);
  const std::int64_t day = lot ? lot->produced_day : timefmt::LocalDay(trace_.clock().NowMs());
  TRY_ASSIGN(p.certificates, certificates_.ValidOn(p.product.id, day));
  if (lot) {
    p.timeline = LotTimeline(*lot);
    if (timeline_source_ != nullptr) {
      TRY_ASSIGN(auto captured, timeline_source_->CapturedTimeline(lot->id));
      p.timeline.insert(p.timeline.end(), captured.begin(), captured.end());
      std::stable_sort(p.timeline.begin(), p.timeline.end(),
                       [](const TimelineEvent& a, const TimelineEvent& b) { return a.date < b.date; });
    }
    CountScan(lot->id);
  }
  p.lot = std::move(lot);
  return std::optional<Provenance>{std::move(p)};
}

Result<std::optional<Provenance>> ProvenanceService::ForGtin(const std::string& gtin14) {
  TRY_ASSIGN(auto product_id, trace_.FindProductByGtin(gtin14));
  if (!product_id) return std::optional<Provenance>{};
  return Assemble(std::nullopt, *product_id);
}

Result<std::optional<Lot>> ProvenanceService::LotByGtin(const std::string& gtin14, const std::string& code) {
  return trace_.FindLotByGtin(gtin14, code);
}

Result<std::optional<Lot>> ProvenanceService::LotByPublicCode(const std::string& public_code) {
  return trace_.FindLotByPublicCode(public_code);
}

Result<std::optional<Provenance>> ProvenanceService::ForLot(Lot lot) {
  const std::int64_t product_id = lot.product_id;
  return Assemble(std::move(lot), product_id);
}

void ProvenanceService::CountScan(std::int64_t lot_id) {
  bool flush = false;
  {
    std::lock_guard lock(scans_mu_);
    ++pending_scans_[lot_id];
    ++pending_total_;
    const std::int64_t now = trace_.clock().NowMs();
    if (last_flush_ms_ == 0) last_flush_ms_ = now;
    flush = pending_total_ >= kScanFlushBatch || now - last_flush_ms_ >= kScanFlushIntervalMs;
  }
  if (!flush) return;
  if (Status st = FlushScans(); !st.ok()) spdlog::warn("trace: scans not written yet: {}", st.error().detail);
}

Status ProvenanceService::FlushScans() {
  std::unordered_map<std::int64_t, std::int64_t> batch;
  {
    std::lock_guard lock(scans_mu_);
    batch.swap(pending_scans_);
    pending_total_ = 0;
    last_flush_ms_ = trace_.clock().NowMs();
  }
  if (batch.empty()) return Ok{};
  Status st = trace_.db().WriteWith([&](db::Connection& c) -> Status {
    for (const auto& [lot_id, n] : batch) {
      TRY(c.Exec("UPDATE trace_lots SET scans = scans + ? WHERE id = ?", {n, lot_id}));
    }
    return Ok{};
  });
  if (!st.ok()) {
    // Put them back so the next flush tries again.
    std::lock_guard lock(scans_mu_);
    for (const auto& [lot_id, n] : batch) {
      pending_scans_[lot_id] += n;
      pending_total_ += n;
    }
  }
  return st;
}

}  // namespace nongsan::trace
