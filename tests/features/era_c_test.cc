// RumiAI era C (temporal windows): reading the real sample and the repository's own fixtures in a
// replay directory, the mapping onto the windows.* columns with its "not measured" rules, the
// merged file (format 2) on both JSON paths, bad input, and the one-era-per-bucket rule.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "core/rng.h"
#include "features/analysis_reader.h"
#include "features/bucket_dataset.h"
#include "features/era_c.h"
#include "features/fast_extract.h"
#include "features/fast_json.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::features;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* kSampleId = "7515687288257465630";
const char* kEarlyId = "7400000000000000011";  // tests/fixtures/era_c/README.md
const char* kLateId = "7400000000000000022";

fs::path fixtures() { return test::source_dir() / "tests" / "fixtures" / "era_c"; }
fs::path samples() { return test::shared_dir() / "rumiai_samples"; }

double col(const std::vector<double>& v, const std::string& name) {
  const auto i = feature_catalog().index_of(name);
  if (!i) {
    ADD_FAILURE() << "no column " << name;
    return kNaN;
  }
  return v[*i];
}

std::vector<double> features_of(const fs::path& dir, const std::string& id, double duration = kNaN,
                                std::vector<std::string>* warnings = nullptr) {
  return extract_features(load_analysis_from_dir(dir, id), duration, warnings);
}

Json fixture_doc(const std::string& id) {
  return read_json_file(fixtures() / "insights" / (id + "_temporal_windows_updated.json"));
}

// The era-B columns are exactly those before the first era-C one.
std::size_t first_windows_column() { return *feature_catalog().index_of("video.flow_present:temporal_windows"); }

}  // namespace

TEST(EraC, CatalogHasVersionTwoAndPlainPhrases) {
  const auto& cat = feature_catalog();
  EXPECT_EQ(cat.version, "rumi-features-2");
  const auto& infos = temporal_window_features();
  ASSERT_EQ(infos.size(), 169u);  // 1 + 3 windows x (41 measurements + 8 + 5 categories) + 6 caption/time
  EXPECT_EQ(cat.size() - first_windows_column(), infos.size());  // appended after the era-B columns
  for (const auto& f : infos) {
    EXPECT_TRUE(f.name == "video.flow_present:temporal_windows" || f.name.rfind("windows.", 0) == 0) << f.name;
    EXPECT_FALSE(f.phrase.empty()) << f.name;
    EXPECT_EQ(f.phrase.find('_'), std::string::npos) << f.name << ": " << f.phrase;  // words, not keys
    EXPECT_EQ(f.source.rfind("temporal_windows", 0), 0u) << f.source;
    for (const char* bad : {"digg", "play_count", "share_count", "comment_count", "collect_count", "gender"})
      EXPECT_EQ(f.source.find(bad), std::string::npos) << f.source;
  }
  EXPECT_EQ(cat.features[*cat.index_of("windows.hook.word_count")].phrase,
            "number of spoken words in the first 3 seconds");
  EXPECT_EQ(cat.features[*cat.index_of("windows.middle.word_count_per_s")].phrase,
            "spoken words per second in the middle");
  EXPECT_EQ(cat.features[*cat.index_of("windows.closing.has_speech_cta")].kind, FeatureKind::flag);
  EXPECT_EQ(cat.features[*cat.index_of("windows.hook.burst_pattern=other")].group,
            "temporal_windows.hook.burst_pattern");
}

