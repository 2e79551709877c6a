// creative_density per second (native/density.h): the rules on hand-made detector results whose
// per-second truth is written out below, and a video made by ffmpeg with a caption and cuts at
// known times (the independent oracle: the drawtext and concat arguments).
#include "native/density.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "native/content_analysis.h"
#include "native/test_media.h"

namespace rumi::native {
namespace {

namespace tm = rumi::test::media;

const char* kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

std::vector<int> densities(const Json& flow) {
  std::vector<int> out;
  for (const auto& e : flow["Dynamics"]["densityCurve"]) out.push_back(e["density"].get<int>());
  return out;
}

std::vector<std::string> primaries(const Json& flow) {
  std::vector<std::string> out;
  for (const auto& e : flow["Dynamics"]["densityCurve"]) out.push_back(e["primaryElement"].get<std::string>());
  return out;
}

// A face (or none) in every frame at 2 a second over [0, duration]: faces while t < face_until.
FaceResult faces_until(double face_until, double duration) {
  FaceResult r;
  r.duration_s = duration;
  r.sample_fps = 2;
  for (int i = 0; i / 2.0 <= duration; ++i) {
    FaceFrame f;
    f.t = i / 2.0;
    if (f.t < face_until) f.faces.push_back(DetectedFace{0.3, 0.2, 0.4, 0.3, 0.12, true, true, false});
    r.frames.push_back(f);
  }
  return r;
}

// 10.4 s. Per whole second (captions, face, cuts) and the density:
//   s0 (2,1,1)=4  s1 (2,1,0)=3  s2 (1,1,2)=4  s3 (0,1,0)=1  s4-s6 0  s7 (1,0,0)=1  s8 0  s9 (0,0,1)=1
// and in the last part-second (10-10.4) a caption and a cut, which count in the element counts
// but are not a second of the curve.
struct HandMade {
  ShotResult shots;
  OcrResult text;
  FaceResult faces = faces_until(4.0, 10.4);
  HandMade() {
    shots.cuts = {0.5, 2.1, 2.6, 9.5, 10.2};
    text.duration_s = 10.4;
    text.captions_per_second = {2, 2, 1, 0, 0, 0, 0, 1, 0, 0, 1};
  }
};

TEST(CreativeDensity, PerSecondCurveAndCoreMetrics) {
  const HandMade h;
  const Json j = creative_density_flow(h.shots, h.text, h.faces, 10.4);
  EXPECT_EQ(densities(j), (std::vector<int>{4, 3, 4, 1, 0, 0, 0, 1, 0, 1}));
  // RumiAI's primary element: the larger of text and scene changes (text on a tie); a face alone
  // is "none" (RumiAI never names an expression primary).
  EXPECT_EQ(primaries(j), (std::vector<std::string>{"text", "text", "scene_change", "none", "none", "none", "none",
                                                    "text", "none", "scene_change"}));
  const Json& c = j["CoreMetrics"];
  const double avg = 14 / 10.4, sd = std::sqrt(2.44);  // mean of the 10 seconds 1.4, squares 24.4
  EXPECT_EQ(c["totalElements"], 14);
  EXPECT_NEAR(c["avgDensity"].get<double>(), avg, 1e-4);
  EXPECT_NEAR(c["elementsPerSecond"].get<double>(), avg, 1e-4);
  EXPECT_EQ(c["maxDensity"].get<double>(), 4);
  EXPECT_EQ(c["minDensity"].get<double>(), 0);
  EXPECT_NEAR(c["stdDeviation"].get<double>(), sd, 1e-4);
  EXPECT_NEAR(c["timelineCoverage"].get<double>(), 6 / 10.4, 1e-4);
  EXPECT_EQ(c["elementCounts"], Json({{"text", 7}, {"transition", 5}, {"expression", 4}}));
  EXPECT_EQ(c["sceneChangeCount"], 5);
  const Json& d = j["Dynamics"];
  EXPECT_EQ(d["emptySeconds"], Json::array({4, 5, 6, 8}));
  EXPECT_NEAR(d["volatility"].get<double>(), sd / (avg + 0.001), 1e-4);
  // First third [4, 3, 4] (mean 3.67) against the last [0, 1, 0, 1] (0.5).
  EXPECT_EQ(d["accelerationPattern"], "front_loaded");
  EXPECT_FALSE(d.contains("densityProgression"));  // RumiAI's constant "stable"
}

TEST(CreativeDensity, PeaksDeadZonesAndShifts) {
  const HandMade h;
  const Json k = creative_density_flow(h.shots, h.text, h.faces, 10.4)["KeyEvents"];
  const double avg = 14 / 10.4, sd = std::sqrt(2.44);
  // Above mean + std (2.91): seconds 0, 1 and 2.
  const Json& p = k["peakMoments"];
  ASSERT_EQ(p.size(), 3u) << p.dump();
  const std::vector<std::string> at = {"0-1s", "1-2s", "2-3s"};
  const std::vector<int> total = {4, 3, 4}, text = {2, 2, 1}, cuts = {1, 0, 2};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p[i]["timestamp"], at[i]);
    EXPECT_EQ(p[i]["totalElements"], total[i]);
    EXPECT_NEAR(p[i]["surpriseScore"].get<double>(), (total[i] - avg) / (sd + 0.001), 1e-4);
    EXPECT_EQ(p[i]["elementBreakdown"]["text"], text[i]);
    EXPECT_EQ(p[i]["elementBreakdown"]["scene_change"], cuts[i]);
    EXPECT_FALSE(p[i]["elementBreakdown"].contains("sticker"));
  }
  // Runs of 2 or more empty seconds: 4-6 (end exclusive); the lone empty second 8 is not one.
  EXPECT_EQ(k["deadZones"], Json::array({{{"start", 4}, {"end", 7}, {"duration", 3}}}));
  // Level changes by more than half: 2->3 medium->low (3/4), and low<->none at 4, 7, 8, 9 (1/1),
  // largest first, time order on a tie.
  const Json& s = k["densityShifts"];
  ASSERT_EQ(s.size(), 5u) << s.dump();
  const std::vector<int> ts = {4, 7, 8, 9, 3};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(s[i]["timestamp"], ts[i]) << i;
  EXPECT_EQ(s[0]["from"], "low");
  EXPECT_EQ(s[0]["to"], "none");
  EXPECT_NEAR(s[0]["magnitude"].get<double>(), 1 / 1.001, 1e-4);
  EXPECT_EQ(s[4]["from"], "medium");
  EXPECT_NEAR(s[4]["magnitude"].get<double>(), 3 / 4.001, 1e-4);
}

