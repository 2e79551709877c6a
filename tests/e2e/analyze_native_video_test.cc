// rumi's native content analysis through the real binary: `rumi analyze-video FILE` writes the
// RumiAI insights layout that --replay and the reader take, and `rumi analyze --native --videos`
// analyses a hashtag's videos one at a time, fails the broken ones with their reason (counted by
// the success gate), serves unchanged files from the analysis cache, and feeds the features stage.
#include <gtest/gtest.h>

#include <fstream>

#include "core/file_io.h"
#include "core/sha256.h"
#include "e2e/analyze_fixture.h"
#include "features/analysis_reader.h"
#include "native/test_media.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;
namespace tm = rumi::test::media;

tm::VideoSpec four_shots() {
  tm::VideoSpec spec;
  spec.shots = {{1.2, "red", "yellow"}, {0.9, "blue", "cyan"}, {1.5, "green", "white"}, {1.4, "purple", "orange"}};
  return spec;
}

tm::VideoSpec two_shots_with_tone() {
  tm::VideoSpec spec;
  spec.shots = {{1.5, "navy", "orange"}, {1.5, "maroon", "yellow"}};
  spec.audio = tm::Audio::tone;
  return spec;
}

fs::path copy_as(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  return to;
}

// The one file of a flow under DIR/<id>/<flow>/ (the insights layout).
fs::path flow_file(const fs::path& out, const std::string& id, const std::string& flow) {
  const fs::path dir = out / id / flow;
  if (!fs::is_directory(dir)) return {};
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(flow + "_ml_", 0) == 0 && e.path().extension() == ".json") return e.path();
  }
  return {};
}

const Json* video(const Json& res, const std::string& id) {
  for (const auto& v : res["videos"])
    if (v["video_id"] == id) return &v;
  return nullptr;
}

