#include "trace/provenance.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <iterator>

#include "core/clock.hpp"
#include "trace/gs1.hpp"
#include "trace/provenance_page.hpp"

namespace nongsan::trace {
namespace {

// Sorts a timeline by date, keeping the order of lines on one day: an
// insertion sort, since a timeline has a handful of lines (std::stable_sort
// allocates a buffer on every page).
void SortByDate(std::vector<TimelineEvent>& events) {
  for (std::size_t i = 1; i < events.size(); ++i) {
    if (!(events[i].date < events[i - 1].date)) continue;
    TimelineEvent moving = std::move(events[i]);
    std::size_t j = i;
    for (; j > 0 && moving.date < events[j - 1].date; --j) events[j] = std::move(events[j - 1]);
    events[j] = std::move(moving);
  }
}

// The lot's story from its own row: its farming log, harvest and
// production, oldest first. Holds, releases, recalls and their reasons come
// with the recorded lines (the platform's decision events); a lot held or
// recalled before they were recorded shows its status here instead.
std::vector<TimelineEvent> LotTimeline(const Lot& lot) {
  std::vector<TimelineEvent> events;
  events.reserve(lot.farming_log.size() + 3);  // harvest, production, a hold or recall
  for (const auto& e : lot.farming_log) {
    std::string detail = e.input;
    if (!e.note.empty()) detail += (detail.empty() ? "" : " · ") + e.note;
    events.push_back({e.date, e.activity, detail});
  }
  if (lot.harvested_day) events.push_back({timefmt::IsoDate(*lot.harvested_day), "Thu hoạch", ""});
  events.push_back({timefmt::IsoDate(lot.produced_day), "Sản xuất, đóng gói lô " + lot.code,
                    std::to_string(lot.quantity) + " đơn vị"});
  SortByDate(events);
  if (lot.timeline_version > 0) return events;
  if (lot.status == LotStatus::kOnHold) {
    events.push_back(
        {timefmt::IsoDate(timefmt::LocalDay(lot.updated_at)), "Tạm dừng bán", lot.status_reason});
  } else if (lot.status == LotStatus::kRecalled) {
    events.push_back({timefmt::IsoDate(timefmt::LocalDay(lot.updated_at)), "Thu hồi", lot.status_reason});
  }
  return events;
}

}  // namespace

ProvenanceService::ProvenanceService(TraceService& trace, CertificatePort& certificates)
    : trace_(trace), certificates_(certificates), flusher_([this] { FlushLoop(); }) {}

ProvenanceService::~ProvenanceService() {
  {
    std::lock_guard lock(scans_mu_);
    stopping_ = true;
  }
  scans_cv_.notify_all();
  flusher_.join();
  if (Status st = FlushScans(); !st.ok())
    spdlog::error("trace: scans not written at shutdown: {}", st.error().detail);
}

void ProvenanceService::FlushLoop() {
  const auto interval = std::chrono::milliseconds(kScanFlushIntervalMs);
  std::unique_lock lock(scans_mu_);
  while (!stopping_) {
    scans_cv_.wait_for(lock, interval, [this] { return stopping_ || pending_total_ >= kScanFlushBatch; });
    if (stopping_) break;
    if (pending_total_ == 0) continue;
    lock.unlock();
    Status st = FlushScans();
    lock.lock();
    if (!st.ok()) {
      spdlog::warn("trace: scans not written yet: {}", st.error().detail);
      // Kept for the next round; wait a whole interval before trying again.
      scans_cv_.wait_for(lock, interval, [this] { return stopping_; });
    }
  }
}

void ProvenanceService::ProductsChanged(const std::vector<std::int64_t>& product_ids) {
  if (product_ids.empty()) return;
  const auto settled = std::chrono::steady_clock::now() + kChangeSettleTime;
  std::lock_guard lock(contexts_mu_);
  for (std::int64_t id : product_ids) {
    // Few: one per product changed in the last second.
    if (settling_.size() >= kMaxProductContexts) settling_.clear();
    settling_[id] = settled;
  }
  for (auto it = contexts_.begin(); it != contexts_.end();) {
    if (std::find(product_ids.begin(), product_ids.end(), it->first.first) != product_ids.end()) {
      it = contexts_.erase(it);
    } else {
      ++it;
    }
  }
}

void ProvenanceService::CertificatesChanged() {
  std::lock_guard lock(contexts_mu_);
  contexts_.clear();
}

Result<std::shared_ptr<const ProductContext>> ProvenanceService::LoadContext(std::int64_t product_id,
                                                                             std::int64_t day) {
  TRY_ASSIGN(auto product, trace_.products().Find(product_id));
  if (!product) return std::shared_ptr<const ProductContext>{};
  TRY_ASSIGN(auto shop, trace_.shops().Find(product->seller_id));
  if (!shop) return std::shared_ptr<const ProductContext>{};
  auto context = std::make_shared<ProductContext>();
  AreaPort& areas = trace_.areas();
  context->shop_commune_name = areas.UnitName(shop->commune_code);
  context->shop_province_name = areas.UnitName(shop->province_code);
  TRY_ASSIGN(context->certificates, certificates_.ValidOn(product->id, day));
  context->product = std::move(*product);
  context->shop = std::move(*shop);
  context->html = RenderContextHtml(*context);
  return std::shared_ptr<const ProductContext>{std::move(context)};
}

Result<std::shared_ptr<const ProductContext>> ProvenanceService::Context(std::int64_t product_id,
                                                                         std::int64_t day) {
  const auto key = std::make_pair(product_id, day);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(contexts_mu_);
    auto it = contexts_.find(key);
    if (it != contexts_.end() && it->second.expires > now) return it->second.context;
  }
  // Loaded outside the lock: two scans of a product whose context just
  // expired may both load it, and the later one is kept.
  TRY_ASSIGN(auto loaded, LoadContext(product_id, day));
  if (!loaded) return loaded;
  auto context = std::const_pointer_cast<ProductContext>(loaded);
  std::lock_guard lock(contexts_mu_);
  context->generation = next_generation_++;
  // Contexts are small and few; when there are too many (a sweep over old
  // production days), start afresh rather than track their age.
  if (contexts_.size() >= kMaxProductContexts) contexts_.clear();
  auto expires = now + kProductContextTtl;
  if (auto settling = settling_.find(product_id); settling != settling_.end()) {
    if (settling->second > now) {
      expires = settling->second;
    } else {
      settling_.erase(settling);
    }
  }
  contexts_[key] = {context, expires};
  return std::shared_ptr<const ProductContext>{std::move(context)};
}

