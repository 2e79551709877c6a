#pragma once
// Feature importance helpers. Correlated features (|Spearman| > 0.8) are grouped first, so two
// near-copies of the same signal are scored together instead of splitting credit arbitrarily.
#include <cstdint>
#include <span>

#include "core/ranks.h"
#include <vector>

#include "ml/matrix.h"
#include "ml/xgb.h"

namespace rumi::ml {

double pearson(std::span<const double> a, std::span<const double> b);  // 0 when either is constant
double spearman(std::span<const double> a, std::span<const double> b);

// Connected components of the graph |Spearman| > threshold; groups listed by smallest member,
// members ascending. Constant columns stay alone.
std::vector<std::vector<std::size_t>> correlation_groups(const Matrix& x, double threshold = 0.8);

// Increase in held-out MSE when a group's columns are shuffled together (one shuffle per group).
std::vector<double> permutation_importance(const Booster& model, const Matrix& test, std::span<const double> y,
                                           const std::vector<std::vector<std::size_t>>& groups, std::uint64_t seed,
                                           int nthread);

}  // namespace rumi::ml
