#pragma once
// How many videos a bucket needs before a realistic creative effect can be told apart from
// noise. Used by the "What we need to learn next" sections so a client sees why a bucket's
// hypotheses are not yet findings, and what it would take to settle them.
//
// Planning rule (Fisher z for a Spearman correlation, Bonferroni over the bucket's elements):
//   n = ((z_{1 - alpha / (2 m)} + z_{power}) / atanh(rho))^2 + 3, rounded up.
// Bonferroni (alpha / m) is stricter than the Benjamini-Hochberg correction the evidence engine
// applies, so it is a conservative planning value: a bucket of this size will not be too small.
#include <string>

namespace rumi::report {

inline constexpr double kPlanningRho = 0.3;     // a realistic creative effect (Spearman rho)
inline constexpr double kPlanningAlpha = 0.05;  // two-sided, before the split over elements
inline constexpr double kPlanningPower = 0.8;

// Videos needed (rounded up) to detect `rho` with `power` at two-sided `alpha` shared by
// `family_size` tests. family_size 0 (nothing tested yet) plans for a single test. Throws
// UsageError when rho is not in (0, 1), alpha or power not in (0, 1), or family_size < 0.
int videos_to_detect(int family_size, double rho = kPlanningRho, double alpha = kPlanningAlpha,
                     double power = kPlanningPower);

// The rule in words, for the reports: "a Spearman correlation of 0.3 ... (Fisher z)".
std::string planning_rule_text();

}  // namespace rumi::report
