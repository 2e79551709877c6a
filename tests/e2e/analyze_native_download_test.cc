// `rumi analyze --native --download` through the real binary against a local fake media server:
// each selected video is downloaded from its item's link into the public videos folder and
// analysed; a link that serves an HTML page fails that video with its reason (counted by the
// success gate) while the batch goes on; a second run downloads nothing again.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/file_io.h"
#include "e2e/analyze_fixture.h"
#include "native/test_media.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;
namespace tm = rumi::test::media;

TEST(NativeDownloadCli, DownloadsAnalysesAndFailsTheBrokenLinkWithItsReason) {
  RUMI_REQUIRE_FFMPEG();
  tm::VideoSpec spec;
  spec.shots = {{1.0, "red", "yellow"}, {1.0, "blue", "cyan"}};
  const std::string mp4 = read_file(tm::make_video(spec));

  std::atomic<int> requests{0};
  httplib::Server server;
  server.Get(R"(/v/(\d+)\.mp4)", [&](const httplib::Request& req, httplib::Response& res) {
    ++requests;
    if (req.matches[1] == "7400000000000000303") {
      res.set_content("<!DOCTYPE html><html><body>Video unavailable</body></html>", "text/html");
      return;
    }
    res.set_content(mp4, "video/mp4");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  struct Stop {
    httplib::Server& s;
    std::thread& t;
    ~Stop() {
      s.stop();
      t.join();
    }
  } stop{server, t};

  AnalyzeFixture fx;
  fx.setup_clients({"Acme"});
  Json items = Json::array();
  const Json base = read_json_file(fixtures_dir() / "imports" / "apify_single_item.json");
  for (const std::string id : {"7400000000000000301", "7400000000000000302", "7400000000000000303"}) {
    Json item = base;
    item["id"] = id;
    item["webVideoUrl"] = "https://www.tiktok.com/@fibrefirst/video/" + id;
    item["videoMeta"]["duration"] = 2;
    item["videoUrl"] = "http://127.0.0.1:" + std::to_string(port) + "/v/" + id + ".mp4";
    items.push_back(item);
  }
  write_json_atomic(fx.root() / "items.json", items);
  auto r = fx.rumi({"acquire", "Acme", "#nutrition", "--import", (fx.root() / "items.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  r = fx.rumi({"--json", "analyze", "Acme", "#nutrition", "--native", "--download", "--min-success", "0.5"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const Json res = Json::parse(r.out);
  EXPECT_EQ(res["mode"], "content");
  int ok = 0, failed = 0;
  for (const auto& v : res["videos"]) {
    if (v["video_id"] == "7400000000000000303") {
      ++failed;
      EXPECT_EQ(v["status"], "failed");
      EXPECT_NE(v.value("error", std::string()).find("not a video"), std::string::npos) << v.dump();
    } else {
      ok += v["status"] == "done";
    }
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(failed, 1);
  const fs::path videos = fx.ws() / "public" / "videos";
  EXPECT_EQ(read_file(videos / "7400000000000000301.mp4"), mp4);
  EXPECT_FALSE(fs::exists(videos / "7400000000000000303.mp4")) << "a refused download leaves no file";
  for (const auto& e : fs::directory_iterator(videos)) EXPECT_NE(e.path().extension(), ".part") << e.path();
  const fs::path analysis = fx.hashtag_dir("acme") / "bucket_0-15s" / "videos" / "7400000000000000301_analysis.json";
  ASSERT_TRUE(fs::exists(analysis));
  EXPECT_EQ(read_json_file(analysis)["flows"]["scene_pacing"]["CoreMetrics"]["totalScenes"], 2);

  // Again, from scratch: the files are there, so only the broken link is asked for again.
  const int before = requests.load();
  r = fx.rumi(
      {"--json", "analyze", "Acme", "#nutrition", "--native", "--download", "--min-success", "0.5", "--restart"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(requests.load() - before, 1);
}

}  // namespace
}  // namespace rumi::test