TEST(CreativeDensity, InteractionsAndPatterns) {
  const HandMade h;
  const Json j = creative_density_flow(h.shots, h.text, h.faces, 10.4);
  const Json& i = j["Interactions"];
  // Text with a face in seconds 0-2, text with a cut in 0 and 2, a face with a cut in 0 and 2.
  EXPECT_EQ(i["elementCooccurrence"],
            Json({{"expression_text", 3}, {"text_transition", 2}, {"expression_transition", 2}}));
  EXPECT_EQ(i["dominantCombination"], "expression_text");
  // All three measured kinds at once: seconds 0 and 2.
  ASSERT_EQ(i["multiModalPeaks"].size(), 2u);
  EXPECT_EQ(
      i["multiModalPeaks"][1],
      Json({{"timestamp", "2-3s"}, {"elements", {"text", "expression", "transition"}}, {"syncType", "complementary"}}));
  EXPECT_NEAR(i["coordinationScore"].get<double>(), 2 / 10.4, 1e-4);
  const Json& p = j["Patterns"];
  EXPECT_EQ(p["structuralFlags"], Json({{"strongOpeningHook", true},
                                        {"crescendoPattern", false},
                                        {"frontLoaded", true},
                                        {"consistentPacing", false},
                                        {"finalCallToAction", false},
                                        {"rhythmicPattern", false}}));
  EXPECT_EQ(p["densityClassification"], "moderate");  // 1.35 a second
  EXPECT_EQ(p["cognitiveLoadCategory"], "minimal");   // under 2
  EXPECT_EQ(p["pacingStyle"], "front_loaded");
  EXPECT_FALSE(p.contains("mlTags"));
  EXPECT_TRUE(j["Quality"].empty());
}

