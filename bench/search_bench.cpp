// In-process search timings (Google Benchmark): the index alone and the whole
// service (index + hydrating the page from the database), over a catalogue
// made by `nongsan demo generate`:
//   nongsan demo generate --products 1000000 --database sqlite:/tmp/bench.db
//   NONGSAN_BENCH_DATABASE=sqlite:/tmp/bench.db build/nongsan_bench --benchmark_filter=Search
// Without NONGSAN_BENCH_DATABASE the search benchmarks are skipped.
// NONGSAN_BENCH_RESULTS=FILE also writes what the index answers to the 36
// queries (total, facets and the first two pages, with scores) to FILE before
// the timings, so that two builds can be compared for identical results:
//   NONGSAN_BENCH_RESULTS=/tmp/a.txt … ; … /tmp/b.txt …; cmp /tmp/a.txt /tmp/b.txt
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include "catalog/search_service.hpp"
#include "core/text.hpp"
#include "places/places.hpp"

namespace {

using nongsan::catalog::SearchRequest;

struct Fixture {
  std::unique_ptr<nongsan::db::Database> db;
  std::unique_ptr<nongsan::places::PlaceService> places;
  std::unique_ptr<nongsan::catalog::SearchService> search;
};

void WriteResults(const nongsan::catalog::SearchIndex& index, const char* path);

Fixture* Shared() {
  static Fixture* fixture = []() -> Fixture* {
    const char* url = std::getenv("NONGSAN_BENCH_DATABASE");
    if (url == nullptr) return nullptr;
    auto db = nongsan::db::Open(url);
    if (!db.ok()) return nullptr;
    auto* f = new Fixture;
    f->db = std::move(db).value();
    f->places = std::make_unique<nongsan::places::PlaceService>(*f->db);
    if (!f->places->Load().ok()) return nullptr;
    f->search = std::make_unique<nongsan::catalog::SearchService>(*f->db, *f->places);
    if (!f->search->Start(false).ok()) return nullptr;
    if (const char* results = std::getenv("NONGSAN_BENCH_RESULTS")) WriteResults(f->search->index(), results);
    return f;
  }();
  return fixture;
}

// The same mix as bench/catalog_search.lua (as typed: the last word is a
// prefix unless followed by a space).
const char* const kQueries[] = {"chè",
                                "che",
                                "mật ong",
                                "mat ong",
                                "gạo bao thai",
                                "gao bao thai",
                                "miến dong",
                                "mien dong na ri",
                                "na dai",
                                "na dai vo nhai",
                                "hồng không hạt",
                                "hong khong hat",
                                "măng khô",
                                "mang kho",
                                "thịt trâu gác",
                                "thit trau",
                                "ổi linh sơn",
                                "oi linh son",
                                "chè tân cương",
                                "che tan cuong",
                                "gà đồi",
                                "ga doi",
                                "tinh bot nghe",
                                "cam sanh",
                                "mộc nhĩ",
                                "nam huong rung",
                                "cuonng",
                                "mat on",
                                "gao nep",
                                "mien",
                                "quýt",
                                "banh chung",
                                "ruou",
                                "ca bong",
                                "rau bo khai",
                                "che moc c"};

// What the index answers to each query of the mix, as typed and as
// suggestions, in a plain text form: the total, the facets and the first
// two pages (the second through the first's cursor), ids with scores.
void WriteResults(const nongsan::catalog::SearchIndex& index, const char* path) {
  std::ofstream out(path);
  for (const char* text : kQueries) {
    for (const bool suggest : {false, true}) {
      SearchRequest request;
      request.text = text;
      request.suggest = suggest;
      for (int page = 0; page < 2; ++page) {
        const auto response = index.Search(request, nongsan::catalog::SearchIndex::Cache::kBypass);
        out << text << (suggest ? " [suggest]" : "") << " page " << page << ": total " << response.total
            << "\n";
        for (const auto* facets : {&response.categories, &response.provinces}) {
          for (const auto& f : *facets) out << ' ' << f.code << '=' << f.count;
          out << '\n';
        }
        for (const auto& hit : response.hits) out << ' ' << hit.product_id << ':' << hit.score;
        out << '\n';
        if (!response.next) break;
        request.after = response.next;
      }
    }
  }
}

// The shared catalogue and the request for this run's query; nullptr (the
// run skipped) without NONGSAN_BENCH_DATABASE.
Fixture* Prepare(benchmark::State& state, SearchRequest& request) {
  Fixture* f = Shared();
  if (f == nullptr) {
    state.SkipWithError("set NONGSAN_BENCH_DATABASE to a generated catalogue");
    return nullptr;
  }
  request.text = kQueries[state.range(0)];
  state.SetLabel(request.text);
  return f;
}

void BM_SearchIndex(benchmark::State& state) {
  SearchRequest request;
  Fixture* f = Prepare(state, request);
  if (f == nullptr) return;
  std::uint64_t total = 0;
  for (auto _ : state) {
    auto response = f->search->index().Search(request, nongsan::catalog::SearchIndex::Cache::kBypass);
    total = response.total;
    benchmark::DoNotOptimize(response);
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_SearchIndex)->DenseRange(0, std::size(kQueries) - 1)->Unit(benchmark::kMicrosecond);

void BM_SearchService(benchmark::State& state) {
  SearchRequest request;
  Fixture* f = Prepare(state, request);
  if (f == nullptr) return;
  for (auto _ : state) benchmark::DoNotOptimize(f->search->Search(request));
}
BENCHMARK(BM_SearchService)->DenseRange(0, std::size(kQueries) - 1)->Unit(benchmark::kMicrosecond);

void BM_FoldVietnamese(benchmark::State& state) {
  const std::string name = "Chè móc câu Tân Cương loại đặc biệt hộp quà 200g";
  for (auto _ : state) benchmark::DoNotOptimize(nongsan::text::FoldedWords(name));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FoldVietnamese);

}  // namespace
