// The feature schema: size, stability, no target leakage, robust extraction on hostile input,
// and the bucket dataset stage.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

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
fs::path regenerated() { return test::shared_dir() / "rumiai_samples" / "regenerated_from_head_0ab4b23"; }

LoadedAnalysis full_sample() {
  LoadedAnalysis a = load_analysis_from_dir(regenerated(), "7280654844715666731");
  LoadedAnalysis m = load_analysis_from_dir(regenerated(), "7522345762324237623");
  a.flows["metadata_analysis"] = m.flows["metadata_analysis"];
  a.missing_flows.clear();
  return a;
}
}  // namespace

TEST(Catalog, SizeNamesAndHash) {
  const auto& cat = feature_catalog();
  EXPECT_EQ(cat.version, "rumi-features-2");
  EXPECT_GE(cat.size(), 550u);  // 407 era-B + 169 era-C columns (era_c_test.cc) + native additions
  EXPECT_LE(cat.size(), 640u);
  std::set<std::string> names;
  for (const auto& f : cat.features) {
    EXPECT_TRUE(names.insert(f.name).second) << "duplicate " << f.name;
    EXPECT_FALSE(f.phrase.empty()) << f.name;
    EXPECT_FALSE(f.source.empty()) << f.name;
    if (f.kind == FeatureKind::onehot) {
      EXPECT_FALSE(f.group.empty()) << f.name;
    }
  }
  std::string joined;
  for (const auto& f : cat.features) joined += (joined.empty() ? "" : "\n") + f.name;
  EXPECT_EQ(cat.sha256.size(), 64u);
  EXPECT_EQ(&feature_catalog(), &cat);
  // Every one-hot group has an `other` column.
  std::set<std::string> groups, with_other;
  for (const auto& f : cat.features)
    if (f.kind == FeatureKind::onehot) {
      groups.insert(f.group);
      if (f.name.ends_with("=other")) with_other.insert(f.group);
    }
  EXPECT_EQ(groups, with_other);
  EXPECT_GE(groups.size(), 20u);
}

TEST(Catalog, NeverContainsTheTargetOrRawCounts) {
  for (const auto& f : feature_catalog().features) {
    for (const char* bad : {"engagementRate", "viewCount", "likeCount", "commentCount", "shareCount", "saveCount",
                            "playCount", "diggCount", "collectCount", "engagementVelocity", "Interactions.like"}) {
      EXPECT_EQ(f.name.find(bad), std::string::npos) << f.name;
      EXPECT_EQ(f.source.find(bad), std::string::npos) << f.source;
    }
    EXPECT_NE(f.source.rfind("metadata_analysis.Interactions", 0), 0u) << f.source;
  }
  // Changing the target fields leaves the vector unchanged (here on the real sample; on the
  // repository's fixture in era_b_fixtures_test.cc).
  RUMI_REQUIRE_SHARED(regenerated());
  LoadedAnalysis a = full_sample();
  auto before = extract_features(a, 18.0);
  a.flows["metadata_analysis"]["CoreMetrics"]["engagementRate"] = 99.0;
  a.flows["metadata_analysis"]["CoreMetrics"]["viewCount"] = 1;
  a.flows["metadata_analysis"]["Interactions"] = {{"likeCount", 5}, {"commentCount", 6}, {"shareCount", 7}};
  auto after = extract_features(a, 18.0);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i)
    EXPECT_TRUE(before[i] == after[i] || (std::isnan(before[i]) && std::isnan(after[i])))
        << feature_catalog().features[i].name;
}

TEST(Extraction, NoFlowsAllNaNExceptPresenceAndDuration) {
  LoadedAnalysis empty;
  empty.video_id = "1";
  auto v = extract_features(empty, 20.0);
  ASSERT_EQ(v.size(), feature_catalog().size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto& name = feature_catalog().features[i].name;
    if (name == "video.duration_s") {
      EXPECT_EQ(v[i], 20.0);
    } else if (name.rfind("video.flow_present:", 0) == 0) {
      EXPECT_EQ(v[i], 0.0);
    } else {
      EXPECT_TRUE(std::isnan(v[i])) << name;
    }
  }
  // Duration falls back to metadata videoDuration (the fixture's: era_b_fixtures_test.cc).
  RUMI_REQUIRE_SHARED(regenerated());
  LoadedAnalysis a = full_sample();
  EXPECT_EQ(extract_features(a, NAN)[*feature_catalog().index_of("video.duration_s")], 18.0);
}

