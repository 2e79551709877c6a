#include "ml/model_file.h"

#include "core/error.h"
#include "core/file_io.h"
#include "ml/consensus.h"

namespace rumi::ml {

namespace {

Json params_json(const Params& p) {
  Json j = Json::object();
  for (const auto& [k, v] : p) j[k] = v;
  return j;
}

Json tree_model_json(const FittedTreeModel& f, const char* type) {
  return Json{{"type", type},
              {"params", params_json(f.params)},
              {"xgboost", parse_json(f.booster->save_json(), "xgboost model")}};
}

Json models_json(const TrainedModel& m) {
  Json models;
  models["random_forest"] = tree_model_json(m.forest, "xgboost_random_forest");
  Json rules = Json::array();
  for (const auto& r : m.tree_rules) rules.push_back(to_json(r));
  models["decision_tree"] = tree_model_json(m.tree, "xgboost_decision_tree");
  models["decision_tree"]["rules"] = rules;
  models["linear"] = to_json(m.linear, m.names);
  models["clustering"] = to_json(m.clustering);
  if (m.gradient_boosting) {
    models["gradient_boosting"] = tree_model_json(*m.gradient_boosting, "xgboost_gradient_boosting");
    models["gradient_boosting"]["rounds"] = m.gradient_boosting->rounds;
  }
  return models;
}

Json cv_json(const TrainedModel& m) {
  const CvOutcome& cv = m.cv;
  const Metrics fm = cv.forest.mean();
  Json cv_models{{"random_forest", to_json(cv.forest)},
                 {"decision_tree", to_json(cv.tree)},
                 {"linear", to_json(cv.linear)},
                 {"baseline", to_json(cv.baseline)}};
  if (m.gradient_boosting) cv_models["gradient_boosting"] = to_json(cv.gradient_boosting);
  return Json{{"scheme", cv_scheme_name(cv.scheme)},
              {"folds", cv.folds},
              {"r2", json_number(fm.r2)},
              {"rmse", json_number(fm.rmse)},
              {"mae", json_number(fm.mae)},
              {"headline_model", "random_forest"},
              {"metrics_note", "mean over held-out folds; *_std is the spread across folds; unweighted"},
              {"models", cv_models}};
}

Json importance_json(const TrainedModel& m) {
  Json ranking = Json::array();
  for (const auto& r : m.ranking)
    ranking.push_back(Json{{"feature", r.feature},
                           {"members", r.members},
                           {"shap_mean_abs", json_number(r.shap_mean_abs)},
                           {"shap_direction", r.shap_direction},
                           {"permutation", json_number(r.permutation)},
                           {"gain", json_number(r.gain)},
                           {"tree_gain", json_number(r.tree_gain)},
                           {"linear_coef", json_number(r.linear_coef)},
                           {"cluster_z", json_number(r.cluster_z)}});
  Json groups = Json::array();
  for (const auto& g : m.correlated_groups) groups.push_back(g);
  return Json{{"ranking", ranking},
              {"correlated_groups", groups},
              {"method",
               "group level (|Spearman| > 0.8 merged); shap_mean_abs = forest TreeSHAP "
               "mean |contribution| (ER points); permutation = held-out MSE increase, "
               "mean over CV folds; gain = forest total_gain"}};
}

}  // namespace

Json model_to_json(const TrainedModel& m) {
  Json consensus = Json::array();
  for (const auto& c : m.consensus) consensus.push_back(to_json(c));
  return Json{{"format", "rumi-model"},
              {"format_version", kModelFormatVersion},
              {"bucket", m.bucket},
              {"trained_at", m.trained_at ? Json(*m.trained_at) : Json(nullptr)},
              {"seed", m.seed},
              {"sample_size", m.sample_size},
              {"input_sha256", m.input_sha256},
              {"exploratory", m.exploratory},
              {"feature_schema", Json{{"version", m.schema_version}, {"sha256", m.schema_sha256}, {"names", m.names}}},
              {"scaler", to_json(m.scaler)},
              {"models", models_json(m)},
              {"cv", cv_json(m)},
              {"prediction_interval", Json{{"method", "forest out-of-fold residual quantiles 5%/95%"},
                                           {"residual_q05", json_number(quantile(m.cv.residuals, 0.05))},
                                           {"residual_q95", json_number(quantile(m.cv.residuals, 0.95))}}},
              {"importance", importance_json(m)},
              {"consensus", consensus},
              {"consensus_rule",
               "a feature group is model-backed when >= 2 of forest, tree, linear, clustering rank "
               "it in their top " +
                   std::to_string(m.top_k) +
                   " (forest: TreeSHAP and positive held-out permutation importance; tree: gain; "
                   "linear: |standardized coefficient|; clustering: |z| >= 0.5 in the highest-ER "
                   "cluster, which must hold >= 5 videos) with the same direction. Descriptive only: "
                   "evidence labels come from the patterns stage's out-of-sample checks"}};
}

ModelFile model_from_json(const Json& doc, std::string_view expected_sha, std::string_view file) {
  auto bad = [&](std::string_view field, const std::string& problem) {
    return InputError(file, "model", field, problem);
  };
  // Json::value() throws type_error when the key holds another type; these files are untrusted.
  auto text_or = [](const Json& o, const char* key, std::string fallback) {
    return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : fallback;
  };
  if (!doc.is_object() || text_or(doc, "format", "") != "rumi-model") throw bad("format", "not a rumi model file");
  if (!doc.contains("format_version") || !doc["format_version"].is_number_integer() ||
      doc["format_version"].get<int>() != kModelFormatVersion)
    throw bad("format_version",
              "unsupported version " + (doc.contains("format_version") ? doc["format_version"].dump() : "(missing)") +
                  ", this rumi reads version " + std::to_string(kModelFormatVersion) + "; retrain with `rumi train`");
  ModelFile m;
  m.doc = doc;
  m.bucket = text_or(doc, "bucket", "");
  m.exploratory = doc.contains("exploratory") && doc["exploratory"].is_boolean() && doc["exploratory"].get<bool>();
  const Json& schema = doc.contains("feature_schema") ? doc["feature_schema"] : Json();
  if (!schema.is_object() || !schema.contains("sha256") || !schema["sha256"].is_string() || !schema.contains("names") ||
      !schema["names"].is_array())
    throw bad("feature_schema", "missing sha256 or names");
  m.schema_sha256 = schema["sha256"].get<std::string>();
  m.schema_version = text_or(schema, "version", "");
  if (!expected_sha.empty() && m.schema_sha256 != expected_sha)
    throw bad("feature_schema.sha256", "model was trained on feature schema " + m.schema_sha256 +
                                           " but this rumi extracts schema " + std::string(expected_sha) +
                                           "; retrain with `rumi train`");
  for (const auto& n : schema["names"]) {
    if (!n.is_string()) throw bad("feature_schema.names", "non-string entry");
    m.names.push_back(n.get<std::string>());
  }
  if (m.names.empty()) throw bad("feature_schema.names", "empty");
  try {
    m.scaler = scaler_from_json(doc.at("scaler"), m.names.size());
    const Json& models = doc.at("models");
    const std::string forest_json = models.at("random_forest").at("xgboost").dump();
    auto booster = std::make_shared<Booster>(Booster::from_json(forest_json));
    if (booster->num_features() != m.names.size())
      throw bad("models.random_forest", "forest expects " + std::to_string(booster->num_features()) +
                                            " features, schema has " + std::to_string(m.names.size()));
    m.forest = std::move(booster);
    m.linear = linear_from_json(models.at("linear"), m.names);
    m.clustering = clustering_from_json(models.at("clustering"), m.names.size());
    const Json& pi = doc.at("prediction_interval");
    m.residual_q05 = pi.at("residual_q05").is_number() ? pi["residual_q05"].get<double>() : 0.0;
    m.residual_q95 = pi.at("residual_q95").is_number() ? pi["residual_q95"].get<double>() : 0.0;
  } catch (const InputError& e) {
    throw bad("models", e.what());  // name the model file, keep the inner field
  } catch (const Json::exception& e) {
    throw bad("models", std::string("malformed: ") + e.what());
  } catch (const Error& e) {
    throw bad("models", e.what());
  }
  return m;
}

ModelFile load_model_file(const std::filesystem::path& path, std::string_view expected_sha) {
  return model_from_json(read_json_file(path), expected_sha, path.string());
}

}  // namespace rumi::ml
