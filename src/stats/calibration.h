#pragma once
// The calibration harness: runs the real evidence engine (analyze_patterns) on replicate
// buckets drawn from a feature pool and counts what it claims, beside a plain per-bucket
// Spearman + Benjamini-Hochberg analysis of every column on the same replicates.
//
// A replicate samples n videos from the pool without replacement and draws ER:
//   log ER = log 5 + 0.45 * (a * z + sqrt(1 - a^2) * e),  e ~ N(0, 1)
// 0.45 is the within-creator SD of log ER in the real Apify export. Pure noise: a = 0. Planted:
// z = normal scores of one planted column's ranks in the replicate (missing -> 0) and
// a = 2 sin(pi rho / 6), so Spearman(planted column, ER) is rho for bivariate-normal data.
// The planted column rotates over `planted_columns` across replicates.
//
// Truth: a column "derives from the planted latent" when its |Spearman| with the planted column
// over the whole pool is >= derived_min_abs_rho (0.3). A STRONG/MODERATE element is true when any
// of its columns derives, and found in the right direction when the sign of its effect matches
// the sign of its representative's pool correlation with the planted column. Every other
// STRONG/MODERATE element is a false claim. Plain Spearman + BH finds the effect when any
// derived column has q < 0.05 with the right sign.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/feature_info.h"
#include "stats/pattern_finder.h"

namespace rumi::stats {

struct CalibrationCell {
  std::size_t n = 50;
  double rho = 0;  // 0: pure noise
  int replicates = 200;
};

struct CalibrationOptions {
  std::uint64_t seed = kDefaultSeed;
  std::vector<std::string> planted_columns;
  double derived_min_abs_rho = 0.3;
  // Noise cells only: instead of drawing ER from the model above, permute the pool's own target
  // values across the sampled videos (a real export with ER shuffled).
  bool shuffle_pool_er = false;
  PatternOptions patterns;  // passed to analyze_patterns (stream replaced per replicate)
};

struct CalibrationTally {
  CalibrationCell cell;
  int buckets_with_claim = 0;  // replicates with any STRONG/MODERATE element
  int claims = 0, false_claims = 0, strong_claims = 0;
  int plain_buckets_with_claim = 0, plain_false_columns = 0;
  std::vector<int> rumi_found, plain_found;  // per replicate: planted effect found (0/1)
  double rumi_power() const;
  double plain_power() const;
  double paired_se() const;    // SE of the mean paired difference rumi - plain
  double false_share() const;  // pooled: false_claims / claims (0 when no claims)
  double fdp_sum = 0;          // sum over replicates of false / claims (0 without claims)
  double fdr() const;          // mean false-discovery proportion per bucket (what BH controls)
};

CalibrationTally run_calibration_cell(const Dataset& pool, std::span<const FeatureInfo> info,
                                      const CalibrationCell& cell, const CalibrationOptions& opt);

}  // namespace rumi::stats
