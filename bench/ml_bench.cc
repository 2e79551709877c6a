// The train stage's kernels on a 250-video x 400-feature bucket: robust scaling, the 100-tree
// depth-10 forest, permutation importance on a held-out fifth, and TreeSHAP.
#include <numeric>

#include "bench_util.h"
#include "ml/importance.h"
#include "ml/matrix.h"
#include "ml/scaler.h"
#include "ml/tree_models.h"
#include "ml/xgb.h"

namespace {

using rumi::ml::Matrix;

constexpr std::size_t kVideos = 250, kFeatures = 400;

struct Data {
  Matrix x;
  std::vector<double> y, w;
};

Data make_data(std::size_t n = kVideos) {
  const auto b = rumi::bench::synthetic_bucket(n, kFeatures);
  Data d{Matrix(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(kFeatures)), b.y, b.w};
  std::copy(b.x.begin(), b.x.end(), d.x.data());
  return d;
}

rumi::ml::TreeModelConfig forest_config() {
  rumi::ml::TreeModelConfig c;
  c.kind = rumi::ml::TreeModelKind::random_forest;
  c.forest_trees = 100;
  c.forest_depth = 10;
  c.nthread = 1;
  return c;
}

void BM_RobustScalerFitTransform(benchmark::State& state) {
  const Data d = make_data();
  for (auto _ : state) {
    const auto scaler = rumi::ml::RobustScaler::fit(d.x);
    Matrix scaled = scaler.transform(d.x);
    benchmark::DoNotOptimize(scaled.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kVideos * kFeatures));
}
BENCHMARK(BM_RobustScalerFitTransform)->Unit(benchmark::kMillisecond);

// Arg = videos: time should grow ~linearly for fixed trees.
void BM_ForestFit(benchmark::State& state) {
  const Data d = make_data(static_cast<std::size_t>(state.range(0)));
  const auto cfg = forest_config();
  for (auto _ : state) {
    auto booster = rumi::ml::fit_tree_model(cfg, d.x, d.y, d.w);
    benchmark::DoNotOptimize(booster);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  rumi::bench::report_peak_rss(state);
}
BENCHMARK(BM_ForestFit)->Arg(50)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_PermutationImportance(benchmark::State& state) {
  const Data d = make_data();
  const Eigen::Index train_rows = 200;
  const Matrix train = d.x.topRows(train_rows);
  const Matrix test = d.x.bottomRows(static_cast<Eigen::Index>(kVideos) - train_rows);
  const std::vector<double> y_train(d.y.begin(), d.y.begin() + train_rows);
  const std::vector<double> w_train(d.w.begin(), d.w.begin() + train_rows);
  const std::vector<double> y_test(d.y.begin() + train_rows, d.y.end());
  const auto booster = rumi::ml::fit_tree_model(forest_config(), train, y_train, w_train);
  std::vector<std::vector<std::size_t>> groups(kFeatures);
  for (std::size_t j = 0; j < kFeatures; ++j) groups[j] = {j};
  for (auto _ : state) {
    auto imp = rumi::ml::permutation_importance(booster, test, y_test, groups, 42, 1);
    benchmark::DoNotOptimize(imp.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kFeatures));
}
BENCHMARK(BM_PermutationImportance)->Unit(benchmark::kMillisecond);

void BM_TreeShap(benchmark::State& state) {
  const Data d = make_data();
  const auto booster = rumi::ml::fit_tree_model(forest_config(), d.x, d.y, d.w);
  const rumi::ml::DMatrix dm(d.x, 1);
  for (auto _ : state) {
    auto contrib = booster.contributions(dm);
    benchmark::DoNotOptimize(contrib.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kVideos));
}
BENCHMARK(BM_TreeShap)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
