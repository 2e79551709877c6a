#pragma once
// The dense row-major matrix every ml component works on (rows = videos, cols = features).
// Row-major so a row is a contiguous feature vector, matching Dataset::x and XGBoost's input.
#include <Eigen/Dense>
#include <cstddef>
#include <span>
#include <vector>

#include "core/dataset.h"

namespace rumi::ml {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

inline Matrix to_matrix(const Dataset& d) {
  Matrix m(static_cast<Eigen::Index>(d.rows()), static_cast<Eigen::Index>(d.cols()));
  for (std::size_t i = 0; i < d.x.size(); ++i) m.data()[i] = d.x[i];
  return m;
}

// The rows at `idx`, in that order (duplicates allowed: bootstrap samples).
inline Matrix take_rows(const Matrix& m, std::span<const std::size_t> idx) {
  Matrix out(static_cast<Eigen::Index>(idx.size()), m.cols());
  for (std::size_t i = 0; i < idx.size(); ++i)
    out.row(static_cast<Eigen::Index>(i)) = m.row(static_cast<Eigen::Index>(idx[i]));
  return out;
}

inline std::vector<double> take(std::span<const double> v, std::span<const std::size_t> idx) {
  std::vector<double> out;
  out.reserve(idx.size());
  for (std::size_t i : idx) out.push_back(v[i]);
  return out;
}

}  // namespace rumi::ml
