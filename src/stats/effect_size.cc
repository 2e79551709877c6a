#include "stats/effect_size.h"

#include <cmath>
#include <vector>

#include "stats/descriptive.h"

namespace rumi::stats {

double cohens_d(std::span<const double> a, std::span<const double> b) {
  if (a.size() < 2 || b.size() < 2) return 0;
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  const double pooled = ((n1 - 1) * sample_variance(a) + (n2 - 1) * sample_variance(b)) / (n1 + n2 - 2);
  if (!(pooled > 0) || !std::isfinite(pooled)) return 0;
  return (mean(a) - mean(b)) / std::sqrt(pooled);
}

double hedges_g(std::span<const double> a, std::span<const double> b) {
  const double n = static_cast<double>(a.size() + b.size());
  if (n <= 3) return 0;
  return cohens_d(a, b) * (1.0 - 3.0 / (4.0 * n - 9.0));
}

double rank_biserial(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return 0;
  std::vector<double> xy(a.begin(), a.end());
  xy.insert(xy.end(), b.begin(), b.end());
  const std::vector<double> ranks = average_ranks(xy);
  double r1 = 0;
  for (std::size_t i = 0; i < a.size(); ++i) r1 += ranks[i];
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  const double u1 = r1 - n1 * (n1 + 1) / 2;
  return 2.0 * u1 / (n1 * n2) - 1.0;
}

double risk_difference(double k1, double n1, double k2, double n2) {
  if (!(n1 > 0) || !(n2 > 0)) return 0;
  return k1 / n1 - k2 / n2;
}

}  // namespace rumi::stats
