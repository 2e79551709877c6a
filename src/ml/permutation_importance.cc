#include "ml/permutation_importance.h"

#include <algorithm>
#include <numeric>

namespace rumi::ml {

std::vector<double> permutation_importance(const Booster& model, const Matrix& test, std::span<const double> y,
                                           const std::vector<std::vector<std::size_t>>& groups, std::uint64_t seed,
                                           int nthread) {
  const auto n = test.rows();
  auto mse = [&](std::span<const double> pred, std::size_t offset) {
    double s = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double e = y[static_cast<std::size_t>(i)] - pred[offset + static_cast<std::size_t>(i)];
      s += e * e;
    }
    return s / static_cast<double>(n);
  };
  const double base = mse(model.predict(DMatrix(test, nthread)), 0);
  Rng rng(derive_seed(seed, "permutation-importance"));
  std::vector<double> out(groups.size(), 0.0);
  // Predict many shuffled copies at once: one DMatrix per batch of groups.
  constexpr std::size_t kBatch = 64;
  for (std::size_t g0 = 0; g0 < groups.size(); g0 += kBatch) {
    const std::size_t g1 = std::min(groups.size(), g0 + kBatch);
    Matrix stacked(static_cast<Eigen::Index>(g1 - g0) * n, test.cols());
    for (std::size_t g = g0; g < g1; ++g) {
      std::vector<Eigen::Index> perm(static_cast<std::size_t>(n));
      std::iota(perm.begin(), perm.end(), 0);
      shuffle_rows(perm, rng);
      const Eigen::Index off = static_cast<Eigen::Index>(g - g0) * n;
      stacked.middleRows(off, n) = test;
      for (std::size_t c : groups[g])
        for (Eigen::Index i = 0; i < n; ++i)
          stacked(off + i, static_cast<Eigen::Index>(c)) = test(perm[static_cast<std::size_t>(i)], static_cast<Eigen::Index>(c));
    }
    const auto pred = model.predict(DMatrix(stacked, nthread));
    for (std::size_t g = g0; g < g1; ++g) out[g] = mse(pred, (g - g0) * static_cast<std::size_t>(n)) - base;
  }
  return out;
}

}  // namespace rumi::ml
