#pragma once
// Ridge regression. With ~430 features and 20-250 videos ordinary least squares is singular
// (p >= n), so the penalty is not optional; it is chosen by inner cross-validation on a log grid.
// Coefficients are reported on standardized features so their sizes are comparable.
#include <cstdint>
#include <span>
#include <vector>

#include "core/json.h"
#include "ml/matrix.h"

namespace rumi::ml {

struct RidgeFit {
  std::vector<double> coef;
  double intercept = 0;
  double alpha = 0;
};

// Weighted ridge with an unpenalized intercept (same objective as sklearn Ridge with sample_weight):
// min sum_i w_i (y_i - b - x_i.beta)^2 + alpha |beta|^2.
RidgeFit fit_ridge(const Matrix& x, std::span<const double> y, std::span<const double> w, double alpha);

std::vector<double> ridge_alpha_grid();  // 10^-2 .. 10^4, half-decade steps

// Linear model of the ensemble: z-score standardization (on the scaled features it is given),
// then ridge with alpha picked by inner k-fold CV (mean squared error).
struct LinearModel {
  std::vector<double> mean, std;  // standardization (std 1 for constant columns)
  RidgeFit ridge;                 // coefficients on standardized features
  std::vector<double> cv_mse;     // inner-CV MSE per grid alpha
  bool ols_singular = false;      // p >= n
  double predict(std::span<const double> scaled_row) const;
};

LinearModel fit_linear(const Matrix& x, std::span<const double> y, std::span<const double> w, std::uint64_t seed);
std::vector<double> predict_linear(const LinearModel& m, const Matrix& x);

Json to_json(const LinearModel& m, std::span<const std::string> names);
LinearModel linear_from_json(const Json& j, std::span<const std::string> names);

}  // namespace rumi::ml
