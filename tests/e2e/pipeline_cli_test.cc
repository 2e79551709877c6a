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
#include "support/rumi_cli.h"
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
    result_ = new test::CommandResult(
        test::run_rumi({"demo", "--out", (dir_->path() / "first").string(), "--videos", kVideos}));
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
    for (const char* f :
         {"Client_Strategy_Report.pdf", "bucket_performance_report.json", "bucket_performance_report.md",
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
        // Costs: no live scrape in the demo, so no Apify line; the analysis time of every video.
        EXPECT_FALSE(m["costs"].contains("apify_run"));
        EXPECT_GT(m["costs"]["analysed_now"].get<int>(), 0);
        EXPECT_GT(m["costs"]["analysis_seconds"].get<double>(), 0.0);
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

// What a reader of the demo's reports sees: no finding is named by two strategies (a finding
// leads one strategy or supports one), and no sentence in any PDF is cut short at its line limit.
TEST_F(Demo, EachFindingInOneStrategyAndNoSentenceCutShort) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  for (const char* tag : {"#nutrition", "#energydrink"}) {
    auto r = test::run_rumi(
        {"--json", "--workspace", ws().string(), "report", "Demo Supplements Co", tag, "--date", "2031-01-02"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Json j = Json::parse(r.out);
    ASSERT_FALSE(j["pdfs"].empty());
    for (const auto& p : j["pdfs"])
      for (const auto& t : p["cut_short"]) ADD_FAILURE() << p["path"] << " cuts short: " << t;
    std::map<std::pair<std::string, std::string>, int> named;
    for (int i = 1; i <= j["strategies"].get<int>(); ++i) {
      const Json s = read_json_file(fs::path(j["dir"].get<std::string>()) / "strategies" /
                                    ("strategy_" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".json"));
      for (const auto& p : s["patterns"]) ++named[{s["target_bucket"], p["feature"]}];
    }
    EXPECT_FALSE(named.empty()) << tag;
    for (const auto& [key, n] : named) EXPECT_EQ(n, 1) << tag << " " << key.first << " " << key.second;
  }
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
  r = test::run_rumi(
      {"--workspace", ws, "run", (dir / "c.yaml").string(), "--import", "#other=" + (dir / "c.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not in"), std::string::npos) << r.err;
  r = test::run_rumi(
      {"--workspace", ws, "run", (dir / "c.yaml").string(), "--import", (dir / "missing.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
}

// Issue 21, point 5: the analysis gate (>= 80 % of each bucket's selected videos analysed) stops
// `rumi run` before training and stops `rumi train`; --min-success lowers it, and the run
// manifest records the threshold used.
TEST(Run, SuccessGateStopsTrainingUnlessLowered) {
  test::TempDir dir;
  const std::string data = (dir / "data").string();
  auto r = test::run_rumi({"synth", "--videos", "90", "--out", data, "--mix", "1,0,0,0,0", "--seed", "7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Half of the videos have no RumiAI output: the replay fails them.
  const Json items = read_json_file(dir / "data" / "apify_items.json");
  for (std::size_t i = 0; i < items.size(); i += 2) {
    const std::string id = items[i]["id"];
    fs::remove_all(dir / "data" / "analyses" / "insights" / id);
    for (const auto& e : fs::directory_iterator(dir / "data" / "analyses"))
      if (e.path().filename().string().starts_with(id + "_")) fs::remove(e.path());
  }
  write_file_atomic(dir / "c.yaml",
                    "clients:\n  - name: \"Acme Drinks\"\n    hashtags:\n      - name: \"#nutrition\"\n"
                    "        analysis_config:\n          videos_per_segment: 60\n          segments: [\"0-15s\"]\n"
                    "          min_date: \"2025-01-01\"\n          selection:\n            min_views: 0\n"
                    "            min_engagement_rate: 0\n");
  const std::string ws = (dir / "ws").string();
  const std::vector<std::string> run = {"--workspace",
                                        ws,
                                        "--json",
                                        "run",
                                        (dir / "c.yaml").string(),
                                        "--import",
                                        data + "/apify_items.json",
                                        "--replay",
                                        data + "/analyses",
                                        "--formats",
                                        "json,md"};
  r = test::run_rumi(run);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("bucket 0-15s: only"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("below the required 80 %"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--min-success"), std::string::npos) << r.err;
  const fs::path bucket = dir / "ws" / "MLAnalysis" / "acme-drinks" / "nutrition" / "bucket_0-15s";
  EXPECT_FALSE(fs::exists(bucket / "model_0-15s.json"));
  EXPECT_FALSE(fs::exists(bucket / "features.csv"));
  Json out = Json::parse(r.out);
  const Json gate = out["hashtags"][0]["success_gate"];
  EXPECT_FALSE(gate["passed"].get<bool>()) << gate.dump();
  EXPECT_DOUBLE_EQ(gate["min_success"].get<double>(), 0.8);
  EXPECT_EQ(gate["source"], "config success_gate");
  const int selected = gate["buckets"][0]["selected"], analysed = gate["buckets"][0]["analysed"];
  EXPECT_EQ(selected, 60);
  EXPECT_GT(analysed, 20);
  EXPECT_LT(analysed, 40);
  // The whole-run manifest on disk says the same.
  const Json manifest = read_json_file(out["manifest"].get<std::string>());
  EXPECT_FALSE(manifest["hashtags"][0]["success_gate"]["passed"].get<bool>());

  // `rumi train` checks the same gate on the stored analyses.
  r = test::run_rumi({"--workspace", ws, "train", "Acme Drinks", "#nutrition"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("rumi train --min-success"), std::string::npos) << r.err;

  // Lowered explicitly: it trains, and the per-hashtag manifest records the threshold and who set it.
  std::vector<std::string> lowered = run;
  lowered.insert(lowered.end(), {"--min-success", "0.3"});
  r = test::run_rumi(lowered);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = Json::parse(r.out);
  const Json hm = read_json_file(out["hashtags"][0]["manifest"].get<std::string>());
  EXPECT_TRUE(hm["success_gate"]["passed"].get<bool>());
  EXPECT_DOUBLE_EQ(hm["success_gate"]["min_success"].get<double>(), 0.3);
  EXPECT_EQ(hm["success_gate"]["source"], "--min-success");
  EXPECT_TRUE(fs::exists(bucket / "model_0-15s.json"));
  r = test::run_rumi({"--workspace", ws, "--json", "train", "Acme Drinks", "#nutrition", "--min-success", "0.3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(Json::parse(r.out)["success_gate"]["min_success"].get<double>(), 0.3);
  r = test::run_rumi({"--workspace", ws, "train", "Acme Drinks", "#nutrition", "--min-success", "1.5"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(Readme, CliReferenceMatchesTheBinary) {
  const std::string readme = read_file(test::source_dir() / "README.md");
  const std::string begin = "<!-- cli-reference:begin -->\n", end = "<!-- cli-reference:end -->";
  const auto b = readme.find(begin), e = readme.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  auto gen = test::run_program(
      {"/bin/bash", (test::source_dir() / "scripts" / "cli-reference.sh").string(), test::rumi_binary().string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(readme.substr(b + begin.size(), e - b - begin.size()), gen.out)
      << "README's CLI reference is stale: regenerate it with scripts/update-readme.sh";
}

}  // namespace
}  // namespace rumi
