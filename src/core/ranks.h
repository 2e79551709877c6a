#pragma once
// Average ranks (1-based; ties share the mean of their positions), as scipy.stats.rankdata's
// default. Shared by the rank tests (Mann-Whitney, rank-biserial) and Spearman grouping.
#include <span>
#include <vector>

namespace rumi {

std::vector<double> average_ranks(std::span<const double> v);

}  // namespace rumi
