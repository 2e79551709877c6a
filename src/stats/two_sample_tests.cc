#include "stats/two_sample_tests.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <map>
#include <vector>

#include "stats/descriptive.h"

namespace rumi::stats {

namespace {

// Number of ways (as double) to reach each U for samples of sizes m and n without ties:
// f(m, n, k) = f(m-1, n, k-n) + f(m, n-1, k), the recursion scipy's _MWU uses, tabulated
// bottom-up over m for a fixed n.
std::vector<double> mwu_null_counts(int m, int n) {
  // counts[i][j][k]: i first-sample items, j second-sample items. Iterate j outer so only two
  // layers over i are alive.
  const int kmax = m * n;
  std::vector<std::vector<double>> prev(m + 1), cur(m + 1);
  for (int i = 0; i <= m; ++i) {
    prev[i].assign(kmax + 1, 0.0);
    prev[i][0] = 1.0;  // j = 0: only U = 0
  }
  for (int j = 1; j <= n; ++j) {
    for (int i = 0; i <= m; ++i) {
      cur[i].assign(kmax + 1, 0.0);
      for (int k = 0; k <= i * j; ++k) {
        double v = prev[i][k];                            // f(i, j-1, k)
        if (i > 0 && k - j >= 0) v += cur[i - 1][k - j];  // f(i-1, j, k-j)
        cur[i][k] = v;
      }
    }
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

TestResult welch_t_test(std::span<const double> a, std::span<const double> b) {
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  if (a.size() < 2 || b.size() < 2) return undefined_test("welch_t");
  const double v1 = sample_variance(a) / n1, v2 = sample_variance(b) / n2;
  const double se2 = v1 + v2;
  if (!(se2 > 0) || !std::isfinite(se2)) return undefined_test("welch_t");
  TestResult r;
  r.method = "welch_t";
  r.statistic = (mean(a) - mean(b)) / std::sqrt(se2);
  r.df = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
  const boost::math::students_t dist(r.df);
  r.p_value = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(r.statistic))));
  return r;
}

TestResult mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return undefined_test("mann_whitney_u");
  const std::size_t n1 = a.size(), n2 = b.size();
  std::vector<double> xy(a.begin(), a.end());
  xy.insert(xy.end(), b.begin(), b.end());
  const std::vector<double> ranks = average_ranks(xy);
  double r1 = 0;
  for (std::size_t i = 0; i < n1; ++i) r1 += ranks[i];
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  const double u1 = r1 - dn1 * (dn1 + 1) / 2;
  const double u2 = dn1 * dn2 - u1;
  const double u = std::max(u1, u2);

  std::map<double, int> tie_counts;
  for (double v : xy) ++tie_counts[v];
  bool ties = false;
  double tie_term = 0;
  for (const auto& [value, t] : tie_counts) {
    if (t > 1) ties = true;
    tie_term += static_cast<double>(t) * t * t - t;
  }

  TestResult r;
  r.statistic = u1;
  const bool exact = !(n1 > 8 && n2 > 8) && !ties;
  if (exact) {
    r.method = "mann_whitney_u_exact";
    const int m = static_cast<int>(n1), n = static_cast<int>(n2);
    // Put the smaller sample first: the table is symmetric in (m, n), and smaller m is cheaper.
    const std::vector<double> counts = m <= n ? mwu_null_counts(m, n) : mwu_null_counts(n, m);
    double total = 0;  // = C(n1 + n2, n1), summed so the ratio is exactly consistent
    for (double c : counts) total += c;
    // P(U >= u) = P(U <= mn - u) by symmetry; u is an integer without ties.
    const auto k = static_cast<long>(std::llround(dn1 * dn2 - u));
    double cum = 0;
    for (long i = 0; i <= k && i < static_cast<long>(counts.size()); ++i) cum += counts[i];
    r.p_value = std::clamp(2.0 * cum / total, 0.0, 1.0);
    return r;
  }
  r.method = "mann_whitney_u_asymptotic";
  const double n = dn1 + dn2;
  const double s = std::sqrt(dn1 * dn2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))));
  if (!(s > 0)) {  // every value tied: no information
    r.p_value = 1;
    r.defined = false;
    return r;
  }
  const double z = (u - dn1 * dn2 / 2 - 0.5) / s;
  const boost::math::normal norm;
  r.statistic = u1;
  r.p_value = std::clamp(2.0 * boost::math::cdf(boost::math::complement(norm, z)), 0.0, 1.0);
  return r;
}

}  // namespace rumi::stats
