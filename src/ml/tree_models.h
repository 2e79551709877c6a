#pragma once
// The XGBoost-backed models of the ensemble: random forest (RF mode: many parallel trees in one
// round, row and per-node column subsampling, learning rate 1, no leaf shrinkage), a single
// readable decision tree, and optional gradient boosting. Inputs are already robust-scaled.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "ml/matrix.h"
#include "ml/scaler.h"
#include "ml/xgb.h"

namespace rumi::ml {

enum class TreeModelKind { random_forest, decision_tree, gradient_boosting };
std::string_view tree_model_name(TreeModelKind k);

struct TreeModelConfig {
  TreeModelKind kind = TreeModelKind::random_forest;
  std::uint64_t seed = 42;
  int nthread = 1;  // see ml/parallel.h: parallelism comes from running whole jobs side by side
  int forest_trees = 100;
  int forest_depth = 10;
  double forest_subsample = 0.632;  // share of rows per tree, drawn without replacement
  double forest_colsample = 0.5;    // share of features tried at each split
  int tree_depth = 8;
  int boosting_rounds = 100;
};

Params tree_model_params(const TreeModelConfig& c, double base_score);
int tree_model_rounds(const TreeModelConfig& c);

// Trains on (x, y, w); the base score is the weighted mean of y so SHAP's bias is that mean.
Booster fit_tree_model(const TreeModelConfig& c, const Matrix& x, std::span<const double> y, std::span<const double> w);

// One root-to-leaf path of the decision tree in original feature units.
struct TreeRule {
  std::vector<std::string> conditions;  // "hook_strength >= 0.42"
  double value = 0;                     // predicted ER at the leaf
  double cover = 0;                     // weighted number of training videos reaching it
  std::string text;                     // "IF a >= 1 AND b < 2 THEN ER ~ 5.1% (12 videos)"
};

// Paths of the first tree of `booster`, highest predicted ER first.
std::vector<TreeRule> export_tree_rules(const Booster& booster, const RobustScaler& scaler,
                                        std::span<const std::string> names);
Json to_json(const TreeRule& r);

}  // namespace rumi::ml
