// The evidence engine's permutation importance (stats/skill.h: ml::permutation_importance with
// score = skill_score, Spearman(prediction, ER)) against sklearn.inspection.permutation_importance
// with the same score as a custom scorer (scipy.stats.spearmanr), and its within-fold variant
// (one permutation block per held-out fold, each predicted by its own model, folds whose model
// ignores the column left alone) against the exact expectation over every within-block
// permutation, enumerated in Python. tests/ml/permutation_oracle_test.cc does the same with R^2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/ranks.h"
#include "core/rng.h"
#include "ml/permutation_importance.h"
#include "stats/correlation.h"
#include "stats/elements.h"
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
)PY",
                          Json{{"x", d.x}, {"er", d.er}, {"beta", beta}, {"repeats", repeats}});
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
  auto predict = [&](std::size_t r, std::size_t c, std::span<const double> v) {
    return linear(d, beta[fold_of[r]], r, c, v);
  };
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
)PY",
                          Json{{"x", d.x}, {"er", d.er}, {"folds", folds}, {"beta", beta}});
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

// ---- The skill test against a straight implementation of its definition (stats/skill.h).
// forest_skill shares each fold's rows, centred columns and row-major training values across the
// permutations; this oracle refits every fold from scratch (screening by stats::pearson, trees
// reading the columns through the row index), as the engine did before it shared that work. The
// random streams are the documented ones, so every number must be equal, not close.
namespace naive {

using Matrix = std::vector<std::vector<double>>;
struct Node {
  int feature = -1;
  double threshold = 0, value = 0;
  int left = -1, right = -1;
};
using Tree = std::vector<Node>;
struct Model {
  std::vector<Tree> trees;
  std::vector<int> features;
};

int build(const Matrix& x, const std::vector<double>& y, const std::vector<int>& features, int min_leaf, Rng& rng,
          Tree& t, std::vector<std::size_t>& idx, std::size_t lo, std::size_t hi) {
  const std::size_t n = hi - lo;
  double sum = 0;
  for (std::size_t i = lo; i < hi; ++i) sum += y[idx[i]];
  const int id = static_cast<int>(t.size());
  t.push_back(Node{-1, 0, sum / static_cast<double>(n), -1, -1});
  if (n < static_cast<std::size_t>(2 * min_leaf)) return id;
  double best_gain = 0, best_thr = 0;
  int best_f = -1;
  for (int f : features) {
    const auto& col = x[static_cast<std::size_t>(f)];
    double mn = col[idx[lo]], mx = mn;
    for (std::size_t i = lo; i < hi; ++i) mn = std::min(mn, col[idx[i]]), mx = std::max(mx, col[idx[i]]);
    if (!(mx > mn)) continue;
    const double thr = mn + uniform01(rng) * (mx - mn);
    double sl = 0, nl = 0;
    for (std::size_t i = lo; i < hi; ++i)
      if (col[idx[i]] <= thr) sl += y[idx[i]], nl += 1;
    const double nr = static_cast<double>(n) - nl;
    if (nl < min_leaf || nr < min_leaf) continue;
    const double sr = sum - sl;
    const double gain = sl * sl / nl + sr * sr / nr - sum * sum / static_cast<double>(n);
    if (gain > best_gain) best_gain = gain, best_thr = thr, best_f = f;
  }
  if (best_f < 0) return id;
  const auto& col = x[static_cast<std::size_t>(best_f)];
  const auto mid =
      std::partition(idx.begin() + static_cast<std::ptrdiff_t>(lo), idx.begin() + static_cast<std::ptrdiff_t>(hi),
                     [&](std::size_t r) { return col[r] <= best_thr; });
  const std::size_t m = static_cast<std::size_t>(mid - idx.begin());
  const int l = build(x, y, features, min_leaf, rng, t, idx, lo, m);
  const int r = build(x, y, features, min_leaf, rng, t, idx, m, hi);
  t[static_cast<std::size_t>(id)] = Node{best_f, best_thr, t[static_cast<std::size_t>(id)].value, l, r};
  return id;
}

double predict(const Model& m, const Matrix& x, std::size_t row, int swapped = -1, std::span<const double> v = {}) {
  double s = 0;
  for (const Tree& t : m.trees) {
    int n = 0;
    while (t[static_cast<std::size_t>(n)].feature >= 0) {
      const Node& nd = t[static_cast<std::size_t>(n)];
      const double val = nd.feature == swapped ? v[row] : x[static_cast<std::size_t>(nd.feature)][row];
      n = val <= nd.threshold ? nd.left : nd.right;
    }
    s += t[static_cast<std::size_t>(n)].value;
  }
  return m.trees.empty() ? 0.0 : s / static_cast<double>(m.trees.size());
}

Model fit(const Matrix& x, const std::vector<double>& y, const std::vector<std::size_t>& train, const SkillOptions& o,
          Rng& rng) {
  Model m;
  std::vector<double> ytr;
  for (std::size_t r : train) ytr.push_back(y[r]);
  const std::vector<double> yr = average_ranks(ytr);
  std::vector<std::pair<double, int>> score;
  std::vector<double> xv(train.size());
  for (std::size_t c = 0; c < x.size(); ++c) {
    for (std::size_t i = 0; i < train.size(); ++i) xv[i] = x[c][train[i]];
    const double r = pearson(xv, yr);
    score.push_back({std::isfinite(r) ? -std::fabs(r) : 0.0, static_cast<int>(c)});
  }
  const std::size_t keep = std::min(score.size(), static_cast<std::size_t>(std::max(1, o.screen)));
  std::partial_sort(score.begin(), score.begin() + static_cast<std::ptrdiff_t>(keep), score.end());
  for (std::size_t i = 0; i < keep; ++i) m.features.push_back(score[i].second);
  std::sort(m.features.begin(), m.features.end());
  for (int t = 0; t < o.trees; ++t) {
    std::vector<std::size_t> idx = train;
    Tree tree;
    build(x, y, m.features, o.min_leaf, rng, tree, idx, 0, idx.size());
    m.trees.push_back(std::move(tree));
  }
  return m;
}

std::vector<double> out_of_fold(const Matrix& x, const std::vector<double>& y, const std::vector<int>& fold,
                                const SkillOptions& o, Rng& rng, std::vector<Model>* models = nullptr) {
  std::vector<double> pred(y.size(), 0.0);
  for (int f = 0; f < o.folds; ++f) {
    std::vector<std::size_t> train, test;
    for (std::size_t r = 0; r < y.size(); ++r) (fold[r] == f ? test : train).push_back(r);
    if (test.empty() || train.size() < 2) {
      if (models) models->emplace_back();
      continue;
    }
    Model m = fit(x, y, train, o, rng);
    for (std::size_t r : test) pred[r] = predict(m, x, r);
    if (models) models->push_back(std::move(m));
  }
  return pred;
}

// The p-value part of forest_skill (stats/skill.h); importance is checked through the same models.
SkillResult forest_skill(const Matrix& columns, const std::vector<double>& er, std::span<const std::string> creators,
                         const SkillOptions& o) {
  SkillResult res;
  const std::size_t n = er.size();
  Matrix x;
  for (const auto& c : columns) {
    std::vector<double> r = ranks_with_missing(c);
    for (double& v : r)
      if (std::isnan(v)) v = (static_cast<double>(n) + 1.0) / 2.0;
    x.push_back(std::move(r));
  }
  std::vector<double> y(n);
  for (std::size_t r = 0; r < n; ++r) y[r] = std::log(std::max(er[r], 1e-6));
  Rng rng = make_rng(o.seed, o.stream + "/trees");
  const std::vector<int> fold0 = grouped_folds(n, creators, o.folds, o.seed, o.stream + "/folds/0");
  res.skill = skill_score(out_of_fold(x, y, fold0, o, rng), er);
  Rng perm = make_rng(o.seed, o.stream + "/permutations");
  int at_least = 0;
  std::vector<std::size_t> order(n);
  for (int b = 0; b < o.permutations; ++b) {
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[uniform_index(perm, i)]);
    std::vector<double> yp(n), erp(n);
    for (std::size_t r = 0; r < n; ++r) yp[r] = y[order[r]], erp[r] = er[order[r]];
    if (skill_score(out_of_fold(x, yp, fold0, o, rng), erp) >= res.skill) ++at_least;
  }
  res.p_value = static_cast<double>(1 + at_least) / static_cast<double>(1 + o.permutations);
  res.mean_importance.assign(columns.size(), 0.0);
  res.positive_share.assign(columns.size(), 0.0);
  std::vector<std::size_t> all(columns.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<int> positive(columns.size(), 0);
  for (int rep = 0; rep < o.repeats; ++rep) {
    const std::vector<int> fold =
        grouped_folds(n, creators, o.folds, o.seed, o.stream + "/folds/" + std::to_string(rep + 1));
    std::vector<Model> models;
    out_of_fold(x, y, fold, o, rng, &models);
    std::vector<std::vector<std::size_t>> held_out(models.size());
    for (std::size_t r = 0; r < n; ++r) held_out[static_cast<std::size_t>(fold[r])].push_back(r);
    auto predict_row = [&](std::size_t r, std::size_t c, std::span<const double> v) {
      const auto& m = models[static_cast<std::size_t>(fold[r])];
      return c == ml::kNoColumn ? predict(m, x, r) : predict(m, x, r, static_cast<int>(c), v);
    };
    auto depends = [&](std::size_t f, std::size_t c) {
      return std::binary_search(models[f].features.begin(), models[f].features.end(), static_cast<int>(c));
    };
    const ml::PermutationImportance pi =
        ml::permutation_importance(predict_row, x, er, all, 1, perm, score, held_out, depends);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      res.mean_importance[c] += pi.drops[c][0] / o.repeats;
      positive[c] += pi.drops[c][0] > 0;
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) res.positive_share[c] = static_cast<double>(positive[c]) / o.repeats;
  return res;
}

}  // namespace naive

