// rumi analyze CLIENT HASHTAG (--analyzer 'CMD {url} {id} {out}' | --replay DIR) [--resume] ...
#include <CLI/CLI.hpp>
#include <cmath>
#include <memory>
#include <sstream>

#include "analyze/analyze_hashtag.h"
#include "analyze/stop_signal.h"
#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "core/log.h"
#include "store/workspace_lock.h"

namespace rumi::cli {

namespace {

struct AnalyzeArgs {
  std::string client, hashtag;
  std::string analyzer, replay, analyzer_version;
  bool resume = false, restart = false, fail_fast = false, keep_going = false, retry_failed = false;
  double timeout_s = 900;
  double min_success = -1;
};

int run_analyze(const Context& ctx, const AnalyzeArgs& a) {
  Target t = open_target(ctx, a.client, a.hashtag);
  // Client names never go into the shared lock file: the hashtag identifies the work.
  store::WorkspaceLock lock = store::WorkspaceLock::acquire(t.workspace, "analyze #" + t.hashtag.slug,
                                                            store::LockOptions{.timeout = store::lock_timeout_from_env()});
  analyze::AnalyzeOptions o;
  if (!a.analyzer.empty()) o.analyzer_template = a.analyzer;
  if (!a.replay.empty()) o.replay_dir = a.replay;
  o.analyzer_version_extra = a.analyzer_version;
  o.resume = a.resume;
  o.restart = a.restart;
  o.fail_fast = a.fail_fast && !a.keep_going;
  o.retry_failed = a.retry_failed;
  o.timeout_s = a.timeout_s;
  if (a.min_success >= 0) o.min_success = a.min_success;
  o.quiet = ctx.quiet() || ctx.json();

  analyze::StopSignalGuard guard;
  analyze::AnalyzeResult res = analyze::analyze_hashtag(
      analyze::AnalyzeRequest{t.workspace, t.db, t.client, t.hashtag, t.analysis.success_gate, o, &guard.flag()});

  std::ostringstream human;
  human << res.summary_table();
  int code = 0;
  if (res.status == "stopped") {
    human << (res.stop_reason == "fail-fast" ? "Stopped at the first failure (--fail-fast)."
                                              : "Interrupted; the checkpoint is saved.")
          << " Resume with:\n  " << res.resume_command << "\n";
    code = static_cast<int>(ExitCode::failure);
  } else if (!res.gate_passed) {
    for (const auto& b : res.buckets)
      if (!b.passed_gate)
        human << "Bucket " << bucket_name(b.bucket) << ": only " << b.done << " of " << b.selected
              << " selected videos were analysed, below the required " << std::lround(res.min_success * 100)
              << " %.\n";
    human << "Not enough analysed videos (exit 3). Fix the failures (see checkpoints/logs) and rerun with "
             "--resume --retry-failed, or lower --min-success.\n";
    code = static_cast<int>(ExitCode::not_enough_data);
  }
  ctx.emit(res.to_json(), human.str());
  return code;
}

}  // namespace

void register_analyze_commands(Registry& r) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* cmd = r.app.add_subcommand("analyze", "Run every selected video through the RumiAI analyzer, with checkpoints");
  cmd->add_option("CLIENT", args->client)->required();
  cmd->add_option("HASHTAG", args->hashtag)->required();
  auto* analyzer = cmd->add_option("--analyzer", args->analyzer,
                                   "External analyzer command template with {url} {id} {out} (run without a shell)");
  auto* replay = cmd->add_option("--replay", args->replay, "Read pre-computed RumiAI output from DIR (any layout)");
  analyzer->excludes(replay);
  cmd->add_option("--analyzer-version", args->analyzer_version, "Extra version tag for the analysis cache key");
  cmd->add_flag("--resume", args->resume, "Continue the unfinished run where it stopped");
  cmd->add_flag("--restart", args->restart, "Abandon the unfinished run and start a new one");
  auto* ff = cmd->add_flag("--fail-fast", args->fail_fast, "Stop at the first failure");
  auto* kg = cmd->add_flag("--keep-going", args->keep_going, "Record failures and continue (default)");
  ff->excludes(kg);
  cmd->add_flag("--retry-failed", args->retry_failed, "With --resume: redo the videos that failed");
  cmd->add_option("--timeout", args->timeout_s, "Per-video analyzer timeout in seconds (default 900)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--min-success", args->min_success,
                  "Minimum share of selected videos analysed per bucket (default: the hashtag's success_gate, 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) { return run_analyze(ctx, *args); };
  });
}

}  // namespace rumi::cli
