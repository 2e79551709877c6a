#pragma once
// Out-of-sample confirmation for a bucket: does a forest predict ER on videos it has not seen,
// better than it does on labels with no relation to the videos? Only then can a pattern be
// STRONG. In-sample importances (gain, SHAP) of models trained on the very rows they rank say
// nothing of that, so the check is built on cross-validation:
//
//   * Folds are grouped by creator (a creator's videos never sit on both sides) and fixed by
//     the seed. Each training fold screens the elements by |Spearman| with ER on its own rows
//     (top `screen`), then fits extremely randomised trees (random thresholds, all screened
//     elements tried per node) on log ER. Screening inside the fold keeps the test honest.
//   * Skill = Spearman between the out-of-fold predictions and ER. Its p-value is a
//     permutation test: the same procedure (screening included) on `permutations` shuffles of
//     ER with the folds kept, p = (1 + #{skill_perm >= skill}) / (1 + permutations).
//   * Element importance: over `repeats` re-drawn fold splits, the drop in out-of-fold skill
//     when the element's values are shuffled within each held-out fold. STRONG needs it above
//     zero in >= 90 % of the repeats. Per split this is ml::permutation_importance
//     (ml/permutation_importance.h: sklearn's baseline score - permuted score) with score =
//     skill_score, one shuffle, each held-out fold one permutation block predicted by its own
//     fold model; an element a fold model did not screen in leaves that fold unchanged, and one
//     no fold model screened in has a drop of exactly 0. The oracle test
//     (tests/stats/permutation_oracle_test.cc) checks that function against sklearn.
//
// Inputs are ranks (trees are invariant to monotone transforms), missing values sit at the
// middle rank. Cost (measured, 60 elements): about 0.06 core-seconds per bucket of 50 videos,
// 0.17 of 100. Each fold split's rows and centred columns are computed once and shared by the
// observed fit and all permutations (only the labels change); the numbers are exactly those of
// refitting from scratch (tests/stats/permutation_oracle_test.cc, SkillOracle).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rumi::stats {

struct SkillOptions {
  int folds = 5;
  int permutations = 49;  // p >= 0.02: enough to tell p < 0.05, at <= 0.5 core-s per bucket
  int repeats = 10;
  int trees = 30;
  int screen = 10;
  int min_leaf = 3;
  std::uint64_t seed = 42;
  std::string stream = "skill";
};

struct SkillResult {
  double skill = 0;    // Spearman(out-of-fold prediction, ER), fold split 0
  double p_value = 1;  // permutation p-value, one-sided (skill above chance)
  int permutations = 0;
  std::vector<double> mean_importance;  // per element: mean drop in skill over repeats
  std::vector<double> positive_share;   // per element: share of repeats with a drop > 0
  int repeats = 0;
};

// columns[e][r]: element e's value for row r (NaN = missing); er: ER in percent per row (> 0);
// creators: one id per row (empty = every row its own creator).
SkillResult forest_skill(const std::vector<std::vector<double>>& columns, std::span<const double> er,
                         std::span<const std::string> creators, const SkillOptions& opt);

// The skill score: Spearman rho between predictions and ER (stats/correlation.h, scipy's
// spearmanr), 0 when either is constant (undefined).
double skill_score(std::span<const double> prediction, std::span<const double> er);

// Fold index per row, grouped by `creators` (empty: by row), balanced by row count, seeded.
std::vector<int> grouped_folds(std::size_t rows, std::span<const std::string> creators, int folds, std::uint64_t seed,
                               std::string_view stream);

}  // namespace rumi::stats
