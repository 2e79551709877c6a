#pragma once
// Bias-corrected and accelerated (BCa) bootstrap intervals for two-sample statistics, with
// exactly the conventions of scipy.stats.bootstrap(method='BCa') (scipy 1.10): each sample is
// resampled independently with replacement; z0 from the share of resampled statistics below
// (counting ties as half) the observed one; the acceleration from the jackknife of each sample
// in turn, summed over samples; percentiles of the resampled statistics by numpy's linear rule.
#include <array>
#include <cstddef>
#include <functional>
#include <span>

#include "core/rng.h"

namespace rumi::stats {

// The statistic as a function of the index multisets drawn from sample a and sample b.
using TwoSampleStatistic = std::function<double(std::span<const std::size_t>, std::span<const std::size_t>)>;

struct BcaResult {
  double estimate = 0;
  std::array<double, 2> ci{0, 0};
  double z0 = 0, acceleration = 0;
  bool defined = false;  // false: degenerate bootstrap distribution (ci = {estimate, estimate})
};

BcaResult bca_two_sample(const TwoSampleStatistic& stat, std::size_t na, std::size_t nb, int resamples, Rng& rng,
                         double confidence = 0.95);

}  // namespace rumi::stats