Provenance ProvenanceService::Assemble(std::shared_ptr<const ProductContext> context, const Lot* lot) {
  Provenance p;
  if (lot && lot->gtin14) {
    p.gtin14 = *lot->gtin14;
  } else if (context->product.gtin) {
    p.gtin14 = gs1::ToGtin14(*context->product.gtin);
  }
  p.origin_commune_code = lot ? lot->origin_commune_code : context->product.origin_commune;
  OriginNames origin = Origin(p.origin_commune_code);
  p.origin_commune_name = std::move(origin.commune);
  p.origin_province_name = std::move(origin.province);
  p.context = std::move(context);
  return p;
}

ProvenanceService::OriginNames ProvenanceService::Origin(const std::string& commune_code) {
  {
    std::lock_guard lock(origins_mu_);
    if (auto it = origins_.find(commune_code); it != origins_.end()) return it->second;
  }
  AreaPort& areas = trace_.areas();
  OriginNames names{areas.UnitName(commune_code),
                    areas.UnitName(areas.ProvinceOf(commune_code).value_or(""))};
  std::lock_guard lock(origins_mu_);
  if (origins_.size() >= kMaxOriginNames) origins_.clear();
  origins_.emplace(commune_code, names);
  return names;
}

Result<std::optional<Provenance>> ProvenanceService::ForGtin(const std::string& gtin14) {
  TRY_ASSIGN(auto product_id, trace_.FindProductByGtin(gtin14));
  if (!product_id) return std::optional<Provenance>{};
  TRY_ASSIGN(auto context, Context(*product_id, timefmt::LocalDay(trace_.clock().NowMs())));
  if (!context) return std::optional<Provenance>{};
  return std::optional<Provenance>{Assemble(std::move(context), nullptr)};
}

