#include "ml/importance.h"

#include <algorithm>
#include <cmath>
#include <numeric>

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
    if (norm < 1e-12)
      constant[c] = true;
    else
      v /= norm;
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

}  // namespace rumi::ml
