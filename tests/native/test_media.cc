// The test-media helpers (test_media.h) make what they describe, checked with ffprobe, so a
// decoder or detector test that uses them starts from a known truth.
#include "native/test_media.h"

#include <gtest/gtest.h>

namespace rumi::test::media {
namespace {

TEST(TestMedia, MakesTheShotsAndAudioItDescribes) {
  RUMI_REQUIRE_FFMPEG();
  VideoSpec spec;
  spec.shots = {{1.0, "red", "yellow"}, {1.5, "blue", "cyan"}};
  spec.audio = Audio::tone;
  const auto file = make_video(spec);
  const Probe p = ffprobe(file);
  EXPECT_NEAR(p.duration_s, 2.5, 0.05);
  EXPECT_EQ(p.width, 180);
  EXPECT_EQ(p.height, 320);
  EXPECT_NEAR(p.fps, 30, 0.01);
  EXPECT_TRUE(p.has_video);
  EXPECT_TRUE(p.has_audio);
  EXPECT_EQ(cut_times(spec), (std::vector<double>{1.0}));
  // Cached: the same spec is the same file.
  EXPECT_EQ(make_video(spec), file);
}

TEST(TestMedia, VariableFrameRateKeepsOriginalTimestamps) {
  RUMI_REQUIRE_FFMPEG();
  VideoSpec spec;
  spec.shots = {{3.0, "green", "white"}};
  spec.vfr = true;
  const Probe p = ffprobe(make_video(spec), true);
  ASSERT_GT(p.frame_times.size(), 10u);
  // 30 fps outside [1, 2], 15 fps inside: 30 + 15 + 30 frames, give or take the edges.
  EXPECT_NEAR(static_cast<double>(p.frame_times.size()), 75.0, 2.0);
  EXPECT_FALSE(p.has_audio);
}

TEST(TestMedia, SpeechIsPlacedInsideTheVideo) {
  RUMI_REQUIRE_FFMPEG();
  RUMI_REQUIRE_ESPEAK();
  VideoSpec spec;
  spec.shots = {{4.0, "navy", "orange"}};
  spec.audio = Audio::speech;
  spec.speech_at_s = 1.0;
  const Probe p = ffprobe(make_video(spec));
  EXPECT_NEAR(p.duration_s, 4.0, 0.06);
  EXPECT_TRUE(p.has_audio);
}

}  // namespace
}  // namespace rumi::test::media
