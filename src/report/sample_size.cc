#include "report/sample_size.h"

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "core/error.h"

namespace rumi::report {

int videos_to_detect(int family_size, double rho, double alpha, double power) {
  if (!(rho > 0 && rho < 1)) throw UsageError(fmt::format("planning effect size rho must be in (0, 1), got {}", rho));
  if (!(alpha > 0 && alpha < 1)) throw UsageError(fmt::format("planning alpha must be in (0, 1), got {}", alpha));
  if (!(power > 0 && power < 1)) throw UsageError(fmt::format("planning power must be in (0, 1), got {}", power));
  if (family_size < 0) throw UsageError(fmt::format("family size must be >= 0, got {}", family_size));
  const double m = family_size > 0 ? family_size : 1;  // nothing tested yet: plan for one test
  const boost::math::normal z;
  const double za = boost::math::quantile(z, 1.0 - alpha / (2.0 * m));
  const double zb = boost::math::quantile(z, power);
  const double root = (za + zb) / std::atanh(rho);
  // A hair below the integer (floating noise) must not cost a whole extra video.
  return static_cast<int>(std::ceil(root * root + 3.0 - 1e-9));
}

std::string planning_rule_text() {
  return fmt::format(
      "Rule: a realistic effect is a Spearman correlation of {} between an element and engagement rate; to find it "
      "{:.0f} % of the time at a two-sided {} false-alarm rate split across the m elements tested in the bucket "
      "(Bonferroni, a conservative planning value), a bucket needs n = ((z(1 - {}/(2m)) + z({})) / atanh({}))\u00b2 "
      "+ 3 videos (Fisher z).",
      kPlanningRho, kPlanningPower * 100, kPlanningAlpha, kPlanningAlpha, kPlanningPower, kPlanningRho);
}

}  // namespace rumi::report
