#pragma once
// Writing model_<bucket>.json from a trained model, and reading it back for prediction. Model files may come from
// elsewhere (copied workspaces, older versions), so the version, schema hash and every size are checked first.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "ml/kmeans.h"
#include "ml/ridge.h"
#include "ml/scaler.h"
#include "ml/trained_model.h"
#include "ml/xgb.h"

namespace rumi::ml {

inline constexpr int kModelFormatVersion = 1;

struct ModelFile {
  std::string bucket;
  std::string schema_version, schema_sha256;
  std::vector<std::string> names;
  RobustScaler scaler;
  std::shared_ptr<const Booster> forest;
  LinearModel linear;
  Clustering clustering;
  double residual_q05 = 0, residual_q95 = 0;  // forest out-of-fold residual quantiles
  bool exploratory = false;
  Json doc;  // the whole document
};

// The whole document: provenance, schema, scaler, every model, held-out scores, prediction
// interval, importance ranking and consensus. Deterministic for a given model (no clock).
Json model_to_json(const TrainedModel& model);

// expected_schema_sha256 empty = accept any schema. InputError on a wrong format / version /
// schema hash / inconsistent sizes, naming the file.
ModelFile model_from_json(const Json& doc, std::string_view expected_schema_sha256, std::string_view file_for_errors);
ModelFile load_model_file(const std::filesystem::path& path, std::string_view expected_schema_sha256);

}  // namespace rumi::ml
