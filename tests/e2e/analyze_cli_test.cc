// `rumi analyze` through the real binary: failures, timeouts, injection, validation, the
// shared analysis cache across clients, the success gate and resuming after Ctrl-C.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "core/file_io.h"
#include "e2e/analyze_fixture.h"
#include "features/analysis_reader.h"
#include "store/analyses.h"
#include "store/checkpoints.h"
#include "store/database.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;

Json run_json(const CommandResult& r) {
  EXPECT_FALSE(r.out.empty()) << r.err;
  return r.out.empty() ? Json() : Json::parse(r.out);
}

const Json* video(const Json& res, const std::string& id) {
  for (const auto& v : res["videos"])
    if (v["video_id"] == id) return &v;
  return nullptr;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class AnalyzeCli : public ::testing::Test {
 protected:
  AnalyzeFixture f;
  CommandResult analyze(const std::string& client, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--json", "analyze", client, "#nutrition", "--analyzer", f.analyzer_template()};
    args.insert(args.end(), extra.begin(), extra.end());
    return f.rumi(args);
  }
};

TEST_F(AnalyzeCli, FailuresAreRecordedAndTheRestAnalysed) {
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(6);
  f.write_selection("acme-drinks", videos);
  f.set_mode(videos[1].id, "fail");
  f.set_mode(videos[2].id, "garbage");
  f.set_mode(videos[3].id, "partial");
  auto r = analyze("Acme Drinks", {"--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = run_json(r);
  EXPECT_EQ(j["status"], "finished");
  EXPECT_EQ((*video(j, videos[0].id))["status"], "done");
  EXPECT_EQ((*video(j, videos[1].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[1].id))["error"].get<std::string>().find("exited with code 1"), std::string::npos);
  EXPECT_EQ((*video(j, videos[2].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[2].id))["error"].get<std::string>().find("invalid analyzer output"), std::string::npos);
  // Missing flows are tolerated and recorded.
  const Json& partial = *video(j, videos[3].id);
  EXPECT_EQ(partial["status"], "done");
  EXPECT_EQ(partial["missing_flows"].size(), 5u);
  auto merged = features::read_merged_analysis(f.hashtag_dir("acme-drinks") / ("bucket_" + videos[3].bucket) /
                                               "videos" / (videos[3].id + "_analysis.json"));
  EXPECT_EQ(merged.video_id, videos[3].id);
  EXPECT_EQ(merged.missing_flows.size(), 5u);
  EXPECT_TRUE(merged.flows.contains("scene_pacing"));
  // The analyzer's stderr went to the per-video log.
  EXPECT_NE(
      slurp(f.hashtag_dir("acme-drinks") / "checkpoints" / "logs" / (videos[1].id + ".log")).find("failed on purpose"),
      std::string::npos);
  // progress.json mirrors the checkpoint.
  Json progress = read_json_file(f.hashtag_dir("acme-drinks") / "checkpoints" / "progress.json");
  EXPECT_EQ(progress["counts"]["done"], 4);
  EXPECT_EQ(progress["counts"]["failed"], 2);
  EXPECT_EQ(progress["status"], "finished");
}

TEST_F(AnalyzeCli, WrongVideoIdInOutputIsRejected) {
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(3);
  f.write_selection("acme-drinks", videos);
  f.set_mode(videos[0].id, "wrongid");
  f.set_mode(videos[1].id, "othername");
  Json j = run_json(analyze("Acme Drinks", {"--min-success", "0"}));
  EXPECT_EQ((*video(j, videos[0].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[0].id))["error"].get<std::string>().find("names video 999"), std::string::npos);
  EXPECT_EQ((*video(j, videos[1].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[1].id))["error"].get<std::string>().find("is for video 7111111111111111111"),
            std::string::npos);
  EXPECT_EQ((*video(j, videos[2].id))["status"], "done");
  for (int i = 0; i < 2; ++i)
    EXPECT_FALSE(fs::exists(f.hashtag_dir("acme-drinks") / ("bucket_" + videos[i].bucket) / "videos" /
                            (videos[i].id + "_analysis.json")));
}

TEST_F(AnalyzeCli, TimeoutKillsTheAnalyzerAndItsChildren) {
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(2);
  f.write_selection("acme-drinks", videos);
  f.set_mode(videos[0].id, "hang");
  auto t0 = std::chrono::steady_clock::now();
  Json j = run_json(analyze("Acme Drinks", {"--timeout", "0.5", "--min-success", "0"}));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30));
  EXPECT_EQ((*video(j, videos[0].id))["status"], "failed");
  EXPECT_NE((*video(j, videos[0].id))["error"].get<std::string>().find("timed out"), std::string::npos);
  EXPECT_EQ((*video(j, videos[1].id))["status"], "done");
  const std::string child = slurp(f.root() / ("child_" + videos[0].id + ".pid"));
  ASSERT_FALSE(child.empty());
  const pid_t pid = std::stoi(child.substr(0, child.find('\n')));
  for (int i = 0; i < 100 && process_alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(process_alive(pid)) << "background child of the analyzer survived";
}

TEST_F(AnalyzeCli, ShellMetacharactersCannotInject) {
  f.setup_clients({"Acme Drinks"});
  const fs::path pwned = f.root() / "PWNED";
  const std::string evil_url = "https://x/v?a=1; touch " + pwned.string() + "1 $(touch " + pwned.string() +
                               "2) `touch " + pwned.string() + "3` | touch " + pwned.string() + "4 && echo '\"";
  std::vector<FakeVideo> videos = {{"7300000000000000001", "0-15s", evil_url},
                                   {"730; touch " + pwned.string() + "5", "0-15s", ""},
                                   {"$(touch " + pwned.string() + "6)", "16-30s", ""},
                                   {"`touch " + pwned.string() + "7`", "16-30s", ""}};
  f.write_selection("acme-drinks", videos);
  Json j = run_json(analyze("Acme Drinks", {"--min-success", "0"}));
  EXPECT_EQ((*video(j, videos[0].id))["status"], "done");
  // The url reached the analyzer as one literal argument.
  EXPECT_EQ(slurp(f.root() / "urls.log"), evil_url + "\n");
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ((*video(j, videos[i].id))["status"], "failed");
    EXPECT_NE((*video(j, videos[i].id))["error"].get<std::string>().find("invalid video id"), std::string::npos);
  }
  EXPECT_EQ(f.started_ids().size(), 1u);
  for (int i = 1; i <= 7; ++i) EXPECT_FALSE(fs::exists(pwned.string() + std::to_string(i))) << i;
}

TEST_F(AnalyzeCli, SecondClientReusesTheSharedAnalyses) {
  f.setup_clients({"Acme Drinks", "Bravo Supplements"});
  auto videos = make_videos(6);
  f.write_selection("acme-drinks", videos);
  // Bravo selected 4 of the same videos plus 2 of its own.
  std::vector<FakeVideo> bravo(videos.begin() + 2, videos.end());
  for (auto& v : make_videos(2, 7400000000000000000ULL)) bravo.push_back(v);
  f.write_selection("bravo-supplements", bravo);

  ASSERT_EQ(analyze("Acme Drinks").exit_code, 0);
  EXPECT_EQ(f.started_ids().size(), 6u);
  auto r = analyze("Bravo Supplements");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = run_json(r);
  const auto started = f.started_ids();
  ASSERT_EQ(started.size(), 8u);  // only Bravo's 2 new videos ran
  EXPECT_EQ(started[6], bravo[4].id);
  EXPECT_EQ(started[7], bravo[5].id);
  EXPECT_EQ(j["analyzer_invocations"], 2);
  EXPECT_EQ(j["cache_hits"], 4);
  for (const auto& v : bravo) {
    const fs::path b =
        f.hashtag_dir("bravo-supplements") / ("bucket_" + v.bucket) / "videos" / (v.id + "_analysis.json");
    ASSERT_TRUE(fs::exists(b)) << v.id;
    const fs::path a = f.hashtag_dir("acme-drinks") / ("bucket_" + v.bucket) / "videos" / (v.id + "_analysis.json");
    if (fs::exists(a)) {
      EXPECT_EQ(slurp(a), slurp(b));
    }
  }
  // Each client references its own videos; the public cache holds each video once.
  auto db = store::Database::open(f.ws() / "rumi.db", false);
  auto q = db.prepare("SELECT count(*) FROM analyses");
  q.step();
  EXPECT_EQ(q.int64(0), 8);
  auto refs = db.prepare("SELECT count(*) FROM analysis_refs");
  refs.step();
  EXPECT_EQ(refs.int64(0), 12);
  // No client name in any public path or file, nor in the shared tmp area or lock file.
  for (const fs::path& top : {f.ws() / "public", f.ws() / "tmp"}) {
    if (!fs::exists(top)) continue;
    for (const auto& e : fs::recursive_directory_iterator(top)) {
      const std::string p = e.path().string();
      for (const char* name : {"acme", "Acme", "bravo", "Bravo"}) {
        EXPECT_EQ(e.path().lexically_relative(f.ws()).string().find(name), std::string::npos) << p;
        if (e.is_regular_file()) {
          EXPECT_EQ(slurp(e.path()).find(name), std::string::npos) << p;
        }
      }
    }
  }
  for (const auto& e : fs::directory_iterator(f.ws())) {
    if (!e.is_regular_file() || e.path().filename().string().rfind("rumi.db", 0) == 0) continue;
    for (const char* name : {"acme", "Acme", "bravo", "Bravo"}) {
      EXPECT_EQ(slurp(e.path()).find(name), std::string::npos) << e.path();
    }
  }
}

TEST_F(AnalyzeCli, SuccessGateExitsThree) {
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(6);  // 2 per bucket
  f.write_selection("acme-drinks", videos);
  f.set_mode(videos[0].id, "fail");  // bucket 0-15s: 1 of 2 done
  auto r = f.rumi({"analyze", "Acme Drinks", "#nutrition", "--analyzer", f.analyzer_template()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("Bucket 0-15s: only 1 of 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("16-30s"), std::string::npos);
  // Retrying the failure after fixing the analyzer passes the gate.
  f.set_mode(videos[0].id, "ok");
  auto again = f.rumi({"analyze", "Acme Drinks", "#nutrition", "--resume", "--retry-failed"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

TEST_F(AnalyzeCli, CtrlCStopsCleanlyAndResumeFinishes) {
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(5);  // processed in bucket order: 0, 3, 1, 4, 2
  constexpr int kHang = 1;
  f.write_selection("acme-drinks", videos);
  f.set_mode(videos[kHang].id, "hang");
  pid_t pid = f.spawn_rumi({"analyze", "Acme Drinks", "#nutrition", "--analyzer", f.analyzer_template()});
  // Wait until the hanging video is running, then interrupt.
  const fs::path child_file = f.root() / ("child_" + videos[kHang].id + ".pid");
  for (int i = 0; i < 1000 && !fs::exists(child_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(fs::exists(child_file));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string pids = slurp(child_file);
  const pid_t child = std::stoi(pids.substr(0, pids.find('\n')));
  for (int i = 0; i < 100 && process_alive(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(process_alive(child));

  Json progress = read_json_file(f.hashtag_dir("acme-drinks") / "checkpoints" / "progress.json");
  EXPECT_EQ(progress["status"], "stopped");
  EXPECT_EQ(progress["counts"]["done"], 2);
  EXPECT_EQ(progress["counts"]["running"], 0);

  // Without --resume: exit 2 and the exact command to continue.
  auto refused = f.rumi({"analyze", "Acme Drinks", "#nutrition", "--analyzer", f.analyzer_template()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("analyze acme-drinks nutrition --resume"), std::string::npos) << refused.err;

  f.set_mode(videos[kHang].id, "ok");
  auto resumed = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  Json j = Json::parse(resumed.out);
  EXPECT_TRUE(j["resumed"].get<bool>());
  EXPECT_EQ(j["analyzer_invocations"], 3);
  for (const auto& v : j["videos"]) EXPECT_EQ(v["status"], "done");
  // Video 2 ran twice (interrupted, then resumed); every other video exactly once.
  std::map<std::string, int> count;
  for (const auto& id : f.started_ids()) count[id]++;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(count[videos[i].id], i == kHang ? 2 : 1) << i;
}

TEST_F(AnalyzeCli, FailFastStopsAtFirstFailure) {
  f.setup_clients({"Acme Drinks"});
  auto videos = make_videos(4);
  f.write_selection("acme-drinks", videos);
  f.set_mode(videos[3].id, "fail");  // processed second (bucket order: 0, 3, 1, 2)
  auto r = analyze("Acme Drinks", {"--fail-fast"});
  EXPECT_EQ(r.exit_code, 1);
  Json j = run_json(r);
  EXPECT_EQ(j["status"], "stopped");
  EXPECT_EQ(j["stop_reason"], "fail-fast");
  EXPECT_EQ(f.started_ids().size(), 2u);
}

TEST_F(AnalyzeCli, ReplayReadsTheSharedSamples) {
  RUMI_REQUIRE_SHARED(shared_dir() / "rumiai_samples");
  f.setup_clients({"Acme Drinks"});
  std::vector<FakeVideo> videos = {{"7280654844715666731", "31-60s", ""},
                                   {"7454575786134195489", "31-60s", ""},
                                   {"7000000000000000000", "31-60s", ""}};
  f.write_selection("acme-drinks", videos);
  auto r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--replay",
                   (shared_dir() / "rumiai_samples").string(), "--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["analyzer_version"], "replay");
  EXPECT_EQ((*video(j, videos[0].id))["status"], "done");
  EXPECT_TRUE((*video(j, videos[0].id))["missing_flows"].empty());
  EXPECT_EQ((*video(j, videos[1].id))["status"], "done");
  EXPECT_EQ((*video(j, videos[1].id))["missing_flows"].size(), 6u);
  EXPECT_EQ((*video(j, videos[2].id))["status"], "failed");
  auto merged = features::read_merged_analysis(f.hashtag_dir("acme-drinks") / "bucket_31-60s" / "videos" /
                                               "7280654844715666731_analysis.json");
  EXPECT_EQ(merged.flows.size(), 7u);
  EXPECT_TRUE(fs::exists(f.ws() / "public" / "analyses" / "7280654844715666731" / "replay.json"));
}

// The same replay on the repository's own era-B fixture (tests/fixtures/rumiai_era_b): every
// layout, one video without its speech flow, one video with no output at all.
TEST_F(AnalyzeCli, ReplayReadsTheFixtureLayouts) {
  f.setup_clients({"Acme Drinks"});
  std::vector<FakeVideo> videos = {{"7525543521688748043", "0-15s", ""},
                                   {"7525543521688748054", "0-15s", ""},
                                   {"7525543521688748065", "0-15s", ""},
                                   {"7525543521688748076", "0-15s", ""},
                                   {"7525543521688748087", "0-15s", ""}};
  f.write_selection("acme-drinks", videos);
  auto r = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--replay",
                   (fixtures_dir() / "rumiai_era_b").string(), "--min-success", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  for (int i : {0, 1, 3}) {
    EXPECT_EQ((*video(j, videos[i].id))["status"], "done") << videos[i].id;
    EXPECT_TRUE((*video(j, videos[i].id))["missing_flows"].empty()) << videos[i].id;
  }
  EXPECT_EQ((*video(j, videos[2].id))["status"], "done");
  EXPECT_EQ((*video(j, videos[2].id))["missing_flows"], Json::array({"speech_analysis"}));
  EXPECT_EQ((*video(j, videos[4].id))["status"], "failed");
  auto merged = features::read_merged_analysis(f.hashtag_dir("acme-drinks") / "bucket_0-15s" / "videos" /
                                               "7525543521688748054_analysis.json");
  EXPECT_EQ(merged.flows.size(), 7u);
}

}  // namespace
}  // namespace rumi::test
