#include "stats/weighted.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace rumi::stats {

double kish_effective_n(std::span<const double> w) {
  double s = 0, s2 = 0;
  for (double x : w) s += x, s2 += x * x;
  return s2 > 0 ? s * s / s2 : 0.0;
}

double weighted_median(std::span<const double> values, std::span<const double> weights) {
  const std::size_t n = std::min(values.size(), weights.size());
  if (n == 0) return std::nan("");
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weights[i];
  if (!(total > 0)) return std::nan("");
  const double half = total / 2.0;
  double cum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    cum += weights[order[k]];
    // Relative tolerance: equal weights summing to exactly half must take the midpoint rule.
    if (std::fabs(cum - half) <= 1e-12 * total) {
      std::size_t next = k + 1;
      while (next < n && !(weights[order[next]] > 0)) ++next;
      return next < n ? (values[order[k]] + values[order[next]]) / 2.0 : values[order[k]];
    }
    if (cum > half) return values[order[k]];
  }
  return values[order[n - 1]];
}

double weighted_share(std::span<const double> flags, std::span<const double> weights) {
  double s = 0, t = 0;
  for (std::size_t i = 0; i < std::min(flags.size(), weights.size()); ++i) {
    t += weights[i];
    if (flags[i] > 0.5) s += weights[i];
  }
  return t > 0 ? s / t : std::nan("");
}

}  // namespace rumi::stats
