#pragma once
// The stages `rumi run` takes one hashtag through, as a table (private to the pipeline stage).
// Each stage names what it reads (its input hash), how to tell its outputs exist, and its body;
// one generic runner skips a stage whose inputs are unchanged since its last success
// (pipeline/stage_cache.h) and records its time and counts. A stage may also say "nothing new to
// run" (acquire without an input file, analyze without an analyzer) and reuse what is stored.
//
// Order and why: acquire (import or scrape, then select per bucket) -> analyze (one video at a
// time, checkpointed) -> gate (the success gate on the stored analyses, every time, so a rerun
// never trains on a bucket most of whose videos are missing) -> features -> train -> patterns
// -> report.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/analysis_config.h"
#include "config/brand.h"
#include "core/json.h"
#include "core/workspace.h"
#include "pipeline/run_pipeline.h"
#include "pipeline/stage_cache.h"
#include "report/pattern_validation.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::pipeline {

// Everything the stages of one hashtag share: the inputs it was given, what was decided about
// them before the first stage, and the outcome being filled in.
struct HashtagRun {
  const Workspace& ws;
  store::Database& db;
  const RunOptions& opt;
  store::ClientRow client;
  store::HashtagRow tag;
  std::filesystem::path dir;        // MLAnalysis/<client>/<hashtag>
  std::filesystem::path selection;  // acquisition/selection.json
  std::vector<std::filesystem::path> imports, replays;
  config::AnalysisConfig cfg;  // the hashtag's, with the metadata-only design applied
  bool native = false, metadata_only = false;
  Json analyze_timing = Json::array();  // per-video analysis records for the manifest
  StageCache cache;
  HashtagOutcome& out;
  report::PatternValidations validations;  // the report stage's, read once for hash and body
  config::BrandInputs brand;
};

struct StageDescriptor {
  std::string_view name;
  // When set and it returns a note, the stage has nothing new to run: it is recorded as skipped
  // with that note (and may throw a UsageError when there is nothing stored to use either).
  std::optional<std::string> (*nothing_new)(HashtagRun&) = nullptr;
  std::string (*input_hash)(HashtagRun&) = nullptr;  // nullptr: a check, not a cached stage
  bool (*outputs_exist)(const HashtagRun&) = nullptr;
  bool (*always_run)(const HashtagRun&) = nullptr;  // e.g. a live scrape is never "unchanged"
  void (*body)(HashtagRun&, Json& counts) = nullptr;
  // When set, the stage's result is shared across clients (pipeline/stage_cache.h
  // SharedStageResults): every file the stage may write or remove, relative to the hashtag
  // folder. Only for stages whose files hold nothing private and whose input hash covers
  // everything the files depend on (docs/performance.md, "Shared stage results").
  std::vector<std::string> (*shared_outputs)(const HashtagRun&) = nullptr;
};

// The stages in order.
const std::vector<StageDescriptor>& hashtag_stages();

// Runs one stage as its descriptor says (skip-if-unchanged, timing, counts into run.out.stages).
void run_hashtag_stage(HashtagRun& run, const StageDescriptor& stage);

// True when some bucket folder of `dir` holds a file whose name starts with `prefix`.
bool any_bucket_file(const std::filesystem::path& dir, std::string_view prefix);

}  // namespace rumi::pipeline