// Hostile input: every key of every block removed, or replaced by each odd type, or huge arrays.
// Documented behaviour: never throws, always catalog size, values finite or NaN.
static void fuzz_keys_removed_types_swapped(const LoadedAnalysis& base) {
  const std::vector<Json> odd = {Json(nullptr),
                                 Json::array(),
                                 Json::object(),
                                 Json("12-13s"),
                                 Json("junk"),
                                 Json(-1e308),
                                 Json(true),
                                 Json::array({nullptr, "x", 1, Json::object()}),
                                 Json(std::numeric_limits<double>::quiet_NaN())};
  std::size_t runs = 0;
  auto check = [&](const LoadedAnalysis& a) {
    std::vector<std::string> warnings;
    std::vector<double> v;
    ASSERT_NO_THROW(v = extract_features(a, 30.0, &warnings));
    ASSERT_EQ(v.size(), feature_catalog().size());
    for (double x : v) ASSERT_FALSE(std::isinf(x));
    ++runs;
  };
  for (const auto& [flow, blocks] : base.flows.items()) {
    for (const auto& [block, body] : blocks.items()) {
      if (!body.is_object()) continue;
      for (const auto& [key, val] : body.items()) {
        LoadedAnalysis a = base;
        a.flows[flow][block].erase(key);
        check(a);
        for (const auto& o : odd) {
          LoadedAnalysis b = base;
          b.flows[flow][block][key] = o;
          check(b);
        }
      }
      LoadedAnalysis c = base;
      c.flows[flow][block] = "not an object";
      check(c);
    }
  }
  // Huge arrays and dicts.
  LoadedAnalysis h = base;
  Json curve = Json::array();
  for (int s = 0; s < 200000; ++s) curve.push_back({{"second", s}, {"density", s % 7}, {"primaryElement", "object"}});
  h.flows["creative_density"]["Dynamics"]["densityCurve"] = curve;
  Json cooc = Json::object();
  for (int k = 0; k < 5000; ++k) cooc["x_" + std::to_string(k)] = k;
  h.flows["creative_density"]["Interactions"]["elementCooccurrence"] = cooc;
  std::vector<std::string> warnings;
  auto v = extract_features(h, 30.0, &warnings);
  EXPECT_EQ(v[*feature_catalog().index_of("density.densityCurve.max")], 6);
  EXPECT_EQ(v[*feature_catalog().index_of("density.elementCooccurrence.pairs")], 4999);
  EXPECT_EQ(warnings.size(), 5000u);  // unknown pairs are reported, not silently used
  // An unknown enum value lands in `other` with a warning.
  LoadedAnalysis u = base;
  u.flows["scene_pacing"]["Patterns"]["editingStyle"] = "vaporwave";
  warnings.clear();
  v = extract_features(u, 30.0, &warnings);
  EXPECT_EQ(v[*feature_catalog().index_of("scene.editingStyle=other")], 1);
  EXPECT_EQ(v[*feature_catalog().index_of("scene.editingStyle=experimental")], 0);
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_GT(runs, 500u);
}

TEST(Extraction, FuzzKeysRemovedTypesSwappedNullsHugeArrays) {
  RUMI_REQUIRE_SHARED(regenerated());
  fuzz_keys_removed_types_swapped(full_sample());
}

// The same on the repository's own era-B analysis (tests/fixtures/rumiai_era_b, `_ml` layout).
TEST(Extraction, FuzzKeysRemovedTypesSwappedNullsHugeArraysOnTheFixture) {
  LoadedAnalysis a = load_analysis_from_dir(test::fixtures_dir() / "rumiai_era_b", "7525543521688748043");
  ASSERT_TRUE(a.missing_flows.empty());
  fuzz_keys_removed_types_swapped(a);
}

TEST(BucketDataset, BuildsRowsInSelectionOrderAndWritesCsv) {
  RUMI_REQUIRE_SHARED(regenerated());
  test::TempDir dir;
  const LoadedAnalysis a = full_sample();
  const fs::path videos = dir / "bucket_16-30s" / "videos";
  for (const char* id : {"111111111", "222222222"}) {
    LoadedAnalysis x = a;
    x.video_id = id;
    write_json_atomic(videos / (std::string(id) + "_analysis.json"), merged_analysis_json(x, "replay"));
  }
  Json selection = {{"format", "rumi-selection"},
                    {"format_version", 1},
                    {"buckets",
                     {{"16-30s",
                       {{"selected",
                         {{{"video_id", "222222222"}, {"er", 5.5}, {"weight", 0.5}, {"duration_s", 18.0}},
                          {{"video_id", "333333333"}, {"er", 1.0}, {"weight", 1.0}},
                          {{"video_id", "111111111"}, {"er", 7.25}, {"weight", 1.0}, {"duration_s", 18.0}}}}}}}}};
  Dataset d = build_bucket_dataset(dir.path(), Bucket::s16_30, selection);
  ASSERT_EQ(d.rows(), 2u);  // 333 has no analysis
  EXPECT_EQ(d.video_ids, (std::vector<std::string>{"222222222", "111111111"}));
  EXPECT_EQ(d.weights, (std::vector<double>{0.5, 1.0}));
  EXPECT_EQ(d.target, (std::vector<double>{5.5, 7.25}));
  EXPECT_EQ(d.cols(), feature_catalog().size());
  EXPECT_EQ(d.at(0, *feature_catalog().index_of("density.elementCounts.object")), 1169);
  EXPECT_EQ(build_bucket_dataset(dir.path(), Bucket::s0_15, selection).rows(), 0u);

  write_json_atomic(dir / "acquisition" / "selection.json", selection);
  auto written = write_features(dir.path());
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].rows, 2u);
  Dataset back = read_dataset_csv(dir / "bucket_16-30s" / "features.csv");
  EXPECT_EQ(back.video_ids, d.video_ids);
  EXPECT_EQ(back.feature_names, feature_catalog().names());

  // Broken analysis -> InputError naming the file.
  write_file_atomic(videos / "111111111_analysis.json", "{");
  EXPECT_THROW(build_bucket_dataset(dir.path(), Bucket::s16_30, selection), InputError);
}
