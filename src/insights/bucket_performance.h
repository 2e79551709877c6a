#pragma once
// Bucket performance intelligence (seed Step 5): which duration buckets to prioritise for this
// hashtag, how reliable each is, and how to split production across them.
//
// The statistics (averages, medians, consistency, ranking, verdicts, the content mix) describe
// every eligible video of the bucket as acquisition/selection.json lists it (core/
// bucket_population.h), outliers included, not the selected or analysed sample: the contrast
// design makes half of the sample the top performers, so a sample mean would overstate the
// bucket. A selection from before format 2 has no eligible list; then the analysed videos of
// features.csv are used and the report says so.
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/json.h"
#include "core/pattern.h"

namespace rumi::insights {

// The seed's verdicts on mean ER (percent): > 6 HIGH PRIORITY, > 4 MODERATE, > 2 LOW PRIORITY,
// else AVOID; fewer than kMinVideosForModel videos is INSUFFICIENT DATA whatever the ER.
std::string bucket_verdict(double avg_er_percent, int sample_size);

struct BucketIntel {
  BucketPerformance perf;        // avg/median/std/p90 ER in percent; sample_size = videos described
  Bucket bucket{};
  double cv = 0;                 // coefficient of variation of ER (std / mean)
  std::string risk_level;        // low / medium / high from consistency
  std::string verdict;
  int rank = 0;                  // 1 = best
  int mix_percent = 0;           // recommended share of production
  std::vector<std::string> top_patterns;  // phrases of the strongest patterns, up to 3
  int analysed = -1;             // rows of features.csv (-1: unknown)
  int outliers = 0;              // flagged outliers among the videos described
  bool eligible_basis = false;   // true: perf describes all eligible videos; false: the analysed ones
};

// consistency_cv = 1 / (1 + CV) (BucketPerformance::consistency, core/bucket_population.h):
// scale-free, so it means the same for a 2 % and an 8 % bucket. Named for its unit everywhere
// it is written, apart from the seed's 1 / (1 + std) that performance_metrics.json also carries
// as consistency_std. Risk: consistency_cv > 0.7 low (the seed's cut), > 0.5 medium, else high.
BucketIntel summarize_bucket(Bucket b, std::span<const double> er_percent);

// Largest-remainder rounding of non-negative weights to integer percentages summing to
// exactly 100 (all zero when every weight is zero). Ties go to the earlier index.
std::vector<int> allocate_percentages(std::span<const double> weights);

struct BucketReport {
  std::string client, hashtag, analysis_date;
  std::vector<BucketIntel> buckets;  // ranked
  std::vector<std::string> recommendations;
  std::string key_insight;
};

// Ranks buckets (sufficient ones by mean ER first, then insufficient ones), sets verdicts and
// the content mix (AVOID and INSUFFICIENT DATA get 0 %, others in proportion to mean ER), and
// writes the recommendations.
BucketReport build_bucket_report(std::vector<BucketIntel> buckets, std::string client, std::string hashtag,
                                 std::string analysis_date);

Json bucket_report_json(const BucketReport& r);
std::string bucket_report_markdown(const BucketReport& r);
Json strategic_summary_json(const BucketReport& r);  // spec 5.3 shape

// The names the report shows. Empty: the hashtag from selection.json's "hashtag" (else "#" and
// the folder slug), the client from its folder slug; callers that know the client's name pass it.
struct BucketReportNames {
  std::string client;
  std::string hashtag;
};

struct BucketReportFiles {
  std::filesystem::path json, markdown, strategic_summary;
};

// Reads acquisition/selection.json (the eligible ERs; features.csv when the selection predates
// format 2), bucket_<b>/features.csv (analysed count), performance_metrics.json or
// model_<b>.json (CV R^2) and patterns_<b>.json (top phrases) under hashtag_dir; writes the
// three files into reports_dir. A bucket appears when it has eligible videos or a features.csv.
// The date is reports_dir's name. Every file carries the ownership notice (core/ownership_notice.h).
BucketReportFiles write_bucket_performance_report(const std::filesystem::path& hashtag_dir,
                                                  const std::filesystem::path& reports_dir,
                                                  const BucketReportNames& names = {});

}  // namespace rumi::insights
