#pragma once
// Everything the report writers read, loaded once from the per-bucket files of one hashtag
// (patterns_<b>.json, performance_metrics.json, model_<b>.json) and acquisition/selection.json.
// Reports only ever see these aggregated findings, never raw video data.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/pattern.h"
#include "report/pattern_validation.h"

namespace rumi::report {

struct BucketInputs {
  Bucket bucket{};
  int sample_size = 0;
  bool insufficient = false;   // < kMinVideosForModel videos (from either file)
  bool exploratory = false;    // 20-29 videos
  bool has_patterns_file = false;
  std::vector<Pattern> patterns;  // labelled patterns, strongest first (file order)
  std::optional<BucketPerformance> performance;
  std::vector<std::string> tree_rules;  // models.decision_tree.rules, as written by training
  std::optional<double> cv_r2;
  std::vector<std::string> example_urls;  // selected videos in rank order (https only)
  std::vector<Pattern> rejected;          // labelled but rejected by controlled tests (not advice)
  PatternValidations validations;         // the hashtag's test results, for the labels
};

struct HashtagInputs {
  std::filesystem::path dir;
  std::vector<BucketInputs> buckets;  // buckets with at least one input file, in bucket order
  PatternValidations validations;
  const BucketInputs* find(Bucket b) const;
};

// Throws InputError (naming the file) on a malformed document; missing files are allowed.
HashtagInputs load_hashtag_inputs(const std::filesystem::path& hashtag_dir);

// Moves patterns that controlled tests rejected out of `patterns` into `rejected` (so no guide's
// "what works" and no strategy uses them) and hands every bucket the validations for its labels.
void apply_pattern_validations(HashtagInputs& in, const PatternValidations& v);

}  // namespace rumi::report
