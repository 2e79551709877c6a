// The evidence engine's permutation importance (stats/skill.h: ml::permutation_importance with
// score = skill_score, Spearman(prediction, ER)) against sklearn.inspection.permutation_importance
// with the same score as a custom scorer (scipy.stats.spearmanr), and its within-fold variant
// (one permutation block per held-out fold, each predicted by its own model, folds whose model
// ignores the column left alone) against the exact expectation over every within-block
// permutation, enumerated in Python. tests/ml/permutation_oracle_test.cc does the same with R^2.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/rng.h"
#include "ml/permutation_importance.h"
#include "stats/skill.h"
#include "support/test_support.h"

namespace rumi::stats {
namespace {

bool have_sklearn() { return test::python_has("sklearn, scipy, numpy"); }

Json python(const std::string& script, const Json& input) { return test::python_json(script, input); }

double score(std::span<const double> prediction, std::span<const double> er) { return skill_score(prediction, er); }

struct Data {
  std::vector<std::vector<double>> x;  // x[c][row]
  std::vector<double> er;
};

// ER > 0 driven by columns 0-2; column 3 is noise.
Data make_data(std::size_t n, std::uint64_t seed) {
  Rng rng = make_rng(seed, "permutation-oracle-stats");
  Data d;
  d.x.assign(4, std::vector<double>(n));
  for (std::size_t r = 0; r < n; ++r) {
    for (auto& col : d.x) col[r] = standard_normal(rng);
    d.er.push_back(std::exp(0.6 * d.x[0][r] - 0.4 * d.x[1][r] + 0.2 * d.x[2][r] + 0.5 * standard_normal(rng)));
  }
  return d;
}

double linear(const Data& d, const std::vector<double>& beta, std::size_t r, std::size_t column,
              std::span<const double> values) {
  double s = 0.25;
  for (std::size_t c = 0; c < beta.size(); ++c) s += beta[c] * (c == column ? values[r] : d.x[c][r]);
  return s;
}

TEST(PermutationOracleSkill, SpearmanScoreMatchesSklearnCustomScorer) {
  if (!have_sklearn()) GTEST_SKIP() << "python3-sklearn is not installed";
  const Data d = make_data(40, 1);
  const std::vector<double> beta{0.8, -0.5, 0.3, 0.0};  // ignores column 3
  const int repeats = 2000;
  auto predict = [&](std::size_t r, std::size_t c, std::span<const double> v) { return linear(d, beta, r, c, v); };
  Rng rng = make_rng(2, "permutation-oracle-stats/shuffles");
  const std::vector<std::size_t> columns{0, 1, 2, 3};
  const ml::PermutationImportance ours = ml::permutation_importance(predict, d.x, d.er, columns, repeats, rng, score);
  const Json ref = python(R"PY(
import json, sys, numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import LinearRegression
from sklearn.inspection import permutation_importance
c = json.load(sys.stdin)
X, er = np.array(c["x"]).T, np.array(c["er"])
est = LinearRegression()
est.coef_, est.intercept_, est.n_features_in_ = np.array(c["beta"]), 0.25, X.shape[1]
scorer = lambda e, X, y: float(spearmanr(e.predict(X), y).correlation)
r = permutation_importance(est, X, er, scoring=scorer, n_repeats=c["repeats"], random_state=0)
json.dump({"baseline": scorer(est, X, er), "mean": r.importances_mean.tolist(), "std": r.importances_std.tolist(),
           "ignored_all_zero": bool(np.all(r.importances[3] == 0.0))}, sys.stdout)
)PY", Json{{"x", d.x}, {"er", d.er}, {"beta", beta}, {"repeats", repeats}});
  ASSERT_TRUE(ref.is_object());
  // (c) The engine's skill score is scipy's spearmanr on the same predictions.
  EXPECT_NEAR(ours.baseline, ref["baseline"].get<double>(), 1e-12);
  for (std::size_t c = 0; c < 3; ++c) {
    // (a) Independent permutations on the two sides: the means differ by sampling error only,
    // standard error sqrt((s_r^2 + s_s^2) / repeats); 4 of those (chance ~6e-5 for a correct
    // implementation under any seed; the seeds here are fixed, so the test is deterministic).
    const double s_r = ours.stddev[c], s_s = ref["std"][c].get<double>();
    const double se = std::sqrt((s_r * s_r + s_s * s_s) / repeats);
    EXPECT_GT(ours.mean[c], 0) << c;
    EXPECT_NEAR(ours.mean[c], ref["mean"][c].get<double>(), 4 * se) << "column " << c;
    EXPECT_NEAR(s_r / s_s, 1.0, 0.15) << c;
  }
  // (b) The ignored column: exactly 0 on both sides.
  EXPECT_TRUE(ref["ignored_all_zero"].get<bool>());
  for (double drop : ours.drops[3]) EXPECT_EQ(drop, 0.0);
}

TEST(PermutationOracleSkill, WithinFoldBlocksMatchExactEnumeration) {
  if (!have_sklearn()) GTEST_SKIP() << "python3-sklearn is not installed";
  // Three held-out folds (4 + 4 + 3 rows), each with its own fold model; fold 1's model never
  // screened column 2 in, and no model uses column 3. The exact expectation enumerates every
  // within-fold permutation (24 * 24 * 6 = 3456) and applies each fold's model naively.
  const Data d = make_data(11, 3);
  const std::vector<std::vector<std::size_t>> folds{{0, 3, 6, 9}, {1, 4, 7, 10}, {2, 5, 8}};
  const std::vector<std::vector<double>> beta{{0.8, -0.5, 0.3, 0.0}, {0.6, -0.7, 0.0, 0.0}, {1.0, -0.2, 0.5, 0.0}};
  std::vector<std::size_t> fold_of(11);
  for (std::size_t f = 0; f < folds.size(); ++f)
    for (std::size_t r : folds[f]) fold_of[r] = f;
  auto predict = [&](std::size_t r, std::size_t c, std::span<const double> v) { return linear(d, beta[fold_of[r]], r, c, v); };
  auto depends = [&](std::size_t f, std::size_t c) { return beta[f][c] != 0.0; };
  const int repeats = 4000;
  Rng rng = make_rng(4, "permutation-oracle-stats/blocks");
  const std::vector<std::size_t> columns{0, 1, 2, 3};
  const ml::PermutationImportance ours =
      ml::permutation_importance(predict, d.x, d.er, columns, repeats, rng, score, folds, depends);
  const Json ref = python(R"PY(
import itertools, json, sys, numpy as np
from scipy.stats import spearmanr
c = json.load(sys.stdin)
X, er, folds, beta = np.array(c["x"]).T, np.array(c["er"]), c["folds"], np.array(c["beta"])
fold_of = np.zeros(len(er), dtype=int)
for f, rows in enumerate(folds): fold_of[rows] = f
def predict(Xv): return 0.25 + (Xv * beta[fold_of]).sum(axis=1)
base = spearmanr(predict(X), er).correlation
exact = []
for j in range(X.shape[1]):
    drops = []
    for perms in itertools.product(*[itertools.permutations(rows) for rows in folds]):
        Xp = X.copy()
        for rows, p in zip(folds, perms): Xp[rows, j] = X[list(p), j]
        drops.append(base - spearmanr(predict(Xp), er).correlation)
    exact.append(float(np.mean(drops)))
json.dump({"baseline": float(base), "exact": exact}, sys.stdout)
)PY", Json{{"x", d.x}, {"er", d.er}, {"folds", folds}, {"beta", beta}});
  ASSERT_TRUE(ref.is_object());
  EXPECT_NEAR(ours.baseline, ref["baseline"].get<double>(), 1e-12);
  for (std::size_t c = 0; c < 3; ++c) {
    const double exact = ref["exact"][c].get<double>();
    // 4 standard errors of rumi's mean over `repeats` draws around the exact expectation.
    EXPECT_NEAR(ours.mean[c], exact, 4 * ours.stddev[c] / std::sqrt(repeats)) << "column " << c;
  }
  EXPECT_EQ(ref["exact"][3].get<double>(), 0.0);
  for (double drop : ours.drops[3]) EXPECT_EQ(drop, 0.0);
  // A column no block depends on draws no random numbers.
  Rng fresh = make_rng(4, "x"), untouched = make_rng(4, "x");
  ml::permutation_importance(predict, d.x, d.er, std::vector<std::size_t>{3}, 50, fresh, score, folds, depends);
  EXPECT_EQ(fresh(), untouched());
}

}  // namespace
}  // namespace rumi::stats
