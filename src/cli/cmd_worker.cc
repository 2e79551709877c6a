// rumi worker (--native [--videos DIR | --download] | --analyzer CMD | --replay DIR) [--exit-when-idle]
// Team mode (docs/team-mode.md): claims queued videos from the shared PostgreSQL store one at a
// time, analyses each and stores the result with the job's "done" (analyze/team_queue.h).
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "analyze/stop_signal.h"
#include "analyze/team_queue.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "store/workspace_store.h"

namespace rumi::cli {

namespace {

struct WorkerArgs {
  std::string analyzer, replay, videos, analyzer_version, name;
  bool native = false, download = false, exit_when_idle = false;
  double timeout_s = 900, lease_s = 60, poll_s = 2;
  std::int64_t max_jobs = 0;
};

int run_worker(const Context& ctx, const WorkerArgs& a) {
  const auto conninfo = store::shared_store_conninfo();
  if (!conninfo)
    throw UsageError("rumi worker needs team mode's shared store: pass --store postgresql://... or set RUMI_STORE");
  // The worker's own folder: scratch space for analyzers and downloads, never a client's outputs.
  const Workspace ws = ctx.workspace();
  store::Database db = store::init_workspace(ws);
  analyze::WorkerOptions o;
  if (!a.analyzer.empty()) o.analyzer.analyzer_template = a.analyzer;
  if (!a.replay.empty()) o.analyzer.replay_dir = a.replay;
  o.analyzer.native = a.native;
  if (!a.videos.empty()) o.analyzer.videos_dir = a.videos;
  o.analyzer.download = a.download;
  // --download without --videos: the worker's own public videos folder; each file is deleted
  // once its job is done (analyze/team_queue.h).
  if (a.download && !o.analyzer.videos_dir) o.analyzer.videos_dir = ws.public_videos_dir();
  if (o.analyzer.videos_dir) ensure_directory(*o.analyzer.videos_dir);
  o.analyzer.analyzer_version_extra = a.analyzer_version;
  o.analyzer.timeout_s = a.timeout_s;
  o.analyzer.quiet = true;
  o.name = a.name.empty() ? analyze::default_worker_name() : a.name;
  o.lease_s = a.lease_s;
  o.poll_s = a.poll_s;
  o.exit_when_idle = a.exit_when_idle;
  o.max_jobs = a.max_jobs;

  spdlog::info("worker {} on {}", o.name, db.describe());
  analyze::StopSignalGuard guard;
  const analyze::WorkerResult res =
      analyze::run_worker(ws, db, *conninfo, o, &guard.flag(), [](const store::Job& job, const std::string& outcome) {
        spdlog::info("{} #{} {}: {}", job.client, job.hashtag, job.video_id, outcome);
      });
  std::ostringstream human;
  human << "Worker " << o.name << ": " << res.done << " done, " << res.failed << " failed, " << res.retried
        << " to retry, " << res.lost << " dropped (lease taken over)";
  ctx.emit(Json{{"worker", o.name},
                {"done", res.done},
                {"failed", res.failed},
                {"retried", res.retried},
                {"dropped", res.lost},
                {"stopped", guard.flag().load()}},
           human.str());
  return guard.flag().load() ? static_cast<int>(ExitCode::failure) : 0;
}

}  // namespace

void register_worker_command(Registry& r) {
  auto args = std::make_shared<WorkerArgs>();
  auto* cmd = r.app.add_subcommand(
      "worker", "Team mode: analyse queued videos from the shared store, one at a time (see 'analyze --enqueue')");
  auto* analyzer = cmd->add_option("--analyzer", args->analyzer,
                                   "External analyzer command template with {url} {id} {out} (run without a shell)");
  auto* replay = cmd->add_option("--replay", args->replay, "Read pre-computed RumiAI output from DIR (any layout)");
  analyzer->excludes(replay);
  auto* native = cmd->add_flag("--native", args->native, "rumi's own analyzer (the default)");
  native->excludes(analyzer)->excludes(replay);
  cmd->add_option("--videos", args->videos, "Folder of <video_id>.mp4 files for --native content analysis");
  cmd->add_flag("--download", args->download, "--native content analysis of videos downloaded from their links")
      ->excludes(analyzer)
      ->excludes(replay);
  cmd->add_option("--analyzer-version", args->analyzer_version, "Extra version tag for the analysis cache key");
  cmd->add_option("--timeout", args->timeout_s, "Per-video analyzer timeout in seconds (default 900)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--name", args->name, "This worker's name in the queue's leases (default host:pid)");
  cmd->add_option("--lease", args->lease_s,
                  "Seconds a claimed job stays this worker's without a heartbeat (default 60; heartbeats every third)")
      ->check(CLI::Range(1.0, 86400.0));
  cmd->add_option("--poll", args->poll_s, "Seconds between claims while the queue is empty (default 2)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--exit-when-idle", args->exit_when_idle, "Stop once no job is queued or running anywhere");
  cmd->add_option("--max-jobs", args->max_jobs, "Stop after this many jobs (default: no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&r, args] { r.action = [args](const Context& ctx) { return run_worker(ctx, *args); }; });
}

}  // namespace rumi::cli
