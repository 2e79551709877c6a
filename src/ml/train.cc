#include "ml/train.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <numeric>

#include "core/bucket.h"
#include "core/bucket_population.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/workspace.h"
#include "ml/consensus.h"
#include "ml/cross_validation.h"
#include "ml/importance.h"
#include "ml/kmeans.h"
#include "ml/matrix.h"
#include "ml/model_file.h"
#include "ml/parallel.h"
#include "ml/ridge.h"
#include "ml/scaler.h"
#include "ml/tree_models.h"
#include "ml/xgb.h"

namespace rumi::ml {

namespace {

namespace fs = std::filesystem;

double weighted_mean(std::span<const double> y, std::span<const double> w) {
  double sw = 0, s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) sw += w[i], s += w[i] * y[i];
  return sw > 0 ? s / sw : std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
}

void validate(const Dataset& d) {
  if (d.cols() == 0) throw InputError("features.csv", "header", "", "no feature columns");
  for (std::size_t i = 0; i < d.rows(); ++i) {
    if (!std::isfinite(d.target[i])) throw InputError("features.csv", d.video_ids[i], "er", "missing or not finite");
    if (!std::isfinite(d.weights[i]) || d.weights[i] < 0)
      throw InputError("features.csv", d.video_ids[i], "weight", "must be a finite number >= 0");
  }
  if (std::all_of(d.weights.begin(), d.weights.end(), [](double w) { return w == 0; }))
    throw InputError("features.csv", "all rows", "weight", "every weight is 0");
}

std::string default_schema_sha(std::span<const std::string> names) {
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i) joined += (i ? "\n" : "") + names[i];
  return sha256_hex(joined);
}

// Per-group signed sum over members, each member oriented by its correlation with the group's
// representative so negatively correlated members add up instead of cancelling.
struct GroupView {
  std::vector<std::vector<std::size_t>> groups;
  std::vector<std::size_t> rep;          // representative feature per group
  std::vector<std::vector<int>> orient;  // +1/-1 per member

  template <class F>
  double signed_sum(std::size_t g, F value) const {
    double s = 0;
    for (std::size_t m = 0; m < groups[g].size(); ++m) s += orient[g][m] * value(groups[g][m]);
    return s;
  }
};

int sign_of(double v) { return v > 1e-12 ? 1 : (v < -1e-12 ? -1 : 0); }

using Groups = std::vector<std::vector<std::size_t>>;

// ---- phase 1: input checks.

// Returns the sha256 of the feature names, checked against the schema the caller expects.
std::string check_training_input(const Dataset& d, std::string_view bucket, const TrainOptions& o) {
  const std::size_t n = d.rows();
  if (n < static_cast<std::size_t>(kMinVideosForModel))
    throw NotEnoughDataError("bucket " + std::string(bucket) + ": INSUFFICIENT DATA (" + std::to_string(n) +
                             " videos, need " + std::to_string(kMinVideosForModel) + ")");
  validate(d);
  std::string names_sha = default_schema_sha(d.feature_names);
  if (!o.schema_sha256.empty() && o.schema_sha256 != names_sha)
    throw InputError("features.csv", "header", "",
                     "columns do not match feature schema " + o.schema_version + " (sha256 " + o.schema_sha256 +
                         "); re-run `rumi features`");
  return names_sha;
}

// The three XGBoost configurations of the ensemble. Every fit runs on one thread: parallelism
// comes from running whole fits side by side (ml/parallel.h).
struct EnsembleConfigs {
  TreeModelConfig forest, tree, gb;
};

EnsembleConfigs ensemble_configs(const TrainOptions& o) {
  EnsembleConfigs c;
  c.forest = TreeModelConfig{
      .kind = TreeModelKind::random_forest, .seed = o.seed, .nthread = 1, .forest_trees = o.forest_trees};
  c.tree = c.forest;
  c.gb = c.forest;
  c.tree.kind = TreeModelKind::decision_tree;
  c.gb.kind = TreeModelKind::gradient_boosting;
  return c;
}

// ---- phase 2: cross-validation. Everything fitted inside a fold sees only that fold's
// training rows, the scaler included.

struct FoldResult {
  Metrics forest, tree, linear, gb, base;
  std::vector<double> residuals, perm;
};

