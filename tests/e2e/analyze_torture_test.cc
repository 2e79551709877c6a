// Crash safety: `rumi analyze --resume` is SIGKILLed at random points, again and again, with a
// fake analyzer that sometimes fails, hangs or writes garbage. After every kill the store and the
// files must agree, no artifact may be half-written, and a video whose outcome was committed is
// never analysed again: each video is processed until its outcome is checkpointed, exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/file_io.h"
#include "core/rng.h"
#include "core/sha256.h"
#include "e2e/analyze_fixture.h"
#include "features/analysis_reader.h"
#include "store/analyses.h"
#include "store/checkpoints.h"
#include "store/database.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct DbState {
  std::map<std::string, std::string> status;  // video -> checkpoint status
  int runs = 0;
  std::string run_status;
};

DbState read_state(const fs::path& db_path) {
  DbState s;
  if (!fs::exists(db_path)) return s;
  auto db = store::Database::open(db_path, false);
  auto q = db.prepare("SELECT id, status FROM analysis_runs");
  std::string run_id;
  while (q.step()) {
    ++s.runs;
    run_id = q.text(0);
    s.run_status = q.text(1);
  }
  if (run_id.empty()) return s;
  auto c = db.prepare("SELECT video_id, status FROM checkpoints WHERE run_id = ?");
  c.bind(1, run_id);
  while (c.step()) s.status[c.text(0)] = c.text(1);
  return s;
}

bool terminal(const std::string& status) { return status == "done" || status == "failed"; }

// Everything the store says must be true on disk; at most one video (the one in flight) may be
// ahead on disk of its checkpoint.
void check_consistency(const AnalyzeFixture& f, const std::vector<FakeVideo>& videos, const DbState& s) {
  const fs::path hdir = f.hashtag_dir("acme-drinks");
  int ahead = 0;
  int done = 0;
  for (const auto& v : videos) {
    const fs::path file = hdir / ("bucket_" + v.bucket) / "videos" / (v.id + "_analysis.json");
    auto it = s.status.find(v.id);
    const std::string st = it == s.status.end() ? "" : it->second;
    done += st == "done";
    if (st == "done") {
      ASSERT_TRUE(fs::exists(file)) << v.id << " is done but has no analysis file";
    }
    if (fs::exists(file)) {
      auto a = features::read_merged_analysis(file);  // throws on a half-written or corrupt file
      ASSERT_EQ(a.video_id, v.id);
      if (st != "done") {
        ++ahead;
        ASSERT_TRUE(st == "running" || st == "pending") << v.id << " has a file but status " << st;
      }
    }
  }
  ASSERT_LE(ahead, 1);
  // Every artifact-named file in the video folders is a complete analysis of a selected video.
  std::set<std::string> ids;
  for (const auto& v : videos) ids.insert(v.id);
  for (const char* b : {"0-15s", "16-30s", "31-60s"}) {
    const fs::path dir = hdir / (std::string("bucket_") + b) / "videos";
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (name.find(".tmp.") != std::string::npos) continue;  // an atomic write's temp, never read
      ASSERT_TRUE(name.size() > 14 && name.ends_with("_analysis.json")) << name;
      ASSERT_TRUE(ids.count(name.substr(0, name.size() - 14))) << name;
    }
  }
  // The public cache: every row's file exists with the recorded hash.
  auto db = store::Database::open(f.ws() / "rumi.db", false);
  auto q = db.prepare("SELECT video_id, sha256, path FROM analyses");
  while (q.step()) {
    const fs::path p = f.ws() / q.text(2);
    ASSERT_TRUE(fs::exists(p)) << p;
    ASSERT_EQ(sha256_file(p), q.text(1)) << p;
  }
  // The JSON mirror is complete and at most one video behind the store.
  const fs::path progress = hdir / "checkpoints" / "progress.json";
  if (fs::exists(progress)) {
    Json j = read_json_file(progress);
    const int mirrored = j["counts"].value("done", 0);
    ASSERT_LE(mirrored, done);
    ASSERT_GE(mirrored, done - 1);
  }
}

