#pragma once
// Honest validation: every score is computed on videos the model did not see. The scheme adapts
// to the sample size (5-fold >= 50, 3-fold 30-49, repeated bootstrap out-of-bag 20-29) because a
// 5-fold split of 25 videos leaves 5 test videos per fold.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace rumi::ml {

enum class CvScheme { kfold5, kfold3, bootstrap_oob };
std::string_view cv_scheme_name(CvScheme s);
CvScheme choose_cv_scheme(std::size_t n);

struct Split {
  std::vector<std::size_t> train;  // may repeat rows (bootstrap)
  std::vector<std::size_t> test;
};

// Shuffled k-fold: fold sizes differ by at most one.
std::vector<Split> make_kfold(std::size_t n, int k, std::uint64_t seed);
// `repeats` bootstrap samples; the test set is the out-of-bag rows (never empty: redrawn).
std::vector<Split> make_bootstrap_oob(std::size_t n, int repeats, std::uint64_t seed);
std::vector<Split> make_splits(std::size_t n, CvScheme s, std::uint64_t seed, int bootstrap_repeats = 10);

struct Metrics {
  double r2 = 0, rmse = 0, mae = 0;
};
// sklearn's r2_score (1 - SSE/SST around the held-out mean; NaN when the held-out target is constant).
Metrics regression_metrics(std::span<const double> y, std::span<const double> pred);

// Per-fold metrics of one model and their mean / standard deviation (NaN folds skipped).
struct CvScores {
  std::vector<Metrics> folds;
  Metrics mean() const;
  Metrics stddev() const;
};
Json to_json(const CvScores& s);

}  // namespace rumi::ml
