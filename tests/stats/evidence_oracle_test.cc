// The evidence engine's building blocks against independent oracles: Spearman against
// scipy.stats.spearmanr, the weighted median against numpy, BCa against
// scipy.stats.bootstrap(method='BCa'), BH against statsmodels' multipletests, and the confounder
// rank regression against statsmodels OLS on scipy ranks.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/rng.h"
#include "stats/bca.h"
#include "stats/confounders.h"
#include "stats/correlation.h"
#include "stats/descriptive.h"
#include "stats/multiple_testing.h"
#include "stats/weighted.h"
#include "support/test_support.h"

namespace rumi::stats {
namespace {

double normal(Rng& rng) { return standard_normal(rng); }

Json python(const std::string& script, const Json& input) { return test::python_json(script, input); }

bool have_statsmodels() { return test::python_has("statsmodels, scipy"); }

TEST(EvidenceOracle, SpearmanMatchesScipy) {
  Rng rng = make_rng(11, "spearman-oracle");
  Json cases = Json::array();
  std::vector<TestResult> ours;
  for (int i = 0; i < 120; ++i) {
    const std::size_t n = 3 + uniform_index(rng, 120);
    std::vector<double> x(n), y(n);
    const double r = (static_cast<double>(uniform_index(rng, 9)) - 4) / 5.0;
    for (std::size_t k = 0; k < n; ++k) {
      const double z = normal(rng);
      x[k] = i % 3 == 0 ? std::floor(z * 2) : z;  // ties every third case
      y[k] = std::exp(r * z + std::sqrt(std::max(0.0, 1 - r * r)) * normal(rng));
      if (i % 11 == 0) x[k] = 2.0;  // constant
    }
    cases.push_back(Json{{"x", x}, {"y", y}});
    ours.push_back(spearman(x, y));
  }
  const Json ref = python(R"PY(
import json, sys, warnings, numpy as np
from scipy import stats
warnings.simplefilter("ignore")
out = []
for c in json.load(sys.stdin):
    r = stats.spearmanr(c["x"], c["y"])
    out.append(None if not np.isfinite(r.pvalue) else [float(r.correlation), float(r.pvalue)])
json.dump(out, sys.stdout)
)PY",
                          cases);
  ASSERT_EQ(ref.size(), ours.size());
  int compared = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    if (ref[i].is_null()) {
      EXPECT_FALSE(ours[i].defined);
      EXPECT_EQ(ours[i].p_value, 1.0);
      continue;
    }
    EXPECT_NEAR(ours[i].statistic, ref[i][0].get<double>(), 1e-9) << i;
    EXPECT_NEAR(ours[i].p_value, ref[i][1].get<double>(), 1e-9 + 1e-6 * ref[i][1].get<double>()) << i;
    ++compared;
  }
  EXPECT_GT(compared, 100);
}

TEST(EvidenceOracle, WeightedMedianIsNumpysMedianOfRepeatedValues) {
  Rng rng = make_rng(12, "wmedian-oracle");
  Json cases = Json::array();
  std::vector<double> ours;
  for (int i = 0; i < 60; ++i) {
    const std::size_t n = 1 + uniform_index(rng, 30);
    std::vector<double> v(n), w(n);
    for (std::size_t k = 0; k < n; ++k) {
      v[k] = std::round(normal(rng) * 4) / 2;                             // ties
      w[k] = static_cast<double>(1 + uniform_index(rng, i % 2 ? 1 : 4));  // unit weights in odd cases
    }
    cases.push_back(Json{{"v", v}, {"w", w}});
    ours.push_back(weighted_median(v, w));
  }
  const Json ref = python(R"PY(
import json, sys, numpy as np
json.dump([float(np.median(np.repeat(c["v"], np.array(c["w"], dtype=int)))) for c in json.load(sys.stdin)], sys.stdout)
)PY",
                          cases);
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_DOUBLE_EQ(ours[i], ref[i].get<double>()) << cases[i].dump();
  const double fractional[] = {1, 2, 3}, fw[] = {0.5, 0.2, 0.3};
  EXPECT_DOUBLE_EQ(weighted_median(fractional, fw), 1.5);  // cumulative weight reaches exactly half at 1
  EXPECT_DOUBLE_EQ(kish_effective_n(fw), 1.0 / (0.25 + 0.04 + 0.09));
}

