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
  // A group none of whose columns is a split of any tree gets predictions identical to the
  // baseline, so its drop is exactly 0: its shuffle is still drawn (the stream stays as
  // documented) but it is not predicted. Only the other groups are stacked.
  const std::vector<double> splits = model.feature_score("weight", static_cast<std::size_t>(test.cols()));
  std::vector<std::size_t> used;
  std::vector<std::vector<Eigen::Index>> perms;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::vector<Eigen::Index> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), 0);
    shuffle_rows(perm, rng);
    const bool read = std::any_of(groups[g].begin(), groups[g].end(),
                                  [&](std::size_t c) { return c < splits.size() && splits[c] > 0; });
    if (!read) continue;
    used.push_back(g);
    perms.push_back(std::move(perm));
  }
  // Predict many shuffled copies at once: one DMatrix per batch of groups.
  constexpr std::size_t kBatch = 64;
  for (std::size_t u0 = 0; u0 < used.size(); u0 += kBatch) {
    const std::size_t u1 = std::min(used.size(), u0 + kBatch);
    Matrix stacked(static_cast<Eigen::Index>(u1 - u0) * n, test.cols());
    for (std::size_t u = u0; u < u1; ++u) {
      const Eigen::Index off = static_cast<Eigen::Index>(u - u0) * n;
      stacked.middleRows(off, n) = test;
      for (std::size_t c : groups[used[u]])
        for (Eigen::Index i = 0; i < n; ++i)
          stacked(off + i, static_cast<Eigen::Index>(c)) =
              test(perms[u][static_cast<std::size_t>(i)], static_cast<Eigen::Index>(c));
    }
    const auto pred = model.predict(DMatrix(stacked, nthread));
    for (std::size_t u = u0; u < u1; ++u) out[used[u]] = mse(pred, (u - u0) * static_cast<std::size_t>(n)) - base;
  }
  return out;
}

}  // namespace rumi::ml
