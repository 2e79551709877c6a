// The shot detector on frames made in memory, where the truth is known by construction: static
// shots, hard cuts, camera motion (zoom, pans), flashes, fades and dissolves; and the
// scene_pacing flow from hand-computed shot lists.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "native/shots.h"

using namespace rumi;
using namespace rumi::native;

namespace {

constexpr int kW = 180, kH = 320;
constexpr double kFps = 30.0;

struct Rgb {
  double r = 0, g = 0, b = 0;
};

// An RGB24 frame; optionally with rows padded past 3 * width, as decoders deliver them.
struct Image {
  int w = kW, h = kH, stride = 3 * kW;
  std::vector<std::uint8_t> px;
  Image(int width = kW, int height = kH, int pad = 0) : w(width), h(height), stride(3 * width + pad) {
    px.assign(static_cast<std::size_t>(stride) * static_cast<std::size_t>(h), 0);
  }
  void set(int x, int y, Rgb c) {
    auto* p = &px[static_cast<std::size_t>(y) * static_cast<std::size_t>(stride) + 3 * static_cast<std::size_t>(x)];
    p[0] = static_cast<std::uint8_t>(std::clamp(std::lround(c.r), 0L, 255L));
    p[1] = static_cast<std::uint8_t>(std::clamp(std::lround(c.g), 0L, 255L));
    p[2] = static_cast<std::uint8_t>(std::clamp(std::lround(c.b), 0L, 255L));
  }
  FrameView view(double t) const { return FrameView{t, w, h, stride, px.data()}; }
};

// Deterministic noise in [-1, 1] (a hash, no global RNG).
double noise(std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  std::uint32_t x = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA6Bu ^ (c + 0x165667B1u) * 0xC2B2AE35u;
  x ^= x >> 15;
  x *= 0x2C1B3C6Du;
  x ^= x >> 12;
  x *= 0x297A4D2Bu;
  x ^= x >> 15;
  return (x & 0xFFFF) / 32767.5 - 1.0;
}

// A detailed, colourful "scene": smooth value noise at several scales with colour per scene.
// Sampled at continuous coordinates (u, v) in texture pixels, so a camera can zoom and pan.
struct Texture {
  std::uint32_t seed = 1;
  Rgb base{120, 90, 60};
  double contrast = 1.0;
  Rgb sample(double u, double v) const {
    double acc[3] = {0, 0, 0};
    // Octaves from 96 px down to 3 px, amplitude falling with scale as in natural images.
    double amp = 70 * contrast, scale = 96;
    for (int octave = 0; octave < 6; ++octave, amp *= 0.6, scale *= 0.5) {
      const double x = u / scale, y = v / scale;
      const double fx = std::floor(x), fy = std::floor(y);
      const double tx = x - fx, ty = y - fy;
      const double sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
      for (int ch = 0; ch < 3; ++ch) {
        auto n = [&](double cx, double cy) {
          return noise(static_cast<std::uint32_t>(static_cast<std::int64_t>(cx) + 100000),
                       static_cast<std::uint32_t>(static_cast<std::int64_t>(cy) + 100000),
                       seed * 16 + static_cast<std::uint32_t>(octave * 3 + ch));
        };
        const double a = n(fx, fy), b = n(fx + 1, fy), c = n(fx, fy + 1), d = n(fx + 1, fy + 1);
        acc[ch] += amp * ((a * (1 - sx) + b * sx) * (1 - sy) + (c * (1 - sx) + d * sx) * sy);
      }
    }
    return {base.r + acc[0], base.g + acc[1], base.b + acc[2]};
  }
};

// The texture rendered once into a raster covering u in [-128, 768), v in [-192, 224), so that a
// camera frame is a cheap bilinear lookup.
struct Raster {
  static constexpr int kU0 = -128, kV0 = -192, kWidth = 896, kHeight = 416;
  std::vector<float> rgb;
  explicit Raster(const Texture& tex) : rgb(static_cast<std::size_t>(kWidth) * kHeight * 3) {
    for (int v = 0; v < kHeight; ++v)
      for (int u = 0; u < kWidth; ++u) {
        const Rgb c = tex.sample(u + kU0, v + kV0);
        float* p = &rgb[(static_cast<std::size_t>(v) * kWidth + static_cast<std::size_t>(u)) * 3];
        p[0] = static_cast<float>(c.r);
        p[1] = static_cast<float>(c.g);
        p[2] = static_cast<float>(c.b);
      }
  }
  Rgb at(double u, double v) const {
    const double x = std::clamp(u - kU0, 0.0, kWidth - 1.001), y = std::clamp(v - kV0, 0.0, kHeight - 1.001);
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const double fx = x - x0, fy = y - y0;
    double out[3];
    for (int ch = 0; ch < 3; ++ch) {
      auto p = [&](int xx, int yy) {
        return rgb[(static_cast<std::size_t>(yy) * kWidth + static_cast<std::size_t>(xx)) * 3 +
                   static_cast<std::size_t>(ch)];
      };
      out[ch] = (p(x0, y0) * (1 - fx) + p(x0 + 1, y0) * fx) * (1 - fy) +
                (p(x0, y0 + 1) * (1 - fx) + p(x0 + 1, y0 + 1) * fx) * fy;
    }
    return {out[0], out[1], out[2]};
  }
};

const Raster& raster_of(const Texture& tex) {
  static std::map<std::pair<std::uint32_t, double>, std::unique_ptr<Raster>> cache;
  auto& r = cache[{tex.seed, tex.contrast}];
  if (!r) r = std::make_unique<Raster>(tex);
  return *r;
}

// The texture seen by a camera centred at (cx, cy) in texture pixels, `zoom` times magnified.
Image camera(const Texture& tex, double cx, double cy, double zoom, std::uint32_t grain_seed = 0) {
  const Raster& ras = raster_of(tex);
  Image im;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x < im.w; ++x) {
      Rgb c = ras.at(cx + (x - im.w / 2.0) / zoom, cy + (y - im.h / 2.0) / zoom);
      if (grain_seed) {  // sensor noise, +-4 levels
        const double g = 4 * noise(static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y), grain_seed);
        c = {c.r + g, c.g + g, c.b + g};
      }
      im.set(x, y, c);
    }
  return im;
}

