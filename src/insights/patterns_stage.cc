#include "insights/patterns_stage.h"

#include "features/feature_catalog.h"
#include "insights/pattern_phrase.h"

namespace rumi::insights {

stats::PatternsSummary run_patterns_stage(const std::filesystem::path& hashtag_dir,
                                          std::span<const FeatureInfo> catalog_info, stats::PatternOptions opt,
                                          std::string hashtag) {
  if (hashtag.empty()) hashtag = std::filesystem::absolute(hashtag_dir).lexically_normal().filename().string();
  opt.elements.known_duplicates = features::known_duplicate_columns();
  opt.elements.not_creative = features::non_creative_columns();
  stats::PatternsSummary all;
  // One bucket at a time so each phrase names its own bucket.
  for (Bucket b : kAllBuckets) {
    stats::PatternOptions bucket_opt = opt;
    bucket_opt.phrase = [b, hashtag](const Pattern& p, const FeatureInfo& info) {
      return pattern_phrase(p, info, b, hashtag);
    };
    bucket_opt.only_bucket = b;
    stats::PatternsSummary s = stats::find_patterns_for_hashtag(hashtag_dir, catalog_info, bucket_opt);
    for (auto& e : s.buckets) all.buckets.push_back(std::move(e));
  }
  return all;
}

}  // namespace rumi::insights
