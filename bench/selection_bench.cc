// Selection throughput on 1,000,000 synthetic videos (design: acquisition must not be the
// bottleneck for large scrapes). Reports items/s; peak RSS is printed as a counter.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "acquire/selection.h"
#include "core/rng.h"

namespace {

std::vector<rumi::Video> synthetic(std::size_t n) {
  rumi::Rng rng = rumi::make_rng(42, "selection-bench");
  std::vector<rumi::Video> vs(n);
  for (std::size_t i = 0; i < n; ++i) {
    rumi::Video& v = vs[i];
    v.id = std::to_string(7000000000000000000ULL + i);
    v.duration_s = 1 + static_cast<double>(rumi::uniform_index(rng, 150));
    v.views = static_cast<std::int64_t>(rumi::uniform_index(rng, 2000000));
    v.likes = static_cast<std::int64_t>(rumi::uniform01(rng) * 0.12 * static_cast<double>(v.views));
    v.comments = v.likes / 20;
    v.shares = v.likes / 10;
    v.created_utc = 1735689600 + static_cast<std::int64_t>(rumi::uniform_index(rng, 20000000));
    if (rumi::uniform_index(rng, 50) == 0) v.author_followers = 5000000;
  }
  return vs;
}

void BM_Selection(benchmark::State& state) {
  auto videos = synthetic(static_cast<std::size_t>(state.range(0)));
  rumi::config::AnalysisConfig cfg;
  cfg.min_date = "2025-03-01";
  for (auto _ : state) {
    auto r = rumi::acquire::select_videos(videos, cfg, 0);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_Selection)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
