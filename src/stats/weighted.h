#pragma once
// Weighted summaries. Selection weights (celebrity 0.5, outlier 0.5, inverse-probability for the
// random half of a contrast sample) describe how much each video stands for in the eligible
// population; they enter lifts, prevalences and averages, never p-values (which are valid
// unweighted because selection depends only on ER and creator size). Every weighted number is
// reported with its Kish effective sample size so a reader sees how much data it rests on.
#include <span>

namespace rumi::stats {

// (sum w)^2 / sum w^2; 0 for empty input.
double kish_effective_n(std::span<const double> w);

// The weighted median: the smallest value whose cumulative weight reaches half the total; when
// the cumulative weight equals exactly half, the mean of that value and the next one, so equal
// weights give numpy's median. NaN for empty input or zero total weight.
double weighted_median(std::span<const double> values, std::span<const double> weights);

// Weighted share of `flags` (1 = yes); NaN when the total weight is 0.
double weighted_share(std::span<const double> flags, std::span<const double> weights);

}  // namespace rumi::stats
