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

// Partial Spearman correlation of x and y with z held fixed: the Pearson partial correlation of
// the average ranks, r = (r_xy - r_xz r_zy) / sqrt((1 - r_xz^2)(1 - r_zy^2)), tested two-sided
// with Student's t on n - 3 degrees of freedom, t = r sqrt((n - 3) / (1 - r^2)) (the t of x's
// coefficient in the OLS of rank(y) on rank(x) and rank(z); pingouin.partial_corr's
// method='spearman'). statistic = r, df = n - 3. Inputs: same length, finite. Undefined (p = 1)
// for n < 4, a constant input, or x or y perfectly rank-correlated with z (nothing is left to
// correlate once z is held fixed).
TestResult partial_spearman(std::span<const double> x, std::span<const double> y, std::span<const double> z);

// Pearson correlation of two equal-length vectors; NaN when either has zero variance.
double pearson(std::span<const double> x, std::span<const double> y);

// The two-sided p-value of a correlation r over n pairs by scipy's t rule (1 when n < 3).
double correlation_p_value(double r, double n);

}  // namespace rumi::stats
