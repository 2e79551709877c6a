#include "stats/contingency_tests.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace rumi::stats {

std::vector<double> expected_counts(std::span<const double> table, std::size_t rows, std::size_t cols) {
  std::vector<double> row_sum(rows, 0), col_sum(cols, 0);
  double total = 0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      row_sum[i] += table[i * cols + j];
      col_sum[j] += table[i * cols + j];
      total += table[i * cols + j];
    }
  std::vector<double> e(rows * cols, 0.0);
  if (total <= 0) return e;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) e[i * cols + j] = row_sum[i] * col_sum[j] / total;
  return e;
}

TestResult chi_square_contingency(std::span<const double> table, std::size_t rows, std::size_t cols,
                                  bool yates_correction) {
  if (rows == 0 || cols == 0 || table.size() != rows * cols) return undefined_test("chi_square");
  const std::vector<double> e = expected_counts(table, rows, cols);
  if (std::any_of(e.begin(), e.end(), [](double v) { return !(v > 0); })) return undefined_test("chi_square");
  TestResult r;
  r.method = "chi_square";
  // scipy: dof = size - sum(shape) + ndim - 1
  r.df = static_cast<double>(rows * cols) - static_cast<double>(rows + cols) + 1.0;
  if (r.df <= 0) {
    r.statistic = 0;
    r.p_value = 1;
    return r;
  }
  double chi2 = 0;
  for (std::size_t k = 0; k < e.size(); ++k) {
    double o = table[k];
    if (yates_correction && r.df == 1) {
      const double diff = e[k] - o;
      const double direction = diff > 0 ? 1.0 : (diff < 0 ? -1.0 : 0.0);
      o += std::min(0.5, std::fabs(diff)) * direction;
    }
    chi2 += (o - e[k]) * (o - e[k]) / e[k];
  }
  r.statistic = chi2;
  const boost::math::chi_squared dist(r.df);
  r.p_value = std::clamp(boost::math::cdf(boost::math::complement(dist, chi2)), 0.0, 1.0);
  return r;
}

TestResult fisher_exact_2x2(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
  if (a < 0 || b < 0 || c < 0 || d < 0) return undefined_test("fisher_exact");
  if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) return undefined_test("fisher_exact");
  const auto n1 = static_cast<unsigned>(a + b), n2 = static_cast<unsigned>(c + d);
  const auto n = static_cast<unsigned>(a + c);
  // x = a follows hypergeometric(draws n from population n1 + n2 with n1 successes).
  const boost::math::hypergeometric_distribution<double> dist(n1, n, n1 + n2);
  const unsigned lo = n > n2 ? n - n2 : 0, hi = std::min(n, n1);
  const double p_obs = boost::math::pdf(dist, static_cast<unsigned>(a));
  // scipy compares with a relative tolerance of 1e-14 (gamma = 1 + epsilon) and returns exactly
  // 1 when the observed table is the mode; summing every table no more likely than the
  // observed one is the same definition.
  const double limit = p_obs * (1.0 + 1e-14);
  double p = 0;
  for (unsigned x = lo; x <= hi; ++x) {
    const double px = boost::math::pdf(dist, x);
    if (px <= limit) p += px;
  }
  TestResult r;
  r.method = "fisher_exact";
  r.statistic = (b > 0 && c > 0) ? static_cast<double>(a) * static_cast<double>(d) /
                                       (static_cast<double>(b) * static_cast<double>(c))
                                 : 0.0;  // odds ratio; 0 stands in for scipy's inf
  r.p_value = std::clamp(p, 0.0, 1.0);
  return r;
}

TestResult two_proportion_z(std::int64_t k1, std::int64_t n1, std::int64_t k2, std::int64_t n2) {
  if (n1 <= 0 || n2 <= 0 || k1 < 0 || k2 < 0 || k1 > n1 || k2 > n2) return undefined_test("two_proportion_z");
  const double p1 = static_cast<double>(k1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(k2) / static_cast<double>(n2);
  const double pooled = static_cast<double>(k1 + k2) / static_cast<double>(n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2)));
  if (!(se > 0)) return undefined_test("two_proportion_z");
  TestResult r;
  r.method = "two_proportion_z";
  r.statistic = (p1 - p2) / se;
  const boost::math::normal norm;
  r.p_value = std::clamp(2.0 * boost::math::cdf(boost::math::complement(norm, std::fabs(r.statistic))), 0.0, 1.0);
  return r;
}

TestResult presence_test_2x2(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
  const double t[4] = {static_cast<double>(a), static_cast<double>(b), static_cast<double>(c), static_cast<double>(d)};
  const std::vector<double> e = expected_counts(t, 2, 2);
  if (std::any_of(e.begin(), e.end(), [](double v) { return v < 5; })) return fisher_exact_2x2(a, b, c, d);
  return chi_square_contingency(t, 2, 2, true);
}

}  // namespace rumi::stats
