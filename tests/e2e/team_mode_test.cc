// Team mode end to end (docs/team-mode.md) against a real throwaway PostgreSQL cluster
// (support/pg_cluster.h): the queue's workers produce the same analyses as a local run, a worker
// SIGKILLed mid-analysis loses no video and duplicates none, and a whole `rumi demo` on a
// PostgreSQL store writes the same models, patterns and PDFs as on the embedded SQLite store.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"
#include "e2e/analyze_fixture.h"
#include "store/database.h"
#include "store/pg_connection.h"
#include "support/pg_cluster.h"

namespace rumi::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::int64_t count(store::PgConnection& c, const std::string& sql) { return c.exec(sql).int64(0, 0); }

// The analysis files a run left in the hashtag's bucket folders, by path relative to the folder,
// without their analyzer_version line (an external analyzer's version hashes its command line,
// and each fixture's fake analyzer lives in its own temp dir).
std::map<std::string, std::string> analysis_files(const fs::path& hashtag_dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(hashtag_dir)) {
    if (!e.is_regular_file() || !e.path().filename().string().ends_with("_analysis.json")) continue;
    std::string text = read_file(e.path());
    const auto at = text.find("\"analyzer_version\"");
    if (at != std::string::npos) text.erase(at, text.find('\n', at) - at);
    out[e.path().lexically_relative(hashtag_dir).string()] = text;
  }
  return out;
}

