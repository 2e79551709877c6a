#pragma once
// Small helpers shared by the micro-benchmarks: deterministic data and peak memory.
#include <sys/resource.h>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "core/rng.h"

namespace rumi::bench {

// Peak resident set of the process so far, as a benchmark counter (MiB).
inline void report_peak_rss(benchmark::State& state) {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Row-major n x p features with a planted signal in the first 5 columns, and the target.
struct SyntheticBucket {
  std::size_t n = 0, p = 0;
  std::vector<double> x, y, w;
};

inline SyntheticBucket synthetic_bucket(std::size_t n, std::size_t p, std::uint64_t seed = 42) {
  Rng rng = make_rng(seed, "bench-bucket");
  SyntheticBucket b{n, p, std::vector<double>(n * p), std::vector<double>(n), std::vector<double>(n, 1.0)};
  for (std::size_t i = 0; i < n; ++i) {
    double signal = 0;
    for (std::size_t j = 0; j < p; ++j) {
      const double v = uniform01(rng) * 10;
      b.x[i * p + j] = v;
      if (j < 5) signal += 0.3 * v;
    }
    b.y[i] = 2 + signal + 2 * uniform01(rng);
  }
  return b;
}

}  // namespace rumi::bench
