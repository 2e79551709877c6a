#include "ml/model_file.h"

#include "core/error.h"
#include "core/file_io.h"

namespace rumi::ml {

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
    throw bad("format_version", "unsupported version " + (doc.contains("format_version") ? doc["format_version"].dump() : "(missing)") +
                                    ", this rumi reads version " + std::to_string(kModelFormatVersion) +
                                    "; retrain with `rumi train`");
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
