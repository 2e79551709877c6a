#pragma once
// Pattern discovery for one bucket: which features separate the top ER tier from the rest,
// with the seed's sequential validation (differential test -> model agreement -> lift) and
// sample-size-adjusted significance thresholds applied to multiple-testing-adjusted q-values.
// Every evidence label is computed from these numbers; nothing is hand-set.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/dataset.h"
#include "core/feature_info.h"
#include "core/pattern.h"
#include "core/rng.h"
#include "stats/bootstrap.h"
#include "stats/multiple_testing.h"
#include "stats/tiers.h"

namespace rumi::stats {

// The seed's thresholds (spec 5.7): >= 80 videos 0.01 / 0.05 / 0.10, 40-79 videos
// 0.05 / 0.10 / 0.15, fewer 0.10 / 0.15 / 0.20; compared with q (adjusted p).
struct SignificanceThresholds {
  double high = 0.01, moderate = 0.05, preliminary = 0.10;
};
SignificanceThresholds thresholds_for_sample_size(std::size_t n);

struct PatternOptions {
  std::uint64_t seed = kDefaultSeed;
  Correction correction = Correction::benjamini_hochberg;
  int bootstrap_resamples = kDefaultBootstrapResamples;
  double min_abs_lift = 0.15;            // seed: < 15 % improvement is negligible
  double min_top_consistency = 0.30;     // seed: shown by > 30 % of top-tier videos
  std::size_t min_agreeing_models = 2;   // STRONG needs this many training models on the same sign
  bool continuous_p_from_welch = false;  // default p for continuous features is Mann-Whitney
  std::string stream = "patterns";       // RNG stream prefix (the bucket name is a good choice)
  // Optional: fills Pattern::phrase (insights::pattern_phrase). Stats cannot depend on insights.
  std::function<std::string(const Pattern&, const FeatureInfo&)> phrase;
  // find_patterns_for_hashtag: process only this bucket (all buckets when unset).
  std::optional<Bucket> only_bucket;
};

struct BucketPatterns {
  std::vector<Pattern> patterns;      // labelled STRONG / MODERATE / EMERGING, strongest first
  std::vector<Pattern> all_features;  // every feature, same order rule, evidence NONE included
  SignificanceThresholds thresholds;
  TierSplit tiers;
  std::size_t sample_size = 0;
};

BucketPatterns analyze_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                std::span<const ConsensusFeature> consensus, const PatternOptions& opt);

// The labelled patterns only (analyze_patterns(...).patterns).
std::vector<Pattern> find_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                   std::span<const ConsensusFeature> consensus, const PatternOptions& opt);

// Strongest first: evidence, then q, then |effect size|, then feature name.
bool stronger_pattern(const Pattern& a, const Pattern& b);

}  // namespace rumi::stats
