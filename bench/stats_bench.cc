// Statistical tests of the patterns stage: Mann-Whitney U and Welch's t for every one of 400
// features, top 10 % vs rest of a 250-video bucket (what `rumi patterns` does per bucket).
#include <span>

#include "bench_util.h"
#include "stats/two_sample_tests.h"

namespace {

constexpr std::size_t kVideos = 250, kFeatures = 400, kTop = 25;

// Column-major copy so each feature's two samples are contiguous spans.
std::vector<double> columns() {
  const auto b = rumi::bench::synthetic_bucket(kVideos, kFeatures);
  std::vector<double> cols(kVideos * kFeatures);
  for (std::size_t i = 0; i < kVideos; ++i)
    for (std::size_t j = 0; j < kFeatures; ++j) cols[j * kVideos + i] = b.x[i * kFeatures + j];
  return cols;
}

void BM_MannWhitney400(benchmark::State& state) {
  const auto cols = columns();
  for (auto _ : state) {
    double sum = 0;
    for (std::size_t j = 0; j < kFeatures; ++j) {
      std::span<const double> col(cols.data() + j * kVideos, kVideos);
      sum += rumi::stats::mann_whitney_u(col.first(kTop), col.subspan(kTop)).p_value;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kFeatures));
}
BENCHMARK(BM_MannWhitney400)->Unit(benchmark::kMillisecond);

void BM_Welch400(benchmark::State& state) {
  const auto cols = columns();
  for (auto _ : state) {
    double sum = 0;
    for (std::size_t j = 0; j < kFeatures; ++j) {
      std::span<const double> col(cols.data() + j * kVideos, kVideos);
      sum += rumi::stats::welch_t_test(col.first(kTop), col.subspan(kTop)).p_value;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kFeatures));
}
BENCHMARK(BM_Welch400)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