int wait_exit(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(20ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(TeamMode, QueueWorkersGiveTheSameAnalysesAsALocalRun) {
  RUMI_REQUIRE_PG();
  const std::vector<FakeVideo> videos = make_videos(30);
  // The oracle: the same fake analyzer run locally, on the embedded store.
  AnalyzeFixture local;
  local.setup_clients({"Acme"});
  local.write_selection("acme", videos);
  local.set_mode(videos[3].id, "fail");
  ASSERT_EQ(local.rumi({"analyze", "acme", "nutrition", "--analyzer", local.analyzer_template()}).exit_code, 0);

  StoreEnv env(pg_cluster().create_database("team_same"));
  AnalyzeFixture team;
  ASSERT_EQ(team.rumi({"init"}).exit_code, 0);
  team.setup_clients({"Acme"});
  team.write_selection("acme", videos);
  team.set_mode(videos[3].id, "fail");
  CommandResult q = team.rumi({"--json", "analyze", "acme", "nutrition", "--enqueue", "--max-attempts", "2"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(Json::parse(q.out)["enqueued"], 30);
  q = team.rumi({"--json", "analyze", "acme", "nutrition", "--enqueue"});  // again: nothing new
  EXPECT_EQ(Json::parse(q.out)["enqueued"], 0);
  EXPECT_EQ(Json::parse(q.out)["already_queued"], 30);

  const CommandResult w = team.rumi({"--json", "worker", "--analyzer", team.analyzer_template(), "--exit-when-idle",
                                     "--poll", "0.1", "--name", "w1"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  const Json wj = Json::parse(w.out);
  EXPECT_EQ(wj["done"], 29);
  EXPECT_EQ(wj["failed"], 1);   // the failing video, after its 2 attempts
  EXPECT_EQ(wj["retried"], 1);  // its first attempt went back to the queue

  const CommandResult done = team.rumi({"--json", "analyze", "acme", "nutrition", "--wait", "--poll", "0.1"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  const Json r = Json::parse(done.out);
  int ok = 0;
  for (const auto& v : r["videos"]) {
    if (v["video_id"] == videos[3].id) {
      EXPECT_EQ(v["status"], "failed");
      EXPECT_NE(v["error"].get<std::string>().find("the queue's worker failed"), std::string::npos) << v.dump();
    } else {
      ok += v["status"] == "done";
    }
  }
  EXPECT_EQ(ok, 29);
  // Byte for byte the analyses a local run wrote.
  const auto want = analysis_files(local.hashtag_dir("acme"));
  ASSERT_EQ(want.size(), 29u);
  EXPECT_EQ(analysis_files(team.hashtag_dir("acme")), want);
}

TEST(TeamMode, AWorkerKilledTwiceMidAnalysisLosesAndDuplicatesNoVideo) {
  RUMI_REQUIRE_PG();
  const std::string info = pg_cluster().create_database("team_kill");
  StoreEnv env(info);
  AnalyzeFixture fx;
  ASSERT_EQ(fx.rumi({"init"}).exit_code, 0);
  fx.setup_clients({"Acme"});
  const std::vector<FakeVideo> videos = make_videos(300);
  fx.write_selection("acme", videos);
  write_file_atomic(fx.root() / "delay", "0.05");  // each analysis takes 50 ms or more
  ASSERT_EQ(fx.rumi({"analyze", "acme", "nutrition", "--enqueue"}).exit_code, 0);

  constexpr double kLease = 2.0;
  auto spawn = [&](const std::string& name) {
    return fx.spawn_rumi({"worker", "--analyzer", fx.analyzer_template(), "--exit-when-idle", "--poll", "0.1",
                          "--lease", "2", "--name", name});
  };
  std::vector<pid_t> workers = {spawn("w1"), spawn("w2"), spawn("w3")};
  store::PgConnection db = store::PgConnection::open(info);
  struct Kill {
    std::int64_t job;
    Clock::time_point at;
  };
  std::vector<Kill> kills;
  std::string victim = "w1";
  for (std::int64_t after : {60, 180}) {
    while (count(db, "SELECT count(*) FROM analysis_jobs WHERE status = 'done'") < after)
      std::this_thread::sleep_for(10ms);
    std::int64_t job = 0;
    for (auto until = Clock::now() + 10s; job == 0 && Clock::now() < until; std::this_thread::sleep_for(2ms)) {
      store::PgResult r = db.query("SELECT id FROM analysis_jobs WHERE status = 'running' AND lease_owner = $1",
                                   {store::pg_param(victim)});
      if (r.rows() == 1) job = r.int64(0, 0);
    }
    ASSERT_NE(job, 0) << victim << " never held a job";
    ::kill(workers[0], SIGKILL);
    const Clock::time_point killed_at = Clock::now();
    kills.push_back({job, killed_at});
    ::waitpid(workers[0], nullptr, 0);
    victim += "b";  // restarted under a new name
    workers[0] = spawn(victim);
    // The killed job is finished by another worker within lease + one heartbeat + one analysis,
    // measured from this kill; the slack also covers the job the reclaiming worker is finishing
    // first and the polls (about 1 s each under the sanitizers).
    std::string status;
    while (Clock::now() - killed_at < 30s) {
      status = db.query("SELECT status FROM analysis_jobs WHERE id = $1", {store::pg_param(job)}).text(0, 0);
      if (status == "done") break;
      std::this_thread::sleep_for(20ms);
    }
    const double took = std::chrono::duration<double>(Clock::now() - killed_at).count();
    EXPECT_EQ(status, "done");
    EXPECT_LE(took, kLease + kLease / 3 + 2.5) << "job " << job;
  }
  for (pid_t p : workers) EXPECT_EQ(wait_exit(p, 120s), 0);

  EXPECT_EQ(count(db, "SELECT count(*) FROM analysis_jobs WHERE status = 'done'"), 300);
  EXPECT_EQ(count(db, "SELECT count(*) FROM analyses"), 300);
  EXPECT_EQ(count(db, "SELECT count(*) FROM analysis_refs"), 300);
  // Every other video was started exactly once; a killed job's video at most twice (once when
  // the kill came before its analyzer started or after it ended).
  std::map<std::string, int> starts;
  for (const auto& id : fx.started_ids()) ++starts[id];
  EXPECT_EQ(starts.size(), 300u);
  std::set<std::string> killed_videos;
  for (const Kill& k : kills)
    killed_videos.insert(
        db.query("SELECT video_id FROM analysis_jobs WHERE id = $1", {store::pg_param(k.job)}).text(0, 0));
  for (const auto& [id, n] : starts) {
    if (killed_videos.count(id))
      EXPECT_LE(n, 2) << id;
    else
      EXPECT_EQ(n, 1) << id;
  }

  const CommandResult done = fx.rumi({"--json", "analyze", "acme", "nutrition", "--wait"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(analysis_files(fx.hashtag_dir("acme")).size(), 300u);
}

TEST(TeamMode, AWorkerNeedsTheSharedStore) {
  AnalyzeFixture fx;
  const CommandResult r = fx.rumi({"worker", "--replay", fx.root().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--store"), std::string::npos) << r.err;
}

TEST(TeamMode, TheDemoOnAPostgresStoreWritesTheSameModelsPatternsAndPdfs) {
  RUMI_REQUIRE_PG();
  TempDir dir;
  ASSERT_EQ(run_rumi({"demo", "--out", (dir.path() / "lite").string(), "--videos", "120", "-q"}).exit_code, 0);
  const std::string info = pg_cluster().create_database("team_demo");
  const CommandResult pg =
      run_rumi({"--store", info, "demo", "--out", (dir.path() / "pg").string(), "--videos", "120", "-q"});
  ASSERT_EQ(pg.exit_code, 0) << pg.err;
  const fs::path lite_ws = dir.path() / "lite" / "workspace" / "MLAnalysis";
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(lite_ws)) {
    const std::string name = e.path().filename().string();
    const bool wanted =
        name.starts_with("model_") || name.starts_with("patterns_") || name == "features.csv" || name.ends_with(".pdf");
    if (!e.is_regular_file() || !wanted) continue;
    const fs::path twin = dir.path() / "pg" / "workspace" / "MLAnalysis" / e.path().lexically_relative(lite_ws);
    ASSERT_TRUE(fs::exists(twin)) << twin;
    EXPECT_EQ(read_file(twin), read_file(e.path())) << twin;
    ++compared;
  }
  EXPECT_GT(compared, 20);
  EXPECT_FALSE(fs::exists(dir.path() / "pg" / "workspace" / "rumi.db")) << "the PostgreSQL demo made a SQLite store";
}

// Two analysts, each a role granted one client, run `rumi run` on the same store at the same time.
TEST(TeamMode, TwoAnalystsRunAtOnceAndNeitherSeesTheOthersClient) {
  RUMI_REQUIRE_PG();
  TempDir dir;
  const fs::path data = dir.path() / "synth";
  ASSERT_EQ(run_rumi({"synth", "--videos", "120", "--out", data.string()}).exit_code, 0);
  const std::string owner = pg_cluster().create_database("team_two");
  {
    store::PgConnection c = store::PgConnection::open(owner);
    for (const char* role : {"analyst_a", "analyst_b"}) {
      c.exec(std::string("DROP ROLE IF EXISTS ") + role);
      c.exec(std::string("CREATE ROLE ") + role + " LOGIN NOSUPERUSER NOBYPASSRLS");
    }
  }
  auto config = [&](const std::string& name) {
    const fs::path f = dir.path() / (name + ".yaml");
    write_file_atomic(f, "clients:\n  - name: \"" + name + "\"\n    hashtags:\n      - name: \"#nutrition\"\n");
    return f.string();
  };
  const std::string a_yaml = config("Brand A"), b_yaml = config("Brand B");
  // The admin creates the clients and grants them.
  const std::string admin_ws = (dir.path() / "admin").string();
  for (const std::string& y : {a_yaml, b_yaml})
    ASSERT_EQ(run_rumi({"--store", owner, "--workspace", admin_ws, "config", "apply", y}).exit_code, 0);
  ASSERT_EQ(run_rumi({"--store", owner, "--workspace", admin_ws, "store", "grant", "Brand A", "analyst_a"}).exit_code,
            0);
  ASSERT_EQ(run_rumi({"--store", owner, "--workspace", admin_ws, "store", "grant", "Brand B", "analyst_b"}).exit_code,
            0);

  auto as = [&](const std::string& role) {
    return owner.substr(0, owner.find(" user=")) + " user=" + role + owner.substr(owner.find(" dbname="));
  };
  auto spawn_run = [&](const std::string& role, const std::string& yaml) {
    const std::vector<std::string> args = {rumi_binary().string(),
                                           "--store",
                                           as(role),
                                           "--workspace",
                                           (dir.path() / role).string(),
                                           "-q",
                                           "run",
                                           yaml,
                                           "--import",
                                           (data / "apify_items.json").string(),
                                           "--replay",
                                           (data / "analyses").string(),
                                           "--formats",
                                           "json,md"};
    pid_t pid = ::fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 1);
      ::dup2(null, 2);
      std::vector<char*> argv;
      for (const auto& x : args) argv.push_back(const_cast<char*>(x.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return pid;
  };
  const pid_t a = spawn_run("analyst_a", a_yaml), b = spawn_run("analyst_b", b_yaml);
  EXPECT_EQ(wait_exit(a, 300s), 0);
  EXPECT_EQ(wait_exit(b, 300s), 0);
  for (const auto& [role, mine, theirs] :
       {std::tuple{"analyst_a", "brand-a", "brand-b"}, std::tuple{"analyst_b", "brand-b", "brand-a"}}) {
    const CommandResult list =
        run_rumi({"--store", as(role), "--workspace", (dir.path() / role).string(), "--json", "client", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find(mine), std::string::npos) << list.out;
    EXPECT_EQ(list.out.find(theirs), std::string::npos) << role << " sees " << theirs << ": " << list.out;
    EXPECT_TRUE(fs::exists(dir.path() / role / "MLAnalysis" / mine / "nutrition" / "bucket_0-15s" / "features.csv"));
    EXPECT_FALSE(fs::exists(dir.path() / role / "MLAnalysis" / theirs));
  }
  // The public layer was shared: one copy of each video for both clients.
  store::PgConnection c = store::PgConnection::open(owner);
  EXPECT_EQ(count(c, "SELECT count(DISTINCT client_id) FROM analysis_refs"), 2);
  EXPECT_EQ(count(c, "SELECT count(*) FROM analyses"), count(c, "SELECT count(DISTINCT video_id) FROM analyses"));
}

// `rumi store copy` moves a workspace into an empty store, every row and every analysis's JSON.
TEST(TeamMode, StoreCopyMovesAWorkspaceIntoAnEmptyStore) {
  RUMI_REQUIRE_PG();
  TempDir dir;
  ASSERT_EQ(run_rumi({"demo", "--out", (dir.path() / "d").string(), "--videos", "80", "-q"}).exit_code, 0);
  const std::string ws = (dir.path() / "d" / "workspace").string();
  const std::string info = pg_cluster().create_database("team_copy");
  const CommandResult copy = run_rumi({"--json", "store", "copy", "--from", ws, "--to", info});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  const Json j = Json::parse(copy.out);
  EXPECT_EQ(j["analyses_with_body"], j["rows"]["analyses"]);
  EXPECT_GT(j["rows"]["analyses"].get<int>(), 100);
  // Every table holds the same rows on both sides.
  store::Database lite = store::Database::open(fs::path(ws) / "rumi.db", false);
  store::Database pg = store::Database::open_postgres(info);
  for (const std::string t : {"clients", "hashtags", "videos", "hashtag_videos", "selections", "selected_videos",
                              "analyses", "analysis_refs", "analysis_runs", "checkpoints", "runs", "audit_log"}) {
    const std::string sql = "SELECT count(*) FROM " + t;
    auto l = lite.prepare(sql);
    auto p = pg.prepare(sql);
    ASSERT_TRUE(l.step() && p.step());
    EXPECT_EQ(p.int64(0), l.int64(0)) << t;
    EXPECT_EQ(p.int64(0), j["rows"][t].get<std::int64_t>()) << t;
  }
  // The same answers through the CLI, and new rows take fresh ids.
  const CommandResult want = run_rumi({"--workspace", ws, "--json", "client", "list"});
  const CommandResult got = run_rumi({"--store", info, "--workspace", ws, "--json", "client", "list"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.out, want.out);
  EXPECT_EQ(run_rumi({"--store", info, "--workspace", ws, "client", "add", "Second Client"}).exit_code, 0);
  // A second copy into the now full store is refused, and changes nothing.
  const CommandResult again = run_rumi({"store", "copy", "--from", ws, "--to", info});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds"), std::string::npos) << again.err;
}

// The server stopped mid-run: the worker ends with a clear error, nothing is half-written, and a
// worker started after the restart finishes the queue.
TEST(TeamMode, TheDatabaseGoingAwayMidRunLeavesNothingHalfWritten) {
  RUMI_REQUIRE_PG();
  const std::string info = pg_cluster().create_database("team_restart");
  StoreEnv env(info);
  AnalyzeFixture fx;
  ASSERT_EQ(fx.rumi({"init"}).exit_code, 0);
  fx.setup_clients({"Acme"});
  fx.write_selection("acme", make_videos(60));
  write_file_atomic(fx.root() / "delay", "0.1");
  ASSERT_EQ(fx.rumi({"analyze", "acme", "nutrition", "--enqueue"}).exit_code, 0);
  const fs::path err = fx.root() / "worker.err";
  const std::string cmd = "'" + rumi_binary().string() + "' --workspace '" + fx.ws().string() +
                          "' worker --analyzer \"" + fx.analyzer_template() +
                          "\" --exit-when-idle --poll 0.1 --lease 2 2> '" + err.string() + "'";
  pid_t w = ::fork();
  if (w == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  {
    store::PgConnection db = store::PgConnection::open(info);
    while (count(db, "SELECT count(*) FROM analysis_jobs WHERE status = 'done'") < 10)
      std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(pg_cluster().stop());
  const int rc = wait_exit(w, 60s);
  ASSERT_TRUE(pg_cluster().start());
  EXPECT_EQ(rc, 1);
  const std::string message = read_file(err);
  EXPECT_NE(message.find("PostgreSQL"), std::string::npos) << message;
  store::PgConnection db = store::PgConnection::open(info);
  const std::int64_t done = count(db, "SELECT count(*) FROM analysis_jobs WHERE status = 'done'");
  EXPECT_LT(done, 60);
  EXPECT_EQ(count(db, "SELECT count(*) FROM analyses"), done) << "an analysis without its job's done, or the reverse";
  EXPECT_EQ(count(db, "SELECT count(*) FROM analysis_refs"), done);
  // After the restart, a worker finishes the rest (the dead worker's job once its lease ran out).
  const CommandResult again = fx.rumi(
      {"--json", "worker", "--analyzer", fx.analyzer_template(), "--exit-when-idle", "--poll", "0.1", "--lease", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(count(db, "SELECT count(*) FROM analysis_jobs WHERE status = 'done'"), 60);
  EXPECT_EQ(count(db, "SELECT count(*) FROM analyses"), 60);
}

}  // namespace
}  // namespace rumi::test