TEST(NativeVideoCli, AnalyzeVideoWritesTheInsightsLayout) {
  RUMI_REQUIRE_FFMPEG();
  TempDir dir;
  const std::string id = "7400000000000000101";
  const fs::path file = copy_as(tm::make_video(four_shots()), dir / "videos" / (id + ".mp4"));
  const fs::path out = dir / "out";
  auto r = run_rumi({"--json", "analyze-video", file.string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  ASSERT_EQ(j["analyses"].size(), 1u);
  EXPECT_EQ(j["analyses"][0]["video_id"], id);
  EXPECT_EQ(j["analyses"][0]["mode"], "content");
  EXPECT_EQ(j["analyses"][0]["measurements"]["cuts"].size(), 3u);
  EXPECT_TRUE(j["analyses"][0]["measurements"]["timings"].contains("decode"));

  for (const char* flow : {"scene_pacing", "speech_analysis", "creative_density"})
    EXPECT_FALSE(flow_file(out, id, flow).empty()) << flow;
  const Json sp = read_json_file(flow_file(out, id, "scene_pacing"));
  EXPECT_EQ(sp["CoreMetrics"]["totalScenes"], 4);
  // No item: no metadata flow; the reader takes the folder as it takes RumiAI's.
  EXPECT_TRUE(flow_file(out, id, "metadata_analysis").empty());
  const auto loaded = features::load_analysis_from_dir(out, id);
  EXPECT_EQ(loaded.flows["scene_pacing"]["CoreMetrics"]["totalScenes"], 4);
  EXPECT_EQ(loaded.flows["creative_density"]["CoreMetrics"]["sceneChangeCount"], 3);
  EXPECT_EQ(loaded.flows["speech_analysis"]["CoreMetrics"]["totalWords"], 0);
  EXPECT_EQ(loaded.missing_flows,
            (std::vector<std::string>{"emotional_journey", "metadata_analysis"}));  // no face in the test shots
}

TEST(NativeVideoCli, AnalyzeVideoWithItsItem) {
  RUMI_REQUIRE_FFMPEG();
  TempDir dir;
  const fs::path item = fixtures_dir() / "imports" / "apify_single_item.json";
  const std::string id = "7522345762324237623";
  // The file's name is no id: the item says which video it is.
  const fs::path file = copy_as(tm::make_video(two_shots_with_tone()), dir / "clip (1).mp4");
  const fs::path out = dir / "out";
  auto r = run_rumi({"analyze-video", file.string(), "--item", item.string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 cuts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("real-time factor"), std::string::npos) << r.out;
  const fs::path meta = flow_file(out, id, "metadata_analysis");
  ASSERT_FALSE(meta.empty());
  EXPECT_EQ(read_json_file(meta)["CoreMetrics"]["hashtagCount"], 3);
  EXPECT_FALSE(flow_file(out, id, "scene_pacing").empty());

  // The item says 18 s: refused as too long before the file is decoded.
  r = run_rumi(
      {"analyze-video", file.string(), "--item", item.string(), "--out", out.string(), "--max-duration", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("too long: the item says 18.00 s"), std::string::npos) << r.err;
  // Neither an item nor an id-like name: the id is unknown.
  r = run_rumi({"analyze-video", file.string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot tell the video id"), std::string::npos) << r.err;
}

TEST(NativeVideoCli, AnalyzeVideoRefusesABrokenFileWithItsReason) {
  RUMI_REQUIRE_FFMPEG();
  TempDir dir;
  const fs::path page = tm::make_html_page(dir.path());
  const fs::path file = dir / "7400000000000000102.mp4";
  fs::rename(page, file);
  auto r = run_rumi({"analyze-video", file.string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(file.string() + ": not a video: looks like an HTML page"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "7400000000000000102"));

  // A good file past its time limit: stopped with a timeout, nothing written.
  const fs::path good = copy_as(tm::make_video(four_shots()), dir / "7400000000000000103.mp4");
  r = run_rumi({"analyze-video", good.string(), "--out", (dir / "out").string(), "--timeout", "0.000001"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("timed out"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "7400000000000000103"));
}

TEST(NativeVideoCli, AnalyzeNativeVideosFailsTheBrokenOnesAndFeedsTheFeatures) {
  RUMI_REQUIRE_FFMPEG();
  AnalyzeFixture f;
  f.setup_clients({"Acme Drinks", "Beta Foods"});
  TempDir media;
  const std::vector<FakeVideo> videos = {{"7400000000000000201", "0-15s", ""},
                                         {"7400000000000000202", "0-15s", ""},
                                         {"7400000000000000203", "0-15s", ""},
                                         {"7400000000000000204", "0-15s", ""}};
  const fs::path vdir = media / "videos";
  copy_as(tm::make_video(four_shots()), vdir / (videos[0].id + ".mp4"));
  copy_as(tm::make_video(two_shots_with_tone()), vdir / (videos[1].id + ".mp4"));
  {  // a download cut off half way
    const fs::path cut = tm::make_truncated(tm::make_video(four_shots()), media.path());
    fs::rename(cut, vdir / (videos[2].id + ".mp4"));
  }
  // videos[3] has no file at all.
  f.write_selection("acme-drinks", videos);
  f.write_selection("beta-foods", videos);

  // The default gate (80 %) is not met by 2 of 4: exit 3, with each failure's reason.
  auto r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--native", "--videos", vdir.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["mode"], "content");
  EXPECT_EQ(j["status"], "finished");
  EXPECT_EQ(j["gate_passed"], false);
  EXPECT_EQ((*video(j, videos[0].id))["status"], "done");
  EXPECT_EQ((*video(j, videos[1].id))["status"], "done");
  ASSERT_EQ((*video(j, videos[2].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[2].id))["error"].get<std::string>().find("truncated"), std::string::npos)
      << (*video(j, videos[2].id))["error"];
  ASSERT_EQ((*video(j, videos[3].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[3].id))["error"].get<std::string>().find("not found"), std::string::npos);
  const std::string version = j["analyzer_version"].get<std::string>();
  EXPECT_EQ(version.rfind("rumi-native-1-content-", 0), 0u) << version;
  const Json progress = read_json_file(f.hashtag_dir("acme-drinks") / "checkpoints" / "progress.json");
  EXPECT_EQ(progress["mode"], "content");

  // The merged analysis: measured flows, the input's hash, and nothing unmeasured.
  const fs::path merged_file =
      f.hashtag_dir("acme-drinks") / "bucket_0-15s" / "videos" / (videos[0].id + "_analysis.json");
  const Json merged = read_json_file(merged_file);
  EXPECT_EQ(merged["flows"]["scene_pacing"]["CoreMetrics"]["totalScenes"], 4);
  EXPECT_EQ(merged["native"]["input_sha256"], sha256_file(vdir / (videos[0].id + ".mp4")));
  EXPECT_FALSE(merged["flows"].contains("emotional_journey"));  // no face in the gradient shots
  // Objects, gestures and stickers are not detected: their counts are left out (native/density.h).
  EXPECT_TRUE(merged["flows"]["creative_density"]["CoreMetrics"].contains("avgDensity"));
  EXPECT_FALSE(merged["flows"]["creative_density"]["CoreMetrics"]["elementCounts"].contains("object"));

  // Another client selecting the same files: served from the cache, the broken ones tried again.
  std::ofstream(vdir / (videos[1].id + ".mp4"), std::ios::app) << "";  // unchanged bytes
  r = f.rumi(
      {"--json", "analyze", "Beta Foods", "#nutrition", "--native", "--videos", vdir.string(), "--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = Json::parse(r.out);
  EXPECT_EQ(j["cache_hits"], 2);
  EXPECT_EQ((*video(j, videos[2].id))["status"], "failed");
  // A changed file is analysed again, not served from the cache.
  copy_as(tm::make_video(four_shots()), vdir / (videos[1].id + ".mp4"));
  r = f.rumi({"--json", "analyze", "Beta Foods", "#nutrition", "--restart", "--native", "--videos", vdir.string(),
              "--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = Json::parse(r.out);
  EXPECT_EQ(j["cache_hits"], 1);
  const Json beta =
      read_json_file(f.hashtag_dir("beta-foods") / "bucket_0-15s" / "videos" / (videos[1].id + "_analysis.json"));
  EXPECT_EQ(beta["flows"]["scene_pacing"]["CoreMetrics"]["totalScenes"], 4);

  // The features stage reads the native analyses.
  auto feat = f.rumi({"features", "Acme Drinks", "#nutrition"});
  ASSERT_EQ(feat.exit_code, 0) << feat.err;
  std::ifstream csv(f.hashtag_dir("acme-drinks") / "bucket_0-15s" / "features.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_NE(header.find("totalScenes"), std::string::npos) << header.substr(0, 400);

  // The broken download replaced: --resume alone keeps the content mode and its folder.
  copy_as(tm::make_video(two_shots_with_tone()), vdir / (videos[2].id + ".mp4"));
  r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--resume", "--retry-failed", "--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = Json::parse(r.out);
  EXPECT_EQ(j["mode"], "content");
  EXPECT_EQ(j["analyzer_version"], version);
  EXPECT_EQ((*video(j, videos[2].id))["status"], "done");
  EXPECT_EQ((*video(j, videos[3].id))["status"], "failed");
}

TEST(NativeVideoCli, VideosMustBeAFolder) {
  AnalyzeFixture f;
  f.setup_clients({"Acme Drinks"});
  f.write_selection("acme-drinks", {{"7400000000000000301", "0-15s", ""}});
  auto r = f.rumi({"analyze", "Acme Drinks", "#nutrition", "--native", "--videos", (f.root() / "nope").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a directory"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rumi::test
