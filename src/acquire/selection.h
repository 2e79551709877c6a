#pragma once
// Choosing which videos to analyse, per duration bucket (design "Units and rules", issue 17
// point 6). A pure function of the videos, the config, "now" and the seed, so the pipeline, the
// CLI and the benchmark all get the same answer, and every exclusion carries a reason a person
// can check.
//
// 1. Filters, per video in this order: duration (too_long, slideshow_or_no_duration), no_views,
//    before_min_date, low_views, low_engagement; a video in a bucket that is not a configured
//    segment gets bucket_not_configured. The survivors are the bucket's *eligible* videos.
// 2. Outliers (seed section 12), per bucket (a 90 s video's ER is not comparable with a 10 s
//    one's), on the eligible videos: fences [Q1 - k*IQR, Q3 + k*IQR], k = outlier_iqr_k
//    (default 2.5, 0 = off), numpy's linear quantiles, on ER and on views separately; fences need
//    >= 4 videos. A video outside either fence is *flagged*, not dropped: it stays eligible, can
//    be selected, carries weight x0.5 and is listed under "outliers" with its reason(s)
//    (er_outlier, views_outlier). Viral videos are real outcomes; dropping them silently would
//    hide exactly the videos a brand asks about.
// 3. Score = ER * (1 + share_boost * shares / (likes + comments + shares)): shares are the
//    strongest signal of content people pass on, so they tilt ties between similar ERs.
//    Eligible videos are ranked by score (ties: smaller id first).
// 4. Budget N = videos_per_segment, spent by selection.design:
//    * top: the N best by score (the seed's rule).
//    * contrast (default): the ceil(N/2) best by score (role "top"), plus floor(N/2) drawn
//      uniformly without replacement from the other eligible videos (role "random") with the
//      stream make_rng(seed, "selection/<bucket>"). The top-only sample compares the best of
//      the best with the rest of the best; the random half shows what ordinary videos look like.
//    * all: every eligible video (role "all", no budget): for metadata-only runs, where an
//      analysis costs nothing, so sampling would only throw information away.
//    With E <= N eligible videos, all are selected (the best ceil(E/2) "top", the rest "random",
//    weight 1), so both roles exist in every bucket. Unselected eligible videos are excluded as not_ranked (top) or
//    not_sampled (contrast).
// 5. Weight = celebrity (creator > celebrity_followers: celebrity_weight) x outlier (0.5) x
//    inverse probability: a random video stands for N_other / n_random eligible videos, a top
//    video for itself (1), so weighted estimates describe the eligible population, not the
//    sampling design (the design weights of a bucket sum to its eligible count).
// 6. Bucket statistics use every eligible video (selection.json lists them all with their role),
//    never just the selected ones.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/analysis_config.h"
#include "core/bucket.h"
#include "core/enum_names.h"
#include "core/json.h"
#include "core/rng.h"
#include "core/video.h"

namespace rumi::acquire {

// What a selected video stands for. not_sampled: eligible, not selected (in `population` only).
// all: the design "all" selected every eligible video (no sampling, weight = base weight).
enum class Role { top, random, not_sampled, all };
std::string_view role_name(Role r);

inline constexpr double kOutlierWeight = 0.5;  // seed section 12

struct SelectedVideo {
  std::size_t index = 0;  // into the input span
  int rank = 0;           // 1-based score rank among the bucket's eligible videos
  double er = 0, score = 0;
  double weight = 1.0;       // base_weight x ipw: the sample weight of features.csv
  double base_weight = 1.0;  // celebrity x outlier, without the design
  double ipw = 1.0;          // inverse selection probability (1 for top and unselected)
  bool celebrity = false;
  bool er_outlier = false, views_outlier = false;
  Role role = Role::not_sampled;
  bool outlier() const { return er_outlier || views_outlier; }
};

struct Fence {
  double lo = 0, hi = 0;
  bool active = false;  // false: fewer than 4 videos or k = 0
};

struct BucketSelection {
  Bucket bucket = Bucket::s0_15;
  int target = 0;
  std::size_t found = 0;                        // videos whose duration falls in this bucket
  std::size_t eligible = 0;                     // after every filter (flagged outliers included)
  std::vector<SelectedVideo> selected;          // top (by rank), then random (by rank)
  std::vector<SelectedVideo> population;        // every eligible video, by rank, with its role
  std::size_t top_count = 0, random_count = 0;  // selected per role
  std::size_t random_pool = 0;                  // eligible videos outside the top half (the random half's frame)
  Fence er_fence, views_fence;
  std::size_t outliers() const;
  std::size_t missing() const {
    return selected.size() >= static_cast<std::size_t>(target) ? 0 : target - selected.size();
  }
  std::string suggestion;  // non-empty when missing() > 0
};

// Why a video is not selected; selection.json stores the name (kExclusionReasonNames).
enum class ExclusionReason {
  no_views,
  too_long,
  slideshow_or_no_duration,
  before_min_date,
  low_views,
  low_engagement,
  not_ranked,
  not_sampled,
  bucket_not_configured,
};
inline constexpr EnumName<ExclusionReason> kExclusionReasonNames[] = {
    {ExclusionReason::no_views, "no_views"},
    {ExclusionReason::too_long, "too_long"},
    {ExclusionReason::slideshow_or_no_duration, "slideshow_or_no_duration"},
    {ExclusionReason::before_min_date, "before_min_date"},
    {ExclusionReason::low_views, "low_views"},
    {ExclusionReason::low_engagement, "low_engagement"},
    {ExclusionReason::not_ranked, "not_ranked"},
    {ExclusionReason::not_sampled, "not_sampled"},
    {ExclusionReason::bucket_not_configured, "bucket_not_configured"}};
inline std::string_view exclusion_reason_name(ExclusionReason r) { return name_of(kExclusionReasonNames, r); }

struct Exclusion {
  std::size_t index = 0;
  ExclusionReason reason = ExclusionReason::no_views;
  std::string detail;
};

// A flagged (kept) outlier. reasons: "er_outlier", "views_outlier" or both.
struct Outlier {
  std::size_t index = 0;
  Bucket bucket{};
  std::vector<std::string> reasons;
  std::string detail;
};

struct SelectionResult {
  config::SelectionDesign design = config::SelectionDesign::contrast;
  std::uint64_t seed = 0;
  std::vector<BucketSelection> buckets;  // one per configured segment, in config order
  std::vector<Exclusion> excluded;       // input order
  std::vector<Outlier> outliers;         // input order
};

// Pure: same inputs and seed, same result. `now` is unused today but keeps recency rules
// testable. The seed only matters for the contrast design's random half.
SelectionResult select_videos(std::span<const Video> videos, const config::AnalysisConfig& cfg, std::int64_t now,
                              std::uint64_t seed = kDefaultSeed);

// numpy-compatible linear-interpolation quantile of sorted values, q in [0, 1].
double quantile_sorted(std::span<const double> sorted, double q);

// The acquisition/selection.json document (docs/contracts.md). Version 2 added roles, the
// eligible list, outliers, weights with ipw; readers accept 1 and 2.
inline constexpr int kSelectionFormatVersion = 2;
Json selection_to_json(const SelectionResult& r, std::span<const Video> videos, const config::AnalysisConfig& cfg,
                       std::string_view hashtag, std::int64_t now, std::string_view sha256_inputs);
// A fixed-width table: bucket, found, eligible, outliers, selected (top + random), target, note.
std::string selection_summary_table(const SelectionResult& r);

}  // namespace rumi::acquire