FoldResult run_fold(const Matrix& x, const Dataset& d, const Split& s, std::size_t f, const Groups& groups,
                    const EnsembleConfigs& cfg, const TrainOptions& o) {
  FoldResult r;
  const Matrix xtr_raw = take_rows(x, s.train), xte_raw = take_rows(x, s.test);
  const RobustScaler fold_scaler = RobustScaler::fit(xtr_raw);
  const Matrix xtr = fold_scaler.transform(xtr_raw), xte = fold_scaler.transform(xte_raw);
  const auto ytr = take(d.target, s.train), wtr = take(d.weights, s.train), yte = take(d.target, s.test);
  const DMatrix dte(xte, 1);

  const Booster forest = fit_tree_model(cfg.forest, xtr, ytr, wtr);
  const auto pf = forest.predict(dte);
  r.forest = regression_metrics(yte, pf);
  for (std::size_t i = 0; i < yte.size(); ++i) r.residuals.push_back(yte[i] - pf[i]);
  r.tree = regression_metrics(yte, fit_tree_model(cfg.tree, xtr, ytr, wtr).predict(dte));
  const LinearModel lin = fit_linear(xtr, ytr, wtr, derive_seed(o.seed, "fold-" + std::to_string(f)));
  r.linear = regression_metrics(yte, predict_linear(lin, xte));
  if (o.gradient_boosting) r.gb = regression_metrics(yte, fit_tree_model(cfg.gb, xtr, ytr, wtr).predict(dte));
  r.base = regression_metrics(yte, std::vector<double>(yte.size(), weighted_mean(ytr, wtr)));
  r.perm = permutation_importance(forest, xte, yte, groups, derive_seed(o.seed, "perm-fold-" + std::to_string(f)), 1);
  return r;
}

CvOutcome cross_validate(const Matrix& x, const Dataset& d, const Groups& groups, const EnsembleConfigs& cfg,
                         const TrainOptions& o) {
  CvOutcome cv;
  cv.scheme = choose_cv_scheme(d.rows());
  const auto splits = make_splits(d.rows(), cv.scheme, o.seed, o.bootstrap_repeats);
  cv.folds = splits.size();
  std::vector<FoldResult> fold_results(splits.size());
  parallel_for(splits.size(), o.nthread,
               [&](std::size_t f) { fold_results[f] = run_fold(x, d, splits[f], f, groups, cfg, o); });
  std::vector<double> perm_sum(groups.size(), 0.0);
  for (const auto& r : fold_results) {
    cv.forest.folds.push_back(r.forest);
    cv.tree.folds.push_back(r.tree);
    cv.linear.folds.push_back(r.linear);
    if (o.gradient_boosting) cv.gradient_boosting.folds.push_back(r.gb);
    cv.baseline.folds.push_back(r.base);
    cv.residuals.insert(cv.residuals.end(), r.residuals.begin(), r.residuals.end());
    for (std::size_t g = 0; g < perm_sum.size(); ++g) perm_sum[g] += r.perm[g];
  }
  cv.permutation.resize(perm_sum.size());
  for (std::size_t g = 0; g < perm_sum.size(); ++g)
    cv.permutation[g] = perm_sum[g] / static_cast<double>(splits.size());
  return cv;
}

// ---- phase 3: final models on all rows, side by side.

void fit_final_models(const Matrix& xs, const Dataset& d, const EnsembleConfigs& cfg, const TrainOptions& o,
                      TrainedModel& m) {
  const std::vector<double>& y = d.target;
  const std::vector<double>& w = d.weights;
  parallel_for(o.gradient_boosting ? 5 : 4, o.nthread, [&](std::size_t job) {
    switch (job) {
      case 0: m.forest.booster = std::make_shared<const Booster>(fit_tree_model(cfg.forest, xs, y, w)); break;
      case 1: m.clustering = fit_clustering(xs, y, d.feature_names, o.clustering_k, o.seed); break;
      case 2: m.tree.booster = std::make_shared<const Booster>(fit_tree_model(cfg.tree, xs, y, w)); break;
      case 3: m.linear = fit_linear(xs, y, w, derive_seed(o.seed, "final")); break;
      case 4:
        m.gradient_boosting.emplace().booster = std::make_shared<const Booster>(fit_tree_model(cfg.gb, xs, y, w));
        break;
    }
  });
  const double base_score = weighted_mean(y, w);
  m.forest.params = tree_model_params(cfg.forest, base_score);
  m.tree.params = tree_model_params(cfg.tree, base_score);
  if (m.gradient_boosting) {
    m.gradient_boosting->params = tree_model_params(cfg.gb, base_score);
    m.gradient_boosting->rounds = cfg.gb.boosting_rounds;
  }
  m.tree_rules = export_tree_rules(*m.tree.booster, m.scaler, d.feature_names);
}