TEST(EraC, RealSampleIsReadFromAReplayDirectory) {
  if (!fs::exists(samples() / (std::string(kSampleId) + "_temporal_windows_test.json")))
    GTEST_SKIP() << "needs " << samples().string()
                 << " (shared data beside the checkout, absent here); EraC.FixtureMapping covers the code path";
  // The samples folder also holds era-B files of other videos: the index keeps them apart.
  const AnalysisIndex index = index_analysis_dir(samples());
  const LoadedAnalysis a = load_analysis(index, kSampleId);
  EXPECT_EQ(a.era, "C");
  EXPECT_TRUE(a.missing_flows.empty());
  EXPECT_EQ(a.sources.at("temporal_windows"), std::string(kSampleId) + "_temporal_windows_test.json");
  EXPECT_EQ(load_analysis(index, "7280654844715666731").era, "B");

  std::vector<std::string> warnings;
  const auto v = extract_features(a, kNaN, &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_EQ(col(v, "video.duration_s"), 44.0);  // from the document when the selection has none
  EXPECT_EQ(col(v, "video.flow_present:temporal_windows"), 1.0);
  EXPECT_EQ(col(v, "video.flow_present:creative_density"), 0.0);
  for (std::size_t i = 0; i < first_windows_column(); ++i) {
    const std::string& name = feature_catalog().features[i].name;
    if (name == "video.duration_s" || name.rfind("video.flow_present:", 0) == 0) continue;
    EXPECT_TRUE(std::isnan(v[i])) << name << " is an era-B column";
  }
  EXPECT_EQ(col(v, "windows.hook.object_count"), 17);
  EXPECT_EQ(col(v, "windows.hook.word_count"), 11);
  EXPECT_DOUBLE_EQ(col(v, "windows.hook.joy_ratio"), 2.0 / 3);
  EXPECT_DOUBLE_EQ(col(v, "windows.hook.emotional_valence"), 2.0 / 3 - 1.0 / 3);  // joy - sadness
  EXPECT_EQ(col(v, "windows.hook.dominant_emotion=joy"), 1);
  EXPECT_EQ(col(v, "windows.hook.burst_pattern=back_loaded"), 1);
  EXPECT_EQ(col(v, "windows.hook.has_captions"), 1);
  EXPECT_NEAR(col(v, "windows.middle.object_count_per_s"), 321.0 / 38.0, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.eye_contact_rate"), 0.7363835046527777, 1e-12);
  EXPECT_EQ(col(v, "windows.middle.person_count"), 1);
  EXPECT_EQ(col(v, "windows.middle.max_density"), 19);
  EXPECT_DOUBLE_EQ(col(v, "windows.middle.burst_pattern_share:back_loaded"), 0.6);
  EXPECT_DOUBLE_EQ(col(v, "windows.middle.burst_pattern_share:middle_peak"), 0.4);
  EXPECT_EQ(col(v, "windows.closing.word_count"), 17);
  EXPECT_TRUE(std::isnan(col(v, "windows.closing.overlay_persistence")));  // no overlay in the closing
  EXPECT_EQ(col(v, "windows.closing.dominant_emotion=neutral"), 1);
  EXPECT_EQ(col(v, "windows.caption.length"), 143);
  EXPECT_EQ(col(v, "windows.caption.hashtag_count"), 3);
  EXPECT_EQ(col(v, "windows.caption.generic_ratio"), 0);
  EXPECT_EQ(col(v, "windows.publish_hour"), 6);
  EXPECT_EQ(col(v, "windows.publish_day_of_week"), 5);  // 2025-06-14 was a Saturday
}

TEST(EraC, FixtureMapping) {
  std::vector<std::string> warnings;
  const auto v = features_of(fixtures(), kEarlyId, kNaN, &warnings);
  EXPECT_EQ(col(v, "video.duration_s"), 10.0);
  // Hook: counts as measured; emotion summary derived from the shares as upstream does.
  EXPECT_EQ(col(v, "windows.hook.object_count"), 4);
  EXPECT_DOUBLE_EQ(col(v, "windows.hook.emotional_valence"), 0.5 - 1.0 / 6);
  EXPECT_EQ(col(v, "windows.hook.emotion_consistency"), 0.5);
  EXPECT_EQ(col(v, "windows.hook.dominant_emotion=joy"), 1);
  EXPECT_EQ(col(v, "windows.hook.dominant_emotion=neutral"), 0);
  EXPECT_EQ(col(v, "windows.hook.burst_pattern=front_loaded"), 1);
  EXPECT_EQ(col(v, "windows.hook.has_greeting"), 1);
  EXPECT_EQ(col(v, "windows.hook.overlay_persistence"), 1.25);
  EXPECT_TRUE(std::isnan(col(v, "windows.hook.average_face_size")));  // not in the early key set
  // Middle: per second, duration-weighted means, extremes, shares; segment 2 read no face.
  EXPECT_NEAR(col(v, "windows.middle.object_count_per_s"), 1.5, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.word_count_per_s"), 3.0, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.speech_coverage"), 0.75, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.has_question"), 2.0 / 3, 1e-12);
  EXPECT_EQ(col(v, "windows.middle.person_count"), 2);
  EXPECT_NEAR(col(v, "windows.middle.joy_ratio"), 0.5, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.emotional_valence"), 0.5, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.dominant_emotion_share:joy"), 0.5, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.dominant_emotion_share:neutral"), 0.5, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.none_ratio"), 1.0 / 3, 1e-12);
  EXPECT_TRUE(std::isnan(col(v, "windows.middle.overlay_persistence")));  // no overlay anywhere
  EXPECT_EQ(col(v, "windows.middle.overlay_coverage"), 0);                // ... which is a measurement
  EXPECT_EQ(col(v, "windows.middle.shortest_scene"), 0.25);
  EXPECT_EQ(col(v, "windows.middle.longest_scene"), 1.0);
  EXPECT_NEAR(col(v, "windows.middle.avg_pitch_normalized"), 1.1, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.pitch_range_norm"), 0.7, 1e-12);  // segment 2's 0 range: too few frames
  EXPECT_EQ(col(v, "windows.middle.energy_max"), 0.5);
  EXPECT_NEAR(col(v, "windows.middle.burst_pattern_share:back_loaded"), 2.0 / 3, 1e-12);
  EXPECT_NEAR(col(v, "windows.middle.burst_pattern_share:middle_peak"), 1.0 / 3, 1e-12);
  // Closing: what upstream fills with 0 for "nothing to measure" is NaN here.
  for (const char* name :
       {"windows.closing.overlay_persistence", "windows.closing.eye_contact_rate", "windows.closing.gaze_variance",
        "windows.closing.shortest_scene", "windows.closing.longest_scene", "windows.closing.scene_duration_variance",
        "windows.closing.avg_pitch_normalized", "windows.closing.pitch_range_norm"})
    EXPECT_TRUE(std::isnan(col(v, name))) << name;
  EXPECT_EQ(col(v, "windows.closing.overlay_unique_count"), 0);
  EXPECT_EQ(col(v, "windows.closing.dominant_emotion=surprise"), 1);
  EXPECT_EQ(col(v, "windows.closing.emotional_valence"), 0);  // surprise is neither positive nor negative
  EXPECT_EQ(col(v, "windows.closing.has_speech_cta"), 1);
  EXPECT_EQ(col(v, "windows.closing.burst_pattern=other"), 1);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("rising_weirdly"), std::string::npos) << warnings[0];
  // Caption and posting time (-02:00 on Saturday 23:30 is Sunday 01:30 UTC).
  EXPECT_EQ(col(v, "windows.caption.length"), 25);  // code points: the emoji counts once
  EXPECT_EQ(col(v, "windows.caption.hashtag_count"), 2);
  EXPECT_EQ(col(v, "windows.caption.generic_ratio"), 0.5);
  EXPECT_EQ(col(v, "windows.publish_hour"), 1);
  EXPECT_EQ(col(v, "windows.publish_day_of_week"), 6);
}