Image solid(Rgb c) {
  Image im;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x < im.w; ++x) im.set(x, y, c);
  return im;
}

Image mix(const Image& a, const Image& b, double k) {  // (1 - k) a + k b
  Image im;
  for (std::size_t i = 0; i < im.px.size(); ++i)
    im.px[i] = static_cast<std::uint8_t>(std::lround((1 - k) * a.px[i] + k * b.px[i]));
  return im;
}

// Runs the detector over n frames at 30 fps, frame i made by make(i).
ShotResult detect(int n, const std::function<Image(int)>& make, ShotOptions o = {}) {
  ShotDetector d(o);
  for (int i = 0; i < n; ++i) {
    const Image im = make(i);
    d.add_frame(im.view(i / kFps));
  }
  return d.finish(n / kFps);
}

const Texture kA{1, {150, 80, 60}}, kB{2, {50, 110, 170}}, kC{3, {90, 160, 70}};
const Texture kBusy{4, {128, 120, 110}, 2.0};  // a high-contrast scene: motion changes it a lot

}  // namespace

TEST(ShotDetector, StaticShotsWithSensorNoiseHaveNoCut) {
  const ShotResult r = detect(90, [](int i) { return camera(kA, 0, 0, 1.0, static_cast<std::uint32_t>(i + 1)); });
  EXPECT_TRUE(r.cuts.empty());
  ASSERT_EQ(r.shot_lengths.size(), 1u);
  EXPECT_DOUBLE_EQ(r.shot_lengths[0], 3.0);
  EXPECT_EQ(r.frames, 90);
}

TEST(ShotDetector, AHardCutIsOneCutAtTheFirstFrameOfTheNewShot) {
  const Image a = camera(kA, 0, 0, 1.0), b = camera(kB, 0, 0, 1.0);
  const ShotResult r = detect(90, [&](int i) { return i < 45 ? a : b; });
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cuts[0], 45 / kFps);
  ASSERT_EQ(r.shot_lengths.size(), 2u);
  EXPECT_NEAR(r.shot_lengths[0], 1.5, 1e-9);
  EXPECT_NEAR(r.shot_lengths[1], 1.5, 1e-9);
}

