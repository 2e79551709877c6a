// rumi analyze CLIENT HASHTAG [--native [--videos DIR] | --analyzer 'CMD {url} {id} {out}' | --replay DIR] [--resume]
// ...
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <memory>
#include <sstream>

#include "acquire/importers.h"
#include "analyze/analyze_hashtag.h"
#include "analyze/selection_input.h"
#include "analyze/stop_signal.h"
#include "analyze/team_queue.h"
#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/log.h"
#include "core/time_util.h"
#include "native/content_analysis.h"
#include "native/metadata_analysis.h"
#include "store/workspace_lock.h"

namespace rumi::cli {

namespace fs = std::filesystem;

namespace {

struct AnalyzeArgs {
  std::string client, hashtag;
  std::string analyzer, replay, analyzer_version, videos;
  bool native = false, download = false;
  bool resume = false, restart = false, fail_fast = false, keep_going = false, retry_failed = false;
  double timeout_s = 900;
  double max_video_duration_s = 0;
  double min_success = -1;
  bool enqueue = false, wait = false;  // team mode
  int max_attempts = 3;
  double poll_s = 2;
};

// Team mode, `analyze --enqueue`: the hashtag's selected videos go on the shared queue for
// `rumi worker` on any machine (analyze/team_queue.h).
int run_enqueue(const Context& ctx, Target& t, const AnalyzeArgs& a) {
  const analyze::EnqueueResult e = analyze::enqueue_hashtag(t.workspace, t.db, t.client, t.hashtag, a.max_attempts);
  std::ostringstream human;
  human << "Queued " << e.enqueued << " of the " << e.selected << " selected videos of " << t.hashtag.name << " for "
        << t.client.name << " (" << e.already_analysed << " already analysed, " << e.from_cache
        << " taken from analyses the store already holds, " << e.already_queued << " already queued).\n"
        << "Start workers on any machine with: rumi --store URL worker --native (or --analyzer CMD / --replay DIR)\n"
        << "Then collect the results here with: rumi analyze " << t.client.slug << " " << t.hashtag.slug << " --wait";
  ctx.emit(Json{{"selected", e.selected},
                {"enqueued", e.enqueued},
                {"already_analysed", e.already_analysed},
                {"from_cache", e.from_cache},
                {"already_queued", e.already_queued}},
           human.str());
  return 0;
}

// Team mode, `analyze --wait`: progress until the hashtag's jobs are done, then the ordinary
// analyze run takes the stored analyses (AnalyzeOptions::from_queue) and applies the success gate.
void wait_for_queue(const Context& ctx, Target& t, const AnalyzeArgs& a, const std::atomic<bool>& stop) {
  std::int64_t last = -1;
  analyze::wait_for_hashtag(t.db, t.client, t.hashtag, a.poll_s, &stop, [&](const store::JobProgress& p) {
    const std::int64_t finished = p.done + p.failed;
    if (finished == last || ctx.quiet() || ctx.json()) return;
    last = finished;
    spdlog::info("queue for {}: {} of {} jobs finished ({} failed), {} running, {} waiting", t.hashtag.name, finished,
                 p.total(), p.failed, p.running, p.queued);
  });
  if (stop.load()) throw Error("interrupted while waiting for the queue; the workers go on: run --wait again");
}

int run_analyze(const Context& ctx, const AnalyzeArgs& a) {
  Target t = open_target(ctx, a.client, a.hashtag);
  if (a.enqueue) return run_enqueue(ctx, t, a);
  // Client names never go into the shared lock file: the hashtag identifies the work.
  store::WorkspaceLock lock = store::WorkspaceLock::acquire(
      t.workspace, "analyze #" + t.hashtag.slug, store::LockOptions{.timeout = store::lock_timeout_from_env()});
  analyze::AnalyzeOptions o;
  if (!a.analyzer.empty()) o.analyzer_template = a.analyzer;
  if (!a.replay.empty()) o.replay_dir = a.replay;
  o.native = a.native;
  if (!a.videos.empty()) o.videos_dir = a.videos;
  o.download = a.download;
  o.max_video_duration_s = a.max_video_duration_s;
  o.analyzer_version_extra = a.analyzer_version;
  o.resume = a.resume;
  o.restart = a.restart;
  o.fail_fast = a.fail_fast && !a.keep_going;
  o.retry_failed = a.retry_failed;
  o.timeout_s = a.timeout_s;
  if (a.min_success >= 0) o.min_success = a.min_success;
  o.quiet = ctx.quiet() || ctx.json();

  analyze::StopSignalGuard guard;
  if (a.wait) {
    wait_for_queue(ctx, t, a, guard.flag());
    o.from_queue = true;
    o.resume = false;
    o.restart = true;  // taking stored analyses costs nothing: a fresh run each time
  }
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
              << " selected videos were analysed, below the required " << std::lround(res.min_success * 100) << " %.\n";
    human << "Not enough analysed videos (exit 3). Fix the failures (see checkpoints/logs) and rerun with "
             "--resume --retry-failed, or lower --min-success.\n";
    code = static_cast<int>(ExitCode::not_enough_data);
  }
  ctx.emit(res.to_json(), human.str());
  return code;
}

struct AnalyzeVideoArgs {
  std::string file, item, out;
  double timeout_s = 900;
  double max_duration_s = 0;
};

std::string flow_file_name(const std::string& flow, const std::string& ts) { return flow + "_ml_" + ts + ".json"; }

// The item that describes `file`: the only one in the Apify file, or the one whose id is the
// file's stem.
const Video* item_for_file(const std::vector<Video>& videos, const fs::path& file, const std::string& item_path) {
  if (videos.size() == 1) return &videos.front();
  for (const Video& v : videos)
    if (v.id == file.stem().string()) return &v;
  throw UsageError("--item " + item_path + " holds " + std::to_string(videos.size()) + " items and none has the id " +
                   file.stem().string() + " (the video file's name)");
}

// rumi analyze-video [FILE] [--item ITEM.json] --out DIR: the native analyzer on one video, written
// in RumiAI's insights layout (DIR/<id>/<flow>/<flow>_ml_<ts>.json) so `--replay DIR` reads it.
// With FILE: the content analysis (decoding, shots, audio, speech; native/content_analysis.h)
// plus metadata_analysis when the item is given. Without FILE: metadata_analysis of every item.
int run_analyze_video(const Context& ctx, const AnalyzeVideoArgs& a) {
  const std::string ts = format_file_timestamp_utc(now_unix());
  Json written = Json::array();
  std::ostringstream human;
  std::vector<Video> items;
  if (!a.item.empty()) items = acquire::import_file(a.item, acquire::ImportOptions{}).videos;
  if (a.file.empty()) {
    if (a.item.empty())
      throw UsageError("give the video FILE, or --item APIFY_ITEM.json for its caption and posting data alone");
    for (const Video& v : items) {
      if (!analyze::is_safe_video_id(v.id)) throw InputError(a.item, v.id, "id", "not a safe video id");
      const fs::path file = fs::path(a.out) / v.id / "metadata_analysis" / flow_file_name("metadata_analysis", ts);
      ensure_directory(file.parent_path());
      write_file_atomic(file, dump_json(native::metadata_analysis(v)));
      written.push_back({{"video_id", v.id}, {"file", file.string()}, {"mode", "metadata"}});
      human << v.id << ": " << file.string() << " (captions and posting data only)\n";
    }
    ctx.emit(Json{{"analyses", written}}, human.str());
    return 0;
  }

  const fs::path video = a.file;
  const Video* item = items.empty() ? nullptr : item_for_file(items, video, a.item);
  std::string id;
  if (item) {
    id = item->id;
    if (!analyze::is_safe_video_id(id)) throw InputError(a.item, id, "id", "not a safe video id");
  } else {
    id = video.stem().string();
    if (!analyze::is_safe_video_id(id))
      throw UsageError("cannot tell the video id of " + video.string() +
                       ": name the file <video_id>.mp4 (letters, digits, '_' and '-') or give --item");
  }
  native::ContentOptions o;
  o.timeout_s = a.timeout_s;
  o.max_duration_s = a.max_duration_s;
  const native::ContentAnalysis ca = native::analyse_video_file(video, item, o);
  Json flows = Json::object();
  for (const auto& [flow, blocks] : ca.flows.items()) {
    const fs::path file = fs::path(a.out) / id / flow / flow_file_name(flow, ts);
    ensure_directory(file.parent_path());
    write_file_atomic(file, dump_json(blocks));
    flows[flow] = file.string();
    human << id << ": " << file.string() << "\n";
  }
  const Json m = ca.measurements();
  human << fmt::format("{:.2f} s, {}x{} at {:.2f} fps, {}: {} cuts, {}\n", ca.duration_s, ca.info.width, ca.info.height,
                       ca.info.fps, ca.info.has_audio ? "with sound" : "no sound track", ca.cuts.size(),
                       !ca.info.has_audio  ? std::string("nothing said")
                       : ca.words_measured ? fmt::format("{} words", ca.words)
                                           : "words not measured: " + ca.words_not_measured_reason);
  human << "real-time factor (CPU):";
  for (const auto& t : ca.timings) human << fmt::format(" {} {:.3f}", t.name, t.real_time_factor);
  human << fmt::format(" (wall {:.2f} s)\n", ca.wall_seconds);
  written.push_back({{"video_id", id},
                     {"file", video.string()},
                     {"mode", "content"},
                     {"analyzer_version", native::content_analyzer_version(o)},
                     {"flows", flows},
                     {"measurements", m}});
  ctx.emit(Json{{"analyses", written}}, human.str());
  return 0;
}

void register_analyze_video_command(Registry& r) {
  auto args = std::make_shared<AnalyzeVideoArgs>();
  auto* cmd =
      r.app.add_subcommand("analyze-video", "Analyse one video with rumi's native analyzer into RumiAI's file layout");
  cmd->add_option("FILE", args->file, "The video file (decoded for shots, sound and speech)");
  cmd->add_option("--item", args->item, "The video's Apify item (JSON; one item or several)");
  cmd->add_option("--out", args->out, "Output folder (RumiAI insights layout)")->required();
  cmd->add_option("--timeout", args->timeout_s, "Time limit for the analysis in seconds (default 900)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-duration", args->max_duration_s,
                  "Refuse videos longer than this many seconds (default: no limit)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&r, args] { r.action = [args](const Context& ctx) { return run_analyze_video(ctx, *args); }; });
}

}  // namespace

void register_analyze_commands(Registry& r) {
  register_analyze_video_command(r);
  auto args = std::make_shared<AnalyzeArgs>();
  auto* cmd = r.app.add_subcommand(
      "analyze",
      "Analyse every selected video (rumi's native analyzer, RumiAI, or replayed RumiAI output), with checkpoints");
  cmd->add_option("CLIENT", args->client)->required();
  cmd->add_option("HASHTAG", args->hashtag)->required();
  auto* analyzer = cmd->add_option("--analyzer", args->analyzer,
                                   "External analyzer command template with {url} {id} {out} (run without a shell)");
  auto* replay = cmd->add_option("--replay", args->replay, "Read pre-computed RumiAI output from DIR (any layout)");
  analyzer->excludes(replay);
  auto* native = cmd->add_flag("--native", args->native,
                               "rumi's own analyzer (the default when neither --analyzer nor --replay is given); "
                               "without --videos it analyses captions and posting data only");
  native->excludes(analyzer);
  native->excludes(replay);
  cmd->add_option("--videos", args->videos,
                  "Folder of <video_id>.mp4 files: --native analyses their content (shots, sound, speech)");
  cmd->add_flag("--download", args->download,
                "--native content analysis of videos downloaded from their items' links (into --videos DIR, or the "
                "public videos folder; rumi gc --videos trims it); a failed download is a failed video")
      ->excludes(analyzer)
      ->excludes(replay);
  cmd->add_option("--max-video-duration", args->max_video_duration_s,
                  "With --videos: refuse videos longer than this many seconds (default: no limit)")
      ->check(CLI::PositiveNumber);
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
  auto* enqueue = cmd->add_flag("--enqueue", args->enqueue,
                                "Team mode: put the selected videos on the shared queue for 'rumi worker' and return");
  auto* wait = cmd->add_flag("--wait", args->wait,
                             "Team mode: show the queue's progress until the hashtag's jobs are done, then take the "
                             "workers' analyses into the hashtag's folders and apply the success gate");
  enqueue->excludes(wait);
  for (CLI::Option* o : {analyzer, replay, native}) {
    enqueue->excludes(o);
    wait->excludes(o);
  }
  cmd->add_option("--max-attempts", args->max_attempts,
                  "With --enqueue: attempts per video before its job is failed for good (default 3)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--poll", args->poll_s, "With --wait: seconds between progress checks (default 2)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&r, args] { r.action = [args](const Context& ctx) { return run_analyze(ctx, *args); }; });
}

}  // namespace rumi::cli
