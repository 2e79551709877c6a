// The analysis reader against the real samples in ../shared/rumiai_samples and the layouts the
// schema doc lists (section 3/11), built in temp dirs from those samples.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "core/file_io.h"
#include "features/analysis_reader.h"
#include "features/fast_json.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "features/json_values.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::features;

namespace {

fs::path samples() { return test::shared_dir() / "rumiai_samples"; }
fs::path regenerated() { return samples() / "regenerated_from_head_0ab4b23"; }

double feature(const std::vector<double>& v, const std::string& name) {
  auto idx = feature_catalog().index_of(name);
  EXPECT_TRUE(idx.has_value()) << name;
  return idx ? v[*idx] : NAN;
}

void copy_to(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

}  // namespace

TEST(FlowNames, PrefixMapAndStripping) {
  EXPECT_EQ(kFlowNames.size(), 7u);
  EXPECT_EQ(flow_prefix("visual_overlay_analysis").value(), "visualOverlay");
  EXPECT_EQ(generic_block_name("densityCoreMetrics", "density").value(), "CoreMetrics");
  EXPECT_EQ(generic_block_name("personFramingKeyEvents", "personFraming").value(), "KeyEvents");
  EXPECT_EQ(generic_block_name("Quality", "density").value(), "Quality");
  EXPECT_FALSE(generic_block_name("densityFoo", "density").has_value());
}

TEST(TimeParsing, AllUpstreamFormats) {
  auto r = parse_time_span(std::string_view("12-13s"));
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->first, 12);
  EXPECT_DOUBLE_EQ(r->second, 13);
  EXPECT_DOUBLE_EQ(parse_time_span(std::string_view("5s"))->first, 5);
  Json i = 7, f = 39.95, n = nullptr, junk = "abc";
  EXPECT_DOUBLE_EQ(parse_time_span(&i)->first, 7);
  EXPECT_DOUBLE_EQ(parse_time_span(&f)->first, 39.95);
  EXPECT_FALSE(parse_time_span(&n));
  EXPECT_FALSE(parse_time_span(&junk));
  EXPECT_FALSE(parse_time_span(std::string_view("")));
}

TEST(JsonValues, TypeQuirks) {
  Json j =
      Json::parse(R"({"i": 3, "f": 0.5, "b": true, "s": "2.5", "e": "erratic", "empty": [], "arr": [1], "n": null})");
  EXPECT_DOUBLE_EQ(json_number_or_nan(json_at(&j, "i")), 3);
  EXPECT_DOUBLE_EQ(json_number_or_nan(json_at(&j, "b")), 1);
  EXPECT_DOUBLE_EQ(json_number_or_nan(json_at(&j, "s")), 2.5);
  EXPECT_TRUE(std::isnan(json_number_or_nan(json_at(&j, "e"))));
  EXPECT_DOUBLE_EQ(json_number_or_nan(json_at(&j, "empty")), 0);  // framingChanges: []
  EXPECT_TRUE(std::isnan(json_number_or_nan(json_at(&j, "arr"))));
  EXPECT_TRUE(std::isnan(json_number_or_nan(json_at(&j, "n"))));
  EXPECT_TRUE(std::isnan(json_number_or_nan(json_at(&j, "missing"))));
}

TEST(FastJson, AcceptsPythonNaNAndRejectsGarbage) {
  Json j = parse_json_fast(R"({"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"})", "x.json");
  EXPECT_TRUE(j["a"].is_null());
  EXPECT_TRUE(j["b"][1].is_null());
  EXPECT_EQ(j["c"], "NaN");
  EXPECT_THROW(parse_json_fast("{\"a\": ", "bad.json"), InputError);
  Json big = parse_json_fast(R"({"id": 7280654844715666731, "u": 18446744073709551615})", "x.json");
  EXPECT_EQ(big["id"].get<std::uint64_t>(), 7280654844715666731ull);
}

