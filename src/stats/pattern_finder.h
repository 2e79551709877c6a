#pragma once
// The evidence engine for one bucket: which creative elements go with higher engagement, with
// evidence a careful analyst would sign. Rules, in order (docs/evidence.md says why):
//
//   1. Elements, not columns (stats/elements.h): columns that measure the same thing are
//      grouped without looking at ER; each element is tested once, through its representative.
//   2. One pre-declared test per element against ER over all the bucket's videos, unweighted
//      (selection and weights depend only on ER and creator size, so p-values stay valid):
//      numeric elements Spearman's rho; presence flags and one-hot categories ER with vs
//      without (Mann-Whitney U, scipy's 'auto').
//   3. Benjamini-Hochberg over the elements of the bucket (the family size is recorded).
//   4. One evidence scale at every sample size:
//        STRONG    q < 0.05 and confirmed out of sample: the bucket's forest beats chance
//                  (permutation p < 0.05, stats/skill.h) and the element's out-of-fold
//                  permutation importance is > 0 in >= 90 % of repeated-CV repeats;
//        MODERATE  q < 0.05;
//        EMERGING  q < 0.20: a hypothesis to test, never a strategy or a paid test;
//      buckets of 20-29 videos are exploratory and get at most MODERATE; under 20 videos
//      nothing is labelled. No label ever comes from an uncorrected p-value.
//   5. Effect sizes that mean what they say, for every labelled element: the cross-fitted
//      engagement lift with a BCa interval (stats/engagement_lift.h), prevalence among the top
//      tier and the others, typical values in the element's own unit, all weighted with Kish n.
//   6. Sensitivity: each labelled element's test rerun adjusted for creator size, video age and
//      paid promotion (stats/confounders.h); "vanishes after adjustment" when it does not hold.
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
#include "stats/confounders.h"
#include "stats/elements.h"
#include "stats/multiple_testing.h"
#include "stats/skill.h"
#include "stats/tiers.h"

namespace rumi::stats {

inline constexpr double kQModerate = 0.05;
inline constexpr double kQEmerging = 0.20;
inline constexpr double kSkillAlpha = 0.05;
inline constexpr double kMinImportanceShare = 0.9;
inline constexpr std::size_t kMinConfirmedVideos = 30;  // below: exploratory, at most MODERATE

struct PatternOptions {
  std::uint64_t seed = kDefaultSeed;
  Correction correction = Correction::benjamini_hochberg;
  int bootstrap_resamples = kDefaultBootstrapResamples;
  int lift_folds = 5;
  SkillOptions skill;
  ElementOptions elements;
  // The calibration harness switches these off: neither changes which elements are STRONG or
  // MODERATE taken together, only the STRONG/MODERATE split and the effect-size fields.
  bool confirm_out_of_sample = true;
  bool effect_sizes = true;
  std::string stream = "patterns";  // RNG stream prefix (the bucket name is a good choice)
  // Optional: fills Pattern::phrase (insights::pattern_phrase). Stats cannot depend on insights.
  std::function<std::string(const Pattern&, const FeatureInfo&)> phrase;
  // find_patterns_for_hashtag: process only this bucket (all buckets when unset).
  std::optional<Bucket> only_bucket;
};

// Per-row facts beyond the feature matrix, from the selection (all optional).
struct BucketContext {
  std::vector<std::string> creators;  // one per dataset row: folds are grouped by creator
  std::vector<Covariate> covariates;  // followers_log, age_days, is_ad, is_sponsored
};

struct SkillSummary {
  bool run = false;
  std::string reason;  // why it did not run, or empty
  double skill = 0, p_value = 1;
  int permutations = 0, repeats = 0;
  std::size_t elements = 0;
  bool passed = false;  // p < kSkillAlpha
};

struct BucketPatterns {
  std::vector<Pattern> patterns;                              // STRONG / MODERATE / EMERGING, strongest first
  std::vector<Pattern> all_elements;                          // every tested element, same order rule, NONE included
  std::vector<std::pair<std::string, std::string>> untested;  // column, reason
  TierSplit tiers;
  std::size_t sample_size = 0;
  std::size_t family_size = 0;     // elements entering the correction
  std::size_t columns_tested = 0;  // columns inside those elements
  bool exploratory = false;        // 20-29 videos
  bool insufficient = false;       // < 20 videos: nothing labelled
  SkillSummary skill;
};

BucketPatterns analyze_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                const BucketContext& context, const PatternOptions& opt);

// The labelled patterns only (analyze_patterns(...).patterns).
std::vector<Pattern> find_patterns(const Dataset& d, std::span<const FeatureInfo> catalog_info,
                                   const BucketContext& context, const PatternOptions& opt);

// Strongest first: evidence, then q, then |effect size|, then feature name.
bool stronger_pattern(const Pattern& a, const Pattern& b);

}  // namespace rumi::stats
