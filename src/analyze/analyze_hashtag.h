#pragma once
// The analyze stage as a library call (used by `rumi analyze` and the `rumi run` pipeline): runs
// every selected video of one client's hashtag through the analyzer (external command or replay
// of existing RumiAI output), one at a time, checkpointing each outcome in SQLite before moving
// on. Analyses are cached publicly by (video id, analyzer version), so a video another client
// already had analysed is copied, not re-analysed.
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/json.h"
#include "core/workspace.h"
#include "store/checkpoints.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::analyze {

struct AnalyzeOptions {
  std::optional<std::string> analyzer_template;     // "CMD ... {url} {id} {out}"
  std::optional<std::filesystem::path> replay_dir;  // pre-computed RumiAI output, any layout
  // rumi's own analyzer (native/); the default when neither of the above is given. Without
  // video files it analyses captions and posting data only (the "metadata" mode).
  bool native = false;
  // <video_id>.mp4 files for native content analysis (the "content" mode: decoding, shots, audio,
  // speech; native/content_analysis.h). A missing or undecodable file is a failed video with its
  // reason; the batch goes on. Content analyses are served from the analysis cache when the
  // analyzer version (which carries the detector configuration) and the file's sha256 match.
  std::optional<std::filesystem::path> videos_dir;
  // Content mode: a video file that is not there is downloaded first from its item's links
  // (acquire/video_download.h: size cap, retries, resume, content check; APIFY_TOKEN for Apify
  // storage links), into videos_dir or, without it, the public videos folder, which `rumi gc
  // --videos --older-than` trims. A failed download is a failed video with its reason.
  bool download = false;
  double max_video_duration_s = 0;     // content mode: longer videos are refused (0: no limit)
  std::string analyzer_version_extra;  // --analyzer-version
  bool resume = false;                 // continue the unfinished run (required when one exists)
  bool restart = false;                // abandon the unfinished run and start a new one
  bool fail_fast = false;              // stop at the first failure (default: record it and go on)
  bool retry_failed = false;           // with --resume: redo the videos that failed
  double timeout_s = 900;
  double kill_grace_s = 2;
  std::optional<double> min_success;  // default: the hashtag's success_gate
  // Team mode (`analyze --wait`): take each video's analysis from what the queue's workers stored
  // (docs/team-mode.md) instead of analysing it here.
  bool from_queue = false;
  bool quiet = false;  // no progress bar
};

struct AnalyzeRequest {
  const Workspace& workspace;
  store::Database& db;
  const store::ClientRow& client;
  const store::HashtagRow& hashtag;
  double default_min_success = 0.8;
  AnalyzeOptions options;
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C: finish the checkpoint and return
};

struct VideoOutcome {
  std::string video_id;
  Bucket bucket = Bucket::s0_15;
  store::CheckpointStatus status = store::CheckpointStatus::pending;  // done, failed or pending
  std::optional<std::string> error;
  int attempts = 0;
  double duration_s = 0;  // wall time of this invocation's attempt (0 when not processed now)
  bool processed_now = false;
  bool from_cache = false;  // taken from the public cache, analyzer not run
  std::vector<std::string> missing_flows;
};

struct BucketSummary {
  Bucket bucket = Bucket::s0_15;
  int selected = 0, done = 0, failed = 0, skipped = 0;
  double seconds_per_video = 0;  // mean over videos processed now
  bool passed_gate = true;
};

struct AnalyzeResult {
  std::string run_id;
  std::string analyzer_version;
  std::string mode = "content";  // "metadata" when only captions and posting data were analysed
  std::string status;            // finished | stopped
  std::string stop_reason;       // "signal" | "fail-fast" when stopped
  bool resumed = false;
  double min_success = 0.8;
  bool gate_passed = true;
  int analyzer_invocations = 0;
  int cache_hits = 0;
  double wall_seconds = 0;
  std::string resume_command;        // exact command line to continue this run
  std::vector<VideoOutcome> videos;  // selection order; per-video timing for the run manifest
  std::vector<BucketSummary> buckets;

  Json to_json() const;
  std::string summary_table() const;
};

// Throws UsageError (exit 2) when an unfinished run exists and neither resume nor restart is
// set; the message carries the exact command to resume. Other errors: see the store and io.
AnalyzeResult analyze_hashtag(const AnalyzeRequest& request);

// Team mode (docs/team-mode.md): one queued video through the analyzer, for `rumi worker`. No
// checkpoint is kept and nothing is written into the client's folders: the caller stores the
// result in the store, with the job's "done", in one transaction.
struct VideoAnalysis {
  bool ok = false;
  bool stopped = false;     // a signal ended the attempt: the job goes back to the queue
  bool from_cache = false;  // the store already held this analysis (another client's hashtag)
  std::string bytes;        // the merged analysis JSON
  std::string error;
  std::string analyzer_version;
  std::vector<std::string> flows;
};

class VideoAnalyzer {
 public:
  // The analyzer `options` name (--native, --analyzer or --replay); UsageError as for analyze.
  explicit VideoAnalyzer(const AnalyzeOptions& options);
  ~VideoAnalyzer();
  VideoAnalyzer(const VideoAnalyzer&) = delete;
  VideoAnalyzer& operator=(const VideoAnalyzer&) = delete;
  const std::string& version() const;
  // request names the job's client and hashtag (their folders are not written).
  VideoAnalysis analyse(const AnalyzeRequest& request, const std::string& video_id, int attempt_no);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rumi::analyze
