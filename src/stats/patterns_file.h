#pragma once
// patterns_<bucket>.json (design "Patterns file", contract in docs/contracts.md) and the
// per-hashtag stage that produces it from bucket_<b>/features.csv and the selection's context.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/dataset.h"
#include "core/feature_info.h"
#include "core/json.h"
#include "stats/pattern_finder.h"

namespace rumi::stats {

inline constexpr int kPatternsFormatVersion = 2;

Json patterns_to_json(Bucket b, const BucketPatterns& result, const PatternOptions& opt);
void write_patterns_file(const std::filesystem::path& path, Bucket b, const BucketPatterns& result,
                         const PatternOptions& opt);
// Reads the labelled patterns back (InputError naming the file on a bad document).
std::vector<Pattern> read_patterns_file(const std::filesystem::path& path);

// The per-row context of a bucket from acquisition/selection.json: creators (for grouped folds)
// and the confounder covariates (log followers, age in days at selection, is_ad, is_sponsored).
// A missing selection file gives an empty context; a malformed one is an InputError.
BucketContext read_bucket_context(const std::filesystem::path& hashtag_dir, Bucket b, const Dataset& d);

struct BucketPatternSummary {
  Bucket bucket{};
  std::size_t sample_size = 0;
  int strong = 0, moderate = 0, emerging = 0;
  bool insufficient_data = false;  // < kMinVideosForModel videos: file written, no patterns
  std::size_t family_size = 0;
  bool exploratory = false;
  bool skill_passed = false;
  std::filesystem::path file;
};

struct PatternsSummary {
  std::vector<BucketPatternSummary> buckets;  // only buckets with a features.csv
};

// For every bucket_<b>/features.csv under hashtag_dir: find patterns and write
// bucket_<b>/patterns_<b>.json. opt.stream is replaced by "patterns/<bucket>" per bucket.
PatternsSummary find_patterns_for_hashtag(const std::filesystem::path& hashtag_dir,
                                          std::span<const FeatureInfo> catalog_info, const PatternOptions& opt);

}  // namespace rumi::stats
