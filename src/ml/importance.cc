#include "ml/importance.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.h"

namespace rumi::ml {

double pearson(std::span<const double> a, std::span<const double> b) {
  const double n = static_cast<double>(a.size());
  if (a.size() < 2) return 0;
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa <= 1e-24 || sbb <= 1e-24) return 0;
  return sab / std::sqrt(saa * sbb);
}

double spearman(std::span<const double> a, std::span<const double> b) {
  const auto ra = average_ranks(a), rb = average_ranks(b);
  return pearson(ra, rb);
}

std::vector<std::vector<std::size_t>> correlation_groups(const Matrix& x, double threshold) {
  const auto p = static_cast<std::size_t>(x.cols());
  const auto n = x.rows();
  // Standardized ranks per column: the Spearman correlation is then a dot product / n.
  Eigen::MatrixXd r(n, static_cast<Eigen::Index>(p));
  std::vector<bool> constant(p, false);
  std::vector<double> col(static_cast<std::size_t>(n));
  for (std::size_t c = 0; c < p; ++c) {
    for (Eigen::Index i = 0; i < n; ++i) col[static_cast<std::size_t>(i)] = x(i, static_cast<Eigen::Index>(c));
    const auto ranks = average_ranks(col);
    Eigen::VectorXd v = Eigen::Map<const Eigen::VectorXd>(ranks.data(), n);
    v.array() -= v.mean();
    const double norm = v.norm();
    if (norm < 1e-12) constant[c] = true;
    else v /= norm;
    r.col(static_cast<Eigen::Index>(c)) = v;
  }
  const Eigen::MatrixXd corr = r.transpose() * r;
  std::vector<std::size_t> parent(p);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (std::size_t a = 0; a < p; ++a)
    for (std::size_t b = a + 1; b < p; ++b)
      if (!constant[a] && !constant[b] &&
          std::abs(corr(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b))) > threshold) {
        const auto ra = find(a), rb = find(b);
        if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
      }
  std::vector<std::vector<std::size_t>> groups;
  std::vector<long> index_of(p, -1);
  for (std::size_t c = 0; c < p; ++c) {
    const auto root = find(c);
    if (index_of[root] < 0) {
      index_of[root] = static_cast<long>(groups.size());
      groups.emplace_back();
    }
    groups[static_cast<std::size_t>(index_of[root])].push_back(c);
  }
  return groups;
}

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
      for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[uniform_index(rng, i)]);
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