TEST(Reader, FlatPrefixedSamplesOfTheCommittedEraB) {
  RUMI_REQUIRE_SHARED(regenerated());
  LoadedAnalysis a = load_analysis_from_dir(samples(), "7280654844715666731");
  // The flat files and the regenerated _ml files are both present; _ml wins at equal (empty) timestamps.
  EXPECT_TRUE(a.missing_flows.empty());
  for (auto flow : kFlowNames) {
    ASSERT_TRUE(a.flows.contains(std::string(flow))) << flow;
    for (auto block : kBlockNames)
      EXPECT_TRUE(a.flows[std::string(flow)].contains(std::string(block))) << flow << block;
  }
  EXPECT_EQ(a.sources.at("creative_density"),
            "regenerated_from_head_0ab4b23/7280654844715666731_creative_density_ml.json");
  // metadata exists only as the flat old form for this id.
  EXPECT_EQ(a.sources.at("metadata_analysis"), "7280654844715666731_metadata_analysis.json");
  EXPECT_DOUBLE_EQ(a.flows["metadata_analysis"]["CoreMetrics"]["videoDuration"].get<double>(), 79.9);
}

TEST(Reader, OnlyFlatPrefixedFiles) {
  RUMI_REQUIRE_SHARED(samples());
  test::TempDir tmp;
  for (auto flow : kFlowNames)
    copy_to(samples() / ("7280654844715666731_" + std::string(flow) + ".json"),
            tmp / ("7280654844715666731_" + std::string(flow) + ".json"));
  LoadedAnalysis a = load_analysis_from_dir(tmp.path(), "7280654844715666731");
  EXPECT_TRUE(a.missing_flows.empty());
  EXPECT_EQ(a.flows["creative_density"]["CoreMetrics"]["elementCounts"]["effect"], 0);
  EXPECT_EQ(a.flows["creative_density"]["CoreMetrics"]["elementCounts"]["expression"], 37);
  auto v = extract_features(a, 79.9);
  ASSERT_EQ(v.size(), feature_catalog().size());
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCounts.object"), 1169);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCounts.effect"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.rhythmConsistency"), -1.221);
  // The old visual overlay form lacks totalTextOverlays -> NaN, not 0.
  EXPECT_TRUE(std::isnan(feature(v, "overlay.totalTextOverlays")));
  // person_framing sample: framingChanges is [] -> 0.
  EXPECT_DOUBLE_EQ(feature(v, "framing.framingChanges"), 0);
}

