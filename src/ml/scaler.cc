#include "ml/scaler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace rumi::ml {

double quantile(std::vector<double> values, double q) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
}

RobustScaler RobustScaler::fit(const Matrix& x) {
  RobustScaler s;
  const auto cols = static_cast<std::size_t>(x.cols());
  s.center.assign(cols, 0.0);
  s.scale.assign(cols, 1.0);
  std::vector<double> col(static_cast<std::size_t>(x.rows()));
  for (std::size_t c = 0; c < cols; ++c) {
    for (Eigen::Index r = 0; r < x.rows(); ++r) col[static_cast<std::size_t>(r)] = x(r, static_cast<Eigen::Index>(c));
    const double med = quantile(col, 0.5);
    if (std::isnan(med)) continue;
    s.center[c] = med;
    const double iqr = quantile(col, 0.75) - quantile(col, 0.25);
    if (iqr > 1e-12 && std::isfinite(iqr)) s.scale[c] = iqr;
  }
  return s;
}

std::vector<double> RobustScaler::transform_row(std::span<const double> row) const {
  std::vector<double> out(row.size());
  for (std::size_t c = 0; c < row.size(); ++c) out[c] = std::isfinite(row[c]) ? (row[c] - center[c]) / scale[c] : 0.0;
  return out;
}

Matrix RobustScaler::transform(const Matrix& x) const {
  Matrix out(x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
      const double v = x(r, c);
      const auto cc = static_cast<std::size_t>(c);
      out(r, c) = std::isfinite(v) ? (v - center[cc]) / scale[cc] : 0.0;
    }
  return out;
}

Json to_json(const RobustScaler& s) {
  Json center = Json::array(), scale = Json::array();
  for (double v : s.center) center.push_back(json_number(v));
  for (double v : s.scale) scale.push_back(json_number(v));
  return Json{{"kind", "robust"}, {"center", center}, {"scale", scale}};
}

RobustScaler scaler_from_json(const Json& j, std::size_t expected_cols) {
  auto read = [&](const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_array() || j[key].size() != expected_cols)
      throw InputError("", "scaler", key, "expected an array of " + std::to_string(expected_cols) + " numbers");
    std::vector<double> v;
    for (const auto& e : j[key]) {
      if (!e.is_number()) throw InputError("", "scaler", key, "non-numeric entry");
      v.push_back(e.get<double>());
    }
    return v;
  };
  RobustScaler s{read("center"), read("scale")};
  for (double v : s.scale)
    if (!(v > 0) || !std::isfinite(v)) throw InputError("", "scaler", "scale", "entries must be positive");
  return s;
}

}  // namespace rumi::ml
