// Every p-value the pattern finder reports must equal scipy's for the same test (design:
// "p-values must equal scipy's for the same test to 1e-6"). Hundreds of seeded random cases,
// including ties, tiny samples and zero variance, go to one python call.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/rng.h"
#include "stats/contingency_tests.h"
#include "stats/multiple_testing.h"
#include "stats/two_sample_tests.h"
#include "support/test_support.h"

namespace rumi::stats {
namespace {

constexpr const char* kScipyScript = R"PY(
import json, sys, warnings
import numpy as np
from scipy import stats
warnings.simplefilter("ignore")
cases = json.load(sys.stdin)
def num(v):
    v = float(v)
    return v if np.isfinite(v) else None
def bh(p):
    # scipy.stats.false_discovery_control(p, method='bh') (scipy >= 1.11), written out because
    # the system scipy is 1.10: ps * m / i, cumulative minimum from the largest p, clipped to 1.
    p = np.asarray(p, dtype=float); m = p.size
    order = np.argsort(p, kind="mergesort"); ps = p[order]
    ps = ps * m / np.arange(1, m + 1)
    ps = np.minimum.accumulate(ps[::-1])[::-1]
    out = np.empty(m); out[order] = np.clip(ps, 0, 1); return out
def holm(p):
    p = np.asarray(p, dtype=float); m = p.size
    order = np.argsort(p, kind="mergesort"); ps = p[order] * (m - np.arange(m))
    ps = np.maximum.accumulate(np.minimum(ps, 1)); out = np.empty(m); out[order] = ps; return out
out = []
for c in cases:
    k = c["kind"]
    try:
        if k == "welch":
            r = num(stats.ttest_ind(c["a"], c["b"], equal_var=False).pvalue)
        elif k == "mwu":
            r = num(stats.mannwhitneyu(c["a"], c["b"]).pvalue)
        elif k == "chi2":
            t = np.array(c["table"]).reshape(c["rows"], c["cols"])
            r = num(stats.chi2_contingency(t)[1])
        elif k == "fisher":
            r = num(stats.fisher_exact(np.array(c["table"]).reshape(2, 2)).pvalue)
        elif k == "z":
            k1, n1, k2, n2 = c["counts"]
            p1, p2, pp = k1 / n1, k2 / n2, (k1 + k2) / (n1 + n2)
            se = np.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
            r = num(2 * stats.norm.sf(abs((p1 - p2) / se))) if se > 0 else None
        elif k == "bh":
            r = list(bh(c["p"]))
        elif k == "holm":
            r = list(holm(c["p"]))
        elif k == "bonferroni":
            r = list(np.minimum(np.asarray(c["p"]) * len(c["p"]), 1.0))
    except ValueError:
        r = None
    out.append(r)
json.dump(out, sys.stdout)
)PY";

std::vector<double> random_sample(Rng& rng, std::size_t n, int style) {
  std::vector<double> v(n);
  for (double& x : v) {
    switch (style) {
      case 0: x = 5.0 + 3.0 * (uniform01(rng) + uniform01(rng) + uniform01(rng) - 1.5); break;  // continuous
      case 1: x = static_cast<double>(uniform_index(rng, 4)); break;                            // heavy ties
      case 2: x = 7.25; break;                                                                  // constant
      default: x = std::exp(2.0 * uniform01(rng)); break;                                       // skewed
    }
  }
  return v;
}

bool close(double ours, double ref) {
  return std::fabs(ours - ref) <= 1e-6 * std::max(std::fabs(ours), std::fabs(ref)) + 1e-300;
}

struct Case {
  Json input;
  TestResult ours;
  std::vector<double> ours_list;
};

TEST(ScipyParity, AllTestsMatchScipyOnRandomCases) {
  Rng rng = make_rng(2024, "scipy-parity");
  std::vector<Case> cases;
  const std::size_t sizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 20, 45, 90};
  for (int i = 0; i < 240; ++i) {
    const std::size_t n1 = sizes[uniform_index(rng, std::size(sizes))];
    const std::size_t n2 = sizes[uniform_index(rng, std::size(sizes))];
    const int style_a = static_cast<int>(uniform_index(rng, 4));
    const int style_b = uniform_index(rng, 5) == 0 ? 2 : style_a;
    std::vector<double> a = random_sample(rng, n1, style_a), b = random_sample(rng, n2, style_b);
    if (style_a == 0 && i % 3 == 0)
      for (double& x : a) x += 1.5;  // a real shift so small p-values are exercised too
    const bool welch = i % 2 == 0;
    Case c;
    c.input = Json{{"kind", welch ? "welch" : "mwu"}, {"a", a}, {"b", b}};
    c.ours = welch ? welch_t_test(a, b) : mann_whitney_u(a, b);
    cases.push_back(std::move(c));
  }
  for (int i = 0; i < 120; ++i) {
    const std::size_t rows = i % 3 == 0 ? 2 + uniform_index(rng, 3) : 2, cols = 2;
    std::vector<double> t(rows * cols);
    const std::uint64_t scale = 1 + uniform_index(rng, 30);
    for (double& x : t) x = static_cast<double>(uniform_index(rng, scale + 1));
    Case c;
    c.input = Json{{"kind", "chi2"}, {"table", t}, {"rows", rows}, {"cols", cols}};
    c.ours = chi_square_contingency(t, rows, cols, true);
    cases.push_back(std::move(c));
    if (rows == 2) {
      const auto ti = [&](int k) { return static_cast<std::int64_t>(t[k]); };
      Case f;
      f.input = Json{{"kind", "fisher"}, {"table", t}};
      f.ours = fisher_exact_2x2(ti(0), ti(1), ti(2), ti(3));
      cases.push_back(std::move(f));
    }
  }
  for (int i = 0; i < 60; ++i) {
    const auto n1 = static_cast<std::int64_t>(1 + uniform_index(rng, 60));
    const auto n2 = static_cast<std::int64_t>(1 + uniform_index(rng, 60));
    const auto k1 = static_cast<std::int64_t>(uniform_index(rng, n1 + 1));
    const auto k2 = static_cast<std::int64_t>(uniform_index(rng, n2 + 1));
    Case c;
    c.input = Json{{"kind", "z"}, {"counts", {k1, n1, k2, n2}}};
    c.ours = two_proportion_z(k1, n1, k2, n2);
    cases.push_back(std::move(c));
  }
  for (int i = 0; i < 30; ++i) {
    std::vector<double> p(1 + uniform_index(rng, 300));
    for (double& x : p) x = uniform_index(rng, 4) == 0 ? std::pow(uniform01(rng), 6) : uniform01(rng);
    if (p.size() > 3) p[1] = p[0];  // ties among p-values
    const Correction corr = i % 3 == 0   ? Correction::benjamini_hochberg
                            : i % 3 == 1 ? Correction::holm
                                         : Correction::bonferroni;
    Case c;
    c.input = Json{{"kind", i % 3 == 0 ? "bh" : i % 3 == 1 ? "holm" : "bonferroni"}, {"p", p}};
    c.ours_list = adjust(p, corr);
    cases.push_back(std::move(c));
  }