// ---- phase 4: group representatives and member orientation.

// Representative = the member with the largest forest mean |SHAP|; each other member is
// oriented by the sign of its Spearman correlation with the representative.
GroupView orient_groups(Groups groups, const Matrix& xs, const std::vector<double>& forest_contrib) {
  const std::size_t n = static_cast<std::size_t>(xs.rows()), p = static_cast<std::size_t>(xs.cols());
  std::vector<double> shap_abs(p, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < p; ++c)
      shap_abs[c] += std::abs(forest_contrib[i * (p + 1) + c]) / static_cast<double>(n);
  GroupView gv;
  gv.groups = std::move(groups);
  const std::size_t G = gv.groups.size();
  gv.rep.resize(G);
  gv.orient.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    const auto& mem = gv.groups[g];
    gv.rep[g] = *std::max_element(mem.begin(), mem.end(), [&](std::size_t a, std::size_t b) {
      return shap_abs[a] < shap_abs[b] || (shap_abs[a] == shap_abs[b] && a > b);
    });
    for (std::size_t m : mem) {
      if (m == gv.rep[g]) {
        gv.orient[g].push_back(1);
        continue;
      }
      const Eigen::VectorXd a = xs.col(static_cast<Eigen::Index>(m)), b = xs.col(static_cast<Eigen::Index>(gv.rep[g]));
      gv.orient[g].push_back(spearman({a.data(), n}, {b.data(), n}) < 0 ? -1 : 1);
    }
  }
  return gv;
}

// ---- phase 5: each model's vote per group.

// Group SHAP: mean |sum of members' contributions|; direction: sign of the correlation between
// the representative's value and the group's contribution.
void group_shap(const GroupView& gv, const Matrix& xs, const std::vector<double>& contrib, std::vector<double>& imp,
                std::vector<int>& sign) {
  const std::size_t n = static_cast<std::size_t>(xs.rows()), p = static_cast<std::size_t>(xs.cols());
  const std::size_t G = gv.groups.size();
  imp.assign(G, 0.0);
  sign.assign(G, 0);
  std::vector<double> gc(n), xv(n);
  for (std::size_t g = 0; g < G; ++g) {
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0;
      for (std::size_t m : gv.groups[g]) s += contrib[i * (p + 1) + m];
      gc[i] = s;
      xv[i] = xs(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(gv.rep[g]));
      imp[g] += std::abs(s) / static_cast<double>(n);
    }
    sign[g] = sign_of(pearson(xv, gc));
  }
}

struct Votes {
  ModelVote forest{"forest", {}, {}, {}}, tree{"tree", {}, {}, {}}, linear{"linear", {}, {}, {}},
      cluster{"clustering", {}, {}, {}};
};

// The linear and clustering votes, both read off per-member numbers through the orientation.
void linear_and_cluster_votes(const GroupView& gv, const TrainedModel& m, Votes& v) {
  const std::size_t G = gv.groups.size();
  v.linear.importance.resize(G);
  v.linear.sign.resize(G);
  v.cluster.importance.resize(G);
  v.cluster.sign.resize(G);
  v.cluster.eligible.resize(G);
  // A cluster of one or two videos "distinguishes" whatever those videos happen to share: the
  // clustering vote counts only when the highest-ER cluster holds at least kMinVotingCluster.
  int best_cluster_size = 0;
  for (const auto& prof : m.clustering.profiles)
    if (prof.id == m.clustering.best_cluster) best_cluster_size = prof.size;
  const bool cluster_can_vote = best_cluster_size >= kMinVotingCluster;
  for (std::size_t g = 0; g < G; ++g) {
    const double lc = gv.signed_sum(g, [&](std::size_t k) { return m.linear.ridge.coef[k]; });
    v.linear.importance[g] = std::abs(lc);
    v.linear.sign[g] = sign_of(lc);
    double best = 0;
    for (std::size_t k = 0; k < gv.groups[g].size(); ++k) {
      const double zv = gv.orient[g][k] * m.clustering.best_cluster_z[gv.groups[g][k]];
      if (std::abs(zv) > std::abs(best)) best = zv;
    }
    v.cluster.importance[g] = std::abs(best);
    v.cluster.sign[g] = sign_of(best);
    v.cluster.eligible[g] = cluster_can_vote && std::abs(best) >= 0.5;
  }
}

