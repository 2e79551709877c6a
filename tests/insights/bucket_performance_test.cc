// Bucket statistics describe every eligible video of selection.json (issue 17 point 6), checked
// against hand computations; the training stage's performance_metrics.json uses the same numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/bucket_population.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/ownership_notice.h"
#include "core/rng.h"
#include "insights/bucket_performance.h"
#include "ml/train.h"
#include "support/test_support.h"

namespace rumi::insights {
namespace {

namespace fs = std::filesystem;

// ER_i = step * i for i = 1..n; the best `analysed` of them are "selected" and in features.csv.
Json eligible_list(int n, double step, int analysed, int outlier_rank = 0) {
  Json list = Json::array();
  for (int i = n; i >= 1; --i) {
    const int rank = n - i + 1;
    list.push_back({{"rank", rank},
                    {"video_id", std::to_string(1000 + i)},
                    {"role", rank <= analysed ? "top" : "not_sampled"},
                    {"er", step * i},
                    {"views", 10000},
                    {"score", step * i},
                    {"base_weight", rank == outlier_rank ? 0.5 : 1.0},
                    {"celebrity", false},
                    {"outlier", rank == outlier_rank ? Json::array({"er_outlier"}) : Json::array()}});
  }
  return list;
}

Dataset analysed_rows(int n, double step, int analysed) {
  Dataset d;
  d.feature_names = {"x.num"};
  for (int i = n; i > n - analysed; --i) {
    const double row[] = {static_cast<double>(i)};
    d.add_row(std::to_string(1000 + i), 1.0, step * i, row);
  }
  return d;
}

TEST(BucketPopulation, StatisticsComeFromAllEligibleVideos) {
  test::TempDir tmp;
  const fs::path hashtag = tmp / "acme" / "nutrition";
  // 0-15s: 25 eligible, ER 0.36..9 %, the best 15 analysed. 16-30s: 30 eligible, ER 0.3..9 %,
  // 20 analysed. 31-60s: 12 eligible, nothing analysed. 61-90s: none eligible.
  Json sel{
      {"format", "rumi-selection"},
      {"format_version", 2},
      {"hashtag", "#nutrition"},
      {"buckets",
       {{"0-15s", {{"eligible", 25}, {"selected", Json::array()}, {"eligible_videos", eligible_list(25, 0.36, 15, 1)}}},
        {"16-30s", {{"eligible", 30}, {"selected", Json::array()}, {"eligible_videos", eligible_list(30, 0.3, 20)}}},
        {"31-60s", {{"eligible", 12}, {"selected", Json::array()}, {"eligible_videos", eligible_list(12, 0.5, 0)}}},
        {"61-90s", {{"eligible", 0}, {"selected", Json::array()}, {"eligible_videos", Json::array()}}}}}};
  write_json_atomic(hashtag / "acquisition" / "selection.json", sel);
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", analysed_rows(25, 0.36, 15));
  write_dataset_csv(hashtag / "bucket_16-30s" / "features.csv", analysed_rows(30, 0.3, 20));

  const BucketReportFiles files = write_bucket_performance_report(hashtag, hashtag / "reports" / "2026-01-02");
  const Json j = read_json_file(files.json);
  const Json& ranking = j["bucket_performance_ranking"];
  ASSERT_EQ(ranking.size(), 3u);  // 61-90s has no eligible video and no features

  // By hand, 0-15s: ER = 0.36 i, i = 1..25. Mean = median = 0.36 * 13 = 4.68; sd (ddof 1) =
  // 0.36 * sqrt(sum (i-13)^2 / 24) = 0.36 * sqrt(1300 / 24); p90 at position 21.6 of the sorted
  // list = 0.36 * 22.6. The analysed top 15 alone would give mean 0.36 * 18 = 6.48 and a HIGH
  // PRIORITY verdict: the sample, not the bucket.
  const Json& a = ranking[0];
  EXPECT_EQ(a["bucket"], "0-15s");
  EXPECT_NEAR(a["avg_engagement_rate"].get<double>(), 4.68, 1e-12);
  EXPECT_NEAR(a["median_engagement_rate"].get<double>(), 4.68, 1e-12);
  const double sd = 0.36 * std::sqrt(1300.0 / 24.0);
  EXPECT_NEAR(a["std_engagement_rate"].get<double>(), sd, 1e-12);
  EXPECT_NEAR(a["top_10pct_engagement_rate"].get<double>(), 0.36 * 22.6, 1e-12);
  EXPECT_NEAR(a["consistency_cv"].get<double>(), 1.0 / (1.0 + sd / 4.68), 1e-12);
  EXPECT_FALSE(a.contains("consistency_score"));  // format 3: named for its unit
  EXPECT_EQ(a["verdict"], "MODERATE");
  EXPECT_EQ(a["sample_size"], 25);
  EXPECT_EQ(a["eligible_videos"], 25);
  EXPECT_EQ(a["analysed_videos"], 15);
  EXPECT_EQ(a["outliers_flagged"], 1);
  EXPECT_EQ(a["statistics_basis"], "eligible");
  EXPECT_FALSE(a["exploratory"].get<bool>());  // about the model: 15 analysed is below 20

  // 16-30s: mean = 0.3 * 15.5 = 4.65, MODERATE, ranked second.
  const Json& b = ranking[1];
  EXPECT_EQ(b["bucket"], "16-30s");
  EXPECT_NEAR(b["avg_engagement_rate"].get<double>(), 4.65, 1e-12);
  EXPECT_EQ(b["verdict"], "MODERATE");
  EXPECT_TRUE(b["exploratory"].get<bool>());  // 20 analysed: trained, exploratory
  // The mix by hand: 4.68 : 4.65 -> 50.16 % / 49.84 % -> largest remainder 50 / 50.
  EXPECT_EQ(a["recommended_mix_percent"], 50);
  EXPECT_EQ(b["recommended_mix_percent"], 50);
  // 31-60s: 12 eligible videos, none analysed: insufficient, still reported with its count.
  const Json& c = ranking[2];
  EXPECT_EQ(c["bucket"], "31-60s");
  EXPECT_EQ(c["verdict"], "INSUFFICIENT DATA");
  EXPECT_EQ(c["eligible_videos"], 12);
  EXPECT_EQ(c["analysed_videos"], 0);
  EXPECT_EQ(c["recommended_mix_percent"], 0);

  EXPECT_EQ(j["analysis_context"]["total_videos_analyzed"], 35);
  EXPECT_EQ(j["analysis_context"]["total_videos_described"], 67);
  const std::string sample = j["analysis_context"]["statistics_sample"];
  EXPECT_NE(sample.find("all 67 eligible videos"), std::string::npos) << sample;
  EXPECT_NE(sample.find("35 analysed"), std::string::npos) << sample;
  const std::string md = read_file(files.markdown);
  EXPECT_NE(md.find("all 67 eligible videos"), std::string::npos) << md;
  EXPECT_NE(md.find("| 1 | 0-15s | 4.68 % | 4.68 % |"), std::string::npos) << md;
  const Json s = read_json_file(files.strategic_summary);
  EXPECT_EQ(s["bucket_models"]["0-15s"]["videos_analyzed"], 15);
  EXPECT_EQ(s["bucket_models"]["0-15s"]["eligible_videos"], 25);

  // The training stage writes the same numbers into performance_metrics.json.
  const auto pop = read_eligible_videos(hashtag, Bucket::s0_15);
  ASSERT_TRUE(pop);
  std::vector<double> er;
  for (const auto& v : *pop) er.push_back(v.er);
  const BucketPerformance p = ml::bucket_performance(analysed_rows(25, 0.36, 15), "0-15s", std::nullopt, &er);
  EXPECT_DOUBLE_EQ(p.avg_er, a["avg_engagement_rate"].get<double>());
  EXPECT_DOUBLE_EQ(p.median_er, a["median_engagement_rate"].get<double>());
  EXPECT_DOUBLE_EQ(p.std_er, a["std_engagement_rate"].get<double>());
  EXPECT_DOUBLE_EQ(p.p90_er, a["top_10pct_engagement_rate"].get<double>());
  EXPECT_DOUBLE_EQ(p.consistency, a["consistency_cv"].get<double>());
  EXPECT_EQ(p.sample_size, 15);  // the model's sample
  EXPECT_TRUE(p.insufficient);
}

TEST(BucketPopulation, OlderSelectionFallsBackToAnalysedVideos) {
  test::TempDir tmp;
  const fs::path hashtag = tmp / "c" / "h";
  write_json_atomic(hashtag / "acquisition" / "selection.json",
                    Json{{"format", "rumi-selection"},
                         {"format_version", 1},
                         {"buckets", {{"0-15s", {{"selected", Json::array()}}}}}});
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", analysed_rows(25, 0.36, 25));
  EXPECT_FALSE(read_eligible_videos(hashtag, Bucket::s0_15));
  const Json j = read_json_file(write_bucket_performance_report(hashtag, tmp / "r" / "2026-01-01").json);
  ASSERT_EQ(j["bucket_performance_ranking"].size(), 1u);
  EXPECT_EQ(j["bucket_performance_ranking"][0]["statistics_basis"], "analysed");
  EXPECT_TRUE(j["bucket_performance_ranking"][0]["eligible_videos"].is_null());
  EXPECT_NE(j["analysis_context"]["statistics_sample"].get<std::string>().find("25 analysed videos"),
            std::string::npos);
}

// Issue 21: the report shows the client's and hashtag's names, never the folder slugs, and
// carries the ownership notice in every file it writes.
TEST(BucketReport, NamesNotSlugsAndTheOwnershipNotice) {
  test::TempDir tmp;
  const fs::path hashtag = tmp / "MLAnalysis" / "stateside-grower" / "plantbased";
  write_json_atomic(
      hashtag / "acquisition" / "selection.json",
      Json{{"format", "rumi-selection"},
           {"format_version", 2},
           {"hashtag", "#PlantBased"},
           {"buckets",
            {{"0-15s",
              {{"eligible", 25}, {"selected", Json::array()}, {"eligible_videos", eligible_list(25, 0.36, 15)}}}}}});
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", analysed_rows(25, 0.36, 15));
  const BucketReportFiles files = write_bucket_performance_report(hashtag, hashtag / "reports" / "2026-01-02",
                                                                  BucketReportNames{"Stateside Grower", "#PlantBased"});
  const Json j = read_json_file(files.json);
  EXPECT_EQ(j["format_version"], 3);
  EXPECT_EQ(j["analysis_context"]["client"], "Stateside Grower");
  EXPECT_EQ(j["analysis_context"]["hashtag"], "#PlantBased");
  EXPECT_NE(j["ownership_notice"].get<std::string>().find("Prepared by RumiAI for Stateside Grower"),
            std::string::npos);
  const std::string md = read_file(files.markdown);
  EXPECT_NE(md.find("Client: Stateside Grower"), std::string::npos) << md;
  EXPECT_NE(md.find("Hashtag: #PlantBased"), std::string::npos) << md;
  EXPECT_EQ(md.find("stateside-grower"), std::string::npos) << md;
  EXPECT_NE(md.find("Consistency 1/(1+CV)"), std::string::npos) << md;
  EXPECT_NE(md.find(ownership_notice("Stateside Grower")), std::string::npos) << md;
  const Json s = read_json_file(files.strategic_summary);
  EXPECT_EQ(s["client"], "Stateside Grower");
  EXPECT_EQ(s["hashtag"], "#PlantBased");
  EXPECT_FALSE(s["ownership_notice"].get<std::string>().empty());

  // Without names from the caller the hashtag still comes from the selection, as written there.
  const Json d = read_json_file(write_bucket_performance_report(hashtag, tmp / "r" / "2026-01-03").json);
  EXPECT_EQ(d["analysis_context"]["hashtag"], "#PlantBased");
}

TEST(BucketPopulation, BadEntriesNameFileRecordAndField) {
  Json sel{{"format_version", 2},
           {"buckets", {{"0-15s", {{"eligible_videos", Json::array({Json{{"video_id", "1"}, {"er", "high"}}})}}}}}};
  try {
    eligible_videos(sel, Bucket::s0_15, "selection.json");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    const std::string m = e.what();
    EXPECT_NE(m.find("selection.json"), std::string::npos) << m;
    EXPECT_NE(m.find("eligible_videos[0]"), std::string::npos) << m;
    EXPECT_NE(m.find("er"), std::string::npos) << m;
  }
  sel["buckets"]["0-15s"].erase("eligible_videos");
  EXPECT_THROW(eligible_videos(sel, Bucket::s0_15, "selection.json"), InputError);
  EXPECT_FALSE(eligible_videos(sel, Bucket::s16_30, "selection.json"));  // bucket not configured
}

// ---- The honest ranking: tiers, and text that agrees with the verdicts ----

// n log-normal ER values (percent) with the given median; sigma 0.5 on log ER, about the spread
// of a real bucket (docs/evidence.md: 0.45 within creators).
std::vector<double> lognormal_er(std::uint64_t seed, std::string_view stream, int n, double median,
                                 double sigma = 0.5) {
  Rng rng = make_rng(seed, stream);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(median * std::exp(sigma * standard_normal(rng)));
  return v;
}

BucketIntel intel(Bucket b, const std::vector<double>& er) {
  BucketIntel bi = summarize_bucket(b, er);
  bi.eligible_basis = true;
  bi.analysed = static_cast<int>(er.size());
  return bi;
}

BucketReport report_of(const std::vector<std::pair<Bucket, std::vector<double>>>& buckets) {
  std::vector<BucketIntel> v;
  for (const auto& [b, er] : buckets) v.push_back(intel(b, er));
  return build_bucket_report(std::move(v), "Acme", "#nutrition", "2026-01-02");
}

const BucketIntel& find(const BucketReport& r, std::string_view bucket) {
  for (const auto& b : r.buckets)
    if (b.perf.bucket == bucket) return b;
  throw std::runtime_error("no bucket " + std::string(bucket));
}

// Every sentence that mentions a bucket agrees with that bucket's verdict: "Prioritize" names
// HIGH PRIORITY buckets only, "Avoid" AVOID ones, "only with a strategic reason" LOW PRIORITY or
// AVOID ones, "keep it in the mix" HIGH PRIORITY. A sentence is checked against the buckets it
// names before its first ";" or " - " (the clause that gives the advice).
void expect_text_agrees_with_verdicts(const BucketReport& r) {
  std::map<std::string, std::string> verdict;
  for (const auto& b : r.buckets) verdict[b.perf.bucket] = b.verdict;
  for (const std::string& line : r.recommendations) {
    const std::string head = line.substr(0, std::min(line.find(" - "), line.find(';')));
    for (const auto& [name, v] : verdict) {
      if (head.find(name) == std::string::npos) continue;
      if (line.rfind("Prioritize", 0) == 0) {
        EXPECT_EQ(v, "HIGH PRIORITY") << line;
      }
      if (line.rfind("Avoid", 0) == 0) {
        EXPECT_EQ(v, "AVOID") << line;
      }
      if (line.find("only with a strategic reason") != std::string::npos) {
        EXPECT_TRUE(v == "LOW PRIORITY" || v == "AVOID") << line;
      }
      if (line.find("keep it in the mix") != std::string::npos) {
        EXPECT_TRUE(v == "HIGH PRIORITY" || v == "STRONG PERFORMER") << line;
      }
      if (v == "HIGH PRIORITY" || v == "STRONG PERFORMER") {
        EXPECT_EQ(line.find("Avoid"), std::string::npos) << line;
        EXPECT_EQ(line.find("strategic reason"), std::string::npos) << line;
      }
    }
  }
}

// The demo's case: every ranked bucket above 6 %, the lowest must not be called a bucket to avoid.
// Only the leading tier is HIGH PRIORITY; the buckets significantly below it are STRONG PERFORMER.
TEST(BucketRanking, LowestBucketStillHighPriorityIsNotToldToAvoid) {
  const BucketReport r = report_of({{Bucket::s0_15, lognormal_er(3, "a", 80, 6.6)},
                                    {Bucket::s16_30, lognormal_er(3, "b", 48, 6.9)},
                                    {Bucket::s31_60, lognormal_er(3, "c", 54, 6.5)},
                                    {Bucket::s61_90, lognormal_er(3, "d", 42, 9.4)}});
  int high = 0;
  for (const auto& b : r.buckets) {
    ASSERT_GT(b.perf.avg_er, 6) << b.perf.bucket;
    EXPECT_EQ(b.verdict, b.tier == 1 ? "HIGH PRIORITY" : "STRONG PERFORMER") << b.perf.bucket << " tier " << b.tier;
    high += b.verdict == "HIGH PRIORITY";
  }
  EXPECT_GE(high, 1);
  EXPECT_LT(high, 4) << "every bucket is 'the priority'";
  const Json j = bucket_report_json(r);
  for (const auto& b : j["bucket_performance_ranking"])
    if (b["verdict"] == "STRONG PERFORMER") {
      EXPECT_EQ(b["verdict_detail"], "STRONG PERFORMER - Above the 6 % mark, below the leading tier");
    }
  expect_text_agrees_with_verdicts(r);
  const std::string lowest = r.buckets.back().perf.bucket;
  bool said = false;
  for (const auto& s : r.recommendations) {
    EXPECT_EQ(s.find("strategic reason"), std::string::npos) << s;
    EXPECT_EQ(s.find("Avoid"), std::string::npos) << s;
    if (s.rfind(lowest + " has the lowest average here (", 0) == 0) {
      said = true;
      EXPECT_NE(s.find(r.buckets.back().verdict == "HIGH PRIORITY"
                           ? "still above the 6 % mark for high priority: keep it in the mix with its own guide"
                           : "still above the 6 % mark but significantly below the leading tier: keep it in the mix"),
                std::string::npos)
          << s;
    }
  }
  EXPECT_TRUE(said) << "no line about the lowest bucket " << lowest;
}

// Buckets drawn from one distribution share the leading tier, and no text names one leader.
TEST(BucketRanking, BucketsFromOneDistributionAreTied) {
  const BucketReport r = report_of({{Bucket::s0_15, lognormal_er(11, "a", 60, 8)},
                                    {Bucket::s16_30, lognormal_er(11, "b", 45, 8)},
                                    {Bucket::s31_60, lognormal_er(11, "c", 50, 8)},
                                    {Bucket::s61_90, lognormal_er(11, "d", 40, 8)}});
  for (const auto& b : r.buckets) {
    EXPECT_EQ(b.tier, 1) << b.perf.bucket;
    EXPECT_EQ(b.tied_with.size(), 3u) << b.perf.bucket;
  }
  EXPECT_FALSE(r.clear_leader);
  EXPECT_EQ(r.leaders.size(), 4u);
  EXPECT_NE(r.key_insight.find("lead together"), std::string::npos) << r.key_insight;
  EXPECT_EQ(r.key_insight.find("have the highest engagement"), std::string::npos) << r.key_insight;
  ASSERT_FALSE(r.recommendations.empty());
  EXPECT_NE(r.recommendations[0].find("content together"), std::string::npos) << r.recommendations[0];
  EXPECT_NE(r.recommendations[0].find("none of the steps between neighbouring buckets is significant"),
            std::string::npos)
      << r.recommendations[0];
  expect_text_agrees_with_verdicts(r);

  const Json j = bucket_report_json(r);
  EXPECT_FALSE(j["clear_leader"].get<bool>());
  EXPECT_EQ(j["leading_buckets"].size(), 4u);
  EXPECT_EQ(j["ranking_test"]["comparisons"], 3);
  EXPECT_EQ(j["ranking_test"]["correction"], "holm");
  const Json& second = j["bucket_performance_ranking"][1];
  EXPECT_EQ(second["tier"], 1);
  EXPECT_FALSE(second["compared_with_next"]["differs"].get<bool>());
  const std::string note = second["ranking_note"];
  EXPECT_EQ(note.rfind("tied with " + r.buckets[0].perf.bucket + ", ", 0), 0u) << note;
  EXPECT_NE(note.find("(no step between neighbours significant)"), std::string::npos) << note;
  const std::string md = bucket_report_markdown(r);
  EXPECT_NE(md.find("| 1 | tied with "), std::string::npos) << md;
  const Json s = strategic_summary_json(r);
  EXPECT_FALSE(s["strategic_summary"]["clear_leader"].get<bool>());
  EXPECT_EQ(s["bucket_models"][r.buckets[0].perf.bucket]["tier"], 1);

  // Over many seeded draws from one distribution, a gap is claimed about as often as the
  // family-wise 5 % allows (Holm over 3 comparisons; 60 draws, so 3 expected at most).
  int false_gaps = 0;
  for (std::uint64_t seed = 100; seed < 160; ++seed) {
    const BucketReport n = report_of({{Bucket::s0_15, lognormal_er(seed, "a", 60, 8)},
                                      {Bucket::s16_30, lognormal_er(seed, "b", 45, 8)},
                                      {Bucket::s31_60, lognormal_er(seed, "c", 50, 8)},
                                      {Bucket::s61_90, lognormal_er(seed, "d", 40, 8)}});
    false_gaps += n.buckets.back().tier > 1 ? 1 : 0;
    expect_text_agrees_with_verdicts(n);
  }
  EXPECT_LE(false_gaps, 8) << "of 60";
}

// A well-separated leader is named alone; the others, drawn alike, tie behind it.
TEST(BucketRanking, ClearLeaderIsNamedAlone) {
  const BucketReport r = report_of({{Bucket::s0_15, lognormal_er(5, "a", 60, 6.5)},
                                    {Bucket::s16_30, lognormal_er(5, "b", 45, 6.5)},
                                    {Bucket::s31_60, lognormal_er(5, "c", 50, 3.0)},
                                    {Bucket::s61_90, lognormal_er(5, "d", 40, 13)}});
  EXPECT_EQ(r.buckets[0].perf.bucket, "61-90s");
  EXPECT_EQ(r.buckets[0].tier, 1);
  EXPECT_TRUE(r.buckets[0].tied_with.empty());
  EXPECT_TRUE(r.clear_leader);
  EXPECT_EQ(r.leaders, std::vector<std::string>{"61-90s"});
  EXPECT_EQ(find(r, "0-15s").tier, 2);
  EXPECT_EQ(find(r, "16-30s").tier, 2);
  EXPECT_EQ(find(r, "0-15s").tied_with, std::vector<std::string>{"16-30s"});
  EXPECT_EQ(find(r, "31-60s").tier, 3);
  EXPECT_EQ(find(r, "31-60s").verdict, "LOW PRIORITY");
  EXPECT_NE(r.key_insight.find("61-90s videos have the highest engagement for #nutrition"), std::string::npos)
      << r.key_insight;
  EXPECT_NE(r.key_insight.find("significantly above " + r.buckets[1].perf.bucket), std::string::npos) << r.key_insight;
  EXPECT_EQ(r.recommendations[0].rfind("Prioritize 61-90s content - highest average engagement at ", 0), 0u)
      << r.recommendations[0];
  EXPECT_NE(r.recommendations[1].find("Use 31-60s content only with a strategic reason"), std::string::npos)
      << r.recommendations[1];
  expect_text_agrees_with_verdicts(r);
  const Json j = bucket_report_json(r);
  EXPECT_TRUE(j["clear_leader"].get<bool>());
  EXPECT_TRUE(j["bucket_performance_ranking"][0]["compared_with_next"]["differs"].get<bool>());
  EXPECT_EQ(j["bucket_performance_ranking"][0]["ranking_note"].get<std::string>().rfind("leads: above ", 0), 0u);
  EXPECT_EQ(j["bucket_performance_ranking"][3]["ranking_note"].get<std::string>().rfind("below ", 0), 0u);
  EXPECT_TRUE(j["bucket_performance_ranking"][3]["compared_with_next"].is_null());
}

// A higher average that rests on a few viral videos, while the typical video is lower, is no lead.
TEST(BucketRanking, AverageAgainstTheTypicalVideoIsNoGap) {
  std::vector<double> spiky = lognormal_er(9, "a", 45, 4.0, 0.2);
  for (int i = 0; i < 5; ++i) spiky.push_back(60);
  const std::vector<double> steady = lognormal_er(9, "b", 50, 7.0, 0.2);
  const BucketReport r = report_of({{Bucket::s0_15, spiky}, {Bucket::s16_30, steady}});
  ASSERT_EQ(r.buckets[0].perf.bucket, "0-15s");  // by mean
  ASSERT_TRUE(r.buckets[0].vs_next);
  EXPECT_LT(r.buckets[0].vs_next->p_holm, 0.05);
  EXPECT_FALSE(r.buckets[0].vs_next->same_direction);
  EXPECT_FALSE(r.buckets[0].vs_next->differs);
  EXPECT_EQ(r.buckets[1].tier, 1);
  EXPECT_FALSE(r.clear_leader);
  const Json j = bucket_report_json(r);
  EXPECT_NE(j["bucket_performance_ranking"][0]["ranking_note"].get<std::string>().find("disagree"), std::string::npos);
  expect_text_agrees_with_verdicts(r);
}

// Too few videos: outside the ranking, the tiers, the ties and the mix, whatever its ER.
TEST(BucketRanking, InsufficientBucketsStayOutOfTheRanking) {
  const BucketReport r = report_of({{Bucket::s0_15, lognormal_er(4, "a", 60, 8)},
                                    {Bucket::s16_30, lognormal_er(4, "b", 45, 8)},
                                    {Bucket::s91_120, lognormal_er(4, "c", 13, 30)}});
  const BucketIntel& few = find(r, "91-120s");
  EXPECT_EQ(&few, &r.buckets.back());
  EXPECT_EQ(few.verdict, "INSUFFICIENT DATA");
  EXPECT_EQ(few.tier, 0);
  EXPECT_TRUE(few.tied_with.empty());
  EXPECT_FALSE(few.vs_next);
  EXPECT_EQ(few.mix_percent, 0);
  for (const auto& b : r.buckets) {
    EXPECT_EQ(std::count(b.tied_with.begin(), b.tied_with.end(), "91-120s"), 0);
    if (b.vs_next) {
      EXPECT_NE(b.vs_next->bucket, "91-120s");
    }
  }
  EXPECT_FALSE(r.buckets[1].vs_next);  // the last ranked bucket has nothing to be compared with
  const Json j = bucket_report_json(r);
  EXPECT_TRUE(j["bucket_performance_ranking"][2]["tier"].is_null());
  EXPECT_FALSE(j["bucket_performance_ranking"][2]["ranked"].get<bool>());
  EXPECT_EQ(j["ranking_test"]["comparisons"], 1);
  EXPECT_EQ(std::count(r.leaders.begin(), r.leaders.end(), "91-120s"), 0);
  EXPECT_EQ(r.key_insight.find("91-120s"), std::string::npos) << r.key_insight;
}

// Mixed verdicts: a MODERATE leader is never "prioritised"; LOW and AVOID buckets get their own words.
TEST(BucketRanking, TextFollowsEveryVerdict) {
  const BucketReport r = report_of({{Bucket::s0_15, lognormal_er(6, "a", 60, 4.8, 0.3)},
                                    {Bucket::s16_30, lognormal_er(6, "b", 45, 2.8, 0.3)},
                                    {Bucket::s31_60, lognormal_er(6, "c", 50, 1.2, 0.3)},
                                    {Bucket::s61_90, lognormal_er(6, "d", 40, 0.9, 0.3)}});
  EXPECT_EQ(r.buckets[0].verdict, "MODERATE");
  EXPECT_EQ(r.recommendations[0].rfind("Lead with 0-15s content, selectively", 0), 0u) << r.recommendations[0];
  EXPECT_EQ(r.buckets.back().verdict, "AVOID");
  expect_text_agrees_with_verdicts(r);
  bool avoid_other = false;
  for (const auto& s : r.recommendations) avoid_other = avoid_other || s.rfind("Avoid 31-60s content", 0) == 0;
  EXPECT_TRUE(avoid_other);  // an AVOID bucket that is not the lowest is still named

  // Everything below 2 %: no "Prioritize", one line that says so.
  const BucketReport low = report_of(
      {{Bucket::s0_15, lognormal_er(6, "e", 40, 1.5, 0.3)}, {Bucket::s16_30, lognormal_er(6, "f", 40, 0.8, 0.3)}});
  for (const auto& s : low.recommendations) EXPECT_EQ(s.find("Prioritize"), std::string::npos) << s;
  EXPECT_EQ(low.recommendations[0].rfind("Every ranked bucket is below the 2 % mark (AVOID)", 0), 0u)
      << low.recommendations[0];
  expect_text_agrees_with_verdicts(low);
}

std::vector<double> with_mean(std::vector<double> v, double mean) {
  double sum = 0;
  for (double x : v) sum += x;
  for (double& x : v) x *= mean * static_cast<double>(v.size()) / sum;
  return v;
}

// A tie across a verdict cut: the leader is named alone (its verdict is higher), but not as
// ahead of the other, which is said to share the leading tier.
TEST(BucketRanking, TieAcrossAVerdictCutNamesNoClearLeader) {
  const BucketReport r = report_of({{Bucket::s0_15, with_mean(lognormal_er(8, "a", 50, 6), 6.3)},
                                    {Bucket::s16_30, with_mean(lognormal_er(8, "b", 50, 6), 5.8)}});
  ASSERT_EQ(r.buckets[0].verdict, "HIGH PRIORITY");
  ASSERT_EQ(r.buckets[1].verdict, "MODERATE");
  EXPECT_EQ(r.buckets[1].tier, 1);
  EXPECT_FALSE(r.clear_leader);
  EXPECT_EQ(r.leaders, std::vector<std::string>{"0-15s"});
  EXPECT_EQ(r.recommendations[0].rfind("Prioritize 0-15s content - highest average engagement at 6.3 %", 0), 0u)
      << r.recommendations[0];
  EXPECT_NE(r.recommendations[0].find("16-30s (5.8 %, MODERATE) shares the leading tier"), std::string::npos)
      << r.recommendations[0];
  EXPECT_EQ(r.key_insight.find("significantly above"), std::string::npos) << r.key_insight;
  EXPECT_NE(r.key_insight.find("16-30s shares the leading tier"), std::string::npos) << r.key_insight;
  EXPECT_EQ(r.recommendations[1],
            "16-30s has the lowest average here (5.8 %; not significantly below 0-15s), above the 4 % mark for "
            "moderate: use it selectively, with its own guide");
  const Json j = bucket_report_json(r);
  EXPECT_EQ(j["bucket_performance_ranking"][1]["ranking_note"], "tied with 0-15s (difference not significant)");
  EXPECT_EQ(j["bucket_performance_ranking"][0]["ranking_note"], "tied with 16-30s (difference not significant)");
  expect_text_agrees_with_verdicts(r);
}

// The p-values are scipy's Mann-Whitney U (two-sided, 'auto'), Holm as statsmodels computes it.
TEST(BucketRanking, GapTestMatchesScipyAndStatsmodels) {
  if (!test::python_has("scipy, statsmodels")) GTEST_SKIP() << "/usr/bin/python3 lacks scipy or statsmodels";
  const std::vector<std::pair<Bucket, std::vector<double>>> input{{Bucket::s0_15, lognormal_er(21, "a", 60, 7.5)},
                                                                  {Bucket::s16_30, lognormal_er(21, "b", 45, 6.0)},
                                                                  {Bucket::s31_60, lognormal_er(21, "c", 25, 6.8)},
                                                                  {Bucket::s61_90, lognormal_er(21, "d", 40, 12)}};
  const BucketReport r = report_of(input);
  Json pairs = Json::array();
  for (std::size_t k = 0; k + 1 < r.buckets.size(); ++k)
    pairs.push_back(Json{{"a", r.buckets[k].er_values}, {"b", r.buckets[k + 1].er_values}});
  const Json py = test::python_json(R"PY(
import json, sys
from scipy import stats
from statsmodels.stats.multitest import multipletests
pairs = json.load(sys.stdin)
p = [float(stats.mannwhitneyu(c["a"], c["b"]).pvalue) for c in pairs]
u = [float(stats.mannwhitneyu(c["a"], c["b"]).statistic) for c in pairs]
json.dump({"p": p, "u": u, "holm": [float(x) for x in multipletests(p, method="holm")[1]]}, sys.stdout)
)PY",
                                    pairs);
  ASSERT_EQ(py["p"].size(), 3u);
  int differs = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& c = *r.buckets[k].vs_next;
    EXPECT_NEAR(c.p_value, py["p"][k].get<double>(), 1e-12 + 1e-9 * py["p"][k].get<double>()) << k;
    EXPECT_NEAR(c.p_holm, py["holm"][k].get<double>(), 1e-12 + 1e-9 * py["holm"][k].get<double>()) << k;
    const double half = r.buckets[k].er_values.size() * r.buckets[k + 1].er_values.size() / 2.0;
    EXPECT_EQ(c.same_direction, py["u"][k].get<double>() > half) << k;
    EXPECT_EQ(c.differs, py["holm"][k].get<double>() < 0.05 && c.same_direction) << k;
    differs += c.differs ? 1 : 0;
  }
  EXPECT_GE(differs, 1);  // 61-90s at twice the median must stand out, or the case tests nothing
}

}  // namespace
}  // namespace rumi::insights
