#pragma once
// Tests for binary and categorical features, matching scipy 1.10: chi2_contingency (Yates'
// continuity correction when dof == 1, as scipy does by default), fisher_exact (two-sided),
// and the pooled two-proportion z-test used for flags.
//
// As for the two-sample tests, degenerate tables (a zero row/column, which scipy refuses with
// ValueError for chi-square and answers p = 1 for Fisher) give p = 1 and defined = false.
#include <cstdint>
#include <span>
#include <vector>

#include "stats/two_sample_tests.h"

namespace rumi::stats {

// table: rows x cols counts, row-major.
TestResult chi_square_contingency(std::span<const double> table, std::size_t rows, std::size_t cols,
                                  bool yates_correction = true);
// Expected counts under independence, row-major (NaN-free; zero when the total is zero).
std::vector<double> expected_counts(std::span<const double> table, std::size_t rows, std::size_t cols);

// [[a, b], [c, d]]
TestResult fisher_exact_2x2(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d);

// successes k1 of n1 vs k2 of n2; statistic = z of p1 - p2 with the pooled standard error.
TestResult two_proportion_z(std::int64_t k1, std::int64_t n1, std::int64_t k2, std::int64_t n2);

// The rule the pattern finder uses for a 2x2 presence table: Fisher's exact when any expected
// count is below 5 (chi-square's approximation is unreliable there), else chi-square (Yates).
TestResult presence_test_2x2(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d);

}  // namespace rumi::stats
