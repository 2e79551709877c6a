// Overhead of the analyze loop beyond the analyzer itself: a replay of 200 videos (7 flows each)
// through the real binary. Prints ms/video; no timing assertion (shared CI machines vary).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "core/json.h"
#include "e2e/analyze_fixture.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;

TEST(AnalyzeOverhead, ReplayOf200Videos) {
  AnalyzeFixture f;
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(200);
  f.write_selection("acme-drinks", videos);
  const fs::path replay = f.root() / "replay";
  const char* flows[] = {"creative_density", "emotional_journey",       "person_framing",   "scene_pacing",
                         "speech_analysis",  "visual_overlay_analysis", "metadata_analysis"};
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

TEST(AnalyzeReplay, BatchedReplaySharesThePublicCopyAcrossClientsAndResumes) {
  // A replay checkpoints in batches (analyze_hashtag.cc: kReplayBatch); 300 videos span three.
  AnalyzeFixture f;
  f.setup_clients({"Acme Drinks", "Bravo Supplements"});
  auto videos = make_videos(300);
  f.write_selection("acme-drinks", videos);
  f.write_selection("bravo-supplements", videos);
  const fs::path replay = f.root() / "replay";
  for (const auto& v : videos) {
    const fs::path d = replay / "insights" / v.id / "metadata_analysis";
    fs::create_directories(d);
    std::ofstream(d / "metadata_analysis_ml_20250101_120000.json")
        << R"({"CoreMetrics": {"id": ")" << v.id << R"("}, "Dynamics": {}, "Interactions": {}, "KeyEvents": {},)"
        << R"( "Patterns": {}, "Quality": {"confidence": 0.9}})";
  }
  auto file_of = [&](const std::string& client, const FakeVideo& v) {
    return f.hashtag_dir(client) / ("bucket_" + v.bucket) / "videos" / (v.id + "_analysis.json");
  };
  auto r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--replay", replay.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path pub = f.ws() / "public" / "analyses" / videos[7].id / "replay.json";
  ASSERT_TRUE(fs::exists(pub));
  const auto pub_time = fs::last_write_time(pub);
  // Bravo replays the same videos: its own copies, the public one left as it was.
  r = f.rumi({"--json", "analyze", "Bravo Supplements", "#nutrition", "--replay", replay.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  int done = 0;
  for (const auto& v : j["videos"]) done += v["status"] == "done";
  EXPECT_EQ(done, 300);
  for (const auto& v : videos) {
    ASSERT_TRUE(fs::exists(file_of("bravo-supplements", v))) << v.id;
    std::ifstream a(file_of("acme-drinks", v)), b(file_of("bravo-supplements", v));
    const std::string sa((std::istreambuf_iterator<char>(a)), {}), sb((std::istreambuf_iterator<char>(b)), {});
    ASSERT_EQ(sa, sb) << v.id;
    ASSERT_NE(sa.find(v.id), std::string::npos);
  }
  // The second client's identical analyses were not written to the public cache again.
  EXPECT_EQ(fs::last_write_time(pub), pub_time);
  const Json progress = read_json_file(f.hashtag_dir("bravo-supplements") / "checkpoints" / "progress.json");
  EXPECT_EQ(progress["counts"]["done"], 300);
  // A client copy that vanished is restored by the next replay; nothing else is redone.
  fs::remove(file_of("acme-drinks", videos[150]));
  r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--replay", replay.string(), "--resume"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(file_of("acme-drinks", videos[150])));
  for (const auto& e : fs::recursive_directory_iterator(f.ws()))
    EXPECT_EQ(e.path().filename().string().find(".replay-tmp."), std::string::npos) << e.path();
}

}  // namespace
}  // namespace rumi::test
