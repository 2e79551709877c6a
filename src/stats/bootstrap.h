#pragma once
// Seeded percentile bootstrap of the lift (top - rest) / |rest|: each resample draws the top
// and the rest groups separately with replacement (stratified, so group sizes stay fixed).
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace rumi::stats {

inline constexpr int kDefaultBootstrapResamples = 1000;
// |rest| below this is "zero": the lift is then capped instead of dividing by ~0.
inline constexpr double kLiftZeroGuard = 1e-9;
inline constexpr double kLiftCap = 10.0;  // +-1000 %

// (top - rest) / |rest|, capped at +-kLiftCap; 0 when both are ~0.
double lift(double top_mean, double rest_mean);

// 2.5 / 97.5 percentiles of the bootstrap lift distribution; {0, 0} for empty groups.
std::array<double, 2> bootstrap_lift_ci(std::span<const double> top, std::span<const double> rest, std::uint64_t seed,
                                        std::string_view stream, int resamples);

// weighted_median(values[idx], weights[idx]) of a resample given as an index multiset into fixed
// (value, weight) data, without copying or sorting the resample: the data are sorted once, and a
// resample only counts how often each row was drawn and walks the rows in sorted order. The
// bootstrap and the jackknife evaluate the statistic ~1000 + n times per group, so this turns
// an O(m log m) sort with four allocations per call into one O(n + m) pass. The result is the
// same number as weighted_median's: the total is summed in draw order as there, and the walk
// applies the same half-weight and midpoint rules (rows with equal values may be summed in
// another order, which changes the cumulative weight by rounding only, well inside the
// relative tolerance of 1e-12 that decides the midpoint rule). Not thread-safe (scratch
// counts); use one per thread.
class ResampledWeightedMedian {
 public:
  ResampledWeightedMedian(std::span<const double> values, std::span<const double> weights);
  double operator()(std::span<const std::size_t> idx);

 private:
  std::vector<double> sorted_values_, sorted_weights_;
  std::vector<std::size_t> rank_;     // row -> position in sorted order
  std::vector<std::uint32_t> count_;  // per sorted position: draws in the current resample
};

}  // namespace rumi::stats
