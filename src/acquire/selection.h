#pragma once
// Choosing which videos to analyse, per duration bucket (design "Units and rules"). A pure
// function of the videos, the config and "now", so the pipeline, the CLI and the benchmark all
// get the same answer, and every exclusion carries a reason a person can check.
//
// Order of rules per video: duration (too_long, slideshow_or_no_duration), no_views,
// before_min_date, low_views, low_engagement; videos in a bucket that is not a configured
// segment get bucket_not_configured. Then, per bucket (not per hashtag: a 90 s video's ER is
// not comparable with a 10 s one's), IQR fences [Q1 - k*IQR, Q3 + k*IQR] (numpy's linear
// quantiles) are computed on the survivors' ER and views together; outside the ER fence ->
// er_outlier, else outside the views fence -> views_outlier. Fences need >= 4 videos.
// Score = ER * (1 + share_boost * shares / (likes + comments + shares)): shares are the
// strongest signal of content people pass on, so they tilt ties between similar ERs.
// Top videos_per_segment by score (ties: smaller id first); the rest -> not_ranked.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "config/analysis_config.h"
#include "core/bucket.h"
#include "core/json.h"
#include "core/video.h"

namespace rumi::acquire {

struct SelectedVideo {
  std::size_t index = 0;  // into the input span
  int rank = 0;           // 1-based
  double er = 0, score = 0, weight = 1.0;
  bool celebrity = false;
};

struct BucketSelection {
  Bucket bucket = Bucket::s0_15;
  int target = 0;
  std::size_t found = 0;     // videos whose duration falls in this bucket
  std::size_t eligible = 0;  // after every filter and outlier rule
  std::vector<SelectedVideo> selected;
  std::size_t missing() const { return selected.size() >= static_cast<std::size_t>(target) ? 0 : target - selected.size(); }
  std::string suggestion;  // non-empty when missing() > 0
};

struct Exclusion {
  std::size_t index = 0;
  std::string reason;  // no_views, too_long, slideshow_or_no_duration, before_min_date, low_views,
                       // low_engagement, er_outlier, views_outlier, not_ranked, bucket_not_configured
  std::string detail;
};

struct SelectionResult {
  std::vector<BucketSelection> buckets;  // one per configured segment, in config order
  std::vector<Exclusion> excluded;       // input order
};

// Pure: same inputs, same result. `now` is unused today but keeps recency rules testable.
SelectionResult select_videos(std::span<const Video> videos, const config::AnalysisConfig& cfg, std::int64_t now);

// numpy-compatible linear-interpolation quantile of sorted values, q in [0, 1].
double quantile_sorted(std::span<const double> sorted, double q);

// The acquisition/selection.json document (docs/contracts.md).
Json selection_to_json(const SelectionResult& r, std::span<const Video> videos, const config::AnalysisConfig& cfg,
                       std::string_view hashtag, std::int64_t now, std::string_view sha256_inputs);
// A fixed-width table: bucket, found, eligible, selected, target, suggestion.
std::string selection_summary_table(const SelectionResult& r);

}  // namespace rumi::acquire