TEST(SkillOracle, SharedFoldWorkGivesExactlyTheStraightImplementationsNumbers) {
  // Ties, missing values, a constant column, a binary column and creators with several videos:
  // every branch of screening (undefined correlations) and splitting (columns without a range).
  for (std::uint64_t seed : {1, 2, 3}) {
    const std::size_t n = 40 + 13 * seed;
    Rng rng = make_rng(seed, "skill-oracle");
    std::vector<std::vector<double>> cols(25, std::vector<double>(n));
    std::vector<double> er(n);
    std::vector<std::string> creators(n);
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t c = 0; c < cols.size(); ++c) cols[c][r] = std::round(standard_normal(rng) * (c % 3 + 1));
      cols[3][r] = 7.0;
      cols[4][r] = uniform01(rng) < 0.3 ? 1.0 : 0.0;
      if (uniform01(rng) < 0.1) cols[5][r] = std::nan("");
      er[r] = std::exp(0.5 * cols[0][r] + 0.8 * cols[4][r] + standard_normal(rng));
      creators[r] = "c" + std::to_string(uniform_index(rng, n / 2));
    }
    SkillOptions o;
    o.seed = seed;
    o.permutations = 9;
    o.repeats = 3;
    o.stream = "oracle";
    for (bool grouped : {false, true}) {
      const std::span<const std::string> who =
          grouped ? std::span<const std::string>(creators) : std::span<const std::string>();
      const SkillResult fast = forest_skill(cols, er, who, o);
      const SkillResult slow = naive::forest_skill(cols, er, who, o);
      EXPECT_EQ(fast.skill, slow.skill) << seed;
      EXPECT_EQ(fast.p_value, slow.p_value) << seed;
      ASSERT_EQ(fast.mean_importance.size(), slow.mean_importance.size());
      for (std::size_t c = 0; c < cols.size(); ++c) {
        EXPECT_EQ(fast.mean_importance[c], slow.mean_importance[c]) << seed << " column " << c;
        EXPECT_EQ(fast.positive_share[c], slow.positive_share[c]) << seed << " column " << c;
      }
    }
  }
}

}  // namespace
}  // namespace rumi::stats