TEST(EraC, LaterKeySetAndNoAudio) {
  const auto v = features_of(fixtures(), kLateId, 5.0);
  EXPECT_EQ(col(v, "windows.hook.dominant_emotion=joy"), 1);
  EXPECT_EQ(col(v, "windows.hook.emotional_valence"), 1.0);
  EXPECT_EQ(col(v, "windows.hook.average_face_size"), 0.12);
  EXPECT_TRUE(std::isnan(col(v, "windows.hook.joy_ratio")));  // the later key set has no shares
  EXPECT_EQ(col(v, "windows.hook.speech_coverage"), 0);       // no speech is a measurement
  EXPECT_EQ(col(v, "windows.closing.dominant_emotion=surprise"), 1);
  EXPECT_EQ(col(v, "windows.closing.emotion_consistency"), 0.5);
  // Loudness 0 in every window: the audio energy was not measured.
  for (const char* w : {"hook", "closing"}) {
    const std::string p = std::string("windows.") + w + ".";
    EXPECT_TRUE(std::isnan(col(v, p + "energy_level"))) << w;
    EXPECT_TRUE(std::isnan(col(v, p + "energy_max"))) << w;
    EXPECT_TRUE(std::isnan(col(v, p + "burst_pattern=steady"))) << w;
  }
  // A 5-s video has no middle segments: every middle column is NaN, not 0.
  for (const auto& f : temporal_window_features()) {
    if (f.name.rfind("windows.middle.", 0) == 0) {
      EXPECT_TRUE(std::isnan(col(v, f.name))) << f.name;
    }
  }
  EXPECT_EQ(col(v, "windows.caption.length"), 0);
  EXPECT_TRUE(std::isnan(col(v, "windows.caption.generic_ratio")));  // no hashtags: no share
  EXPECT_EQ(col(v, "windows.publish_hour"), 12);
  EXPECT_EQ(col(v, "windows.publish_day_of_week"), 0);
}

