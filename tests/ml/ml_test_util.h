#pragma once
// Synthetic datasets with planted effects for the ml tests.
#include <cmath>
#include <string>

#include "core/dataset.h"
#include "core/rng.h"

namespace rumi::ml::test {

inline double normal(Rng& rng) { return standard_normal(rng); }

// er = 5 + up_effect * planted_up - down_effect * planted_down + N(0, noise); the rest is noise.
inline Dataset planted_dataset(std::size_t n, std::size_t noise_cols, std::uint64_t seed, double up_effect = 2.0,
                               double down_effect = 1.5, double noise = 0.5) {
  Dataset d;
  d.feature_names = {"planted_up", "planted_down"};
  for (std::size_t c = 0; c < noise_cols; ++c) d.feature_names.push_back("noise_" + std::to_string(c));
  Rng rng = make_rng(seed, "test-data");
  std::vector<double> row(d.feature_names.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& v : row) v = normal(rng);
    const double er = 5 + up_effect * row[0] - down_effect * row[1] + noise * normal(rng);
    d.add_row(std::to_string(7000000000000000000ULL + i), i % 7 == 0 ? 0.5 : 1.0, er, row);
  }
  return d;
}

}  // namespace rumi::ml::test
