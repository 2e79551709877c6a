#pragma once
// Effect sizes that travel with every test, so a reader sees how big a difference is, not only
// whether it is detectable. All return 0 (not NaN) on degenerate input: no measurable effect.
#include <span>

namespace rumi::stats {

// (mean(a) - mean(b)) / pooled SD (ddof = 1).
double cohens_d(std::span<const double> a, std::span<const double> b);
// Cohen's d times the small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9).
double hedges_g(std::span<const double> a, std::span<const double> b);
// 2 U1 / (n1 n2) - 1, in [-1, 1]; positive when `a` tends to be larger.
double rank_biserial(std::span<const double> a, std::span<const double> b);
// p1 - p2.
double risk_difference(double k1, double n1, double k2, double n2);

// Below this many videos in total the pattern finder reports Hedges' g instead of Cohen's d.
inline constexpr int kHedgesBelowN = 50;

}  // namespace rumi::stats