TEST(EraC, EraBAnalysesLeaveTheWindowsColumnsNaN) {
  LoadedAnalysis b;
  b.video_id = "1";
  b.flows["scene_pacing"] = {{"CoreMetrics", {{"totalScenes", 4}}}};
  const auto v = extract_features(b, 12.0);
  EXPECT_EQ(col(v, "scene.totalScenes"), 4);
  EXPECT_EQ(col(v, "video.flow_present:temporal_windows"), 0);
  for (std::size_t i = first_windows_column() + 1; i < v.size(); ++i)
    EXPECT_TRUE(std::isnan(v[i])) << feature_catalog().features[i].name;
}

TEST(EraC, TargetCountsNeverChangeTheVector) {
  LoadedAnalysis a = load_analysis_from_dir(fixtures(), kEarlyId);
  const auto before = extract_features(a, 10.0);
  Json& meta = a.flows["temporal_windows"]["metadata"];
  meta["digg_count"] = 1;
  meta["play_count"] = 999999999;
  meta["share_count"] = 77;
  meta["comment_count"] = 5;
  meta["collect_count"] = 3;
  meta["gender_detection"] = {{"gender", "male"}, {"confidence", 0.9}};
  const auto after = extract_features(a, 10.0);
  for (std::size_t i = 0; i < before.size(); ++i)
    EXPECT_TRUE(before[i] == after[i] || (std::isnan(before[i]) && std::isnan(after[i])))
        << feature_catalog().features[i].name;
}

TEST(EraC, MergedFileIsVersionTwoAndBothPathsAgree) {
  const LoadedAnalysis a = load_analysis_from_dir(fixtures(), kEarlyId);
  const Json merged = merged_analysis_json(a, "replay");
  EXPECT_EQ(merged["format_version"], 2);
  EXPECT_EQ(merged["era"], "C");
  EXPECT_EQ(merged["missing_flows"], Json::array());
  EXPECT_EQ(merged["sources"]["temporal_windows"], "insights/7400000000000000011_temporal_windows_updated.json");
  const LoadedAnalysis back = merged_analysis_from_json(merged, "m.json");
  EXPECT_EQ(back.era, "C");
  const auto expected = extract_features(a, 10.0);
  const auto old_path = extract_features(back, 10.0);
  std::vector<double> fast(feature_catalog().size(), kNaN);
  MergedAnalysisExtractor ex;
  std::string era;
  EXPECT_EQ(ex.extract_text(merged.dump(), "m.json", 10.0, fast, nullptr, &era), kEarlyId);
  EXPECT_EQ(era, "C");
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const bool nan = std::isnan(expected[i]);
    EXPECT_TRUE(nan ? std::isnan(old_path[i]) : old_path[i] == expected[i]) << feature_catalog().features[i].name;
    EXPECT_TRUE(nan ? std::isnan(fast[i]) : std::memcmp(&fast[i], &expected[i], sizeof(double)) == 0)
        << feature_catalog().features[i].name;
  }
  // Era-B merged files keep version 1 and no era key, byte for byte as before.
  LoadedAnalysis b;
  b.video_id = "5";
  b.flows["scene_pacing"] = {{"CoreMetrics", {{"totalScenes", 4}}}};
  const Json mb = merged_analysis_json(b, "replay");
  EXPECT_EQ(mb["format_version"], 1);
  EXPECT_FALSE(mb.contains("era"));
}