// Busier at the end: back-loaded, a crescendo, and the last five seconds above the average.
TEST(CreativeDensity, BackLoadedWithAFinalPeak) {
  ShotResult shots;
  OcrResult text;
  text.captions_per_second = {0, 0, 0, 1, 1, 2, 2};
  const Json j = creative_density_flow(shots, text, FaceResult{}, 7.0);
  EXPECT_EQ(densities(j), (std::vector<int>{0, 0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(j["Dynamics"]["accelerationPattern"], "back_loaded");  // first third [0, 0], last [1, 2, 2]
  EXPECT_TRUE(j["Patterns"]["structuralFlags"]["crescendoPattern"]);
  EXPECT_TRUE(j["Patterns"]["structuralFlags"]["finalCallToAction"]);  // mean of the last 5 (1.2) > 6 / 7
  EXPECT_EQ(j["KeyEvents"]["deadZones"], Json::array({{{"start", 0}, {"end", 3}, {"duration", 3}}}));
  EXPECT_EQ(j["Interactions"]["dominantCombination"], "none");
  EXPECT_TRUE(j["Interactions"]["elementCooccurrence"].empty());
  EXPECT_EQ(j["CoreMetrics"]["elementCounts"]["expression"], 0);  // nothing analysed: no face second
}

// A dead zone that runs to the end, an even and steady video, and a video under a second.
TEST(CreativeDensity, EdgesOfTheSeries) {
  OcrResult text;
  text.captions_per_second = {1, 1, 1, 1, 1, 1, 0, 0};
  Json j = creative_density_flow(ShotResult{}, text, FaceResult{}, 8.0);
  EXPECT_EQ(j["KeyEvents"]["deadZones"], Json::array({{{"start", 6}, {"end", 8}, {"duration", 2}}}));
  text.captions_per_second = {1, 1, 1, 1, 1, 1};
  j = creative_density_flow(ShotResult{}, text, FaceResult{}, 6.0);
  EXPECT_EQ(j["Dynamics"]["accelerationPattern"], "even");
  EXPECT_TRUE(j["Patterns"]["structuralFlags"]["consistentPacing"]);
  EXPECT_TRUE(j["Patterns"]["structuralFlags"]["rhythmicPattern"]);
  EXPECT_TRUE(j["KeyEvents"]["peakMoments"].empty());  // nothing above mean + std (std 0)
  EXPECT_TRUE(j["Dynamics"]["emptySeconds"].empty());
  text.captions_per_second = {1};
  j = creative_density_flow(ShotResult{}, text, FaceResult{}, 0.6);
  EXPECT_TRUE(j["Dynamics"]["densityCurve"].empty());
  EXPECT_EQ(j["CoreMetrics"]["totalElements"], 0);
  EXPECT_EQ(j["CoreMetrics"]["elementCounts"]["text"], 1);  // the caption is counted, the second is not whole
  EXPECT_EQ(j["Dynamics"]["accelerationPattern"], "even");
}

// 8 s, 352x640: three gradient shots cut at 2.5 and 6.5 s, "LINK IN BIO" drawn from 2.0 to 5.0 s.
// Truth per second: text in 2, 3, 4; cuts in 2 and 6; no face -> [0, 0, 2, 1, 1, 0, 1, 0].
TEST(CreativeDensity, VideoWithACaptionAndCutsAtKnownTimes) {
  RUMI_REQUIRE_FFMPEG();
  if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "font " << kFont << " absent";
  const std::vector<std::pair<double, std::pair<const char*, const char*>>> shots = {
      {2.5, {"red", "yellow"}}, {4.0, {"blue", "cyan"}}, {1.5, {"green", "white"}}};
  std::vector<std::string> argv{tm::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y"};
  char buf[512];
  for (const auto& [len, c] : shots) {
    std::snprintf(buf, sizeof buf, "gradients=s=352x640:r=30:c0=%s:c1=%s:n=2:speed=0.03:d=%.3f:seed=1", c.first,
                  c.second, len);
    argv.insert(argv.end(), {"-f", "lavfi", "-i", buf});
  }
  std::string graph;
  for (std::size_t i = 0; i < shots.size(); ++i) {
    std::snprintf(buf, sizeof buf, "[%zu:v]zoompan=z='1+0.002*on':d=1:s=352x640:fps=30,setsar=1[v%zu];", i, i);
    graph += buf;
  }
  graph += "[v0][v1][v2]concat=n=3:v=1:a=0,drawtext=fontfile=";
  graph += kFont;
  graph +=
      ":text='LINK IN BIO':fontsize=36:fontcolor=white:borderw=3:bordercolor=black:x=(w-tw)/2:y=h*0.7"
      ":enable='between(t,2.0,5.0)',format=yuv420p[v]";
  argv.insert(argv.end(), {"-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-g",
                           "60", "-threads", "1", "-t", "8", "-map_metadata", "-1", "-fflags", "+bitexact", "{out}"});
  const auto file = tm::make_cached(argv, "mp4");
  const ContentAnalysis a = analyse_video_file(file, nullptr, ContentOptions{});
  SCOPED_TRACE(a.measurements().dump(1));
  ASSERT_NEAR(a.duration_s, 8.0, 0.05);
  const Json& j = a.flows.at("creative_density");
  EXPECT_EQ(densities(j), (std::vector<int>{0, 0, 2, 1, 1, 0, 1, 0}));
  EXPECT_EQ(j["Dynamics"]["emptySeconds"], Json::array({0, 1, 5, 7}));
  EXPECT_EQ(j["KeyEvents"]["deadZones"], Json::array({{{"start", 0}, {"end", 2}, {"duration", 2}}}));
  // mean 0.625, std 0.696: the only second above 1.32 is second 2 (the caption and a cut).
  const Json& p = j["KeyEvents"]["peakMoments"];
  ASSERT_EQ(p.size(), 1u) << p.dump();
  EXPECT_EQ(p[0]["timestamp"], "2-3s");
  EXPECT_EQ(p[0]["elementBreakdown"]["text"], 1);
  EXPECT_EQ(p[0]["elementBreakdown"]["scene_change"], 1);
  EXPECT_NEAR(j["CoreMetrics"]["avgDensity"].get<double>(), 5.0 / 8, 1e-4);
  EXPECT_EQ(j["CoreMetrics"]["elementCounts"], Json({{"text", 3}, {"transition", 2}, {"expression", 0}}));
  EXPECT_EQ(j["Interactions"]["elementCooccurrence"], Json({{"text_transition", 1}}));
  EXPECT_EQ(j["Dynamics"]["accelerationPattern"], "back_loaded");  // first third [0, 0], last [0, 1, 0]
  EXPECT_EQ(j["Patterns"]["densityClassification"], "sparse");
}

}  // namespace
}  // namespace rumi::native
