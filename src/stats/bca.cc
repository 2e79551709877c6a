#include "stats/bca.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "stats/descriptive.h"

namespace rumi::stats {

namespace {

double ndtr(double z) { return boost::math::cdf(boost::math::normal(), z); }
double ndtri(double p) {
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  return boost::math::quantile(boost::math::normal(), p);
}

// Jackknife contributions of one sample: sum(U^3)/n^3 and sum(U^2)/n^2 (scipy's nums/dens).
std::pair<double, double> jackknife_terms(const TwoSampleStatistic& stat, std::size_t na, std::size_t nb, bool first) {
  const std::size_t n = first ? na : nb;
  if (n < 2) return {0, 0};
  std::vector<std::size_t> all_a(na), all_b(nb);
  std::iota(all_a.begin(), all_a.end(), 0);
  std::iota(all_b.begin(), all_b.end(), 0);
  std::vector<double> theta(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::size_t> loo;
    loo.reserve(n - 1);
    for (std::size_t k = 0; k < n; ++k)
      if (k != i) loo.push_back(k);
    theta[i] = first ? stat(loo, all_b) : stat(all_a, loo);
  }
  const double dot = mean(theta);
  double s3 = 0, s2 = 0;
  const double dn = static_cast<double>(n);
  for (double t : theta) {
    const double u = (dn - 1) * (dot - t);
    s3 += u * u * u, s2 += u * u;
  }
  return {s3 / (dn * dn * dn), s2 / (dn * dn)};
}

}  // namespace

BcaResult bca_two_sample(const TwoSampleStatistic& stat, std::size_t na, std::size_t nb, int resamples, Rng& rng,
                         double confidence) {
  BcaResult r;
  std::vector<std::size_t> ia(na), ib(nb);
  std::iota(ia.begin(), ia.end(), 0);
  std::iota(ib.begin(), ib.end(), 0);
  r.estimate = stat(ia, ib);
  r.ci = {r.estimate, r.estimate};
  if (na == 0 || nb == 0 || resamples < 2 || !std::isfinite(r.estimate)) return r;
  std::vector<double> theta_b(static_cast<std::size_t>(resamples));
  for (double& t : theta_b) {
    for (auto& v : ia) v = uniform_index(rng, na);
    for (auto& v : ib) v = uniform_index(rng, nb);
    t = stat(ia, ib);
  }
  std::size_t below = 0, at_or_below = 0;
  for (double t : theta_b) below += t < r.estimate, at_or_below += t <= r.estimate;
  const double share = static_cast<double>(below + at_or_below) / (2.0 * static_cast<double>(resamples));
  r.z0 = ndtri(share);
  const auto [n1, d1] = jackknife_terms(stat, na, nb, true);
  const auto [n2, d2] = jackknife_terms(stat, na, nb, false);
  const double den = std::pow(d1 + d2, 1.5);
  r.acceleration = den > 0 ? (n1 + n2) / den / 6.0 : 0.0;
  const double alpha = (1.0 - confidence) / 2.0;
  const double za = ndtri(alpha), z1a = -za;
  const double a1 = ndtr(r.z0 + (r.z0 + za) / (1 - r.acceleration * (r.z0 + za)));
  const double a2 = ndtr(r.z0 + (r.z0 + z1a) / (1 - r.acceleration * (r.z0 + z1a)));
  if (!std::isfinite(a1) || !std::isfinite(a2)) return r;  // degenerate (all resamples equal)
  r.ci = {percentile(theta_b, a1), percentile(theta_b, a2)};
  r.defined = std::isfinite(r.ci[0]) && std::isfinite(r.ci[1]);
  if (!r.defined) r.ci = {r.estimate, r.estimate};
  return r;
}

}  // namespace rumi::stats