  Json batch = Json::array();
  for (const auto& c : cases) batch.push_back(c.input);
  const test::CommandResult py = test::run_python(kScipyScript, batch.dump());
  ASSERT_EQ(py.exit_code, 0) << py.err;
  const Json ref = Json::parse(py.out);
  ASSERT_EQ(ref.size(), cases.size());

  int compared = 0, degenerate = 0, exact_mwu = 0, fisher_used = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string kind = c.input["kind"];
    SCOPED_TRACE(c.input.dump());
    if (!c.ours_list.empty() || kind == "bh" || kind == "holm" || kind == "bonferroni") {
      ASSERT_TRUE(ref[i].is_array());
      for (std::size_t k = 0; k < c.ours_list.size(); ++k) EXPECT_TRUE(close(c.ours_list[k], ref[i][k].get<double>()));
      ++compared;
      continue;
    }
    EXPECT_TRUE(std::isfinite(c.ours.p_value));
    EXPECT_GE(c.ours.p_value, 0.0);
    EXPECT_LE(c.ours.p_value, 1.0);
    if (ref[i].is_null()) {
      // scipy answers NaN or refuses (zero variance, n = 1, a zero row): we report "no
      // evidence", p = 1, flagged as undefined.
      EXPECT_FALSE(c.ours.defined);
      EXPECT_EQ(c.ours.p_value, 1.0);
      ++degenerate;
      continue;
    }
    if (kind == "fisher" && !c.ours.defined) {
      EXPECT_EQ(ref[i].get<double>(), 1.0);  // scipy's own answer for a zero row/column
      ++compared;
      continue;
    }
    EXPECT_TRUE(close(c.ours.p_value, ref[i].get<double>())) << "ours " << c.ours.p_value << " scipy " << ref[i];
    exact_mwu += c.ours.method == "mann_whitney_u_exact";
    fisher_used += kind == "fisher";
    ++compared;
  }
  std::printf("scipy parity: %zu cases, %d compared, %d degenerate (scipy NaN/refuses), %d exact MWU, %d fisher\n",
              cases.size(), compared, degenerate, exact_mwu, fisher_used);
  EXPECT_GT(compared, 400);
  EXPECT_GT(degenerate, 5);
  EXPECT_GT(exact_mwu, 20);
}

TEST(ScipyParity, KnownValues) {
  // scipy docs: fisher_exact([[8, 2], [1, 5]]) = 0.0349..., [[6, 2], [1, 4]] = 0.10256...
  EXPECT_NEAR(fisher_exact_2x2(8, 2, 1, 5).p_value, 0.034965034965034975, 1e-12);
  EXPECT_NEAR(fisher_exact_2x2(6, 2, 1, 4).p_value, 0.10256410256410257, 1e-12);
  const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
  EXPECT_NEAR(mann_whitney_u(a, b).p_value, 0.1, 1e-12);  // exact: 2 / C(6, 3)
  EXPECT_EQ(mann_whitney_u(a, b).method, "mann_whitney_u_exact");
}

TEST(ScipyParity, DegenerateInputsNeverCrash) {
  const std::vector<double> empty, one{1.0}, same{2, 2, 2, 2};
  for (const auto* x : {&empty, &one, &same})
    for (const auto* y : {&empty, &one, &same}) {
      EXPECT_EQ(welch_t_test(*x, *y).p_value, 1.0);
      const double p = mann_whitney_u(*x, *y).p_value;
      EXPECT_TRUE(std::isfinite(p));
    }
  EXPECT_EQ(chi_square_contingency(std::vector<double>{0, 0, 3, 4}, 2, 2).p_value, 1.0);
  EXPECT_EQ(two_proportion_z(0, 10, 0, 10).p_value, 1.0);
  EXPECT_EQ(fisher_exact_2x2(0, 0, 0, 0).p_value, 1.0);
  EXPECT_TRUE(benjamini_hochberg(std::vector<double>{}).empty());
}

}  // namespace
}  // namespace rumi::stats
