#pragma once
// Seeded percentile bootstrap of the lift (top - rest) / |rest|: each resample draws the top
// and the rest groups separately with replacement (stratified, so group sizes stay fixed).
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace rumi::stats {

inline constexpr int kDefaultBootstrapResamples = 1000;
// |rest| below this is "zero": the lift is then capped instead of dividing by ~0.
inline constexpr double kLiftZeroGuard = 1e-9;
inline constexpr double kLiftCap = 10.0;  // +-1000 %

// (top - rest) / |rest|, capped at +-kLiftCap; 0 when both are ~0.
double lift(double top_mean, double rest_mean);

// 2.5 / 97.5 percentiles of the bootstrap lift distribution; {0, 0} for empty groups.
std::array<double, 2> bootstrap_lift_ci(std::span<const double> top, std::span<const double> rest,
                                        std::uint64_t seed, std::string_view stream, int resamples);

}  // namespace rumi::stats