// Random edits of an era-C merged document: both JSON paths accept and refuse the same ones and
// give the same bits (the era-B version of this runs in fast_extract_test.cc).
TEST(EraC, FuzzedDocumentsAgreeOnBothPaths) {
  const Json merged = merged_analysis_json(load_analysis_from_dir(fixtures(), kEarlyId), "replay");
  MergedAnalysisExtractor ex;
  Rng rng = make_rng(5, "era-c-fuzz");
  const std::vector<Json> swaps = {Json(), Json("x"), Json(true), Json::array(), Json::object(), Json(-1), Json("3.5")};
  int accepted = 0;
  for (int k = 0; k < 300; ++k) {
    Json doc = merged;
    for (int e = 0; e < 3; ++e) {
      // Walk to a random node and remove or replace one of its members.
      Json* cur = &doc;
      for (int depth = 0; depth < 5; ++depth) {
        if (!cur->is_structured() || cur->empty()) break;
        auto it = cur->begin();
        std::advance(it, static_cast<long>(uniform_index(rng, cur->size())));
        if (depth >= 1 && uniform_index(rng, 3) == 0) {
          if (uniform_index(rng, 2) == 0 && cur->is_object())
            cur->erase(std::string(it.key()));
          else
            *it = swaps[uniform_index(rng, swaps.size())];
          break;
        }
        cur = &*it;
      }
    }
    const std::string text = doc.dump();
    bool old_threw = false, fast_threw = false;
    std::vector<double> old_v, fast_v(feature_catalog().size(), kNaN);
    try {
      old_v = extract_features(merged_analysis_from_json(parse_json_fast(text, "d.json"), "d.json"), kNaN);
    } catch (const std::exception&) {
      old_threw = true;
    }
    try {
      ex.extract_text(text, "d.json", kNaN, fast_v);
    } catch (const InputError&) {
      fast_threw = true;
    }
    ASSERT_EQ(old_threw, fast_threw) << text;
    if (old_threw) continue;
    ++accepted;
    for (std::size_t i = 0; i < old_v.size(); ++i)
      ASSERT_TRUE((std::isnan(old_v[i]) && std::isnan(fast_v[i])) || std::memcmp(&old_v[i], &fast_v[i], 8) == 0)
          << feature_catalog().features[i].name << " " << text;
  }
  EXPECT_GT(accepted, 100);
}

TEST(EraC, BadInputNamesFileRecordAndField) {
  test::TempDir tmp;
  const fs::path dir = tmp / "insights";
  fs::create_directories(dir);
  auto expect_error = [&](const Json& doc, const std::string& needle) {
    write_json_atomic(dir / "7400000000000000099_temporal_windows_updated.json", doc);
    try {
      load_analysis_from_dir(tmp.path(), "7400000000000000099");
      ADD_FAILURE() << "accepted: " << doc.dump();
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("7400000000000000099_temporal_windows_updated.json"), std::string::npos) << what;
      EXPECT_NE(what.find(needle), std::string::npos) << what;
      EXPECT_EQ(e.code(), ExitCode::bad_input);
    }
  };
  Json good = fixture_doc(kEarlyId);
  good["video_id"] = "7400000000000000099";
  good["metadata"]["video_id"] = "7400000000000000099";
  Json d = good;
  d.erase("temporal_windows");
  expect_error(d, "temporal_windows");
  d = good;
  d["temporal_windows"]["middle_segments"][1] = 5;
  expect_error(d, "temporal_windows.middle_segments[1]");
  d = good;
  d["temporal_windows"]["hook"] = "x";
  expect_error(d, "hook");
  d = good;
  d["duration"] = -3;
  expect_error(d, "duration");
  d = good;
  d["video_id"] = "7400000000000000011";
  expect_error(d, "names video 7400000000000000011");
  d = good;
  d["metadata"]["video_id"] = "7400000000000000011";
  expect_error(d, "metadata");
  write_file_atomic(dir / "7400000000000000099_temporal_windows_updated.json", "{\"temporal_windows\": ");
  EXPECT_THROW(load_analysis_from_dir(tmp.path(), "7400000000000000099"), InputError);
  // A merged era-C file without its document, or with an unknown era.
  Json m = merged_analysis_json(load_analysis_from_dir(fixtures(), kEarlyId), "replay");
  m["flows"].erase("temporal_windows");
  EXPECT_THROW(merged_analysis_from_json(m, "m.json"), InputError);
  m = merged_analysis_json(load_analysis_from_dir(fixtures(), kEarlyId), "replay");
  m["era"] = "D";
  EXPECT_THROW(merged_analysis_from_json(m, "m.json"), InputError);
}