TEST(EvidenceOracle, BcaMatchesScipyBootstrap) {
  Rng data = make_rng(13, "bca-oracle-data");
  Json cases = Json::array();
  std::vector<BcaResult> ours;
  for (int i = 0; i < 4; ++i) {
    const std::size_t na = 15 + 10 * static_cast<std::size_t>(i), nb = 30;
    std::vector<double> a(na), b(nb);
    for (double& x : a) x = std::exp(0.3 + 0.6 * normal(data));
    for (double& x : b) x = std::exp(0.6 * normal(data));
    auto stat = [&](std::span<const std::size_t> ia, std::span<const std::size_t> ib) {
      double sa = 0, sb = 0;
      for (std::size_t k : ia) sa += a[k];
      for (std::size_t k : ib) sb += b[k];
      return (sa / static_cast<double>(ia.size())) / (sb / static_cast<double>(ib.size()));
    };
    std::string stream = "bca-oracle/";  // += (not +): GCC 12 warns falsely on operator+ here
    stream += std::to_string(i);
    Rng rng = make_rng(14, stream);
    ours.push_back(bca_two_sample(stat, na, nb, 40000, rng));
    cases.push_back(Json{{"a", a}, {"b", b}});
  }
  const Json ref = python(R"PY(
import json, sys, numpy as np
from scipy import stats
out = []
for c in json.load(sys.stdin):
    r = stats.bootstrap((np.array(c["a"]), np.array(c["b"])), lambda x, y, axis: x.mean(axis=axis) / y.mean(axis=axis),
                        method="BCa", n_resamples=40000, random_state=1, vectorized=True)
    out.append([float(r.confidence_interval.low), float(r.confidence_interval.high)])
json.dump(out, sys.stdout)
)PY",
                          cases);
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const double lo = ref[i][0].get<double>(), hi = ref[i][1].get<double>(), width = hi - lo;
    ASSERT_TRUE(ours[i].defined);
    // Different random resamples: the endpoints agree to a few percent of the interval's width.
    EXPECT_NEAR(ours[i].ci[0], lo, 0.03 * width) << i;
    EXPECT_NEAR(ours[i].ci[1], hi, 0.03 * width) << i;
  }
}

TEST(EvidenceOracle, BenjaminiHochbergMatchesStatsmodels) {
  if (!have_statsmodels()) GTEST_SKIP() << "python3-statsmodels is not installed";
  Rng rng = make_rng(15, "bh-oracle");
  Json cases = Json::array();
  std::vector<std::vector<double>> bh, hl;
  for (int i = 0; i < 20; ++i) {
    std::vector<double> p(2 + uniform_index(rng, 250));
    for (double& x : p) x = uniform_index(rng, 5) == 0 ? std::pow(uniform01(rng), 5) : uniform01(rng);
    p[0] = p[1];
    cases.push_back(p);
    bh.push_back(benjamini_hochberg(p));
    hl.push_back(holm(p));
  }
  const Json ref = python(R"PY(
import json, sys
from statsmodels.stats.multitest import multipletests
json.dump([[list(multipletests(p, method="fdr_bh")[1]), list(multipletests(p, method="holm")[1])]
           for p in json.load(sys.stdin)], sys.stdout)
)PY",
                          cases);
  for (std::size_t i = 0; i < bh.size(); ++i)
    for (std::size_t k = 0; k < bh[i].size(); ++k) {
      EXPECT_NEAR(bh[i][k], ref[i][0][k].get<double>(), 1e-12);
      EXPECT_NEAR(hl[i][k], ref[i][1][k].get<double>(), 1e-12);
    }
}

TEST(EvidenceOracle, RankRegressionMatchesStatsmodelsOls) {
  if (!have_statsmodels()) GTEST_SKIP() << "python3-statsmodels is not installed";
  Rng rng = make_rng(16, "rankreg-oracle");
  const std::size_t n = 80;
  std::vector<double> x(n), er(n);
  std::vector<Covariate> cov{{"followers_log", std::vector<double>(n)},
                             {"age_days", std::vector<double>(n)},
                             {"is_ad", std::vector<double>(n)}};
  for (std::size_t i = 0; i < n; ++i) {
    const double size = normal(rng);
    cov[0].values[i] = 8 + 2 * size;
    cov[1].values[i] = std::floor(30 * uniform01(rng));
    cov[2].values[i] = uniform_index(rng, 6) == 0 ? 1.0 : 0.0;
    x[i] = 0.7 * size + normal(rng);
    er[i] = std::exp(0.5 * size + 0.2 * x[i] + normal(rng));
  }
  const AdjustedTest ours = rank_regression(x, er, cov);
  ASSERT_TRUE(ours.defined);
  const Json ref = python(R"PY(
import json, sys, numpy as np
import statsmodels.api as sm
from scipy.stats import rankdata
c = json.load(sys.stdin)
X = np.column_stack([rankdata(c["x"])] + [rankdata(v) for v in c["cov"]])
fit = sm.OLS(rankdata(c["er"]), sm.add_constant(X)).fit()
json.dump([float(fit.params[1]), float(fit.pvalues[1]), float(fit.df_resid)], sys.stdout)
)PY",
                          Json{{"x", x}, {"er", er}, {"cov", {cov[0].values, cov[1].values, cov[2].values}}});
  EXPECT_NEAR(ours.coefficient, ref[0].get<double>(), 1e-9);
  EXPECT_NEAR(ours.p_value, ref[1].get<double>(), 1e-8 + 1e-6 * ref[1].get<double>());
  EXPECT_DOUBLE_EQ(ours.df, ref[2].get<double>());
}

