#include "stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.h"
#include "stats/descriptive.h"

namespace rumi::stats {

double lift(double top_mean, double rest_mean) {
  if (!std::isfinite(top_mean) || !std::isfinite(rest_mean)) return 0;
  const double diff = top_mean - rest_mean;
  if (std::fabs(rest_mean) < kLiftZeroGuard) {
    if (std::fabs(diff) < kLiftZeroGuard) return 0;
    return diff > 0 ? kLiftCap : -kLiftCap;
  }
  return std::clamp(diff / std::fabs(rest_mean), -kLiftCap, kLiftCap);
}

std::array<double, 2> bootstrap_lift_ci(std::span<const double> top, std::span<const double> rest,
                                        std::uint64_t seed, std::string_view stream, int resamples) {
  if (top.empty() || rest.empty() || resamples <= 0) return {0, 0};
  Rng rng = make_rng(seed, stream);
  std::vector<double> lifts(static_cast<std::size_t>(resamples));
  for (double& l : lifts) {
    double st = 0, sr = 0;
    for (std::size_t i = 0; i < top.size(); ++i) st += top[uniform_index(rng, top.size())];
    for (std::size_t i = 0; i < rest.size(); ++i) sr += rest[uniform_index(rng, rest.size())];
    l = lift(st / static_cast<double>(top.size()), sr / static_cast<double>(rest.size()));
  }
  return {percentile(lifts, 0.025), percentile(lifts, 0.975)};
}

}  // namespace rumi::stats
