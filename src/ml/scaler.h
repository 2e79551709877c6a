#pragma once
// Robust scaling (median / IQR) so one viral outlier value does not squash a feature. Fitted on
// training folds only; missing values (NaN) become the training median, i.e. 0 after scaling.
#include <span>
#include <vector>

#include "core/json.h"
#include "ml/matrix.h"

namespace rumi::ml {

struct RobustScaler {
  std::vector<double> center;  // median per column (0 when the column is all missing)
  std::vector<double> scale;   // IQR per column; 1 when the IQR is 0 (constant or mostly-one-value)

  static RobustScaler fit(const Matrix& x);
  Matrix transform(const Matrix& x) const;
  std::vector<double> transform_row(std::span<const double> row) const;
  // Scaled value back to the original unit (for readable tree thresholds).
  double inverse(std::size_t col, double scaled) const { return scaled * scale[col] + center[col]; }
};

// Quantile with linear interpolation between order statistics (numpy's default), NaN ignored.
// Returns NaN when no finite value exists.
double quantile(std::vector<double> values, double q);

Json to_json(const RobustScaler& s);
RobustScaler scaler_from_json(const Json& j, std::size_t expected_cols);  // InputError on bad shape

}  // namespace rumi::ml