TEST(EraC, NewestFileWinsAndEraCBeatsEraBOfTheSameVideo) {
  test::TempDir tmp;
  const fs::path ins = tmp / "insights";
  fs::create_directories(ins / kEarlyId / "scene_pacing");
  Json older = fixture_doc(kEarlyId);
  older["processing_timestamp"] = 1.0;
  older["temporal_windows"]["hook"]["object_count"] = 99;
  write_json_atomic(ins / (std::string(kEarlyId) + "_temporal_windows_updated.json"), older);
  write_json_atomic(tmp / "later" / (std::string(kEarlyId) + "_temporal_windows_test.json"), fixture_doc(kEarlyId));
  write_json_atomic(ins / kEarlyId / "scene_pacing" / "scene_pacing_ml_20250801_120000.json",
                    Json{{"CoreMetrics", {{"totalScenes", 4}}}});
  const LoadedAnalysis a = load_analysis_from_dir(tmp.path(), kEarlyId);
  EXPECT_EQ(a.era, "C");
  EXPECT_EQ(a.sources.at("temporal_windows"), "later/7400000000000000011_temporal_windows_test.json");
  EXPECT_EQ(col(extract_features(a, 10.0), "windows.hook.object_count"), 4);
  EXPECT_TRUE(std::isnan(col(extract_features(a, 10.0), "scene.totalScenes")));
  ASSERT_EQ(a.warnings.size(), 2u);
  EXPECT_NE(a.warnings[1].find("era-B flow file"), std::string::npos) << a.warnings[1];
}

TEST(EraC, ABucketMixingErasIsRefusedAndOneEraIsRead) {
  test::TempDir tmp;
  const fs::path videos = tmp / "bucket_0-15s" / "videos";
  fs::create_directories(videos);
  Json selected = Json::array();
  for (const char* id : {kEarlyId, kLateId}) {
    write_json_atomic(videos / (std::string(id) + "_analysis.json"),
                      merged_analysis_json(load_analysis_from_dir(fixtures(), id), "replay"));
    selected.push_back({{"video_id", id}, {"er", 4.0}, {"duration_s", 10.0}});
  }
  Json selection = {{"buckets", {{"0-15s", {{"selected", selected}}}}}};
  const Dataset d = build_bucket_dataset(tmp.path(), *parse_bucket("0-15s"), selection);
  ASSERT_EQ(d.rows(), 2u);
  EXPECT_EQ(d.x[*feature_catalog().index_of("windows.hook.object_count")], 4);

  LoadedAnalysis b;
  b.video_id = "7400000000000000033";
  b.flows["scene_pacing"] = {{"CoreMetrics", {{"totalScenes", 4}}}};
  write_json_atomic(videos / "7400000000000000033_analysis.json", merged_analysis_json(b, "replay"));
  selection["buckets"]["0-15s"]["selected"].push_back({{"video_id", b.video_id}, {"er", 3.0}});
  try {
    build_bucket_dataset(tmp.path(), *parse_bucket("0-15s"), selection);
    ADD_FAILURE() << "a bucket mixing era B and era C was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bucket 0-15s"), std::string::npos) << what;
    EXPECT_NE(what.find("1 era B, e.g. video 7400000000000000033"), std::string::npos) << what;
    EXPECT_NE(what.find("2 era C, e.g. video 7400000000000000011"), std::string::npos) << what;
  }
}

TEST(EraC, CreateTimeFormats) {
  double t = 0;
  ASSERT_TRUE(parse_create_time("2025-06-14T06:25:43+00:00", &t));
  EXPECT_EQ(t, 1749882343);
  ASSERT_TRUE(parse_create_time("2025-06-14T06:25:43Z", &t));
  EXPECT_EQ(t, 1749882343);
  ASSERT_TRUE(parse_create_time("2025-06-14T08:25:43.120+02:00", &t));
  EXPECT_EQ(t, 1749882343);
  ASSERT_TRUE(parse_create_time("1749882343", &t));
  EXPECT_EQ(t, 1749882343);
  for (const char* bad : {"", "yesterday", "2025-13-01T00:00:00Z", "2025-06-14", "2025-06-14T06:25:43+0200"})
    EXPECT_FALSE(parse_create_time(bad, &t)) << bad;
}