TEST(ShotDetector, AHardColourChangeBetweenFlatFramesIsACut) {
  const Image red = solid({200, 30, 30}), blue = solid({30, 40, 200});
  const ShotResult r = detect(60, [&](int i) { return i < 20 ? red : blue; });
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cuts[0], 20 / kFps);
}

TEST(ShotDetector, SlowZoomAndPanOfATexturedSceneAreNoCut) {
  // 3 s zooming 1x -> 1.6x while panning 1.5 px per frame, then a cut to a second zooming scene.
  const ShotResult r = detect(150, [](int i) {
    if (i < 90) return camera(kA, 1.5 * i, 0.5 * i, 1.0 + 0.6 * i / 90.0);
    return camera(kB, 0, 0, 1.0 + 0.01 * (i - 90));
  });
  ASSERT_EQ(r.cuts.size(), 1u) << "first cut at " << (r.cuts.empty() ? -1 : r.cuts[0]);
  EXPECT_DOUBLE_EQ(r.cuts[0], 3.0);
}

TEST(ShotDetector, AFastPanIsNoCutButACutDuringItIs) {
  // Whip-like pans of 6 and 10 px per frame over busy scenes: every frame differs a lot from the
  // one before, evenly; then a cut to another scene, panning on. The coarse layout score is what
  // finds the cut when the pan's own change is more than a third of the cut's (the first scene
  // at 10 px per frame).
  for (double contrast : {2.0, 3.0}) {
    for (double speed : {6.0, 10.0}) {
      const Texture busy{static_cast<std::uint32_t>(10 + 10 * contrast), {128, 120, 110}, contrast};
      const ShotResult r = detect(60, [&](int i) {
        if (i < 30) return camera(busy, speed * i, 0, 1.0);
        return camera(kC, speed * i, 0, 1.0);
      });
      const std::string what = "contrast " + std::to_string(contrast) + ", " + std::to_string(speed) + " px per frame";
      ASSERT_EQ(r.cuts.size(), 1u) << what << ": first cut at " << (r.cuts.empty() ? -1 : r.cuts[0]);
      EXPECT_DOUBLE_EQ(r.cuts[0], 1.0) << what;
      // The pan is hard: every frame of it scores above the absolute floor, so only the
      // adaptive ratio keeps it whole (a fixed threshold at the floor would cut it every
      // min_shot_s).
      if (speed > 6) {
        for (std::size_t i = 1; i < 30; ++i)
          EXPECT_GT(r.scores[i], ShotOptions{}.min_content) << what << ", frame " << i;
      }
    }
  }
}

TEST(ShotDetector, TheOnsetOfFastMotionIsNoCut) {
  // A still shot whose camera starts a fast pan at once: the first moving frame scores like the
  // ones after it, so it never stands out of the busier side.
  const Texture busy{30, {128, 120, 110}, 2.0};
  const ShotResult r = detect(60, [&](int i) { return camera(busy, i < 30 ? 0.0 : 10.0 * (i - 29), 0, 1.0); });
  EXPECT_TRUE(r.cuts.empty()) << "first cut at " << (r.cuts.empty() ? -1 : r.cuts[0]);
  EXPECT_GT(r.scores[31], ShotOptions{}.min_content);
}

TEST(ShotDetector, AFlashShorterThanTheMinimumShotIsNoCut) {
  const Image white = solid({250, 250, 250});
  for (int len : {1, 2, 4}) {
    const ShotResult r = detect(90, [&](int i) {
      if (i >= 40 && i < 40 + len) return white;
      return camera(kA, 0.3 * i, 0, 1.0);
    });
    EXPECT_TRUE(r.cuts.empty()) << len << "-frame flash: cut at " << (r.cuts.empty() ? -1 : r.cuts[0]);
  }
}

