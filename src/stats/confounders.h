#pragma once
// Sensitivity of a pattern to things that drive ER on their own: creator size (followers),
// the video's age when it was scraped, and paid promotion (Apify isAd / isSponsored). The
// pattern's test is rerun as a rank regression: rank(ER) on rank(element) plus the ranks of the
// covariates (OLS; missing covariate values at the middle rank; constant covariates dropped),
// and the element's coefficient is tested with Student's t on n - p degrees of freedom. A
// pattern whose coefficient changes sign or is no longer below p = 0.05 after adjustment is
// labelled "vanishes after adjustment"; both results are shown.
#include <span>
#include <string>
#include <vector>

namespace rumi::stats {

struct Covariate {
  std::string name;            // followers_log, age_days, is_ad, is_sponsored
  std::vector<double> values;  // one per dataset row, NaN = unknown
};

struct AdjustedTest {
  bool defined = false;
  double coefficient = 0;  // standardised: change in ER rank per element rank (unadjusted ~ rho)
  double p_value = 1;
  double df = 0;
  std::vector<std::string> covariates;  // those that entered (non-constant)
};

AdjustedTest rank_regression(std::span<const double> x, std::span<const double> er,
                             std::span<const Covariate> covariates);

}  // namespace rumi::stats
