#pragma once
// Feature importance helpers. Correlated features (|Spearman| > 0.8) are grouped first, so two
// near-copies of the same signal are scored together instead of splitting credit arbitrarily;
// the groups are then scored by permutation importance (ml/permutation_importance.h, the one
// home of that definition).
#include <span>
#include <vector>

#include "core/ranks.h"
#include "ml/matrix.h"
#include "ml/permutation_importance.h"

namespace rumi::ml {

double pearson(std::span<const double> a, std::span<const double> b);  // 0 when either is constant
double spearman(std::span<const double> a, std::span<const double> b);

// Connected components of the graph |Spearman| > threshold; groups listed by smallest member,
// members ascending. Constant columns stay alone.
std::vector<std::vector<std::size_t>> correlation_groups(const Matrix& x, double threshold = 0.8);

}  // namespace rumi::ml
