// Overhead of the analyze loop beyond the analyzer itself: a replay of 200 videos (7 flows each)
// through the real binary. Prints ms/video; no timing assertion (shared CI machines vary).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "analyze/analyze_fixture.h"
#include "core/json.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;

TEST(AnalyzeOverhead, ReplayOf200Videos) {
  AnalyzeFixture f;
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(200);
  f.write_selection("acme-drinks", videos);
  const fs::path replay = f.root() / "replay";
  const char* flows[] = {"creative_density", "emotional_journey", "person_framing", "scene_pacing",
                         "speech_analysis", "visual_overlay_analysis", "metadata_analysis"};
  for (const auto& v : videos) {
    const fs::path d = replay / "insights" / v.id;
    for (const char* flow : flows) {
      fs::create_directories(d / flow);
      std::ofstream(d / flow / (std::string(flow) + "_ml_20250101_120000.json"))
          << R"({"CoreMetrics": {"a": 1.5, "b": [1, 2, 3]}, "Dynamics": {"c": 2}, "Interactions": {},)"
          << R"( "KeyEvents": {}, "Patterns": {"p": "x"}, "Quality": {"confidence": 0.9}})";
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--replay", replay.string()});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  double per_video = 0;
  for (const auto& v : j["videos"]) {
    EXPECT_EQ(v["status"], "done");
    EXPECT_TRUE(v["missing_flows"].empty());
    per_video += v["duration_s"].get<double>();
  }
  std::printf("replay of %zu videos: %.1f ms/video inside the loop, %.1f ms/video end to end (process included)\n",
              videos.size(), 1000 * per_video / videos.size(), 1000 * secs / videos.size());
}

}  // namespace
}  // namespace rumi::test