Votes model_votes(const GroupView& gv, const Matrix& xs, const std::vector<double>& forest_contrib,
                  const TrainedModel& m) {
  const std::size_t G = gv.groups.size(), p = static_cast<std::size_t>(xs.cols());
  Votes v;
  group_shap(gv, xs, forest_contrib, v.forest.importance, v.forest.sign);
  v.forest.eligible.resize(G);
  for (std::size_t g = 0; g < G; ++g) v.forest.eligible[g] = m.cv.permutation[g] > 0;
  const DMatrix dall(xs, 1);
  std::vector<double> tree_shap;
  group_shap(gv, xs, m.tree.booster->contributions(dall), tree_shap, v.tree.sign);
  const auto tree_gain = m.tree.booster->feature_score("total_gain", p);
  v.tree.importance.assign(G, 0.0);
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t k : gv.groups[g]) v.tree.importance[g] += tree_gain[k];
  linear_and_cluster_votes(gv, m, v);
  return v;
}

// ---- phase 6: the importance ranking (by forest SHAP, group level) and the groups.

std::vector<std::string> member_names(const std::vector<std::size_t>& group, const std::vector<std::string>& names) {
  std::vector<std::string> members;
  for (std::size_t k : group) members.push_back(names[k]);
  return members;
}

std::vector<GroupImportance> importance_ranking(const GroupView& gv, const Votes& v, const TrainedModel& m) {
  const std::size_t G = gv.groups.size();
  const auto forest_gain = m.forest.booster->feature_score("total_gain", m.names.size());
  std::vector<std::size_t> order(G);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v.forest.importance[a] > v.forest.importance[b]; });
  std::vector<GroupImportance> ranking;
  for (std::size_t r = 0; r < std::min<std::size_t>(G, 50); ++r) {
    const std::size_t g = order[r];
    if (!(v.forest.importance[g] > 0)) break;
    double gain = 0;
    for (std::size_t k : gv.groups[g]) gain += forest_gain[k];
    ranking.push_back(GroupImportance{.feature = m.names[gv.rep[g]],
                                      .members = member_names(gv.groups[g], m.names),
                                      .shap_mean_abs = v.forest.importance[g],
                                      .shap_direction = v.forest.sign[g],
                                      .permutation = m.cv.permutation[g],
                                      .gain = gain,
                                      .tree_gain = v.tree.importance[g],
                                      .linear_coef = v.linear.importance[g] * v.linear.sign[g],
                                      .cluster_z = v.cluster.importance[g] * v.cluster.sign[g]});
  }
  return ranking;
}

// ---- phase 7: importance measures, consensus and ranking from the fitted models.

void explain(const Groups& groups, const Matrix& xs, TrainedModel& m) {
  const std::vector<double> forest_contrib = m.forest.booster->contributions(DMatrix(xs, 1));  // n x (p + 1)
  const GroupView gv = orient_groups(groups, xs, forest_contrib);
  const Votes v = model_votes(gv, xs, forest_contrib, m);
  std::vector<std::string> group_names(gv.groups.size());
  for (std::size_t g = 0; g < gv.groups.size(); ++g) group_names[g] = m.names[gv.rep[g]];
  const std::vector<ModelVote> votes{v.forest, v.tree, v.linear, v.cluster};
  m.consensus = build_consensus(votes, group_names, m.top_k);
  m.ranking = importance_ranking(gv, v, m);
  for (const auto& group : gv.groups)
    if (group.size() > 1) m.correlated_groups.push_back(member_names(group, m.names));
}

}  // namespace

BucketPerformance bucket_performance(const Dataset& d, std::string_view bucket, std::optional<double> cv_r2,
                                     const std::vector<double>* eligible_er) {
  BucketPerformance p = describe_engagement(std::string(bucket), eligible_er ? *eligible_er : d.target);
  p.sample_size = static_cast<int>(d.rows());
  p.insufficient = p.sample_size < kMinVideosForModel;
  p.exploratory = !p.insufficient && p.sample_size < kMinVideosForFullAnalysis;
  p.cv_r2 = cv_r2;
  return p;
}

TrainedModel train_bucket(const Dataset& d, std::string_view bucket, const TrainOptions& o) {
  TrainedModel m;
  m.schema_sha256 = check_training_input(d, bucket, o);
  m.bucket = std::string(bucket);
  m.seed = o.seed;
  m.trained_at = o.trained_at;
  m.sample_size = d.rows();
  m.input_sha256 = sha256_hex(dataset_to_csv(d));
  m.exploratory = d.rows() < static_cast<std::size_t>(kMinVideosForFullAnalysis);
  m.schema_version = o.schema_version.empty() ? "unversioned" : o.schema_version;
  m.names = d.feature_names;
  m.top_k = o.top_k;
  const EnsembleConfigs cfg = ensemble_configs(o);

  // Correlation groups on the (imputed) features of all rows: unsupervised, so no target leak.
  const Matrix x = to_matrix(d);
  m.scaler = RobustScaler::fit(x);
  const Matrix xs = m.scaler.transform(x);
  const Groups groups = correlation_groups(xs, 0.8);

  m.cv = cross_validate(x, d, groups, cfg, o);
  fit_final_models(xs, d, cfg, o, m);
  explain(groups, xs, m);
  return m;
}

