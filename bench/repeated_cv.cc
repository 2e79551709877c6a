// 10 x 5-fold repeated cross-validation of rumi's forest on every bucket of a hashtag, on fold
// indices it writes out so bench/reference.py scores scikit-learn's forest on exactly the same
// folds (bench/compare.sh pairs them). One 5-fold estimate of CV R^2 moves by 0.12-0.15 at 40-80
// videos, so comparing two single estimates says little; 50 paired folds do.
//
// The forest is trained as `rumi train`'s cross-validation trains it (ml/train.cc run_fold):
// the robust scaler fitted on the fold's training rows, the same TreeModelConfig (100 trees,
// depth 10, 63.2 % rows, 50 % columns per split), the videos' weights, R^2 as sklearn's r2_score.
//
// Usage: repeated_cv HASHTAG_DIR OUT_JSON [SEED]
// OUT_JSON: {"repeats": 10, "k": 5, "seed": S, "buckets": {"0-15s": {"videos": n, "folds": [[test
// row indices], ...], "r2": [...]}}} in fold order (repeat-major). Buckets under 20 videos are
// skipped, as training skips them.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/dataset.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/rng.h"
#include "ml/cross_validation.h"
#include "ml/matrix.h"
#include "ml/scaler.h"
#include "ml/train.h"
#include "ml/tree_models.h"
#include "ml/xgb.h"

namespace {

namespace fs = std::filesystem;
using namespace rumi;

constexpr int kRepeats = 10;
constexpr int kFolds = 5;

double forest_fold_r2(const ml::Matrix& x, const Dataset& d, const ml::Split& s, std::uint64_t seed) {
  const ml::Matrix xtr_raw = ml::take_rows(x, s.train), xte_raw = ml::take_rows(x, s.test);
  const ml::RobustScaler scaler = ml::RobustScaler::fit(xtr_raw);
  const ml::Matrix xtr = scaler.transform(xtr_raw), xte = scaler.transform(xte_raw);
  const auto ytr = ml::take(d.target, s.train), wtr = ml::take(d.weights, s.train), yte = ml::take(d.target, s.test);
  const ml::TreeModelConfig cfg{.kind = ml::TreeModelKind::random_forest,
                                .seed = seed,
                                .nthread = 1,
                                .forest_trees = ml::TrainOptions{}.forest_trees};
  const ml::Booster forest = ml::fit_tree_model(cfg, xtr, ytr, wtr);
  return ml::regression_metrics(yte, forest.predict(ml::DMatrix(xte, 1))).r2;
}

Json bucket_cv(const Dataset& d, std::uint64_t seed) {
  const ml::Matrix x = ml::to_matrix(d);
  Json folds = Json::array(), r2 = Json::array();
  for (int r = 0; r < kRepeats; ++r)
    for (const ml::Split& s : ml::make_kfold(d.rows(), kFolds, derive_seed(seed, "repeated-cv-" + std::to_string(r)))) {
      folds.push_back(s.test);
      r2.push_back(forest_fold_r2(x, d, s, seed));
    }
  return Json{{"videos", d.rows()}, {"folds", folds}, {"r2", r2}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: repeated_cv HASHTAG_DIR OUT_JSON [SEED]\n");
    return 2;
  }
  try {
    const fs::path dir = argv[1];
    const std::uint64_t seed = argc == 4 ? std::stoull(argv[3]) : kDefaultSeed;
    Json buckets = Json::object();
    for (Bucket b : kAllBuckets) {
      const fs::path csv = dir / ("bucket_" + std::string(bucket_name(b))) / "features.csv";
      if (!fs::exists(csv)) continue;
      const Dataset d = read_dataset_csv(csv);
      if (d.rows() < static_cast<std::size_t>(kMinVideosForModel)) continue;
      buckets[std::string(bucket_name(b))] = bucket_cv(d, seed);
    }
    write_json_atomic(argv[2], Json{{"repeats", kRepeats}, {"k", kFolds}, {"seed", seed}, {"buckets", buckets}});
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "repeated_cv: %s\n", e.what());
    return 1;
  }
}