// Partial Spearman: r from numpy on scipy ranks, p from statsmodels OLS of rank(y) on rank(x) and
// rank(z) (x's coefficient's t test, n - 3 df), over cases with ties, a proxy of z (x explained
// by z: partial r near 0), an independent effect, and degenerate input.
TEST(EvidenceOracle, PartialSpearmanMatchesStatsmodels) {
  if (!have_statsmodels()) GTEST_SKIP() << "python3-statsmodels is not installed";
  Rng rng = make_rng(17, "partial-spearman-oracle");
  Json cases = Json::array();
  std::vector<TestResult> ours;
  for (int i = 0; i < 60; ++i) {
    const std::size_t n = 6 + uniform_index(rng, 100);
    std::vector<double> x(n), y(n), z(n);
    for (std::size_t k = 0; k < n; ++k) {
      z[k] = normal(rng);
      const double own = normal(rng);
      x[k] = i % 2 ? 0.8 * z[k] + 0.6 * own : own;  // a proxy of z, or independent of it
      if (i % 3 == 0) x[k] = std::floor(x[k] * 2);  // ties
      y[k] = std::exp(0.5 * z[k] + (i % 4 == 1 ? 0.4 * own : 0.0) + normal(rng));
      if (i % 13 == 0) x[k] = 1.0;  // constant
    }
    cases.push_back(Json{{"x", x}, {"y", y}, {"z", z}});
    ours.push_back(partial_spearman(x, y, z));
  }
  const Json ref = python(R"PY(
import json, sys, warnings, numpy as np
import statsmodels.api as sm
from scipy.stats import rankdata
warnings.simplefilter("ignore")
out = []
for c in json.load(sys.stdin):
    rx, ry, rz = (rankdata(c[k]) for k in ("x", "y", "z"))
    if np.ptp(rx) == 0:
        out.append(None); continue
    C = np.corrcoef([rx, ry, rz])
    r = (C[0, 1] - C[0, 2] * C[2, 1]) / np.sqrt((1 - C[0, 2] ** 2) * (1 - C[2, 1] ** 2))
    fit = sm.OLS(ry, sm.add_constant(np.column_stack([rx, rz]))).fit()
    out.append([float(r), float(fit.pvalues[1]), float(fit.df_resid)])
json.dump(out, sys.stdout)
)PY",
                          cases);
  ASSERT_EQ(ref.size(), ours.size());
  int compared = 0, explained = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    if (ref[i].is_null()) {
      EXPECT_FALSE(ours[i].defined) << i;
      EXPECT_EQ(ours[i].p_value, 1.0);
      continue;
    }
    ASSERT_TRUE(ours[i].defined) << i;
    EXPECT_NEAR(ours[i].statistic, ref[i][0].get<double>(), 1e-9) << i;
    EXPECT_NEAR(ours[i].p_value, ref[i][1].get<double>(), 1e-9 + 1e-6 * ref[i][1].get<double>()) << i;
    EXPECT_DOUBLE_EQ(ours[i].df, ref[i][2].get<double>()) << i;
    explained += i % 4 == 3 && ours[i].p_value >= 0.05;  // a pure proxy of z: nothing left once z is held
    ++compared;
  }
  EXPECT_GT(compared, 50);
  EXPECT_GT(explained, 8);
  // Too few rows and a perfect proxy are undefined, never a claim.
  const std::vector<double> a{1, 2, 3}, b{2, 1, 3};
  EXPECT_FALSE(partial_spearman(a, b, a).defined);
  const std::vector<double> x4{1, 2, 3, 4, 5}, y4{2, 1, 4, 3, 5};
  EXPECT_FALSE(partial_spearman(x4, y4, x4).defined);
}

}  // namespace
}  // namespace rumi::stats
