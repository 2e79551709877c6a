#include "stats/correlation.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "core/ranks.h"

namespace rumi::stats {

double pearson(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return std::nan("");
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy, sxx += dx * dx, syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return std::nan("");
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

double correlation_p_value(double r, double n) {
  if (!std::isfinite(r) || n < 3) return 1.0;
  const double dof = n - 2;
  if (std::fabs(r) >= 1.0) return 0.0;
  const double t = r * std::sqrt(std::max(0.0, dof / ((r + 1.0) * (1.0 - r))));
  const boost::math::students_t dist(dof);
  return std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
}

TestResult spearman(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 3) return undefined_test("spearman");
  const std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
  const double rho = pearson(rx, ry);
  if (!std::isfinite(rho)) return undefined_test("spearman");
  TestResult r;
  r.method = "spearman";
  r.statistic = rho;
  r.df = static_cast<double>(x.size()) - 2;
  r.p_value = correlation_p_value(rho, static_cast<double>(x.size()));
  return r;
}

TestResult partial_spearman(std::span<const double> x, std::span<const double> y, std::span<const double> z) {
  const std::size_t n = x.size();
  if (y.size() != n || z.size() != n || n < 4) return undefined_test("partial_spearman");
  const std::vector<double> rx = average_ranks(x), ry = average_ranks(y), rz = average_ranks(z);
  const double rxy = pearson(rx, ry), rxz = pearson(rx, rz), rzy = pearson(rz, ry);
  if (!std::isfinite(rxy) || !std::isfinite(rxz) || !std::isfinite(rzy)) return undefined_test("partial_spearman");
  const double denom = (1 - rxz * rxz) * (1 - rzy * rzy);
  if (!(denom > 1e-12)) return undefined_test("partial_spearman");
  const double r = std::clamp((rxy - rxz * rzy) / std::sqrt(denom), -1.0, 1.0);
  TestResult out;
  out.method = "partial_spearman";
  out.statistic = r;
  out.df = static_cast<double>(n) - 3;
  if (std::fabs(r) >= 1.0) {
    out.p_value = 0.0;
    return out;
  }
  const double t = r * std::sqrt(out.df / (1 - r * r));
  const boost::math::students_t dist(out.df);
  out.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
  return out;
}

}  // namespace rumi::stats
