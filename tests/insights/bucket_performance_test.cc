// Bucket statistics describe every eligible video of selection.json (issue 17 point 6), checked
// against hand computations; the training stage's performance_metrics.json uses the same numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/bucket_population.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "insights/bucket_performance.h"
#include "ml/train.h"
#include "core/ownership_notice.h"
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
  Json sel{{"format", "rumi-selection"}, {"format_version", 2}, {"hashtag", "#nutrition"},
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
                    Json{{"format", "rumi-selection"}, {"format_version", 1}, {"buckets", {{"0-15s", {{"selected", Json::array()}}}}}});
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", analysed_rows(25, 0.36, 25));
  EXPECT_FALSE(read_eligible_videos(hashtag, Bucket::s0_15));
  const Json j = read_json_file(write_bucket_performance_report(hashtag, tmp / "r" / "2026-01-01").json);
  ASSERT_EQ(j["bucket_performance_ranking"].size(), 1u);
  EXPECT_EQ(j["bucket_performance_ranking"][0]["statistics_basis"], "analysed");
  EXPECT_TRUE(j["bucket_performance_ranking"][0]["eligible_videos"].is_null());
  EXPECT_NE(j["analysis_context"]["statistics_sample"].get<std::string>().find("25 analysed videos"), std::string::npos);
}

// Issue 21: the report shows the client's and hashtag's names, never the folder slugs, and
// carries the ownership notice in every file it writes.
TEST(BucketReport, NamesNotSlugsAndTheOwnershipNotice) {
  test::TempDir tmp;
  const fs::path hashtag = tmp / "MLAnalysis" / "stateside-grower" / "plantbased";
  write_json_atomic(hashtag / "acquisition" / "selection.json",
                    Json{{"format", "rumi-selection"}, {"format_version", 2}, {"hashtag", "#PlantBased"},
                         {"buckets", {{"0-15s", {{"eligible", 25}, {"selected", Json::array()},
                                                  {"eligible_videos", eligible_list(25, 0.36, 15)}}}}}});
  write_dataset_csv(hashtag / "bucket_0-15s" / "features.csv", analysed_rows(25, 0.36, 15));
  const BucketReportFiles files = write_bucket_performance_report(
      hashtag, hashtag / "reports" / "2026-01-02", BucketReportNames{"Stateside Grower", "#PlantBased"});
  const Json j = read_json_file(files.json);
  EXPECT_EQ(j["format_version"], 3);
  EXPECT_EQ(j["analysis_context"]["client"], "Stateside Grower");
  EXPECT_EQ(j["analysis_context"]["hashtag"], "#PlantBased");
  EXPECT_NE(j["ownership_notice"].get<std::string>().find("Prepared by RumiAI for Stateside Grower"), std::string::npos);
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

}  // namespace
}  // namespace rumi::insights
