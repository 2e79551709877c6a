#pragma once
// The population a bucket's statistics describe (issue 17 point 6): every eligible video of the
// bucket as acquisition/selection.json (format 2) lists it, not the selected or analysed sample.
// Under the contrast design half the sample is the top by score, so averages over the sample
// would overstate the bucket; over the eligible list they are a census and need no weights.
//
// One reader and one summary, used by the training stage (performance_metrics.json) and by the
// bucket performance report, so both print the same numbers.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bucket.h"
#include "core/json.h"
#include "core/pattern.h"

namespace rumi {

struct EligibleVideo {
  std::string video_id;
  double er = 0;  // percent
  std::int64_t views = 0;
  std::string role;          // top / random / not_sampled
  bool outlier = false;      // flagged beyond k x IQR on ER or views (kept)
  double base_weight = 1.0;  // celebrity x outlier
};

// The bucket's eligible list; nullopt when the document predates format 2 (no list) or has no
// entry for the bucket. Throws InputError naming `file`, the record and the field on bad entries.
std::optional<std::vector<EligibleVideo>> eligible_videos(const Json& selection, Bucket b, std::string_view file);
// Reads <hashtag_dir>/acquisition/selection.json; nullopt when it is absent or predates format 2.
std::optional<std::vector<EligibleVideo>> read_eligible_videos(const std::filesystem::path& hashtag_dir, Bucket b);

// Unweighted ER summary (numpy conventions: sd with ddof = 1, linear percentiles): mean, median,
// sd, p90 and consistency = 1 / (1 + CV), scale-free so a 2 % and an 8 % bucket compare. NaN and
// infinite values are skipped; sample_size counts the rest; insufficient / exploratory follow
// kMinVideosForModel / kMinVideosForFullAnalysis on that count.
BucketPerformance describe_engagement(std::string bucket, std::span<const double> er_percent);

}  // namespace rumi
