#pragma once
// What training one duration bucket produces, as plain data: the fitted models, their held-out
// scores, the group importance table and the consensus. Training fills it (ml/train.h); the
// model-file code turns it into model_<bucket>.json (ml/model_file.h), so the document's layout
// lives in one place and the training phases never assemble JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pattern.h"
#include "ml/cross_validation.h"
#include "ml/kmeans.h"
#include "ml/ridge.h"
#include "ml/scaler.h"
#include "ml/tree_models.h"
#include "ml/xgb.h"

namespace rumi::ml {

// One fitted XGBoost model with the parameters it was trained with (written next to it so a
// reader can see how it was built).
struct FittedTreeModel {
  std::shared_ptr<const Booster> booster;
  Params params;
  int rounds = 0;  // boosting rounds; written for gradient boosting only
};

// Held-out scores of every model over the same folds.
struct CvOutcome {
  CvScheme scheme = CvScheme::kfold5;
  std::size_t folds = 0;
  CvScores forest, tree, linear, gradient_boosting, baseline;  // gradient_boosting empty when off
  std::vector<double> residuals;                               // forest out-of-fold residuals, fold order
  std::vector<double> permutation;                             // per correlation group, mean over folds
};

// One row of the importance ranking: a correlation group named by its representative.
struct GroupImportance {
  std::string feature;               // representative (largest forest SHAP in the group)
  std::vector<std::string> members;  // every feature of the group, in group order
  double shap_mean_abs = 0;          // forest TreeSHAP, mean |group contribution| (ER points)
  int shap_direction = 0;            // +1 / -1 / 0
  double permutation = 0;            // held-out MSE increase, mean over CV folds
  double gain = 0;                   // forest total_gain summed over members
  double tree_gain = 0;              // decision-tree total_gain summed over members
  double linear_coef = 0;            // signed standardized coefficient of the group
  double cluster_z = 0;              // signed z in the highest-ER cluster
};

struct TrainedModel {
  // Provenance.
  std::string bucket;
  std::uint64_t seed = 0;
  std::optional<std::string> trained_at;
  std::size_t sample_size = 0;
  std::string input_sha256;    // sha256 of the training rows as csv
  bool exploratory = false;    // under kMinVideosForFullAnalysis videos
  std::string schema_version;  // "unversioned" when none was given
  std::string schema_sha256;
  std::vector<std::string> names;
  RobustScaler scaler;

  // The ensemble, fitted on all rows.
  FittedTreeModel forest, tree;
  std::optional<FittedTreeModel> gradient_boosting;
  std::vector<TreeRule> tree_rules;
  LinearModel linear;
  Clustering clustering;

  CvOutcome cv;
  std::vector<GroupImportance> ranking;                     // by forest SHAP, at most 50, importance > 0
  std::vector<std::vector<std::string>> correlated_groups;  // groups of two or more features
  std::vector<ConsensusFeature> consensus;
  std::size_t top_k = 0;  // "important" = among a model's top_k groups
};

}  // namespace rumi::ml
