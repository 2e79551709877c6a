#pragma once
// Rank correlation with ER, as scipy.stats.spearmanr computes it (scipy 1.10): rho is the
// Pearson correlation of average ranks; the two-sided p-value comes from Student's t with n - 2
// degrees of freedom, t = rho * sqrt((n - 2) / ((1 + rho)(1 - rho))). Constant input (scipy:
// NaN) gives p = 1 and defined = false, the honest "no evidence" reading.
#include <span>
#include <vector>

#include "stats/two_sample_tests.h"

namespace rumi::stats {

// statistic = rho, df = n - 2. The inputs must be the same length and finite (callers drop
// pairs with a missing value first).
TestResult spearman(std::span<const double> x, std::span<const double> y);

// Pearson correlation of two equal-length vectors; NaN when either has zero variance.
double pearson(std::span<const double> x, std::span<const double> y);

// The two-sided p-value of a correlation r over n pairs by scipy's t rule (1 when n < 3).
double correlation_p_value(double r, double n);

}  // namespace rumi::stats