TEST(ShotDetector, AShotShorterThanTheMinimumMergesIntoOneCut) {
  // A -> B for 5 frames (0.17 s) -> C: the picture does not come back, so one cut, at A -> B.
  const Image a = camera(kA, 0, 0, 1), b = camera(kB, 0, 0, 1), c = camera(kC, 0, 0, 1);
  const ShotResult r = detect(90, [&](int i) { return i < 40 ? a : i < 45 ? b : c; });
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cuts[0], 40 / kFps);
}

TEST(ShotDetector, ShotsAtTheMinimumLengthAreAllFound) {
  // Cuts every 15 frames (0.5 s), cycling through three scenes.
  const Image s[3] = {camera(kA, 0, 0, 1), camera(kB, 0, 0, 1), camera(kC, 0, 0, 1)};
  const ShotResult r = detect(120, [&](int i) { return s[(i / 15) % 3]; });
  ASSERT_EQ(r.cuts.size(), 7u);
  for (std::size_t k = 0; k < r.cuts.size(); ++k) EXPECT_DOUBLE_EQ(r.cuts[k], 15.0 * (k + 1) / kFps);
}

TEST(ShotDetector, ACutCloserToTheStartThanTheMinimumShotIsDropped) {
  const Image a = camera(kA, 0, 0, 1), b = camera(kB, 0, 0, 1);
  const ShotResult r = detect(60, [&](int i) { return i < 5 ? a : b; });
  EXPECT_TRUE(r.cuts.empty());
}

TEST(ShotDetector, AFadeThroughBlackIsAtMostOneCut) {
  const Image a = camera(kA, 0, 0, 1), b = camera(kB, 0, 0, 1), black = solid({0, 0, 0});
  for (int half : {8, 15}) {  // 0.27 s and 0.5 s each way
    const ShotResult r = detect(150, [&](int i) {
      if (i < 50) return a;
      if (i < 50 + half) return mix(a, black, (i - 50 + 1.0) / half);
      if (i < 50 + 2 * half) return mix(black, b, (i - 50 - half + 1.0) / half);
      return b;
    });
    EXPECT_LE(r.cuts.size(), 1u) << "fade of " << half << " frames each way";
    for (double c : r.cuts) {
      EXPECT_GE(c, 50 / kFps);
      EXPECT_LE(c, (50 + 2 * half) / kFps);
    }
  }
}

TEST(ShotDetector, ADissolveIsAtMostOneCut) {
  const Image a = camera(kA, 0, 0, 1), b = camera(kB, 0, 0, 1);
  const ShotResult r = detect(120, [&](int i) {
    if (i < 40) return a;
    if (i < 60) return mix(a, b, (i - 40 + 1.0) / 20);
    return b;
  });
  EXPECT_LE(r.cuts.size(), 1u);
}

TEST(ShotDetector, EdgesCanBeWeighedIn) {
  ShotOptions o;
  o.weight_edges = 1.0;
  const ShotResult r = detect(
      90, [](int i) { return i < 45 ? camera(kA, 0.5 * i, 0, 1) : camera(kB, 0.5 * i, 0, 1); }, o);
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cuts[0], 1.5);
}

TEST(ShotDetector, SamplingFindsTheCutAtTheFirstSampledFrameAfterIt) {
  ShotOptions o;
  o.sample_fps = 10;
  const Image a = camera(kA, 0, 0, 1), b = camera(kB, 0, 0, 1);
  const ShotResult r = detect(
      90, [&](int i) { return i < 46 ? a : b; }, o);
  EXPECT_EQ(r.frames, 30);
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cuts[0], 48 / kFps);  // the sampled frames are 0, 3, 6, ...
}

TEST(ShotDetector, LargeFramesArePaddedRowsAreHandledAndSizeChangesRestart) {
  ShotDetector d;
  Image big(720, 1280, 16), other(90, 160);
  for (auto* im : {&big, &other})
    for (int y = 0; y < im->h; ++y)
      for (int x = 0; x < im->w; ++x) im->set(x, y, {static_cast<double>(x % 200), 90, static_cast<double>(y % 250)});
  for (int i = 0; i < 30; ++i) d.add_frame(big.view(i / kFps));
  for (int i = 30; i < 60; ++i) d.add_frame(other.view(i / kFps));  // a size change is no cut by itself
  const ShotResult r = d.finish(2.0);
  EXPECT_TRUE(r.cuts.empty());
  EXPECT_EQ(r.frames, 60);
}