TEST(AnalyzeTorture, RandomSigkillsThenResume) {
  Rng rng = make_rng(20260101, "analyze-torture");
  int kills = 0, rounds = 0;
  const auto t_start = std::chrono::steady_clock::now();
  while ((kills < 55 || rounds < 2) && rounds < 12 && std::chrono::steady_clock::now() - t_start < 300s) {
    ++rounds;
    AnalyzeFixture f;
    f.setup_clients({"Acme Drinks"});
    auto videos = make_videos(12, 7300000000000000000ULL + rounds);
    f.write_selection("acme-drinks", videos);
    for (std::size_t i = 0; i < videos.size(); ++i) {
      const double u = uniform01(rng);
      const char* mode = u < 0.12 ? "fail" : u < 0.22 ? "garbage" : u < 0.3 ? "partial" : "ok";
      if (i == 5) mode = "hang";
      f.set_mode(videos[i].id, mode);
    }
    bool finished = false;
    std::set<std::string> committed;  // terminal before the current launch
    std::size_t seen_starts = 0;
    for (int launch = 0; launch < 200 && !finished; ++launch) {
      pid_t pid = f.spawn_rumi({"analyze", "Acme Drinks", "#nutrition", "--analyzer", f.analyzer_template(), "--resume",
                                "--timeout", "0.3", "--min-success", "0"});
      ASSERT_GT(pid, 0);
      // Kill points spread over start-up and the loop; the window widens with each launch so a
      // slow (loaded) machine still makes progress, and after 60 launches the run may finish.
      const auto delay = launch >= 60 ? std::chrono::milliseconds(60000)
                                      : std::chrono::milliseconds(5 + uniform_index(rng, 120 + 20 * launch));
      const auto deadline = std::chrono::steady_clock::now() + delay;
      int status = 0;
      pid_t r = 0;
      while ((r = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
      if (r == pid) {
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
        finished = true;
      } else {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        ++kills;
      }
      // Let the analyzer (killed with its parent through PDEATHSIG) disappear before we look.
      std::this_thread::sleep_for(2ms);
      const DbState s = read_state(f.ws() / "rumi.db");
      ASSERT_LE(s.runs, 1) << "--resume must continue the same run";
      ASSERT_NO_FATAL_FAILURE(check_consistency(f, videos, s));
      // Exactly once: no video committed before this launch was started again, and none twice
      // within one launch.
      const auto started = f.started_ids();
      std::set<std::string> this_launch;
      for (std::size_t i = seen_starts; i < started.size(); ++i) {
        ASSERT_FALSE(committed.count(started[i])) << started[i] << " analysed again after its checkpoint";
        ASSERT_TRUE(this_launch.insert(started[i]).second) << started[i] << " analysed twice in one launch";
      }
      seen_starts = started.size();
      for (const auto& [id, st] : s.status)
        if (terminal(st)) committed.insert(id);
      // Killed after the run was committed as finished (while the process was exiting): the run
      // is complete; another --resume would rightly start a new run over the cache.
      if (s.run_status == "finished") finished = true;
    }
    // Background children of a hanging analyzer whose rumi was SIGKILLed are orphans nobody
    // can safely reap later (pids get reused); clean up the ones this test made.
    if (std::ifstream pids(f.root() / ("child_" + videos[5].id + ".pid")); pids)
      for (pid_t p; pids >> p;) ::kill(p, SIGKILL);
    ASSERT_TRUE(finished) << "round " << rounds << " never completed";
    const DbState s = read_state(f.ws() / "rumi.db");
    EXPECT_EQ(s.run_status, "finished");
    ASSERT_EQ(s.status.size(), videos.size());
    std::map<std::string, int> starts;
    for (const auto& id : f.started_ids()) starts[id]++;
    for (const auto& v : videos) {
      EXPECT_TRUE(terminal(s.status.at(v.id))) << v.id;
      EXPECT_GE(starts[v.id], 1) << v.id;
      const bool has_file =
          fs::exists(f.hashtag_dir("acme-drinks") / ("bucket_" + v.bucket) / "videos" / (v.id + "_analysis.json"));
      EXPECT_EQ(has_file, s.status.at(v.id) == "done") << v.id;
    }
    // A re-run after completion analyses nothing new: done videos come from the shared cache.
    const auto before = f.started_ids().size();
    auto again = f.rumi({"--json", "analyze", "Acme Drinks", "#nutrition", "--analyzer", f.analyzer_template(),
                         "--timeout", "0.3", "--min-success", "0"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    int failed = 0;
    for (const auto& [id, st] : s.status) failed += st == "failed";
    EXPECT_EQ(f.started_ids().size() - before, static_cast<std::size_t>(failed));
  }
  EXPECT_GE(kills, 50) << "only " << kills << " kills in " << rounds << " rounds";
  std::printf("torture: %d SIGKILLs over %d rounds\n", kills, rounds);
}

}  // namespace
}  // namespace rumi::test
