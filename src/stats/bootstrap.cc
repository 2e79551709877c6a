#include "stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/rng.h"
#include "stats/descriptive.h"

namespace rumi::stats {

double lift(double top_mean, double rest_mean) {
  if (!std::isfinite(top_mean) || !std::isfinite(rest_mean)) return 0;
  const double diff = top_mean - rest_mean;
  if (std::fabs(rest_mean) < kLiftZeroGuard) {
    if (std::fabs(diff) < kLiftZeroGuard) return 0;
    return diff > 0 ? kLiftCap : -kLiftCap;
  }
  return std::clamp(diff / std::fabs(rest_mean), -kLiftCap, kLiftCap);
}

std::array<double, 2> bootstrap_lift_ci(std::span<const double> top, std::span<const double> rest, std::uint64_t seed,
                                        std::string_view stream, int resamples) {
  if (top.empty() || rest.empty() || resamples <= 0) return {0, 0};
  Rng rng = make_rng(seed, stream);
  std::vector<double> lifts(static_cast<std::size_t>(resamples));
  for (double& l : lifts) {
    double st = 0, sr = 0;
    for (std::size_t i = 0; i < top.size(); ++i) st += top[uniform_index(rng, top.size())];
    for (std::size_t i = 0; i < rest.size(); ++i) sr += rest[uniform_index(rng, rest.size())];
    l = lift(st / static_cast<double>(top.size()), sr / static_cast<double>(rest.size()));
  }
  return {percentile(lifts, 0.025), percentile(lifts, 0.975)};
}

ResampledWeightedMedian::ResampledWeightedMedian(std::span<const double> values, std::span<const double> weights) {
  const std::size_t n = std::min(values.size(), weights.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  sorted_values_.resize(n), sorted_weights_.resize(n), rank_.resize(n), count_.assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) {
    sorted_values_[k] = values[order[k]];
    sorted_weights_[k] = weights[order[k]];
    rank_[order[k]] = k;
  }
}

double ResampledWeightedMedian::operator()(std::span<const std::size_t> idx) {
  if (idx.empty()) return std::nan("");
  double total = 0;  // in draw order, as weighted_median sums it
  std::size_t first = count_.size(), last = 0;
  for (std::size_t i : idx) {
    const std::size_t k = rank_[i];
    ++count_[k];
    total += sorted_weights_[k];
    first = std::min(first, k), last = std::max(last, k);
  }
  double result = std::nan("");
  if (total > 0) {
    const double half = total / 2.0;
    double cum = 0;
    result = sorted_values_[last];  // weighted_median's fallback: the largest drawn value
    bool done = false;
    for (std::size_t k = first; k <= last && !done; ++k) {
      const std::uint32_t c = count_[k];
      const double w = sorted_weights_[k];
      for (std::uint32_t copy = 0; copy < c; ++copy) {
        cum += w;
        if (std::fabs(cum - half) <= 1e-12 * total) {
          // Midpoint with the next drawn value of positive weight (another copy of this row first).
          double next = sorted_values_[k];
          bool has_next = copy + 1 < c && w > 0;
          for (std::size_t j = k + 1; !has_next && j <= last; ++j)
            if (count_[j] > 0 && sorted_weights_[j] > 0) next = sorted_values_[j], has_next = true;
          result = has_next ? (sorted_values_[k] + next) / 2.0 : sorted_values_[k];
          done = true;
          break;
        }
        if (cum > half) {
          result = sorted_values_[k];
          done = true;
          break;
        }
      }
    }
  }
  for (std::size_t i : idx) count_[rank_[i]] = 0;
  return result;
}

}  // namespace rumi::stats
