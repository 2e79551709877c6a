#pragma once
// Two-sample location tests for continuous features, matching scipy 1.10 exactly so an analyst
// can reproduce every p-value: Welch's t (ttest_ind(equal_var=False)) and Mann-Whitney U
// (mannwhitneyu with its default method='auto', two-sided).
//
// Degenerate inputs never throw and never return NaN p-values: where scipy gives NaN (zero
// variance in both groups, a group of size < 2 for Welch, an empty group) we return p = 1 and
// `defined = false`, because "no evidence of a difference" is the honest reading.
#include <span>
#include <string>

namespace rumi::stats {

struct TestResult {
  double statistic = 0;  // t, U1 (of the first sample), chi2 or z
  double p_value = 1;    // two-sided
  double df = 0;         // degrees of freedom where meaningful
  std::string method;    // welch_t, mann_whitney_u_exact, mann_whitney_u_asymptotic, ...
  bool defined = true;   // false when the input was degenerate and p was set to 1
};

// The result for degenerate input (zero variance, n < 2, empty table): p = 1, flagged undefined.
inline TestResult undefined_test(std::string method) {
  TestResult r;
  r.method = std::move(method);
  r.defined = false;
  return r;
}

TestResult welch_t_test(std::span<const double> a, std::span<const double> b);

// scipy's 'auto': exact null distribution when either sample has <= 8 values and there are no
// ties; otherwise normal approximation with tie correction and continuity correction.
TestResult mann_whitney_u(std::span<const double> a, std::span<const double> b);

}  // namespace rumi::stats
