#pragma once
// patterns_<bucket>.json (design "Patterns file", contract in docs/contracts.md) and the
// per-hashtag stage that produces it from bucket_<b>/features.csv and the training consensus.
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

inline constexpr int kPatternsFormatVersion = 1;

Json patterns_to_json(Bucket b, const BucketPatterns& result, const PatternOptions& opt);
void write_patterns_file(const std::filesystem::path& path, Bucket b, const BucketPatterns& result,
                         const PatternOptions& opt);
// Reads the labelled patterns back (InputError naming the file on a bad document).
std::vector<Pattern> read_patterns_file(const std::filesystem::path& path);

// The "consensus" key of model_<b>.json: [{feature, sign, models, importance}]. A missing file
// or key means no model support (so nothing can be STRONG); a malformed one is an InputError.
std::vector<ConsensusFeature> read_consensus(const std::filesystem::path& model_file);

// Training reports consensus per group of strongly correlated features (model file
// importance.correlated_groups), named by one representative. Every other member inherits the
// representative's models, with the sign flipped when it is negatively correlated with the
// representative in `d`, so a pattern on any member can be backed by the models.
std::vector<ConsensusFeature> expand_consensus_groups(std::vector<ConsensusFeature> consensus,
                                                      const std::vector<std::vector<std::string>>& groups,
                                                      const Dataset& d);
std::vector<std::vector<std::string>> read_correlated_groups(const std::filesystem::path& model_file);

struct BucketPatternSummary {
  Bucket bucket{};
  std::size_t sample_size = 0;
  int strong = 0, moderate = 0, emerging = 0;
  bool insufficient_data = false;  // < kMinVideosForModel videos: file written, no patterns
  bool had_consensus = false;
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
