// Pattern sentences and the bucket performance report.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/rng.h"
#include "insights/bucket_performance.h"
#include "insights/pattern_phrase.h"
#include "insights/patterns_stage.h"
#include "support/test_support.h"

namespace rumi::insights {
namespace {

namespace fs = std::filesystem;

TEST(PatternPhrase, ReadsLikeASentenceWithoutRawNames) {
  Pattern p;
  p.feature = "overlay.hook_text_3s";
  p.direction = Direction::present_is_better;
  p.evidence = Evidence::strong;
  p.sample_size = 82;
  p.lift = 1.1;  // cross-fitted: 2.1x
  p.er_favoured = 7.8;
  p.er_others = 3.714;
  p.top_count = 25;
  p.top_showing = 18;
  p.rest_count = 25;
  p.rest_showing = 9;
  FeatureInfo fi{"overlay.hook_text_3s", "visual_overlay_analysis.KeyEvents.x", FeatureKind::flag,
                 "text on screen in the first 3 seconds", ""};
  const std::string s = pattern_phrase(p, fi, Bucket::s0_15, "nutrition");
  EXPECT_NE(s.find("0-15s #nutrition videos that have text on screen in the first 3 seconds had 2.1x the engagement "
                   "rate of the others (median 7.8 % vs 3.7 %); 18 of 25 top videos and 9 of 25 others do it (STRONG, "
                   "82 videos)"),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find(" got "), std::string::npos) << s;  // never causal
  p.evidence = Evidence::emerging;
  const std::string h = pattern_phrase(p, fi, Bucket::s0_15, "nutrition");
  EXPECT_EQ(h.rfind("Hypothesis to test: 0-15s", 0), 0u) << h;
  EXPECT_NE(s.find("#nutrition"), std::string::npos) << s;
  EXPECT_EQ(s.find("overlay."), std::string::npos) << s;
  EXPECT_EQ(s.find("hook_text"), std::string::npos) << s;

  p.direction = Direction::lower_is_better;
  fi.phrase.clear();
  fi.name = "visual_overlay_analysis.CoreMetrics.overlayDensity";
  const std::string fallback = pattern_phrase(p, fi, Bucket::s16_30, "#tag");
  EXPECT_NE(fallback.find("videos that do not have overlay density"), std::string::npos) << fallback;
  EXPECT_EQ(fallback.find("CoreMetrics"), std::string::npos) << fallback;
  EXPECT_EQ(fallback.find("##"), std::string::npos) << fallback;
}

TEST(BucketPerformance, VerdictsFollowTheSeed) {
  EXPECT_EQ(bucket_verdict(6.5, 30), "HIGH PRIORITY");
  EXPECT_EQ(bucket_verdict(4.5, 30), "MODERATE");
  EXPECT_EQ(bucket_verdict(2.5, 30), "LOW PRIORITY");
  EXPECT_EQ(bucket_verdict(1.5, 30), "AVOID");
  EXPECT_EQ(bucket_verdict(9.0, 19), "INSUFFICIENT DATA");
  EXPECT_EQ(bucket_verdict(6.0, 20), "MODERATE");  // strictly greater than 6 %
}

TEST(BucketPerformance, MixAlwaysSumsTo100) {
  rumi::Rng rng = make_rng(5, "mix");
  for (int i = 0; i < 500; ++i) {
    std::vector<double> w(1 + uniform_index(rng, 5));
    for (double& x : w) x = uniform_index(rng, 4) == 0 ? 0.0 : 10 * uniform01(rng);
    const std::vector<int> pct = allocate_percentages(w);
    const int sum = std::accumulate(pct.begin(), pct.end(), 0);
    const bool any = std::any_of(w.begin(), w.end(), [](double x) { return x > 0; });
    EXPECT_EQ(sum, any ? 100 : 0);
    for (std::size_t k = 0; k < w.size(); ++k)
      if (w[k] == 0) {
        EXPECT_EQ(pct[k], 0);
      }
  }
  const std::vector<double> thirds{1, 1, 1};
  EXPECT_EQ(allocate_percentages(thirds), (std::vector<int>{34, 33, 33}));
}

Dataset bucket_data(std::size_t n, double er_mean, double er_spread, std::uint64_t seed) {
  Dataset d;
  d.feature_names = {"x.flag", "x.num"};
  rumi::Rng rng = make_rng(seed, "bucket");
  for (std::size_t r = 0; r < n; ++r) {
    const double er = er_mean + er_spread * (uniform01(rng) - 0.5);
    const double row[] = {er > er_mean ? 1.0 : 0.0, er * 2 + uniform01(rng)};
    d.add_row("v" + std::to_string(r), 1.0, er, row);
  }
  return d;
}

TEST(BucketPerformance, ReportRanksBucketsAndWritesAllFiles) {
  test::TempDir tmp;
  const fs::path hashtag = tmp / "acme" / "nutrition";
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", bucket_data(40, 7.0, 2.0, 1));
  write_dataset_csv(hashtag / "bucket_16-30s" / "features.csv", bucket_data(30, 4.5, 6.0, 2));
  write_dataset_csv(hashtag / "bucket_31-60s" / "features.csv", bucket_data(25, 1.5, 1.0, 3));
  write_dataset_csv(hashtag / "bucket_61-90s" / "features.csv", bucket_data(8, 9.0, 1.0, 4));
  write_dataset_csv(hashtag / "bucket_91-120s" / "features.csv", bucket_data(20, 3.0, 0.0, 5));  // all ER equal
  write_json_atomic(hashtag / "bucket_0-15s" / "performance_metrics.json", Json{{"cv_r2", 0.41}});
  const std::vector<FeatureInfo> info{{"x.flag", "s.flag", FeatureKind::flag, "a bold opening", ""},
                                      {"x.num", "s.num", FeatureKind::numeric, "scene changes", ""}};
  const stats::PatternOptions options;  // named: GCC 12 warns falsely on the temporary
  const auto summary = run_patterns_stage(hashtag, info, options, "#nutrition");
  ASSERT_EQ(summary.buckets.size(), 5u);

  const fs::path reports = hashtag / "reports" / "2026-01-02";
  const BucketReportFiles files = write_bucket_performance_report(hashtag, reports);
  const Json j = read_json_file(files.json);
  const auto& ranking = j["bucket_performance_ranking"];
  ASSERT_EQ(ranking.size(), 5u);
  EXPECT_EQ(ranking[0]["bucket"], "0-15s");
  EXPECT_EQ(ranking[0]["verdict"], "HIGH PRIORITY");
  EXPECT_EQ(ranking[0]["model_cv_r2"], 0.41);
  EXPECT_EQ(ranking[1]["bucket"], "16-30s");
  EXPECT_EQ(ranking[1]["verdict"], "MODERATE");
  EXPECT_EQ(ranking[0]["risk_level"], "low");  // ER 7 +- 1: CV 0.08
  EXPECT_LT(ranking[1]["consistency_cv"].get<double>(), ranking[0]["consistency_cv"].get<double>());
  EXPECT_EQ(ranking[4]["bucket"], "61-90s");  // insufficient data ranks last despite high ER
  EXPECT_EQ(ranking[4]["verdict"], "INSUFFICIENT DATA");
  EXPECT_EQ(ranking[4]["recommended_mix_percent"], 0);
  EXPECT_EQ(j["content_allocation_total"], 100);
  int avoid_mix = -1;
  for (const auto& b : ranking)
    if (b["verdict"] == "AVOID") avoid_mix = b["recommended_mix_percent"];
  EXPECT_EQ(avoid_mix, 0);
  EXPECT_EQ(j["analysis_context"]["analysis_date"], "2026-01-02");
  EXPECT_EQ(j["analysis_context"]["client"], "acme");
  // Top patterns are human sentences from patterns_<b>.json.
  ASSERT_FALSE(ranking[0]["top_patterns"].empty());
  // (The wording itself belongs to pattern_phrase and its tests; the report copies it as is.)
  const Json pj = read_json_file(hashtag / "bucket_0-15s" / "patterns_0-15s.json");
  ASSERT_FALSE(pj["patterns"].empty());
  EXPECT_EQ(ranking[0]["top_patterns"][0], pj["patterns"][0]["phrase"]);
  EXPECT_EQ(ranking[0]["top_patterns"][0].get<std::string>().find("x.flag"), std::string::npos);

  const Json s = read_json_file(files.strategic_summary);
  EXPECT_EQ(s["bucket_models"]["0-15s"]["videos_analyzed"], 40);
  EXPECT_NEAR(s["bucket_models"]["0-15s"]["avg_engagement"].get<double>(), 0.07, 0.01);  // fraction, as in 5.3
  EXPECT_TRUE(s["bucket_models"]["16-30s"]["model_accuracy"].is_null());
  int total = 0;
  for (const auto& [k, v] : s["strategic_summary"]["recommended_content_mix"].items())
    total += std::stoi(v.get<std::string>());
  EXPECT_EQ(total, 100);
  const std::string md = read_file(files.markdown);
  EXPECT_NE(md.find("| 1 | 0-15s |"), std::string::npos) << md;
  EXPECT_EQ(md.find("nan"), std::string::npos);
  EXPECT_EQ(md.find("x.flag"), std::string::npos);  // no raw feature names in human text
}

TEST(BucketPerformance, EmptyHashtagGivesAValidEmptyReport) {
  test::TempDir tmp;
  const BucketReportFiles files = write_bucket_performance_report(tmp / "c" / "h", tmp / "reports" / "2026-01-01");
  const Json j = read_json_file(files.json);
  EXPECT_TRUE(j["bucket_performance_ranking"].empty());
  EXPECT_EQ(j["content_allocation_total"], 0);
  EXPECT_FALSE(j["key_insight"].get<std::string>().empty());
}

TEST(BucketPerformance, TopVideosShareOneLinePerCreativeSubject) {
  auto pattern = [](std::string feature, std::string source, std::string phrase) {
    Pattern p;
    p.feature = std::move(feature);
    p.source = std::move(source);
    p.phrase = std::move(phrase);
    return p;
  };
  const std::vector<Pattern> patterns{
      pattern("d.per_s", "creative_density.CoreMetrics.elementsPerSecond", "fewer on-screen elements per second"),
      pattern("d.text", "creative_density.Counts.text", "fewer text elements"),  // same subject: left out
      pattern("w.a", "temporal_windows.x.overlay_count", "more overlays in the middle"),
      pattern("w.b", "temporal_windows.x.speech_rate", "faster speech in the middle"),  // own element: kept
      pattern("s.none", "speech_analysis.CoreMetrics.wpm", ""),                         // no phrase: skipped
      pattern("s.wpm", "speech_analysis.CoreMetrics.wordsPerMinute", "speak faster")};
  EXPECT_EQ(top_distinct_phrases(patterns, 3),
            (std::vector<std::string>{"fewer on-screen elements per second", "more overlays in the middle",
                                      "faster speech in the middle"}));
  EXPECT_EQ(top_distinct_phrases(patterns, 10),
            (std::vector<std::string>{"fewer on-screen elements per second", "more overlays in the middle",
                                      "faster speech in the middle", "speak faster"}));
  EXPECT_TRUE(top_distinct_phrases({}, 3).empty());
}
}  // namespace
}  // namespace rumi::insights
