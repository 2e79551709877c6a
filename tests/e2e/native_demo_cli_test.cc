// `rumi demo --native-videos`: real mp4 files made with the ffmpeg CLI go through the whole
// pipeline with rumi's native analyzer. The truth is the demo's own plan (planted.json: when each
// caption appears, how many shots), which the ffmpeg arguments realise: the test checks the
// analyzer's measurements against it, that the planted element (an earlier caption goes with
// higher engagement) is labelled among the bucket's patterns, that an unplanted one (cuts) is not,
// and that the same seed gives the same export bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/file_io.h"
#include "core/json.h"
#include "pipeline/native_demo.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;

// 30: the smallest bucket that gets full (non-exploratory) evidence; about 30 s on two cores.
constexpr int kVideos = 30;
constexpr const char* kFfmpeg = "/usr/bin/ffmpeg";

class NativeDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kFfmpeg) || !fs::exists(pipeline::kNativeDemoFont)) return;
    dir_ = new test::TempDir;
    result_ = new test::CommandResult(
        test::run_rumi({"demo", "--native-videos", std::to_string(kVideos), "--out", (dir_->path() / "out").string()}));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
    result_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!result_)
      GTEST_SKIP() << "needs " << kFfmpeg << " and the font " << pipeline::kNativeDemoFont
                   << " (scripts/install-deps.sh installs both)";
    ASSERT_EQ(result_->exit_code, 0) << result_->err << result_->out;
  }
  static fs::path out() { return dir_->path() / "out"; }
  static fs::path hashtag_dir() { return out() / "workspace" / "MLAnalysis" / "demo-video-lab" / "demovideos"; }
  static Json planted() { return read_json_file(out() / "native" / "planted.json"); }
  static test::TempDir* dir_;
  static test::CommandResult* result_;
};

test::TempDir* NativeDemo::dir_ = nullptr;

test::CommandResult* NativeDemo::result_ = nullptr;

TEST_F(NativeDemo, WritesReportsAndSaysTheNativeAnalyzerMeasuredTheVideos) {
  EXPECT_NE(result_->out.find("analysed by rumi's native analyzer"), std::string::npos) << result_->out;
  EXPECT_NE(result_->out.find("time to first overlay"), std::string::npos) << "the summary names what was planted";
  int mp4 = 0;
  for (const auto& e : fs::directory_iterator(out() / "native" / "videos")) mp4 += e.path().extension() == ".mp4";
  EXPECT_EQ(mp4, kVideos);
  // The analysis run was native content analysis, not a replay or captions only.
  const Json progress = read_json_file(hashtag_dir() / "checkpoints" / "progress.json");
  EXPECT_EQ(progress["mode"], "content");
  EXPECT_TRUE(progress["analyzer_version"].get<std::string>().starts_with("rumi-native-"))
      << progress["analyzer_version"];
  EXPECT_EQ(progress["total"], kVideos);
  fs::path reports;
  for (const auto& e : fs::directory_iterator(hashtag_dir() / "reports")) reports = e.path();
  ASSERT_FALSE(reports.empty());
  for (const char* pdf : {"Client_Strategy_Report.pdf", "Billo_Creative_Brief_strategy_01.pdf"}) {
    ASSERT_TRUE(fs::exists(reports / pdf)) << reports / pdf;
    EXPECT_TRUE(read_file(reports / pdf).starts_with("%PDF-")) << pdf;
  }
  EXPECT_TRUE(fs::exists(reports / "bucket_performance_report.md"));
  // Content, not captions only: the dashboard says so.
  const std::string html = read_file(reports / "index.html");
  EXPECT_NE(html.find("based on the videos&#39; content"), std::string::npos);
  EXPECT_NE(html.find("measured by rumi&#39;s native analyzer"), std::string::npos);
  EXPECT_EQ(html.find("based on captions and posting data"), std::string::npos);
}

// The analyzer against the ffmpeg arguments: caption onset within +-0.5 s (issue 20's
// tolerance) and the number of shots, for every video.
TEST_F(NativeDemo, MeasurementsMatchTheVideosTruth) {
  const Json truth = planted()["truth"];
  ASSERT_EQ(truth.size(), static_cast<std::size_t>(kVideos));
  int shots_right = 0;
  for (const auto& v : truth) {
    const fs::path file = hashtag_dir() / "bucket_0-15s" / "videos" / (v["id"].get<std::string>() + "_analysis.json");
    ASSERT_TRUE(fs::exists(file)) << file;
    const Json a = read_json_file(file);
    const double onset = a["flows"]["visual_overlay_analysis"]["CoreMetrics"]["timeToFirstOverlay"].get<double>();
    EXPECT_NEAR(onset, v["text_onset_s"].get<double>(), 0.5) << v.dump();
    shots_right += a["flows"]["scene_pacing"]["CoreMetrics"]["totalScenes"] == v["shots"];
  }
  EXPECT_GE(shots_right, kVideos * 9 / 10);
}

TEST_F(NativeDemo, FindsThePlantedElementAndNotTheCuts) {
  const Json p = read_json_file(hashtag_dir() / "bucket_0-15s" / "patterns_0-15s.json");
  EXPECT_FALSE(p["exploratory"].get<bool>());
  const auto has_column = [](const Json& pattern, const char* column) {
    for (const auto& c : pattern["columns"])
      if (c == column) return true;
    return false;
  };
  const Json* planted_pattern = nullptr;
  for (const auto& pat : p["patterns"]) {
    const std::string evidence = pat["evidence"];
    if (evidence != "STRONG" && evidence != "MODERATE") continue;
    if (has_column(pat, "overlay.timeToFirstOverlay")) planted_pattern = &pat;
    EXPECT_FALSE(has_column(pat, "scene.totalScenes")) << "cuts were not planted: " << pat.dump();
  }
  ASSERT_NE(planted_pattern, nullptr) << p["patterns"].dump(1);
  // When the element is represented by the planted column itself, its direction is the planted one.
  if ((*planted_pattern)["feature"] == "overlay.timeToFirstOverlay") {
    EXPECT_EQ((*planted_pattern)["direction"], "lower_is_better");
  }
}

// Reproducible: the export is a pure function of the seed; the CLI wrote exactly that export.
TEST_F(NativeDemo, SameSeedGivesTheSameExport) {
  test::TempDir tmp;
  pipeline::write_native_demo_export(pipeline::plan_native_demo(kDefaultSeed, kVideos), tmp.path() / "a");
  pipeline::write_native_demo_export(pipeline::plan_native_demo(kDefaultSeed, kVideos), tmp.path() / "b");
  pipeline::write_native_demo_export(pipeline::plan_native_demo(kDefaultSeed + 1, kVideos), tmp.path() / "c");
  const std::string a = read_file(tmp.path() / "a" / "apify_items.json");
  EXPECT_EQ(a, read_file(tmp.path() / "b" / "apify_items.json"));
  EXPECT_EQ(read_file(tmp.path() / "a" / "planted.json"), read_file(tmp.path() / "b" / "planted.json"));
  EXPECT_NE(a, read_file(tmp.path() / "c" / "apify_items.json"));
  EXPECT_EQ(a, read_file(out() / "native" / "apify_items.json"));
}

TEST(NativeDemoPlan, RefusesTooFewVideosForPatterns) {
  const auto r = test::run_rumi({"demo", "--native-videos", "10", "--out", "/nonexistent/never-written"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists("/nonexistent/never-written"));
}

}  // namespace
}  // namespace rumi
