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
//
// The ranking is by mean ER (the seed's), but a rank is only claimed where it is real: adjacent
// ranked buckets are compared with a two-sided Mann-Whitney U on their ER values (scipy's
// 'auto' rules, stats/two_sample_tests.h), Holm-corrected over the adjacent comparisons, at
// 0.05. A gap counts only when it is significant and the typical video agrees with the means
// (U of the higher-average bucket above n1 n2 / 2): a higher mean resting on a few viral videos
// is not a lead. Buckets without a real gap between them share a tier, and the text never names
// one leader among tied buckets. Mann-Whitney rather than a test of means because ER is
// heavy-tailed (flagged outliers stay in the statistics) and a brand acts on what a typical
// video does; it is deterministic, so no seed is needed, and it is the project's test for ER
// between two groups (docs/evidence.md). The verdicts keep the seed's absolute cuts on mean ER,
// with one relative step from the seed's own example output (section 5.3): HIGH PRIORITY is for
// the leading tier only, and a bucket above the 6 % mark that is significantly below the leaders
// is a STRONG PERFORMER, so four buckets above 6 % are not all "the priority". Every
// recommendation is worded from the verdicts, so no line tells the reader to avoid or
// deprioritise a HIGH PRIORITY or STRONG PERFORMER bucket.
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
// else AVOID; fewer than kMinVideosForModel videos is INSUFFICIENT DATA whatever the ER. The
// bucket report then turns HIGH PRIORITY below the leading tier into STRONG PERFORMER.
std::string bucket_verdict(double avg_er_percent, int sample_size);

struct BucketIntel {
  BucketPerformance perf;  // avg/median/std/p90 ER in percent; sample_size = videos described
  Bucket bucket{};
  double cv = 0;           // coefficient of variation of ER (std / mean)
  std::string risk_level;  // low / medium / high from consistency
  std::string verdict;
  int rank = 0;                           // 1 = best
  int mix_percent = 0;                    // recommended share of production
  std::vector<std::string> top_patterns;  // phrases of the strongest patterns, up to 3
  int analysed = -1;                      // rows of features.csv (-1: unknown)
  int outliers = 0;                       // flagged outliers among the videos described
  bool eligible_basis = false;            // true: perf describes all eligible videos; false: the analysed ones
  std::vector<double> er_values;          // the ER values perf describes (percent), for the ranking test
  // Set by build_bucket_report for ranked buckets (0 / empty otherwise):
  int tier = 0;                        // 1 = the leading tier; buckets without a real gap share one
  std::vector<std::string> tied_with;  // the other buckets of its tier, in rank order
  // The comparison with the next ranked bucket (absent for the last one).
  struct NextComparison {
    std::string bucket;
    double p_value = 1;          // two-sided Mann-Whitney U
    double p_holm = 1;           // Holm over the adjacent comparisons
    bool same_direction = true;  // the typical video agrees with the means
    bool differs = false;        // p_holm < kRankingAlpha and same_direction
  };
  std::optional<NextComparison> vs_next;
};

inline constexpr double kRankingAlpha = 0.05;

// consistency_cv = 1 / (1 + CV) (BucketPerformance::consistency, core/bucket_population.h):
// scale-free, so it means the same for a 2 % and an 8 % bucket. Named for its unit everywhere
// it is written, apart from the seed's 1 / (1 + std) that performance_metrics.json also carries
// as consistency_std. Risk: consistency_cv > 0.7 low (the seed's cut), > 0.5 medium, else high.
BucketIntel summarize_bucket(Bucket b, std::span<const double> er_percent);

// The phrases for "What the top videos share": the strongest patterns first (patterns files
// are ordered by evidence), at most `max` of them and one per creative subject, so three lines
// are three ideas rather than one idea three ways ("fewer on-screen elements per second" and
// "fewer text elements" are both the density analysis). The subject is the analysis flow the
// element comes from (the part of its source before the first '.'); temporal_windows, which
// mixes every analysis, and a missing source fall back to the element itself. Patterns without
// a phrase are skipped. The rest stay in the bucket's creative guide and patterns file.
std::vector<std::string> top_distinct_phrases(std::span<const Pattern> patterns, std::size_t max);

// Largest-remainder rounding of non-negative weights to integer percentages summing to
// exactly 100 (all zero when every weight is zero). Ties go to the earlier index.
std::vector<int> allocate_percentages(std::span<const double> weights);

struct BucketReport {
  std::string client, hashtag, analysis_date;
  std::vector<BucketIntel> buckets;  // ranked
  std::vector<std::string> recommendations;
  std::string key_insight;
  // The leading buckets the text names: the leading tier's buckets that share the leader's
  // verdict (one bucket: a clear leader). Empty when nothing is ranked.
  std::vector<std::string> leaders;
  bool clear_leader = false;  // the top bucket is significantly above the next (its tier has one bucket)
};

// Ranks buckets (sufficient ones by mean ER first, then insufficient ones, which get no tier
// and no rank claim), tests the adjacent gaps and sets the tiers, sets the content mix (AVOID
// and INSUFFICIENT DATA get 0 %, others in proportion to mean ER), and writes the
// recommendations and key insight from the verdicts and tiers.
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
