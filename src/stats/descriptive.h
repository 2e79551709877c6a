#pragma once
// Small descriptive statistics shared by the tests, effect sizes and tiers. Conventions follow
// numpy: variance with ddof=1 ("sample"), percentiles by linear interpolation. Empty input gives
// NaN, never a crash; callers decide how to report it.
#include <span>

#include <vector>
#include "core/ranks.h"

namespace rumi::stats {

double mean(std::span<const double> v);
double sample_variance(std::span<const double> v);  // ddof = 1; NaN when n < 2
double sample_sd(std::span<const double> v);
double median(std::span<const double> v);
// q in [0, 1], numpy's default 'linear' method.
double percentile(std::span<const double> v, double q);

}  // namespace rumi::stats
