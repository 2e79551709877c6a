#pragma once
// Prediction for one new video (rumi predict): the forest's ER, an interval from the forest's
// out-of-fold residuals, the nearest cluster, and the top SHAP reasons.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "ml/model_file.h"

namespace rumi::ml {

struct Prediction {
  double er = 0;
  double low = 0, high = 0;  // ~90 % interval: prediction + CV residual 5 % / 95 % quantiles
  int cluster = 0;
  double cluster_mean_er = 0;
  double baseline = 0;                                            // SHAP bias (training mean ER)
  std::vector<std::pair<std::string, double>> top_contributions;  // feature, SHAP value (ER points)
};

// features: raw values in the model's schema order (NaN = missing). InputError on a size mismatch.
Prediction predict(const ModelFile& model, std::span<const double> features, std::size_t top = 5);
Json to_json(const Prediction& p);

}  // namespace rumi::ml