TEST(ShotDetector, BadFramesAndOutOfOrderTimesAreIgnored) {
  ShotDetector d;
  const Image a = camera(kA, 0, 0, 1), b = camera(kB, 0, 0, 1);
  for (int i = 0; i < 60; ++i) {
    d.add_frame((i < 30 ? a : b).view(i / kFps));
    d.add_frame(FrameView{i / kFps, 0, 0, 0, nullptr});                         // empty
    d.add_frame(FrameView{i / kFps + 0.001, kW, kH, 3 * kW - 1, a.px.data()});  // stride too short
    d.add_frame(b.view(i / kFps - 1.0));                                        // back in time
    d.add_frame(b.view(std::nan("")));
  }
  const ShotResult r = d.finish(2.0);
  EXPECT_EQ(r.frames, 60);
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_DOUBLE_EQ(r.cuts[0], 1.0);
}

TEST(ShotDetector, NoFramesGiveNoShotsAndADurationShorterThanTheFramesIsRaised) {
  ShotDetector none;
  const ShotResult empty = none.finish(5.0);
  EXPECT_TRUE(empty.shot_lengths.empty());
  EXPECT_EQ(empty.frames, 0);

  const ShotResult r = detect(60, [](int) { return solid({10, 20, 30}); });  // duration 2.0 given
  ShotDetector d;
  const Image im = solid({10, 20, 30});
  for (int i = 0; i < 60; ++i) d.add_frame(im.view(i / kFps));
  const ShotResult shorter = d.finish(1.0);  // the container claims 1 s, frames run to 2 s
  EXPECT_NEAR(shorter.duration_s, 2.0, 1e-9);
  EXPECT_NEAR(r.duration_s, 2.0, 1e-9);
}

namespace {

ShotResult shots(std::vector<double> lengths) {
  ShotResult r;
  double t = 0;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    r.shot_starts.push_back(t);
    if (i > 0) r.cuts.push_back(t);
    t += lengths[i];
  }
  r.shot_lengths = std::move(lengths);
  r.duration_s = t;
  r.frames = static_cast<std::int64_t>(t * 30);
  return r;
}

}  // namespace

