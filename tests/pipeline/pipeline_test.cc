// End to end through the real binary: `rumi demo` builds the design's output tree, a second run
// on fresh folders gives byte-identical models and patterns, a re-run skips every stage, and a
// run killed at a random point finishes correctly when started again.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "core/file_io.h"
#include "core/json.h"
#include "core/sha256.h"
#include "core/time_util.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;

constexpr const char* kVideos = "120";

// sha256 of every model / patterns file under a workspace, keyed by path relative to MLAnalysis.
std::map<std::string, std::string> model_and_pattern_hashes(const fs::path& ws) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(ws / "MLAnalysis")) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && (name.starts_with("model_") || name.starts_with("patterns_") || name == "features.csv" ||
                                name == "performance_metrics.json"))
      out[e.path().lexically_relative(ws / "MLAnalysis").string()] = sha256_file(e.path());
  }
  return out;
}

class Demo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    result_ = new test::CommandResult(test::run_rumi({"demo", "--out", (dir_->path() / "first").string(), "--videos", kVideos}));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static fs::path ws() { return dir_->path() / "first" / "workspace"; }
  static test::TempDir* dir_;
  static test::CommandResult* result_;
};
test::TempDir* Demo::dir_ = nullptr;
test::CommandResult* Demo::result_ = nullptr;

TEST_F(Demo, BuildsTheDesignOutputTree) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  EXPECT_NE(result_->out.find("Client_Strategy_Report.pdf"), std::string::npos) << result_->out;
  EXPECT_NE(result_->out.find("INSUFFICIENT DATA"), std::string::npos) << "the demo keeps one bucket too small";
  const fs::path root = ws();
  EXPECT_TRUE(fs::exists(root / "rumi.db"));
  for (const char* tag : {"nutrition", "energydrink"}) {
    const fs::path h = root / "MLAnalysis" / "demo-supplements-co" / tag;
    EXPECT_TRUE(fs::exists(h / "acquisition" / "selection.json")) << h;
    EXPECT_FALSE(fs::is_empty(h / "acquisition" / "raw"));
    EXPECT_TRUE(fs::exists(h / "checkpoints" / "progress.json"));
    int buckets_with_model = 0, buckets_insufficient = 0;
    for (const char* b : {"0-15s", "16-30s", "31-60s", "61-90s", "91-120s"}) {
      const fs::path bd = h / (std::string("bucket_") + b);
      ASSERT_TRUE(fs::is_directory(bd / "videos")) << bd;
      EXPECT_FALSE(fs::is_empty(bd / "videos"));
      EXPECT_TRUE(fs::exists(bd / "features.csv"));
      EXPECT_TRUE(fs::exists(bd / "performance_metrics.json"));
      const Json perf = read_json_file(bd / "performance_metrics.json");
      if (perf["insufficient_data"].get<bool>()) {
        ++buckets_insufficient;
        EXPECT_FALSE(fs::exists(bd / (std::string("model_") + b + ".json")));
      } else {
        ++buckets_with_model;
        const Json model = read_json_file(bd / (std::string("model_") + b + ".json"));
        EXPECT_EQ(model["format"], "rumi-model");
        EXPECT_EQ(model["format_version"], 1);
        EXPECT_TRUE(model["models"].contains("random_forest"));
        EXPECT_TRUE(fs::exists(bd / (std::string("patterns_") + b + ".json")));
      }
    }
    EXPECT_GE(buckets_with_model, 1) << tag;
    EXPECT_GE(buckets_insufficient, 1) << tag;
    const fs::path reports = h / "reports" / format_date_utc(now_unix());
    for (const char* f : {"Client_Strategy_Report.pdf", "bucket_performance_report.json", "bucket_performance_report.md",
                          "strategic_summary.json", "index.html", "creative_guide_0-15s.md", "creative_guide_0-15s.json"})
      EXPECT_TRUE(fs::exists(reports / f)) << reports / f;
    EXPECT_TRUE(fs::is_directory(reports / "strategies"));
    ASSERT_TRUE(fs::is_directory(h / "runs"));
    int manifests = 0;
    for (const auto& e : fs::directory_iterator(h / "runs"))
      if (fs::exists(e.path() / "manifest.json")) {
        ++manifests;
        const Json m = read_json_file(e.path() / "manifest.json");
        EXPECT_EQ(m["seed"], 42);
        EXPECT_TRUE(m["dependencies"].contains("xgboost"));
        EXPECT_TRUE(m["dependencies"].contains("sqlite"));
        EXPECT_EQ(m["config_sha256"].get<std::string>().size(), 64u);
        EXPECT_FALSE(m["inputs"].empty());
        for (const auto& in : m["inputs"]) EXPECT_EQ(in["sha256"].get<std::string>().size(), 64u);
        EXPECT_EQ(m["stages"].size(), 6u);
        EXPECT_EQ(m["status"], "ok");
      }
    EXPECT_EQ(manifests, 1);
  }
  auto runs = test::run_rumi({"--workspace", root.string(), "--json", "runs", "list"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  const Json list = Json::parse(runs.out);
  ASSERT_EQ(list.size(), 1u);
  auto show = test::run_rumi({"--workspace", root.string(), "--json", "runs", "show", list[0]["run_id"]});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(Json::parse(show.out)["hashtags"].size(), 2u);
}

TEST_F(Demo, RerunSkipsEveryStageAndKeepsBytes) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  const auto before = model_and_pattern_hashes(ws());
  auto again = test::run_rumi({"--json", "demo", "--out", (dir_->path() / "first").string(), "--videos", kVideos});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const Json j = Json::parse(again.out);
  for (const auto& h : j["hashtags"])
    for (const auto& s : h["stages"]) EXPECT_TRUE(s["skipped"].get<bool>()) << s.dump();
  EXPECT_EQ(model_and_pattern_hashes(ws()), before);
}

