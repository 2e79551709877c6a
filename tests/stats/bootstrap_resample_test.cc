// ResampledWeightedMedian (stats/bootstrap.h) against weighted_median on copied resamples: the
// bootstrap of the engagement lift relies on it giving exactly the same number.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "stats/bootstrap.h"
#include "stats/weighted.h"

namespace rumi::stats {
namespace {

double copied_median(const std::vector<double>& v, const std::vector<double>& w, std::span<const std::size_t> idx) {
  std::vector<double> a, aw;
  for (std::size_t i : idx) a.push_back(v[i]), aw.push_back(w[i]);
  return weighted_median(a, aw);
}

void expect_same(double a, double b) {
  if (std::isnan(b))
    EXPECT_TRUE(std::isnan(a));
  else
    EXPECT_EQ(a, b);
}

TEST(ResampledWeightedMedian, EqualsWeightedMedianOfTheCopiedResample) {
  Rng rng = make_rng(7, "test/resampled-median");
  int midpoints = 0;
  for (int rep = 0; rep < 400; ++rep) {
    const std::size_t n = 1 + uniform_index(rng, 40);
    std::vector<double> v(n), w(n);
    const int kind = rep % 4;  // unit weights / few distinct values / real weights / some zero weights
    for (std::size_t i = 0; i < n; ++i) {
      v[i] = kind == 1 ? static_cast<double>(uniform_index(rng, 4)) : std::round(uniform01(rng) * 1000) / 100;
      w[i] = kind == 0 || kind == 1 ? 1.0 : 0.2 + uniform01(rng) * 3;
      if (kind == 3 && uniform_index(rng, 4) == 0) w[i] = 0;
    }
    ResampledWeightedMedian median(v, w);
    for (int b = 0; b < 20; ++b) {
      std::vector<std::size_t> idx(b == 0 ? n : 1 + uniform_index(rng, 2 * n));
      for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = b == 0 ? k : uniform_index(rng, n);
      const double want = copied_median(v, w, idx);
      expect_same(median(idx), want);
      // Midpoint cases (an even number of unit weights) must be among the cases checked.
      if (kind == 0 && idx.size() % 2 == 0) ++midpoints;
    }
  }
  EXPECT_GT(midpoints, 100);
}

TEST(ResampledWeightedMedian, KnownValuesAndLeaveOneOut) {
  const std::vector<double> v{5, 1, 3, 3, 9}, w{1, 1, 1, 1, 1};
  ResampledWeightedMedian median(v, w);
  const std::vector<std::size_t> all{0, 1, 2, 3, 4}, loo{0, 1, 3, 4}, twice{4, 4, 1};
  EXPECT_EQ(median(all), 3);
  EXPECT_EQ(median(loo), 4);  // 1 3 5 9: midpoint of 3 and 5
  EXPECT_EQ(median(twice), 9);
  EXPECT_EQ(median(all), 3);  // the counts of earlier calls are reset
  const std::vector<double> zero{0, 0, 0, 0, 0};
  ResampledWeightedMedian none(v, zero);
  EXPECT_TRUE(std::isnan(none(all)));
  EXPECT_TRUE(std::isnan(median(std::span<const std::size_t>{})));
}

}  // namespace
}  // namespace rumi::stats