TEST(ShotPacing, MeasuredFieldsByHand) {
  // Shots 2, 1, 3 s: mean 2, sample std 1, 1 / (1 + 1) = 0.5 -> "varied" -> "experimental".
  const Json j = scene_pacing_flow(shots({2, 1, 3}), 6.0);
  EXPECT_EQ(j["CoreMetrics"]["totalScenes"], 3);
  EXPECT_DOUBLE_EQ(j["CoreMetrics"]["averageSceneDuration"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["CoreMetrics"]["scenesPerMinute"].get<double>(), 30.0);
  EXPECT_EQ(j["CoreMetrics"]["rhythmConsistency"], "varied");
  EXPECT_EQ(j["Patterns"]["editingStyle"], "experimental");
  EXPECT_EQ(j["KeyEvents"]["longestScene"], (Json{{"duration", 3.0}, {"timestamp", "3-6s"}}));
  EXPECT_EQ(j["KeyEvents"]["shortestScene"], (Json{{"duration", 1.0}, {"timestamp", "2-3s"}}));
  EXPECT_EQ(j["Dynamics"]["pacingProgression"], (Json::parse(R"([{"timestamp":"0-6s","cuts":2}])")));
}

TEST(ShotPacing, ConstantDefaultsAreLeftOutAndTheSixBlocksStay) {
  const Json j = scene_pacing_flow(shots({2, 1, 3}), 6.0);
  for (const char* b : {"CoreMetrics", "Dynamics", "Interactions", "KeyEvents", "Patterns", "Quality"})
    EXPECT_TRUE(j.contains(b)) << b;
  EXPECT_EQ(j.size(), 6u);
  for (const char* k : {"pacingScore", "transitionSmoothing"}) EXPECT_FALSE(j["CoreMetrics"].contains(k)) << k;
  for (const char* k : {"sceneRhythm", "temporalFlow", "accelerationPoints", "decelerationPoints"})
    EXPECT_FALSE(j["Dynamics"].contains(k)) << k;
  for (const char* k : {"pacingShifts", "climaxTiming"}) EXPECT_FALSE(j["KeyEvents"].contains(k)) << k;
  for (const char* k : {"transitionTypes", "pacingPattern", "rhythmStructure"})
    EXPECT_FALSE(j["Patterns"].contains(k)) << k;
  EXPECT_TRUE(j["Interactions"].empty());
  EXPECT_TRUE(j["Quality"].empty());
}

TEST(ShotPacing, EditingStyleFollowsRumiAIsRule) {
  EXPECT_EQ(scene_pacing_flow(shots({1, 1, 1.2, 1}), 4.2)["Patterns"]["editingStyle"], "mtv_style");
  EXPECT_EQ(scene_pacing_flow(shots({4, 4.2, 3.9}), 12.1)["Patterns"]["editingStyle"], "classic_narrative");
  EXPECT_EQ(scene_pacing_flow(shots({2, 2.1, 2}), 6.1)["Patterns"]["editingStyle"], "rhythmic");
  EXPECT_EQ(scene_pacing_flow(shots({0.5, 6, 1, 8}), 15.5)["Patterns"]["editingStyle"], "experimental");
  // One shot: consistent, and its length decides.
  const Json one = scene_pacing_flow(shots({7}), 7);
  EXPECT_EQ(one["CoreMetrics"]["rhythmConsistency"], "consistent");
  EXPECT_EQ(one["Patterns"]["editingStyle"], "classic_narrative");
  EXPECT_EQ(one["CoreMetrics"]["totalScenes"], 1);
}

TEST(ShotPacing, RhythmThresholds) {
  // std 0.4 -> 1/1.4 = 0.714 consistent; std 1.4 -> 0.417 varied; std 1.6 -> 0.385 erratic.
  EXPECT_EQ(scene_pacing_flow(shots({2.0, 2.4, 2.8}), 7.2)["CoreMetrics"]["rhythmConsistency"], "consistent");
  EXPECT_EQ(scene_pacing_flow(shots({2.0, 3.4, 4.8}), 10.2)["CoreMetrics"]["rhythmConsistency"], "varied");
  EXPECT_EQ(scene_pacing_flow(shots({2.0, 3.6, 5.2}), 10.8)["CoreMetrics"]["rhythmConsistency"], "erratic");
}

TEST(ShotPacing, PacingProgressionCountsCutsPerTenSeconds) {
  // Cuts at 3, 8, 12, 21 over 24.5 s.
  const Json j = scene_pacing_flow(shots({3, 5, 4, 9, 3.5}), 24.5);
  EXPECT_EQ(j["Dynamics"]["pacingProgression"],
            Json::parse(
                R"([{"timestamp":"0-10s","cuts":2},{"timestamp":"10-20s","cuts":1},{"timestamp":"20-25s","cuts":1}])"));
}

TEST(ShotPacing, NothingAnalysedMeasuresNothing) {
  const Json j = scene_pacing_flow(ShotResult{}, 0);
  EXPECT_EQ(j.size(), 6u);
  for (const auto& [name, block] : j.items()) EXPECT_TRUE(block.empty()) << name;
}

TEST(ShotConfig, FingerprintChangesWithEveryOption) {
  const ShotOptions base;
  const std::string f = shot_config_fingerprint(base);
  EXPECT_EQ(f, shot_config_fingerprint(ShotOptions{}));
  std::vector<ShotOptions> changed(8, base);
  changed[0].analysis_width = 320;
  changed[1].sample_fps = 10;
  changed[2].min_shot_s = 0.5;
  changed[3].adaptive_ratio = 2.5;
  changed[4].window = 3;
  changed[5].min_content = 12;
  changed[6].weight_hue = 0.5;
  changed[7].weight_edges = 0.2;
  for (const auto& o : changed) EXPECT_NE(shot_config_fingerprint(o), f);
}