TEST_F(Demo, FreshRunWithSameSeedIsByteIdentical) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  auto second = test::run_rumi({"demo", "--out", (dir_->path() / "second").string(), "--videos", kVideos});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto a = model_and_pattern_hashes(ws());
  const auto b = model_and_pattern_hashes(dir_->path() / "second" / "workspace");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

TEST_F(Demo, KilledRunFinishesWhenStartedAgain) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  const fs::path out = dir_->path() / "killed";
  // Kill at a point inside the pipeline (after generation, during analysis or training).
  for (int delay_ms : {2500, 6000}) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::freopen("/dev/null", "w", stdout);
      ::freopen("/dev/null", "w", stderr);
      ::execl(test::rumi_binary().c_str(), "rumi", "demo", "--out", out.c_str(), "--videos", kVideos, nullptr);
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  auto rerun = test::run_rumi({"demo", "--out", out.string(), "--videos", kVideos});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(model_and_pattern_hashes(out / "workspace"), model_and_pattern_hashes(ws()));
}

TEST(Run, MissingInputsAreClearErrors) {
  test::TempDir dir;
  write_file_atomic(dir / "c.yaml", "clients:\n  - name: Acme\n    hashtags: [\"#nutrition\"]\n");
  const std::string ws = (dir / "ws").string();
  auto r = test::run_rumi({"--workspace", ws, "run", (dir / "c.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--import"), std::string::npos) << r.err;
  r = test::run_rumi({"--workspace", ws, "run", (dir / "c.yaml").string(), "--import", "#other=" + (dir / "c.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not in"), std::string::npos) << r.err;
  r = test::run_rumi({"--workspace", ws, "run", (dir / "c.yaml").string(), "--import", (dir / "missing.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
}

TEST(Readme, CliReferenceMatchesTheBinary) {
  const std::string readme = read_file(test::source_dir() / "README.md");
  const std::string begin = "<!-- cli-reference:begin -->\n", end = "<!-- cli-reference:end -->";
  const auto b = readme.find(begin), e = readme.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  auto gen = test::run_program({"/bin/bash", (test::source_dir() / "scripts" / "cli-reference.sh").string(),
                                test::rumi_binary().string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(readme.substr(b + begin.size(), e - b - begin.size()), gen.out)
      << "README's CLI reference is stale: regenerate it with scripts/update-readme.sh";
}

TEST(Readme, StartsWithTheTwoCommandsAndCiRunsTheSecond) {
  const std::string readme = read_file(test::source_dir() / "README.md");
  const std::string ci = read_file(test::source_dir() / ".ci" / "run");
  const std::string demo = "bash scripts/install-deps.sh && cmake -S . -B build -G Ninja && cmake --build build --target rumi && ./build/rumi demo";
  const std::string tests = "bash scripts/install-deps.sh && bash scripts/test.sh";
  const auto d = readme.find(demo), t = readme.find(tests);
  ASSERT_NE(d, std::string::npos);
  ASSERT_NE(t, std::string::npos);
  EXPECT_LT(d, t);
  EXPECT_LT(t, 600u) << "the two commands come first";
  EXPECT_NE(ci.find(tests), std::string::npos);
}

}  // namespace
}  // namespace rumi
