#include "ml/train.h"

#include <algorithm>
#include <cmath>
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

Json params_json(const Params& p) {
  Json j = Json::object();
  for (const auto& [k, v] : p) j[k] = v;
  return j;
}

Json booster_json(const Booster& b) { return parse_json(b.save_json(), "xgboost model"); }

// Per-group signed sum over members, each member oriented by its correlation with the group's
// representative so negatively correlated members add up instead of cancelling.
struct GroupView {
  std::vector<std::vector<std::size_t>> groups;
  std::vector<std::size_t> rep;                  // representative feature per group
  std::vector<std::vector<int>> orient;          // +1/-1 per member

  template <class F>
  double signed_sum(std::size_t g, F value) const {
    double s = 0;
    for (std::size_t m = 0; m < groups[g].size(); ++m) s += orient[g][m] * value(groups[g][m]);
    return s;
  }
};

int sign_of(double v) { return v > 1e-12 ? 1 : (v < -1e-12 ? -1 : 0); }

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

TrainedBucket train_bucket(const Dataset& d, std::string_view bucket, const TrainOptions& o) {
  const std::size_t n = d.rows(), p = d.cols();
  if (n < static_cast<std::size_t>(kMinVideosForModel))
    throw NotEnoughDataError("bucket " + std::string(bucket) + ": INSUFFICIENT DATA (" + std::to_string(n) +
                             " videos, need " + std::to_string(kMinVideosForModel) + ")");
  validate(d);
  const std::string names_sha = default_schema_sha(d.feature_names);
  if (!o.schema_sha256.empty() && o.schema_sha256 != names_sha)
    throw InputError("features.csv", "header", "", "columns do not match feature schema " + o.schema_version +
                                                       " (sha256 " + o.schema_sha256 + "); re-run `rumi features`");
  const Matrix x = to_matrix(d);
  const std::vector<double>& y = d.target;
  const std::vector<double>& w = d.weights;
  const auto& names = d.feature_names;

  TreeModelConfig forest_cfg{.kind = TreeModelKind::random_forest, .seed = o.seed, .nthread = o.nthread,
                             .forest_trees = o.forest_trees};
  TreeModelConfig tree_cfg = forest_cfg, gb_cfg = forest_cfg;
  tree_cfg.kind = TreeModelKind::decision_tree;
  gb_cfg.kind = TreeModelKind::gradient_boosting;

  // Correlation groups on the (imputed) features of all rows: unsupervised, so no target leak.
  const RobustScaler scaler = RobustScaler::fit(x);
  const Matrix xs = scaler.transform(x);
  GroupView gv;
  gv.groups = correlation_groups(xs, 0.8);

  // ---- cross-validation: everything fitted inside a fold sees only that fold's training rows.
  const CvScheme scheme = choose_cv_scheme(n);
  const auto splits = make_splits(n, scheme, o.seed, o.bootstrap_repeats);
  struct FoldResult {
    Metrics forest, tree, linear, gb, base;
    std::vector<double> residuals, perm;
  };
  std::vector<FoldResult> fold_results(splits.size());
  TreeModelConfig fold_forest = forest_cfg, fold_tree = tree_cfg, fold_gb = gb_cfg;
  fold_forest.nthread = fold_tree.nthread = fold_gb.nthread = 1;
  parallel_for(splits.size(), o.nthread, [&](std::size_t f) {
    const auto& s = splits[f];
    FoldResult& r = fold_results[f];
    const Matrix xtr_raw = take_rows(x, s.train), xte_raw = take_rows(x, s.test);
    const RobustScaler fold_scaler = RobustScaler::fit(xtr_raw);
    const Matrix xtr = fold_scaler.transform(xtr_raw), xte = fold_scaler.transform(xte_raw);
    const auto ytr = take(y, s.train), wtr = take(w, s.train), yte = take(y, s.test);
    const DMatrix dte(xte, 1);

    const Booster forest = fit_tree_model(fold_forest, xtr, ytr, wtr);
    const auto pf = forest.predict(dte);
    r.forest = regression_metrics(yte, pf);
    for (std::size_t i = 0; i < yte.size(); ++i) r.residuals.push_back(yte[i] - pf[i]);
    r.tree = regression_metrics(yte, fit_tree_model(fold_tree, xtr, ytr, wtr).predict(dte));
    const LinearModel lin = fit_linear(xtr, ytr, wtr, derive_seed(o.seed, "fold-" + std::to_string(f)));
    r.linear = regression_metrics(yte, predict_linear(lin, xte));
    if (o.gradient_boosting) r.gb = regression_metrics(yte, fit_tree_model(fold_gb, xtr, ytr, wtr).predict(dte));
    r.base = regression_metrics(yte, std::vector<double>(yte.size(), weighted_mean(ytr, wtr)));
    r.perm = permutation_importance(forest, xte, yte, gv.groups,
                                    derive_seed(o.seed, "perm-fold-" + std::to_string(f)), 1);
  });
  CvScores cv_forest, cv_tree, cv_linear, cv_gb, cv_base;
  std::vector<double> residuals;
  std::vector<double> perm_sum(gv.groups.size(), 0.0);
  for (const auto& r : fold_results) {
    cv_forest.folds.push_back(r.forest);
    cv_tree.folds.push_back(r.tree);
    cv_linear.folds.push_back(r.linear);
    if (o.gradient_boosting) cv_gb.folds.push_back(r.gb);
    cv_base.folds.push_back(r.base);
    residuals.insert(residuals.end(), r.residuals.begin(), r.residuals.end());
    for (std::size_t g = 0; g < perm_sum.size(); ++g) perm_sum[g] += r.perm[g];
  }
  std::vector<double> perm_mean(perm_sum.size());
  for (std::size_t g = 0; g < perm_sum.size(); ++g) perm_mean[g] = perm_sum[g] / static_cast<double>(splits.size());

  // ---- final models on all rows.
  std::optional<Booster> forest_opt, tree_opt, gb_opt;
  std::optional<LinearModel> linear_opt;
  std::optional<Clustering> clustering_opt;
  parallel_for(o.gradient_boosting ? 5 : 4, o.nthread, [&](std::size_t job) {
    switch (job) {
      case 0: forest_opt.emplace(fit_tree_model(fold_forest, xs, y, w)); break;
      case 1: clustering_opt.emplace(fit_clustering(xs, y, names, o.clustering_k, o.seed)); break;
      case 2: tree_opt.emplace(fit_tree_model(fold_tree, xs, y, w)); break;
      case 3: linear_opt.emplace(fit_linear(xs, y, w, derive_seed(o.seed, "final"))); break;
      case 4: gb_opt.emplace(fit_tree_model(fold_gb, xs, y, w)); break;
    }
  });
  const Booster& forest = *forest_opt;
  const Booster& tree = *tree_opt;
  const LinearModel& linear = *linear_opt;
  const Clustering& clustering = *clustering_opt;
  const DMatrix dall(xs, 1);
  const auto forest_contrib = forest.contributions(dall);  // n x (p + 1)
  const auto tree_contrib = tree.contributions(dall);
  const auto forest_gain = forest.feature_score("total_gain", p);
  const auto tree_gain = tree.feature_score("total_gain", p);

  // Per-feature mean |SHAP|, then group representatives (largest forest SHAP in the group).
  std::vector<double> shap_abs(p, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < p; ++c) shap_abs[c] += std::abs(forest_contrib[i * (p + 1) + c]) / static_cast<double>(n);
  const std::size_t G = gv.groups.size();
  gv.rep.resize(G);
  gv.orient.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    const auto& mem = gv.groups[g];
    gv.rep[g] = *std::max_element(mem.begin(), mem.end(), [&](std::size_t a, std::size_t b) {
      return shap_abs[a] < shap_abs[b] || (shap_abs[a] == shap_abs[b] && a > b);
    });
    for (std::size_t m : mem) {
      if (m == gv.rep[g]) { gv.orient[g].push_back(1); continue; }
      const Eigen::VectorXd a = xs.col(static_cast<Eigen::Index>(m)), b = xs.col(static_cast<Eigen::Index>(gv.rep[g]));
      gv.orient[g].push_back(spearman({a.data(), n}, {b.data(), n}) < 0 ? -1 : 1);
    }
  }
  std::vector<std::string> group_names(G);
  for (std::size_t g = 0; g < G; ++g) group_names[g] = names[gv.rep[g]];

  // Group SHAP: mean |sum of members' contributions|; direction: sign of the correlation between
  // the representative's value and the group's contribution.
  auto group_shap = [&](const std::vector<double>& contrib, std::vector<double>& imp, std::vector<int>& sign) {
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
  };
  ModelVote v_forest{"forest", {}, {}, {}}, v_tree{"tree", {}, {}, {}}, v_linear{"linear", {}, {}, {}},
      v_cluster{"clustering", {}, {}, {}};
  group_shap(forest_contrib, v_forest.importance, v_forest.sign);
  v_forest.eligible.resize(G);
  for (std::size_t g = 0; g < G; ++g) v_forest.eligible[g] = perm_mean[g] > 0;
  std::vector<double> tree_shap;
  group_shap(tree_contrib, tree_shap, v_tree.sign);
  v_tree.importance.assign(G, 0.0);
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t m : gv.groups[g]) v_tree.importance[g] += tree_gain[m];
  v_linear.importance.resize(G);
  v_linear.sign.resize(G);
  v_cluster.importance.resize(G);
  v_cluster.sign.resize(G);
  v_cluster.eligible.resize(G);
  // A cluster of one or two videos "distinguishes" whatever those videos happen to share: the
  // clustering vote counts only when the highest-ER cluster holds at least kMinVotingCluster.
  int best_cluster_size = 0;
  for (const auto& prof : clustering.profiles)
    if (prof.id == clustering.best_cluster) best_cluster_size = prof.size;
  const bool cluster_can_vote = best_cluster_size >= kMinVotingCluster;
  for (std::size_t g = 0; g < G; ++g) {
    const double lc = gv.signed_sum(g, [&](std::size_t m) { return linear.ridge.coef[m]; });
    v_linear.importance[g] = std::abs(lc);
    v_linear.sign[g] = sign_of(lc);
    double best = 0;
    for (std::size_t k = 0; k < gv.groups[g].size(); ++k) {
      const double zv = gv.orient[g][k] * clustering.best_cluster_z[gv.groups[g][k]];
      if (std::abs(zv) > std::abs(best)) best = zv;
    }
    v_cluster.importance[g] = std::abs(best);
    v_cluster.sign[g] = sign_of(best);
    v_cluster.eligible[g] = cluster_can_vote && std::abs(best) >= 0.5;
  }
  const std::vector<ModelVote> votes{v_forest, v_tree, v_linear, v_cluster};
  const auto consensus = build_consensus(votes, group_names, o.top_k);

  // ---- importance ranking (by forest SHAP, group level).
  std::vector<std::size_t> order(G);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v_forest.importance[a] > v_forest.importance[b]; });
  Json ranking = Json::array();
  std::vector<std::string> top_features;
  for (std::size_t r = 0; r < std::min<std::size_t>(G, 50); ++r) {
    const std::size_t g = order[r];
    if (!(v_forest.importance[g] > 0)) break;
    std::vector<std::string> members;
    for (std::size_t m : gv.groups[g]) members.push_back(names[m]);
    double gain = 0;
    for (std::size_t m : gv.groups[g]) gain += forest_gain[m];
    ranking.push_back(Json{{"feature", group_names[g]},
                           {"members", members},
                           {"shap_mean_abs", json_number(v_forest.importance[g])},
                           {"shap_direction", v_forest.sign[g]},
                           {"permutation", json_number(perm_mean[g])},
                           {"gain", json_number(gain)},
                           {"tree_gain", json_number(v_tree.importance[g])},
                           {"linear_coef", json_number(v_linear.importance[g] * v_linear.sign[g])},
                           {"cluster_z", json_number(v_cluster.importance[g] * v_cluster.sign[g])}});
    if (top_features.size() < 10) top_features.push_back(group_names[g]);
  }
  Json groups_json = Json::array();
  for (std::size_t g = 0; g < G; ++g)
    if (gv.groups[g].size() > 1) {
      std::vector<std::string> members;
      for (std::size_t m : gv.groups[g]) members.push_back(names[m]);
      groups_json.push_back(members);
    }
  Json consensus_json = Json::array();
  std::vector<std::string> consensus_names;
  for (const auto& c : consensus) {
    consensus_json.push_back(to_json(c));
    consensus_names.push_back(c.feature);
  }

  // ---- model document.
  Json models;
  models["random_forest"] = Json{{"type", "xgboost_random_forest"},
                                 {"params", params_json(tree_model_params(fold_forest, weighted_mean(y, w)))},
                                 {"xgboost", booster_json(forest)}};
  Json rules = Json::array();
  for (const auto& r : export_tree_rules(tree, scaler, names)) rules.push_back(to_json(r));
  models["decision_tree"] = Json{{"type", "xgboost_decision_tree"},
                                 {"params", params_json(tree_model_params(fold_tree, weighted_mean(y, w)))},
                                 {"xgboost", booster_json(tree)},
                                 {"rules", rules}};
  models["linear"] = to_json(linear, names);
  models["clustering"] = to_json(clustering);
  if (o.gradient_boosting) {
    const Booster& gb = *gb_opt;
    models["gradient_boosting"] = Json{{"type", "xgboost_gradient_boosting"},
                                       {"params", params_json(tree_model_params(fold_gb, weighted_mean(y, w)))},
                                       {"rounds", gb_cfg.boosting_rounds},
                                       {"xgboost", booster_json(gb)}};
  }
  const Metrics fm = cv_forest.mean();
  Json cv_models{{"random_forest", to_json(cv_forest)},
                 {"decision_tree", to_json(cv_tree)},
                 {"linear", to_json(cv_linear)},
                 {"baseline", to_json(cv_base)}};
  if (o.gradient_boosting) cv_models["gradient_boosting"] = to_json(cv_gb);
  const bool exploratory = n < static_cast<std::size_t>(kMinVideosForFullAnalysis);
  Json doc{{"format", "rumi-model"},
           {"format_version", kModelFormatVersion},
           {"bucket", std::string(bucket)},
           {"trained_at", o.trained_at ? Json(*o.trained_at) : Json(nullptr)},
           {"seed", o.seed},
           {"sample_size", n},
           {"input_sha256", sha256_hex(dataset_to_csv(d))},
           {"exploratory", exploratory},
           {"feature_schema", Json{{"version", o.schema_version.empty() ? "unversioned" : o.schema_version},
                                   {"sha256", names_sha},
                                   {"names", names}}},
           {"scaler", to_json(scaler)},
           {"models", models},
           {"cv", Json{{"scheme", cv_scheme_name(scheme)},
                       {"folds", splits.size()},
                       {"r2", json_number(fm.r2)},
                       {"rmse", json_number(fm.rmse)},
                       {"mae", json_number(fm.mae)},
                       {"headline_model", "random_forest"},
                       {"metrics_note", "mean over held-out folds; *_std is the spread across folds; unweighted"},
                       {"models", cv_models}}},
           {"prediction_interval", Json{{"method", "forest out-of-fold residual quantiles 5%/95%"},
                                        {"residual_q05", json_number(quantile(residuals, 0.05))},
                                        {"residual_q95", json_number(quantile(residuals, 0.95))}}},
           {"importance", Json{{"ranking", ranking},
                               {"correlated_groups", groups_json},
                               {"method", "group level (|Spearman| > 0.8 merged); shap_mean_abs = forest TreeSHAP "
                                          "mean |contribution| (ER points); permutation = held-out MSE increase, "
                                          "mean over CV folds; gain = forest total_gain"}}},
           {"consensus", consensus_json},
           {"consensus_rule", "a feature group is model-backed when >= 2 of forest, tree, linear, clustering rank "
                              "it in their top " + std::to_string(o.top_k) +
                              " (forest: TreeSHAP and positive held-out permutation importance; tree: gain; "
                              "linear: |standardized coefficient|; clustering: |z| >= 0.5 in the highest-ER "
                              "cluster, which must hold >= 5 videos) with the same direction. Descriptive only: "
                              "evidence labels come from the patterns stage's out-of-sample checks"}};

  TrainedBucket out;
  out.model = std::move(doc);
  auto& s = out.summary;
  s.bucket = std::string(bucket);
  s.videos = static_cast<int>(n);
  s.exploratory = exploratory;
  s.scheme = std::string(cv_scheme_name(scheme));
  s.forest_r2 = fm.r2;
  s.baseline_r2 = cv_base.mean().r2;
  s.top_features = std::move(top_features);
  s.consensus_features = std::move(consensus_names);
  return out;
}

TrainSummary train_hashtag(const fs::path& hashtag_dir, const TrainOptions& o) {
  TrainSummary summary;
  for (Bucket b : kAllBuckets) {
    const std::string name(bucket_name(b));
    const BucketFiles files = bucket_files(hashtag_dir, b);
    if (!fs::exists(files.features)) continue;
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
      summary.buckets.push_back(std::move(r));
      continue;
    }
    TrainedBucket t = train_bucket(d, name, o);
    write_json_atomic(model_path, t.model);
    write_json_atomic(files.performance, metrics(t.summary.forest_r2));
    t.summary.model_path = model_path;
    summary.buckets.push_back(std::move(t.summary));
  }
  return summary;
}

}  // namespace rumi::ml