Result<std::optional<LotView>> ProvenanceService::ReadLot(
    const std::function<Result<std::optional<Lot>>()>& find_alone,
    const std::function<Result<std::optional<Lot>>(db::Connection&)>& find) {
  // Most lots have no recorded event to show: their page is one statement,
  // read on its own.
  TRY_ASSIGN(auto alone, find_alone());
  if (!alone) return std::optional<LotView>{};
  if (timeline_source_ == nullptr || alone->timeline_version == 0)
    return std::optional<LotView>{LotView{std::move(*alone), {}}};
  // The lot and its recorded lines from one snapshot (the lot read again).
  return trace_.db().Read([&](db::Connection& c) -> Result<std::optional<LotView>> {
    TRY_ASSIGN(auto lot, find(c));
    if (!lot) return std::optional<LotView>{};
    LotView view{std::move(*lot), {}};
    if (view.lot.timeline_version > 0) {
      TRY_ASSIGN(view.recorded, timeline_source_->RecordedTimeline(c, view.lot.id));
    }
    return std::optional<LotView>{std::move(view)};
  });
}

Result<std::optional<LotView>> ProvenanceService::LotByGtin(const std::string& gtin14,
                                                            const std::string& code) {
  return ReadLot([&] { return trace_.FindLotByGtin(gtin14, code); },
                 [&](db::Connection& c) { return TraceService::FindLotByGtin(c, gtin14, code); });
}

Result<std::optional<LotView>> ProvenanceService::LotByPublicCode(const std::string& public_code) {
  return ReadLot([&] { return trace_.FindLotByPublicCode(public_code); },
                 [&](db::Connection& c) { return TraceService::FindLotByPublicCode(c, public_code); });
}

Provenance ProvenanceService::ForLot(LotView view, std::shared_ptr<const ProductContext> context) {
  Provenance p = Assemble(std::move(context), &view.lot);
  p.timeline = LotTimeline(view.lot);
  p.timeline.reserve(p.timeline.size() + view.recorded.lines.size());
  p.timeline.insert(p.timeline.end(), std::make_move_iterator(view.recorded.lines.begin()),
                    std::make_move_iterator(view.recorded.lines.end()));
  SortByDate(p.timeline);
  CountScan(view.lot.id);
  p.lot = std::move(view.lot);
  return p;
}

namespace {

// Sorts (lot id, scans) by lot and sums each lot's into one entry.
void MergeByLot(std::vector<std::pair<std::int64_t, std::int64_t>>& scans) {
  std::sort(scans.begin(), scans.end());
  std::size_t out = 0;
  for (std::size_t i = 0; i < scans.size(); ++i) {
    if (out > 0 && scans[out - 1].first == scans[i].first) {
      scans[out - 1].second += scans[i].second;
    } else {
      scans[out++] = scans[i];
    }
  }
  scans.resize(out);
}

}  // namespace

void ProvenanceService::CountScan(std::int64_t lot_id) {
  bool full = false;
  {
    std::lock_guard lock(scans_mu_);
    if (pending_scans_.size() >= kMaxPendingScanEntries) MergeByLot(pending_scans_);
    pending_scans_.emplace_back(lot_id, 1);
    full = ++pending_total_ == kScanFlushBatch;
  }
  if (full) scans_cv_.notify_one();
}

Status ProvenanceService::FlushScans() {
  std::vector<std::pair<std::int64_t, std::int64_t>> batch;
  {
    std::lock_guard lock(scans_mu_);
    batch.swap(pending_scans_);
    pending_scans_.reserve(batch.size());
    pending_total_ = 0;
  }
  // In id order, so that lots sharing a table page are written together and
  // each page goes to the log once per flush.
  MergeByLot(batch);
  std::size_t written = 0;
  Status st = Ok{};
  while (written < batch.size() && st.ok()) {
    const std::size_t end = std::min(batch.size(), written + kScanWriteChunk);
    st = trace_.db().WriteWith([&](db::Connection& c) -> Status {
      for (std::size_t i = written; i < end; ++i) {
        TRY(
            c.Exec("INSERT INTO trace_lot_scans (lot_id, scans) VALUES (?, ?) "
                   "ON CONFLICT (lot_id) DO UPDATE SET scans = trace_lot_scans.scans + excluded.scans",
                   {batch[i].first, batch[i].second}));
      }
      return Ok{};
    });
    if (st.ok()) written = end;
  }
  if (!st.ok()) {
    // Put the rest back so the next flush tries again.
    std::lock_guard lock(scans_mu_);
    for (std::size_t i = written; i < batch.size(); ++i) {
      pending_scans_.push_back(batch[i]);
      pending_total_ += batch[i].second;
    }
  }
  return st;
}

}  // namespace nongsan::trace
