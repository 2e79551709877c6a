#include "ml/predict.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace rumi::ml {

Prediction predict(const ModelFile& m, std::span<const double> features, std::size_t top) {
  const std::size_t p = m.names.size();
  if (features.size() != p)
    throw InputError("features", "video", "",
                     "got " + std::to_string(features.size()) + " values, model expects " + std::to_string(p));
  if (!m.forest) throw Error("model has no forest loaded");
  const auto scaled = m.scaler.transform_row(features);
  Matrix row(1, static_cast<Eigen::Index>(p));
  for (std::size_t c = 0; c < p; ++c) row(0, static_cast<Eigen::Index>(c)) = scaled[c];
  const DMatrix d(row, 1);
  Prediction out;
  out.er = m.forest->predict(d).at(0);
  const auto contrib = m.forest->contributions(d);
  out.baseline = contrib.at(p);
  out.low = out.er + m.residual_q05;
  out.high = out.er + m.residual_q95;
  out.cluster = m.clustering.nearest(scaled);
  for (const auto& prof : m.clustering.profiles)
    if (prof.id == out.cluster) out.cluster_mean_er = prof.mean_er;
  std::vector<std::size_t> order(p);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return std::abs(contrib[a]) > std::abs(contrib[b]); });
  for (std::size_t i = 0; i < std::min(top, p); ++i)
    if (contrib[order[i]] != 0) out.top_contributions.emplace_back(m.names[order[i]], contrib[order[i]]);
  return out;
}

Json to_json(const Prediction& p) {
  Json reasons = Json::array();
  for (const auto& [name, v] : p.top_contributions)
    reasons.push_back(Json{{"feature", name}, {"shap", json_number(v)}});
  return Json{{"predicted_er", json_number(p.er)},
              {"interval", Json::array({json_number(p.low), json_number(p.high)})},
              {"interval_method", "forest out-of-fold residual quantiles (5%, 95%)"},
              {"nearest_cluster", p.cluster},
              {"cluster_mean_er", json_number(p.cluster_mean_er)},
              {"baseline_er", json_number(p.baseline)},
              {"top_reasons", reasons}};
}

}  // namespace rumi::ml