BucketTrainResult train_summary(const TrainedModel& m) {
  BucketTrainResult s;
  s.bucket = m.bucket;
  s.videos = static_cast<int>(m.sample_size);
  s.exploratory = m.exploratory;
  s.scheme = std::string(cv_scheme_name(m.cv.scheme));
  s.forest_r2 = m.cv.forest.mean().r2;
  s.baseline_r2 = m.cv.baseline.mean().r2;
  for (const auto& r : m.ranking)
    if (s.top_features.size() < 10) s.top_features.push_back(r.feature);
  for (const auto& c : m.consensus) s.consensus_features.push_back(c.feature);
  return s;
}

namespace {

// One bucket's training and files (features.csv -> model + performance metrics).
BucketTrainResult train_one_bucket(const fs::path& hashtag_dir, Bucket b, const TrainOptions& o) {
  const std::string name(bucket_name(b));
  const BucketFiles files = bucket_files(hashtag_dir, b);
  const Dataset d = read_dataset_csv(files.features);
  const fs::path& model_path = files.model;
  // Bucket ER statistics describe the eligible videos, not the (half top) analysed sample.
  std::optional<std::vector<double>> eligible_er;
  if (auto pop = read_eligible_videos(hashtag_dir, b); pop && !pop->empty()) {
    eligible_er.emplace();
    for (const auto& v : *pop) eligible_er->push_back(v.er);
  }
  const auto metrics = [&](std::optional<double> r2) {
    const BucketPerformance perf = bucket_performance(d, name, r2, eligible_er ? &*eligible_er : nullptr);
    Json j = to_json(perf);
    // Format 2 names each consistency by its unit (docs/contracts.md): consistency_cv =
    // 1/(1+CV), the bucket report's, and consistency_std = 1/(1+std of ER in percent points),
    // the seed's training-output definition. The bare "consistency" of format 1 is gone.
    j.erase("consistency");
    j["consistency_cv"] = json_number(perf.consistency);
    j["consistency_std"] = json_number(1.0 / (1.0 + perf.std_er));
    j["format"] = "rumi-performance-metrics";
    j["format_version"] = 2;
    j["statistics_basis"] = eligible_er ? "eligible" : "analysed";
    j["eligible_videos"] = eligible_er ? Json(eligible_er->size()) : Json(nullptr);
    return j;
  };
  if (d.rows() < static_cast<std::size_t>(kMinVideosForModel)) {
    BucketTrainResult r;
    r.bucket = name;
    r.videos = static_cast<int>(d.rows());
    r.insufficient = true;
    r.scheme = "none";
    std::error_code ec;
    fs::remove(model_path, ec);
    write_json_atomic(files.performance, metrics(std::nullopt));
    spdlog::info("bucket {}: INSUFFICIENT DATA ({} videos)", name, d.rows());
    return r;
  }
  const TrainedModel t = train_bucket(d, name, o);
  write_json_atomic(model_path, model_to_json(t));
  BucketTrainResult r = train_summary(t);
  write_json_atomic(files.performance, metrics(r.forest_r2));
  r.model_path = model_path;
  return r;
}

}  // namespace

// Buckets are independent (each reads and writes only its own files), so they train side by
// side; results and the first error are taken in bucket order, so neither depends on timing.
TrainSummary train_hashtag(const fs::path& hashtag_dir, const TrainOptions& o) {
  std::vector<Bucket> todo;
  for (Bucket b : kAllBuckets)
    if (fs::exists(bucket_files(hashtag_dir, b).features)) todo.push_back(b);
  std::vector<BucketTrainResult> results(todo.size());
  std::vector<std::exception_ptr> errors(todo.size());
  parallel_for(todo.size(), o.nthread, [&](std::size_t i) {
    try {
      results[i] = train_one_bucket(hashtag_dir, todo[i], o);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  TrainSummary summary;
  for (auto& r : results) summary.buckets.push_back(std::move(r));
  return summary;
}

}  // namespace rumi::ml
