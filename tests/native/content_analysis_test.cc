// The whole native content analysis on videos with known truth (made by the ffmpeg CLI and
// espeak-ng): cuts where the shots change, speech where the sentence was placed, nothing said
// where there is no sound, and only measured fields in the flows.
#include "native/content_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "native/test_media.h"

namespace rumi::native {
namespace {

namespace fs = std::filesystem;
namespace tm = rumi::test::media;

constexpr double kFrame = 1.0 / 30;

tm::VideoSpec four_shots() {
  tm::VideoSpec spec;
  spec.shots = {{1.2, "red", "yellow"}, {0.9, "blue", "cyan"}, {1.5, "green", "white"}, {1.4, "purple", "orange"}};
  return spec;
}

// The four-shot video is analysed once for the tests that only read the result.
const ContentAnalysis& four_shots_analysis() {
  static const ContentAnalysis a = analyse_video_file(tm::make_video(four_shots()), nullptr, ContentOptions{});
  return a;
}

bool has_path(const Json& j, std::initializer_list<const char*> path) {
  const Json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return false;
    cur = &(*cur)[k];
  }
  return true;
}

TEST(ContentAnalysis, FindsTheKnownCutsWithinTwoFrames) {
  RUMI_REQUIRE_FFMPEG();
  const auto spec = four_shots();
  const ContentAnalysis& a = four_shots_analysis();
  const auto truth = tm::cut_times(spec);
  ASSERT_EQ(a.cuts.size(), truth.size()) << "cuts found: " << Json(a.cuts).dump();
  for (std::size_t i = 0; i < truth.size(); ++i) EXPECT_NEAR(a.cuts[i], truth[i], 2 * kFrame + 1e-6) << i;
  EXPECT_NEAR(a.duration_s, 5.0, 0.05);
  const Json& sp = a.flows.at("scene_pacing");
  EXPECT_EQ(sp["CoreMetrics"]["totalScenes"], 4);
  const Json& cd = a.flows.at("creative_density");
  EXPECT_EQ(cd["CoreMetrics"]["sceneChangeCount"], 3);
  EXPECT_EQ(cd["CoreMetrics"]["elementCounts"]["transition"], 3);
}

TEST(ContentAnalysis, WritesOnlyWhatItMeasures) {
  RUMI_REQUIRE_FFMPEG();
  const ContentAnalysis& a = four_shots_analysis();
  const Json& cd = a.flows.at("creative_density");
  // Objects, gestures and stickers are not detected: their counts are absent, and the densities
  // count the measured elements only (native/density.h); RumiAI's constants are left out.
  for (const char* k : {"object", "gesture", "sticker"})
    EXPECT_FALSE(cd["CoreMetrics"]["elementCounts"].contains(k)) << k;
  // Text and faces are measured: none on the gradient shots, so the density is the cuts
  // (1.2, 2.1 and 3.6 s: seconds 1, 2 and 3).
  EXPECT_EQ(cd["CoreMetrics"]["elementCounts"]["text"], 0);
  EXPECT_EQ(cd["CoreMetrics"]["elementCounts"]["expression"], 0);
  EXPECT_EQ(cd["CoreMetrics"]["totalElements"], 3);
  const Json& curve = cd["Dynamics"]["densityCurve"];
  ASSERT_GE(curve.size(), 4u) << curve.dump();
  for (int sec = 0; sec < 4; ++sec) EXPECT_EQ(curve[sec]["density"], sec == 0 ? 0 : 1) << sec;
  EXPECT_EQ(cd["Dynamics"]["emptySeconds"][0], 0);
  for (const char* block : {"CoreMetrics", "Dynamics", "Interactions", "KeyEvents", "Patterns"})
    EXPECT_FALSE(cd[block].contains("confidence")) << block;
  EXPECT_FALSE(cd["Dynamics"].contains("densityProgression"));
  EXPECT_FALSE(cd["Patterns"].contains("mlTags"));
  EXPECT_TRUE(cd["Quality"].empty());
  const Json& vo = a.flows.at("visual_overlay_analysis");
  EXPECT_EQ(vo["CoreMetrics"]["totalTextOverlays"], 0);
  EXPECT_DOUBLE_EQ(vo["CoreMetrics"]["timeToFirstOverlay"].get<double>(), 5.0);  // the duration: no text
  for (const char* k : {"totalStickers", "confidence"}) EXPECT_FALSE(vo["CoreMetrics"].contains(k)) << k;
  EXPECT_TRUE(vo["Interactions"].empty());
  // Nobody on screen: measured as no face; no expression to read, so no emotional_journey.
  const Json& pf = a.flows.at("person_framing");
  EXPECT_EQ(pf["CoreMetrics"]["faceVisibilityRate"], 0.0);
  EXPECT_DOUBLE_EQ(pf["CoreMetrics"]["timeToFirstFace"].get<double>(), 5.0);
  EXPECT_TRUE(has_path(a.measurements(), {"timings", "faces", "real_time_factor"}));
  for (const char* flow : {"emotional_journey", "metadata_analysis"}) EXPECT_FALSE(a.flows.contains(flow)) << flow;
}

// A real photograph of a person (python3-skimage's astronaut: Eileen Collins, frontal, looking at
// the camera) shown at known intervals between a food shot (coffee) and an outdoor scene (a rocket
// on its launch pad): face visibility within 0.1 of the truth, the first face within half a second
// of its first showing, and the face seconds within a second.
TEST(ContentAnalysis, FaceVisibilityOfARealPhotographIsTheTimeItIsShown) {
  RUMI_REQUIRE_FFMPEG();
  const fs::path data = "/usr/lib/python3/dist-packages/skimage/data";
  if (!fs::exists(data / "astronaut.png")) GTEST_SKIP() << "needs python3-skimage's sample images in " << data;
  const std::vector<tm::Slide> slides{{data / "coffee.png", 3.0},
                                      {data / "astronaut.png", 4.0},
                                      {data / "rocket.jpg", 2.0},
                                      {data / "astronaut.png", 2.0},
                                      {data / "coffee.png", 1.0}};
  const double truth_face_s = 6.0, duration = tm::total_seconds(slides);
  const ContentAnalysis a = analyse_video_file(tm::make_slideshow(slides), nullptr, ContentOptions{});
  const Json& core = a.flows.at("person_framing")["CoreMetrics"];
  EXPECT_NEAR(core["faceVisibilityRate"].get<double>(), truth_face_s / duration, 0.1) << core.dump();
  EXPECT_NEAR(core["timeToFirstFace"].get<double>(), 3.0, 0.5) << core.dump();
  EXPECT_NEAR(core["faceSeconds"].get<double>(), truth_face_s, 1.0) << core.dump();
  // One person, centred, looking at the camera whenever she is shown; her head (about 110 px of
  // the 360 px wide frame) is a box of about 7 % of the frame.
  EXPECT_EQ(core["maxFaces"], 1) << core.dump();
  EXPECT_DOUBLE_EQ(core["centredFaceRate"].get<double>(), 1.0) << core.dump();
  EXPECT_NEAR(core["eyeContactRate"].get<double>(), truth_face_s / duration, 0.1) << core.dump();
  EXPECT_GT(core["averageFaceSize"].get<double>(), 4.0) << core.dump();
  EXPECT_LT(core["averageFaceSize"].get<double>(), 12.0) << core.dump();
}

TEST(ContentAnalysis, NoAudioStreamIsSpeechMeasuredAsNone) {
  RUMI_REQUIRE_FFMPEG();
  const ContentAnalysis& a = four_shots_analysis();
  EXPECT_FALSE(a.info.has_audio);
  EXPECT_TRUE(a.words_measured);
  EXPECT_EQ(a.words, 0);
  EXPECT_LT(a.speech_onset_s, 0);
  const Json& core = a.flows.at("speech_analysis")["CoreMetrics"];
  EXPECT_EQ(core["totalWords"], 0);
  EXPECT_EQ(core["speechCoverage"], 0.0);
  EXPECT_EQ(a.flows.at("speech_analysis")["Dynamics"]["hasAudioEnergy"], false);
}

TEST(ContentAnalysis, HearsTheSentenceWhereItWasPlaced) {
  RUMI_REQUIRE_FFMPEG();
  RUMI_REQUIRE_ESPEAK();
  tm::VideoSpec spec;
  spec.shots = {{2.5, "navy", "orange"}, {3.0, "maroon", "yellow"}};
  spec.audio = tm::Audio::speech;
  spec.speech_text = "the quick brown fox jumps over the lazy dog";
  spec.speech_at_s = 1.5;
  const auto file = tm::make_video(spec);
  const auto span = tm::wav_sound_span(tm::make_speech_wav(spec.speech_text));
  const double onset = spec.speech_at_s + span.start;
  const ContentAnalysis a = analyse_video_file(file, nullptr, ContentOptions{});
  ASSERT_TRUE(a.info.has_audio);
  ASSERT_TRUE(a.words_measured) << a.transcript;
  EXPECT_NEAR(a.speech_onset_s, onset, 0.3) << a.transcript;
  const int truth_words = tm::word_count(spec.speech_text);
  EXPECT_NEAR(a.words, truth_words, 0.25 * truth_words) << a.transcript;
  const double truth_wpm = truth_words / (span.end - span.start) * 60;
  const double wpm = a.flows.at("speech_analysis")["CoreMetrics"]["wordsPerMinute"].get<double>();
  EXPECT_NEAR(wpm, truth_wpm, 0.25 * truth_wpm) << a.transcript;
  // One cut at 2.5 s under the speech: the detectors do not disturb each other.
  ASSERT_EQ(a.cuts.size(), 1u);
  EXPECT_NEAR(a.cuts[0], 2.5, 2 * kFrame + 1e-6);
}

TEST(ContentAnalysis, APureToneIsNotSpeech) {
  RUMI_REQUIRE_FFMPEG();
  tm::VideoSpec spec;
  spec.shots = {{2.0, "teal", "white"}};
  spec.audio = tm::Audio::tone;
  const ContentAnalysis a = analyse_video_file(tm::make_video(spec), nullptr, ContentOptions{});
  EXPECT_TRUE(a.info.has_audio);
  EXPECT_EQ(a.words, 0) << a.transcript;
  EXPECT_LT(a.speech_onset_s, 0);
  EXPECT_TRUE(a.cuts.empty());
}

TEST(ContentAnalysis, TheItemAddsMetadataAndIsCheckedForLengthFirst) {
  RUMI_REQUIRE_FFMPEG();
  Video v;
  v.id = "7000000000000000001";
  v.caption = "three colours #fyp";
  v.hashtags = {"fyp"};
  v.duration_s = 5;
  const ContentAnalysis a = analyse_video_file(tm::make_video(four_shots()), &v, ContentOptions{});
  ASSERT_TRUE(a.flows.contains("metadata_analysis"));
  EXPECT_EQ(a.flows["metadata_analysis"]["CoreMetrics"]["hashtagCount"], 1);

  v.duration_s = 3600;
  ContentOptions o;
  o.max_duration_s = 600;
  try {
    analyse_video_file("/nonexistent/never-opened.mp4", &v, o);
    FAIL() << "not refused";
  } catch (const DecodeError& e) {
    EXPECT_EQ(e.kind(), DecodeError::Kind::too_long) << e.reason();  // not "missing": the file was never opened
  }
}

TEST(ContentAnalysis, BadFilesFailWithTheDecodersReason) {
  RUMI_REQUIRE_FFMPEG();
  test::TempDir dir;
  try {
    analyse_video_file(tm::make_html_page(dir.path()), nullptr, ContentOptions{});
    FAIL() << "not refused";
  } catch (const DecodeError& e) {
    EXPECT_EQ(e.kind(), DecodeError::Kind::not_a_video);
  }
}

TEST(ContentAnalysis, SameFileSameFlows) {
  RUMI_REQUIRE_FFMPEG();
  const auto& a = four_shots_analysis();
  const auto b = analyse_video_file(tm::make_video(four_shots()), nullptr, ContentOptions{});
  EXPECT_EQ(a.flows.dump(), b.flows.dump());
  // Timings are measurements beside the flows, never in them.
  EXPECT_EQ(a.flows.dump().find("real_time_factor"), std::string::npos);
  EXPECT_TRUE(a.measurements().contains("timings"));
  EXPECT_TRUE(has_path(a.measurements(), {"timings", "decode", "real_time_factor"}));
}

// Captions drawn by ffmpeg's drawtext over a moving gradient (the oracle: the text and its times
// are the filter's arguments), analysed by the whole pass: the text tap feeds the reader, and
// the flows carry what it read.
TEST(ContentAnalysis, OnScreenTextFillsTheOverlayFlowAndTheTextCount) {
  RUMI_REQUIRE_FFMPEG();
  const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  if (!fs::exists(font)) GTEST_SKIP() << "font " << font << " absent";
  std::string vf;
  for (const auto& [text, from, to, y] : std::vector<std::tuple<std::string, double, double, std::string>>{
           {"LINK IN BIO", 1.0, 3.0, "h*0.7"}, {"Daily Greens", 4.0, 5.0, "h*0.2"}}) {
    vf += "drawtext=fontfile=";
    vf += font;
    vf += ":text='" + text + "':fontsize=36:fontcolor=white:borderw=3:bordercolor=black:x=(w-tw)/2:y=" + y;
    char en[64];
    std::snprintf(en, sizeof en, ":enable='between(t,%.1f,%.1f)',", from, to);
    vf += en;
  }
  vf += "format=yuv420p";
  const fs::path file = tm::make_cached({tm::ffmpeg_path(),
                                         "-hide_banner",
                                         "-loglevel",
                                         "error",
                                         "-y",
                                         "-f",
                                         "lavfi",
                                         "-i",
                                         "gradients=s=352x640:r=30:c0=orange:c1=purple:n=2:speed=0.05:d=6:seed=3",
                                         "-vf",
                                         vf,
                                         "-c:v",
                                         "libx264",
                                         "-preset",
                                         "veryfast",
                                         "-threads",
                                         "1",
                                         "-t",
                                         "6",
                                         "-map_metadata",
                                         "-1",
                                         "-fflags",
                                         "+bitexact",
                                         "{out}"},
                                        "mp4");
  const ContentAnalysis a = analyse_video_file(file, nullptr, ContentOptions{});
  const Json m = a.measurements();
  SCOPED_TRACE(m["text"].dump(1));
  const Json& core = a.flows.at("visual_overlay_analysis")["CoreMetrics"];
  EXPECT_NEAR(core["timeToFirstOverlay"].get<double>(), 1.0, 0.5);
  EXPECT_NEAR(core["totalTextOverlays"].get<int>(), 3, 1);
  EXPECT_EQ(core["uniqueOverlayCount"], 2);
  const Json& ctas = a.flows.at("visual_overlay_analysis")["KeyEvents"]["ctaMoments"];
  ASSERT_FALSE(ctas.empty());
  EXPECT_EQ(ctas[0]["ctaType"], "link");
  const int text_seconds = core["totalTextOverlays"].get<int>();
  EXPECT_EQ(a.flows.at("creative_density")["CoreMetrics"]["elementCounts"]["text"], text_seconds);
  EXPECT_EQ(m["text"]["seconds_with_text"], text_seconds);
  EXPECT_TRUE(has_path(m, {"timings", "text", "real_time_factor"}));
  EXPECT_LE(m["text"]["frames_sampled"].get<int>(), 13);  // the tap's 2 frames a second, not 30
  // Reproducible: the same file gives the same flows.
  EXPECT_EQ(analyse_video_file(file, nullptr, ContentOptions{}).flows.dump(), a.flows.dump());
}

TEST(ContentAnalysis, TheConfigurationHashFollowsEveryDetectorSetting) {
  const ContentOptions base;
  const std::string h = content_config_hash(base);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(content_config_hash(base), h);
  ContentOptions shots = base;
  shots.shots.min_shot_s = 0.8;
  ContentOptions audio = base;
  audio.audio.silence_threshold_dbfs = -40;
  ContentOptions speech = base;
  speech.speech.segment_gap_s = 1.5;
  ContentOptions width = base;
  width.shots.analysis_width = 320;
  ContentOptions text = base;
  text.text.min_confidence = 70;
  ContentOptions text_tap = base;
  text_tap.text.analysis_width = 540;
  ContentOptions light = base;
  light.text.min_light_ink = 10;
  ContentOptions faces = base;
  faces.faces.min_neighbors = 4;
  for (const auto* o : {&shots, &audio, &speech, &width, &text, &text_tap, &light, &faces})
    EXPECT_NE(content_config_hash(*o), h);
  // The timeout and length limit decide whether a video is analysed, not what it measures.
  ContentOptions limits = base;
  limits.timeout_s = 5;
  limits.max_duration_s = 60;
  EXPECT_EQ(content_config_hash(limits), h);
  const std::string v = content_analyzer_version(base);
  EXPECT_EQ(v.rfind("rumi-native-1-content-", 0), 0u) << v;
  EXPECT_EQ(v.size(), std::string("rumi-native-1-content-").size() + 12);
}

}  // namespace
}  // namespace rumi::native
