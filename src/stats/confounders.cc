#include "stats/confounders.h"

#include <Eigen/Dense>
#include <cmath>

#include "core/ranks.h"
#include "stats/correlation.h"
#include "stats/elements.h"

#include <boost/math/distributions/students_t.hpp>

namespace rumi::stats {

AdjustedTest rank_regression(std::span<const double> x, std::span<const double> er,
                             std::span<const Covariate> covariates) {
  AdjustedTest out;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(er[i])) rows.push_back(i);
  const std::size_t n = rows.size();
  if (n < 5) return out;
  auto ranks_of = [&](std::span<const double> v) {
    std::vector<double> sub;
    for (std::size_t r : rows) sub.push_back(r < v.size() ? v[r] : std::nan(""));
    std::vector<double> rk = ranks_with_missing(sub);
    std::size_t finite = 0;
    for (double t : rk) finite += std::isfinite(t);
    for (double& t : rk)
      if (!std::isfinite(t)) t = (static_cast<double>(finite) + 1.0) / 2.0;
    return rk;
  };
  std::vector<std::vector<double>> cols{ranks_of(x)};
  for (const auto& c : covariates) {
    std::vector<double> rk = ranks_of(c.values);
    bool varies = false;
    for (double v : rk) varies = varies || v != rk[0];
    if (!varies) continue;
    cols.push_back(std::move(rk));
    out.covariates.push_back(c.name);
  }
  const std::size_t p = cols.size() + 1;
  if (n <= p + 1) return out;
  Eigen::MatrixXd X(n, p);
  Eigen::VectorXd y(n);
  const std::vector<double> yr = ranks_of(er);
  for (std::size_t i = 0; i < n; ++i) {
    X(i, 0) = 1.0;
    for (std::size_t c = 0; c < cols.size(); ++c) X(i, c + 1) = cols[c][i];
    y(i) = yr[i];
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
  if (qr.rank() < static_cast<Eigen::Index>(p)) return out;  // collinear with a covariate
  const Eigen::VectorXd b = qr.solve(y);
  const Eigen::VectorXd resid = y - X * b;
  out.df = static_cast<double>(n - p);
  const double sigma2 = resid.squaredNorm() / out.df;
  const Eigen::MatrixXd xtx_inv = (X.transpose() * X).inverse();
  const double se = std::sqrt(sigma2 * xtx_inv(1, 1));
  out.coefficient = b(1);
  if (!(se > 0) || !std::isfinite(se)) {
    out.p_value = out.coefficient == 0 ? 1.0 : 0.0;
    out.defined = true;
    return out;
  }
  const double t = b(1) / se;
  const boost::math::students_t dist(out.df);
  out.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
  out.defined = true;
  return out;
}

}  // namespace rumi::stats
