// The analysis reader, feature extraction and the bucket dataset on the repository's own era-B
// fixture (tests/fixtures/rumiai_era_b, made by tests/fixtures/make_rumiai_era_b.py from one
// `rumi synth` video): the same analysis written in every era-B layout RumiAI has used, so a
// clean clone without ../shared still tests each layout, and each must read the same.
#include <gtest/gtest.h>

#include <cmath>

#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "features/analysis_reader.h"
#include "features/bucket_dataset.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::features;

namespace {

fs::path era_b() { return test::fixtures_dir() / "rumiai_era_b"; }

// One analysis, four layouts (ids encode 2025-07-10 19:52:22 UTC like TikTok's).
constexpr const char* kMl = "7525543521688748043";  // insights/<id>/<flow>/<flow>_ml_<ts>.json + a stale older run
constexpr const char* kComplete = "7525543521688748054";  // _complete_<ts>.json wrappers (parsed_response)
constexpr const char* kResult = "7525543521688748065";    // _result_<ts>.json, prefixed blocks, no speech_analysis
constexpr const char* kFlat = "7525543521688748076";      // <id>_<flow>.json, prefixed blocks

double feature(const std::vector<double>& v, const std::string& name) {
  auto idx = feature_catalog().index_of(name);
  EXPECT_TRUE(idx.has_value()) << name;
  return idx ? v[*idx] : NAN;
}

::testing::AssertionResult same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes " << a.size() << " vs " << b.size();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))))
      return ::testing::AssertionFailure() << feature_catalog().features[i].name << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(EraBFixture, EveryLayoutReadsTheSameFlows) {
  const LoadedAnalysis ml = load_analysis_from_dir(era_b(), kMl);
  EXPECT_TRUE(ml.missing_flows.empty());
  for (auto flow : kFlowNames) {
    ASSERT_TRUE(ml.flows.contains(std::string(flow))) << flow;
    for (auto block : kBlockNames)
      EXPECT_TRUE(ml.flows[std::string(flow)].contains(std::string(block))) << flow << block;
  }
  // The newest run wins over the stale older one of the same flow.
  EXPECT_EQ(ml.sources.at("creative_density"),
            std::string("insights/") + kMl + "/creative_density/creative_density_ml_20250713_195222.json");
  EXPECT_FALSE(ml.flows["creative_density"]["CoreMetrics"].contains("stale"));
  EXPECT_EQ(ml.flows["creative_density"]["CoreMetrics"]["elementCounts"]["object"], 48);

  const LoadedAnalysis complete = load_analysis_from_dir(era_b(), kComplete);
  EXPECT_TRUE(complete.missing_flows.empty());
  EXPECT_EQ(complete.flows, ml.flows);  // parsed_response of the wrapper
  EXPECT_NE(complete.sources.at("scene_pacing").find("_complete_"), std::string::npos);

  const LoadedAnalysis flat = load_analysis_from_dir(era_b(), kFlat);
  EXPECT_TRUE(flat.missing_flows.empty());
  EXPECT_EQ(flat.flows, ml.flows);  // prefixed block names stripped
  EXPECT_EQ(flat.sources.at("metadata_analysis"), std::string(kFlat) + "_metadata_analysis.json");

  const LoadedAnalysis result = load_analysis_from_dir(era_b(), kResult);
  EXPECT_EQ(result.missing_flows, (std::vector<std::string>{"speech_analysis"}));
  EXPECT_FALSE(result.flows.contains("speech_analysis"));
  Json expected = ml.flows;
  expected.erase("speech_analysis");
  EXPECT_EQ(result.flows, expected);
}

TEST(EraBFixture, FeaturesAgreeAcrossLayoutsAndKnowTheirValues) {
  const auto ml = extract_features(load_analysis_from_dir(era_b(), kMl), 13.0);
  EXPECT_TRUE(same_values(ml, extract_features(load_analysis_from_dir(era_b(), kComplete), 13.0)));
  EXPECT_TRUE(same_values(ml, extract_features(load_analysis_from_dir(era_b(), kFlat), 13.0)));
  EXPECT_EQ(feature(ml, "density.elementCounts.object"), 48);
  EXPECT_EQ(feature(ml, "density.avgDensity"), 5.0);
  EXPECT_EQ(feature(ml, "scene.rhythmConsistency=varied"), 1);  // the string enum, one-hot
  EXPECT_EQ(feature(ml, "video.flow_present:speech_analysis"), 1);
  const auto result = extract_features(load_analysis_from_dir(era_b(), kResult), 13.0);
  EXPECT_EQ(feature(result, "video.flow_present:speech_analysis"), 0);
  EXPECT_EQ(feature(result, "density.elementCounts.object"), 48);
  // No duration given: it falls back to metadata videoDuration.
  EXPECT_EQ(feature(extract_features(load_analysis_from_dir(era_b(), kFlat), NAN), "video.duration_s"), 13.0);
}

TEST(EraBFixture, TargetFieldsNeverReachTheFeatures) {
  LoadedAnalysis a = load_analysis_from_dir(era_b(), kMl);
  const auto before = extract_features(a, 13.0);
  a.flows["metadata_analysis"]["CoreMetrics"]["engagementRate"] = 99.0;
  a.flows["metadata_analysis"]["CoreMetrics"]["viewCount"] = 1;
  a.flows["metadata_analysis"]["Interactions"] = {{"likeCount", 5}, {"commentCount", 6}, {"shareCount", 7}};
  EXPECT_TRUE(same_values(before, extract_features(a, 13.0)));
}

TEST(EraBFixture, MergedAnalysisRoundTrips) {
  const LoadedAnalysis a = load_analysis_from_dir(era_b(), kResult);
  test::TempDir tmp;
  const fs::path file = tmp / (std::string(kResult) + "_analysis.json");
  Json j = merged_analysis_json(a, "replay");
  EXPECT_EQ(j["format"], "rumi-analysis");
  EXPECT_EQ(j["missing_flows"], Json::array({"speech_analysis"}));
  write_json_atomic(file, j);
  const LoadedAnalysis b = read_merged_analysis(file);
  EXPECT_EQ(b.video_id, a.video_id);
  EXPECT_EQ(b.flows, a.flows);
  EXPECT_EQ(b.missing_flows, a.missing_flows);
  EXPECT_EQ(b.sources, a.sources);
  j["format_version"] = 2;
  write_json_atomic(file, j);
  EXPECT_THROW(read_merged_analysis(file), InputError);
}

TEST(EraBFixture, BucketDatasetRowsInSelectionOrder) {
  test::TempDir dir;
  const fs::path videos = dir / "bucket_0-15s" / "videos";
  for (const char* id : {kMl, kResult})
    write_json_atomic(videos / (std::string(id) + "_analysis.json"),
                      merged_analysis_json(load_analysis_from_dir(era_b(), id), "replay"));
  const Json selection = {{"format", "rumi-selection"},
                          {"format_version", 1},
                          {"buckets",
                           {{"0-15s",
                             {{"selected",
                               {{{"video_id", kResult}, {"er", 5.5}, {"weight", 0.5}, {"duration_s", 13.0}},
                                {{"video_id", kFlat}, {"er", 1.0}, {"weight", 1.0}},
                                {{"video_id", kMl}, {"er", 7.25}, {"weight", 1.0}, {"duration_s", 13.0}}}}}}}}};
  const Dataset d = build_bucket_dataset(dir.path(), Bucket::s0_15, selection);
  ASSERT_EQ(d.rows(), 2u);  // kFlat has no stored analysis
  EXPECT_EQ(d.video_ids, (std::vector<std::string>{kResult, kMl}));
  EXPECT_EQ(d.weights, (std::vector<double>{0.5, 1.0}));
  EXPECT_EQ(d.target, (std::vector<double>{5.5, 7.25}));
  EXPECT_EQ(d.at(1, *feature_catalog().index_of("density.elementCounts.object")), 48);
  EXPECT_EQ(d.at(0, *feature_catalog().index_of("video.flow_present:speech_analysis")), 0);
  write_json_atomic(dir / "acquisition" / "selection.json", selection);
  const auto written = write_features(dir.path());
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].rows, 2u);
  EXPECT_EQ(read_dataset_csv(dir / "bucket_0-15s" / "features.csv").video_ids, d.video_ids);
}
