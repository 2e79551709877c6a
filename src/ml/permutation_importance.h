#pragma once
// Permutation importance of columns for any row-wise predictor and any score, as
// sklearn.inspection.permutation_importance defines it (sklearn 1.2):
//
//   baseline   = score(predict(X), y)
//   drop[c][j] = baseline - score(predict(X with column c's values permuted among the rows), y)
//                for repeat j = 1..repeats, a fresh uniform permutation each time;
//   mean[c]    = the average of drop[c][.] over the repeats, stddev[c] their population SD
//                (numpy's std, ddof = 0: sklearn's importances_std).
//
// The score is "higher is better" and is whatever the caller passes: sklearn's default for a
// regressor is R^2; the evidence engine (stats/skill.h) uses Spearman(prediction, ER), its skill.
// A column the predictor ignores gets drops of exactly 0.
//
// Two extensions, both off by default (then it is sklearn's definition):
//   * blocks: row sets (e.g. the held-out folds of a cross-validation, each predicted by its own
//     fold model); a column's values are then permuted within each block only, never across
//     blocks, and one score is computed over all rows. Rows in no block keep their values. Empty
//     (the default): one block of all rows.
//   * depends(block, column): false when the block's predictor never reads the column (a fold
//     model that did not screen it in). That block's rows keep their baseline predictions and no
//     random numbers are drawn for it; the drop is the same as if it were permuted. When no block
//     depends on a column its drops are exactly 0 and the score is not recomputed.
//
// predict(row, column, values) returns the prediction for `row` with column `column` taking the
// value values[row] instead of its own; column == kNoColumn (values empty) is the unchanged row.
// It must read values only at `row`. Random numbers: for each requested column in order, for
// each repeat, for each block in order, one Fisher-Yates shuffle of the block's rows
// (uniform_index(rng, i) for i = size .. 2), so results are reproducible from the Rng state.
//
// The generic definition is a template (header-only), called by the evidence engine
// (stats/skill.cc) and the tests. Training's held-out importance of an XGBoost model is the same
// definition specialised (permutation_importance(const Booster&, ...) below), not a second one.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "ml/matrix.h"
#include "ml/xgb.h"

namespace rumi::ml {

inline constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// The one random draw of every permutation importance here: a Fisher-Yates shuffle of `rows`
// (for i = size .. 2, swap rows[i-1] with rows[uniform_index(rng, i)]).
template <class T>
void shuffle_rows(std::vector<T>& rows, Rng& rng) {
  for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[uniform_index(rng, i)]);
}

struct PermutationImportance {
  double baseline = 0;                     // score of the unchanged predictions
  std::vector<double> mean;                // per requested column: mean drop over the repeats
  std::vector<double> stddev;              // per requested column: population SD of the drops
  std::vector<std::vector<double>> drops;  // drops[k][j]: column columns[k], repeat j
};

struct DependsOnEveryColumn {
  bool operator()(std::size_t /*block*/, std::size_t /*column*/) const { return true; }
};

// x: column-major, x[c][row]; y: the target per row (passed to score as is).
template <class Predict, class Score, class Depends = DependsOnEveryColumn>
PermutationImportance permutation_importance(const Predict& predict, const std::vector<std::vector<double>>& x,
                                             std::span<const double> y, std::span<const std::size_t> columns,
                                             int repeats, Rng& rng, const Score& score,
                                             std::span<const std::vector<std::size_t>> blocks = {},
                                             const Depends& depends = {}) {
  const std::size_t n = y.size();
  std::vector<std::vector<std::size_t>> all_rows;
  if (blocks.empty()) {
    all_rows.emplace_back(n);
    for (std::size_t r = 0; r < n; ++r) all_rows[0][r] = r;
    blocks = all_rows;
  }
  std::vector<double> base(n);
  for (std::size_t r = 0; r < n; ++r) base[r] = predict(r, kNoColumn, std::span<const double>{});
  PermutationImportance out;
  out.baseline = score(std::span<const double>(base), y);
  const std::size_t reps = repeats > 0 ? static_cast<std::size_t>(repeats) : 0;
  out.mean.assign(columns.size(), 0.0);
  out.stddev.assign(columns.size(), 0.0);
  out.drops.assign(columns.size(), std::vector<double>(reps, 0.0));
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const std::size_t c = columns[k];
    bool any = false;
    for (std::size_t b = 0; b < blocks.size(); ++b) any = any || depends(b, c);
    if (!any) continue;  // drops stay exactly 0
    for (std::size_t j = 0; j < reps; ++j) {
      std::vector<double> shuffled = x[c];
      std::vector<double> pred = base;
      for (std::size_t b = 0; b < blocks.size(); ++b) {
        if (!depends(b, c)) continue;
        const std::vector<std::size_t>& rows = blocks[b];
        std::vector<std::size_t> src = rows;
        shuffle_rows(src, rng);
        for (std::size_t i = 0; i < rows.size(); ++i) shuffled[rows[i]] = x[c][src[i]];
        for (std::size_t r : rows) pred[r] = predict(r, c, std::span<const double>(shuffled));
      }
      out.drops[k][j] = out.baseline - score(std::span<const double>(pred), y);
    }
    if (reps == 0) continue;
    double sum = 0;
    for (double d : out.drops[k]) sum += d;
    out.mean[k] = sum / static_cast<double>(reps);
    double ss = 0;
    for (double d : out.drops[k]) ss += (d - out.mean[k]) * (d - out.mean[k]);
    out.stddev[k] = std::sqrt(ss / static_cast<double>(reps));
  }
  return out;
}

// Training's held-out importance: the definition above with score = -MSE (so a drop is the
// increase in held-out mean squared error), one repeat, one block of all rows, and each entry a
// group of columns (ml/importance.h: correlation_groups) permuted together with one permutation,
// so near-copies of one signal share their credit. The Rng is derive_seed(seed,
// "permutation-importance"), one shuffle per group in order. Up to 64 permuted copies of `test`
// are predicted in one XGBoost call instead of row by row; a group none of whose columns is split
// on by any tree is not predicted at all (its drop is exactly 0; its shuffle is still drawn).
std::vector<double> permutation_importance(const Booster& model, const Matrix& test, std::span<const double> y,
                                           const std::vector<std::vector<std::size_t>>& groups, std::uint64_t seed,
                                           int nthread);

}  // namespace rumi::ml
