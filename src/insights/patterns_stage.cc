#include "insights/patterns_stage.h"

#include <exception>
#include <vector>

#include "core/parallel.h"
#include "features/feature_catalog.h"
#include "insights/pattern_phrase.h"

namespace rumi::insights {

stats::PatternsSummary run_patterns_stage(const std::filesystem::path& hashtag_dir,
                                          std::span<const FeatureInfo> catalog_info, stats::PatternOptions opt,
                                          std::string hashtag, int threads) {
  if (hashtag.empty()) hashtag = std::filesystem::absolute(hashtag_dir).lexically_normal().filename().string();
  opt.elements.known_duplicates = features::known_duplicate_columns();
  opt.elements.not_creative = features::non_creative_columns();
  // One job per bucket so each phrase names its own bucket; every job writes only its slot.
  const std::size_t n = std::size(kAllBuckets);
  std::vector<stats::PatternsSummary> per_bucket(n);
  std::vector<std::exception_ptr> errors(n);
  parallel_for(n, threads, [&](std::size_t i) {
    const Bucket b = kAllBuckets[i];
    try {
      stats::PatternOptions bucket_opt = opt;
      bucket_opt.phrase = [b, &hashtag](const Pattern& p, const FeatureInfo& info) {
        return pattern_phrase(p, info, b, hashtag);
      };
      bucket_opt.only_bucket = b;
      per_bucket[i] = stats::find_patterns_for_hashtag(hashtag_dir, catalog_info, bucket_opt);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  stats::PatternsSummary all;
  for (auto& s : per_bucket)
    for (auto& e : s.buckets) all.buckets.push_back(std::move(e));
  return all;
}

}  // namespace rumi::insights