TEST(Reader, InsightsLayoutNewestTimestampWinsAndCompleteWrapper) {
  RUMI_REQUIRE_SHARED(regenerated());
  test::TempDir tmp;
  const std::string id = "7280654844715666731";
  const fs::path base = tmp / "insights" / id;
  copy_to(regenerated() / (id + "_creative_density_ml.json"),
          base / "creative_density" / "creative_density_ml_20250820_120000.json");
  // An older run with a different value must lose.
  Json old = read_json_file(regenerated() / (id + "_creative_density_ml.json"));
  old["CoreMetrics"]["elementCounts"]["object"] = 5;
  write_json_atomic(base / "creative_density" / "creative_density_ml_20250819_120000.json", old);
  // _complete wrapper (parsed_response) for metadata, from the other sample video relabelled.
  Json complete = read_json_file(regenerated() / "7522345762324237623_metadata_analysis_complete.json");
  write_json_atomic(base / "metadata_analysis" / "metadata_analysis_complete_20250820_120000.json", complete);
  // _result (prefixed) only for speech.
  Json prefixed = read_json_file(samples() / (id + "_speech_analysis.json"));
  write_json_atomic(base / "speech_analysis" / "speech_analysis_result_20250820_120000.json", prefixed);
  // 08-07 PromptResult era: stringified response only, for scene pacing.
  Json scene = read_json_file(samples() / (id + "_scene_pacing.json"));
  write_json_atomic(
      base / "scene_pacing" / "scene_pacing_complete_20250808_120000.json",
      Json{{"prompt_type", "scene_pacing"}, {"success", true}, {"response", scene.dump()}, {"processing_time", 0.001}});

  LoadedAnalysis a = load_analysis_from_dir(tmp.path(), id);
  EXPECT_EQ(a.missing_flows,
            (std::vector<std::string>{"emotional_journey", "person_framing", "visual_overlay_analysis"}));
  EXPECT_EQ(a.flows["creative_density"]["CoreMetrics"]["elementCounts"]["object"], 1169);
  EXPECT_EQ(a.flows["metadata_analysis"]["CoreMetrics"]["captionLength"], 128);
  EXPECT_TRUE(a.flows["speech_analysis"].contains("CoreMetrics"));
  EXPECT_TRUE(a.flows["scene_pacing"].contains("Patterns"));
  EXPECT_EQ(a.sources["creative_density"],
            "insights/" + id + "/creative_density/creative_density_ml_20250820_120000.json");

  // 3 flows missing: the vector still has catalog size, missing flows are NaN, presence flags 0.
  auto v = extract_features(a, 18.0);
  ASSERT_EQ(v.size(), feature_catalog().size());
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCounts.object"), 1169);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCounts.object_per_s"), 1169 / 18.0);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCooccurrence.object_text"), 30);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCooccurrence.pairs"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCooccurrence.entropy"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "density.dominantCombination=object_text"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "density.structuralFlags.strongOpeningHook"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "meta.captionLength"), 128);
  EXPECT_DOUBLE_EQ(feature(v, "meta.hashtagStrategy=moderate"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "meta.hashtagStrategy=other"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "scene.totalScenes"), 0);
  EXPECT_TRUE(std::isnan(feature(v, "overlay.timeToFirstOverlay")));
  EXPECT_TRUE(std::isnan(feature(v, "framing.faceVisibilityRate")));
  EXPECT_DOUBLE_EQ(feature(v, "video.flow_present:person_framing"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "video.flow_present:creative_density"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "video.duration_s"), 18.0);
}

TEST(Reader, RegeneratedSampleValues) {
  RUMI_REQUIRE_SHARED(regenerated());
  LoadedAnalysis a = load_analysis_from_dir(regenerated(), "7280654844715666731");
  EXPECT_EQ(a.missing_flows, std::vector<std::string>{"metadata_analysis"});
  auto v = extract_features(a, 79.9);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCounts.object"), 1169);
  EXPECT_DOUBLE_EQ(feature(v, "density.elementCounts.text"), 156);
  EXPECT_TRUE(std::isnan(feature(v, "density.elementCounts.effect")));  // gone at HEAD
  EXPECT_DOUBLE_EQ(feature(v, "density.sceneChangeCount"), 28);
  EXPECT_DOUBLE_EQ(feature(v, "density.accelerationPattern=front_loaded"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "density.densityCurve.max"), 54);
  EXPECT_DOUBLE_EQ(feature(v, "density.densityCurve.first_active_pos"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "density.deadZones.count"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "density.deadZones.share"), 20 / 79.9);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.totalTextOverlays"), 39);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.timeToFirstOverlay"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.timeToFirstOverlay.hook_3s"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.ctaMoments.count"), 2);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.ctaMoments.first_pos"), 5 / 79.9);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.ctaMoments.ctaType_share:buy"), 0.5);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.ctaMoments.last_third"), 1);  // 71 s of 79.9
  EXPECT_DOUBLE_EQ(feature(v, "overlay.climaxMoment_pos"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.climaxMoment_present"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.overlayTechniques:direct_cta"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "overlay.overlayTechniques:rhythmic_timing"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "emotion.climaxMoment_present"), 0);  // null
  EXPECT_TRUE(std::isnan(feature(v, "emotion.climaxMoment_pos")));
  EXPECT_DOUBLE_EQ(feature(v, "emotion.resolutionMoment_present"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "scene.totalScenes"), 29);
  EXPECT_DOUBLE_EQ(feature(v, "scene.rhythmConsistency=erratic"), 1);  // the string enum
  EXPECT_DOUBLE_EQ(feature(v, "scene.editingStyle=experimental"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "speech.wordsPerMinute"), 218.5);
  EXPECT_DOUBLE_EQ(feature(v, "speech.wpmProgression.max"), 240);
  EXPECT_DOUBLE_EQ(feature(v, "speech.wpmProgression.hook_3s"), 240);
  EXPECT_DOUBLE_EQ(feature(v, "speech.climaxMoment.timestamp_pos"), 39.95 / 79.9);
  EXPECT_DOUBLE_EQ(feature(v, "speech.burstPattern=unavailable"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "framing.framingChanges"), 0);
  EXPECT_DOUBLE_EQ(feature(v, "framing.framingProgression.time_share:none"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "framing.gazeSteadiness=unknown"), 1);
}

