#pragma once
// `rumi run`: every stage for every client and hashtag of a config file, in-process, with one
// workspace lock, skip-if-unchanged per stage (content hashes), per-stage timings, and a run
// manifest per hashtag plus one for the whole run. A re-run after a crash or an edit redoes only
// what changed; the analyze stage resumes its own checkpoint.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/rng.h"
#include "core/workspace.h"

namespace rumi::pipeline {

// Inputs may target one hashtag ("#tag=PATH" / "tag=PATH") or all hashtags (plain PATH).
struct TargetedPath {
  std::optional<std::string> hashtag_slug;
  std::filesystem::path path;
};
TargetedPath parse_targeted_path(std::string_view arg);

struct RunOptions {
  std::filesystem::path config_file;
  std::vector<TargetedPath> imports;
  std::vector<TargetedPath> replays;
  std::optional<std::string> analyzer;  // external analyzer template (when no replay dir)
  // rumi's native analyzer; also used when no analyzer, replay or stored analyses exist. Without
  // videos_dir it is metadata-only: selection takes every eligible video (design "all").
  bool native = false;
  std::optional<std::filesystem::path> videos_dir;
  bool download = false;  // content analysis of videos downloaded from the items' links
  bool apify = false;
  std::uint64_t seed = kDefaultSeed;
  std::string report_date;  // YYYY-MM-DD
  std::string formats = "json,md,pdf,html";
  // Optional LLM polish of the strategy texts (report/llm_rewrite.h): "" (off, default) or
  // "anthropic". Only the aggregated strategy text is sent; an answer that changes a number is
  // dropped for the template text. Its token counts are part of the run's costs.
  std::string llm;
  // The clock every hashtag's selection is made at (unix seconds; unset: the run's start). One
  // time for the whole run, so clients following the same hashtag get the same selection, and
  // with it the same patterns (their covariates use the age at selection): pipeline/stage_cache.h
  // shares such identical results.
  std::optional<std::int64_t> now;
  bool quiet = false;
  bool force = false;  // ignore the skip cache and the shared stage results
  // The analysis gate (pipeline/success_gate.h): share of each bucket's selected videos that must
  // be analysed before training; default the hashtag's success_gate. Recorded in the manifest.
  std::optional<double> min_success;
  const std::atomic<bool>* stop = nullptr;
  std::string command_line;  // recorded in the manifest (secrets redacted)
};

struct StageRecord {
  std::string stage;
  bool skipped = false;
  double seconds = 0;
  Json counts = Json::object();
};

struct BucketLine {
  std::string bucket;
  int videos = 0;
  std::optional<double> forest_r2, baseline_r2;
  bool insufficient = false, exploratory = false;
  int strong = 0, moderate = 0, emerging = 0;
};

struct HashtagOutcome {
  std::string client_name, client_slug, hashtag_name, hashtag_slug;
  std::vector<StageRecord> stages;
  std::vector<BucketLine> buckets;
  std::filesystem::path reports_dir, manifest_path;
  std::vector<std::filesystem::path> pdfs, markdown;
  Json success_gate;  // GateCheck::to_json() once checked (null before)
  // What this hashtag's run spent: apify_usage_usd / apify_compute_units (live scrapes, as the
  // Apify run object reports them), analysis_seconds (wall time of the videos analysed now) and
  // analysed_now, and llm_calls / llm_input_tokens / llm_output_tokens with --llm. Recorded in the manifest and printed
  // in the run summary.
  Json costs = Json::object();
  std::string status = "ok";  // ok | failed | stopped | not_enough_data
  std::string error;
  int exit_code = 0;
};

struct RunResult {
  std::string run_id;
  std::filesystem::path manifest_path;
  std::vector<HashtagOutcome> hashtags;
  // Client name -> its client report folder (the view across its hashtags), when written.
  std::map<std::string, std::filesystem::path> client_reports;
  int exit_code = 0;
  double seconds = 0;
  Json to_json() const;
  std::string summary_table() const;
};

RunResult run_pipeline(const Workspace& ws, const RunOptions& options);

}  // namespace rumi::pipeline