TEST(Reader, MetadataCompleteAndMlAgree) {
  RUMI_REQUIRE_SHARED(regenerated());
  LoadedAnalysis a = load_analysis_from_dir(regenerated(), "7522345762324237623");
  EXPECT_EQ(a.missing_flows.size(), 6u);
  EXPECT_EQ(a.sources["metadata_analysis"], "7522345762324237623_metadata_analysis_ml.json");
  test::TempDir tmp;
  copy_to(regenerated() / "7522345762324237623_metadata_analysis_complete.json",
          tmp / "7522345762324237623_metadata_analysis_complete.json");
  LoadedAnalysis b = load_analysis_from_dir(tmp.path(), "7522345762324237623");
  EXPECT_EQ(a.flows, b.flows);
  auto v = extract_features(b, 18.0);
  EXPECT_DOUBLE_EQ(feature(v, "meta.hashtagCount"), 3);
  EXPECT_DOUBLE_EQ(feature(v, "meta.primaryEmojis.count"), 1);
  EXPECT_DOUBLE_EQ(feature(v, "meta.hashtagBreakdown.niche"), 3);
}

TEST(Reader, ErrorsNameTheFile) {
  test::TempDir tmp;
  write_file_atomic(tmp / "1234567_speech_analysis.json", "{not json");
  try {
    load_analysis_from_dir(tmp.path(), "1234567");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1234567_speech_analysis.json"), std::string::npos) << e.what();
  }
  write_file_atomic(tmp / "1234567_speech_analysis.json", R"({"video_id": "999", "CoreMetrics": {}})");
  EXPECT_THROW(load_analysis_from_dir(tmp.path(), "1234567"), InputError);
  write_file_atomic(tmp / "1234567_speech_analysis.json", R"({"nothing": 1})");
  EXPECT_THROW(load_analysis_from_dir(tmp.path(), "1234567"), InputError);
  // An unknown id just has every flow missing.
  write_file_atomic(tmp / "1234567_speech_analysis.json", R"({"CoreMetrics": {}})");
  EXPECT_EQ(load_analysis_from_dir(tmp.path(), "4567890").missing_flows.size(), 7u);
  EXPECT_THROW(load_analysis_from_dir(tmp / "nope", "1"), InputError);
}

TEST(MergedAnalysis, RoundTripsAndValidates) {
  RUMI_REQUIRE_SHARED(regenerated());
  LoadedAnalysis a = load_analysis_from_dir(regenerated(), "7280654844715666731");
  test::TempDir tmp;
  const fs::path file = tmp / "7280654844715666731_analysis.json";
  Json j = merged_analysis_json(a, "replay");
  EXPECT_EQ(j["format"], "rumi-analysis");
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["missing_flows"], Json::array({"metadata_analysis"}));
  write_json_atomic(file, j);
  LoadedAnalysis b = read_merged_analysis(file);
  EXPECT_EQ(b.video_id, a.video_id);
  EXPECT_EQ(b.flows, a.flows);
  EXPECT_EQ(b.missing_flows, a.missing_flows);
  EXPECT_EQ(b.sources, a.sources);
  EXPECT_EQ(extract_features(a, 79.9).size(), extract_features(b, 79.9).size());
  j["format_version"] = 2;
  write_json_atomic(file, j);
  EXPECT_THROW(read_merged_analysis(file), InputError);
}
