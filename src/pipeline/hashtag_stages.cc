#include "pipeline/hashtag_stages.h"

#include <algorithm>
#include <chrono>

#include "acquire/acquire.h"
#include "analyze/analyze_hashtag.h"
#include "config/apply.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/time_util.h"
#include "features/bucket_dataset.h"
#include "features/feature_catalog.h"
#include "insights/patterns_stage.h"
#include "ml/train.h"
#include "pipeline/native_cover_frame.h"
#include "pipeline/report_validations.h"
#include "pipeline/success_gate.h"
#include "pipeline/versions.h"
#include "report/example_cover.h"
#include "report/write_reports.h"
#include "store/checkpoints.h"

namespace rumi::pipeline {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool any_bucket_file(const fs::path& dir, std::string_view prefix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_directory() || !is_bucket_dir_name(e.path().filename().string())) continue;
    for (const auto& f : fs::directory_iterator(e.path(), ec))
      if (f.path().filename().string().starts_with(prefix)) return true;
  }
  return false;
}

namespace {

// The stage's body, or, for a shared stage, the stored result of identical inputs. --force
// computes (and stores) again: it is the way to check a shared result against a fresh one.
bool run_or_reuse(HashtagRun& run, const StageDescriptor& stage, const std::string& hash, Json& counts) {
  if (!stage.shared_outputs) {
    stage.body(run, counts);
    return false;
  }
  const SharedStageResults shared(run.ws.public_dir() / "stage_results");
  const std::string key = SharedStageResults::key(stage.name, hash);
  if (!run.opt.force)
    if (auto stored = shared.restore(stage.name, key, run.dir)) {
      counts = std::move(*stored);
      counts["reused"] = true;
      return true;
    }
  stage.body(run, counts);
  shared.store(stage.name, key, run.dir, stage.shared_outputs(run), counts);
  return false;
}

}  // namespace

void run_hashtag_stage(HashtagRun& run, const StageDescriptor& stage) {
  StageRecord rec;
  rec.stage = std::string(stage.name);
  if (stage.nothing_new) {
    if (auto note = stage.nothing_new(run)) {
      rec.skipped = true;
      rec.counts = Json{{"note", *note}};
      run.out.stages.push_back(std::move(rec));
      return;
    }
  }
  if (!stage.input_hash) {  // a check: it runs every time and is not a stage of the manifest
    Json ignored;
    stage.body(run, ignored);
    return;
  }
  const std::string hash = stage.input_hash(run);
  const bool force = run.opt.force || (stage.always_run && stage.always_run(run));
  if (!force && stage.outputs_exist(run) && run.cache.up_to_date(stage.name, hash)) {
    rec.skipped = true;
    spdlog::info("  {}: unchanged, skipped", stage.name);
    run.out.stages.push_back(std::move(rec));
    return;
  }
  run.cache.forget(stage.name);
  const auto t0 = Clock::now();
  const bool reused = run_or_reuse(run, stage, hash, rec.counts);
  rec.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  run.cache.record(stage.name, hash);
  spdlog::info("  {}: {} in {:.2f}s", stage.name, reused ? "reused another client's identical result" : "done",
               rec.seconds);
  run.out.stages.push_back(std::move(rec));
}

namespace {

const features::FeatureCatalog& catalog() { return features::feature_catalog(); }

// Adds every bucket file whose name starts with one of the prefixes.
void hash_bucket_files(InputHasher& h, const fs::path& dir, std::initializer_list<std::string_view> prefixes) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(dir, ec))
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (!e.is_directory() || !is_bucket_dir_name(e.path().filename().string())) continue;
      for (const auto& f : fs::directory_iterator(e.path(), ec))
        for (auto p : prefixes)
          if (f.is_regular_file() && f.path().filename().string().starts_with(p)) files.push_back(f.path());
    }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) h.add_file(f.lexically_relative(dir).string(), f);
}

// --- acquire + select ---------------------------------------------------------------------

std::optional<std::string> acquire_nothing_new(HashtagRun& r) {
  if (!r.imports.empty() || r.opt.apify) return std::nullopt;
  if (!fs::exists(r.selection))
    throw UsageError("no input for " + r.tag.name + ": pass --import FILE (or '" + r.tag.name + "=FILE') or --apify");
  return "no new input; using the existing selection";
}

std::string acquire_inputs(HashtagRun& r) {
  InputHasher h;
  for (const auto& f : r.imports) h.add_file("import", f);
  h.add("config", to_json(r.cfg).dump()).add("apify", r.opt.apify ? "yes" : "no");
  h.add("seed", std::to_string(r.opt.seed));  // the contrast design's random half
  return h.digest();
}

void acquire_body(HashtagRun& r, Json& counts) {
  acquire::AcquireRequest req{r.ws,      r.db, r.client,    r.tag,        r.cfg,
                              r.imports, {},   r.opt.apify, std::nullopt, r.opt.now.value_or(now_unix())};
  req.seed = r.opt.seed;
  const auto res = acquire::acquire(req);
  counts = {{"records", res.records_read}, {"unique_videos", res.videos.size()}, {"duplicates", res.duplicates}};
  std::size_t selected = 0;
  for (const auto& b : res.selection.buckets) selected += b.selected.size();
  counts["selected"] = selected;
  counts["excluded"] = res.selection.excluded.size();
  if (!res.apify_run_id.empty()) {
    r.out.costs["apify_run"] = res.apify_run_id;
    r.out.costs["apify_usage_usd"] = res.apify_usage_usd ? Json(*res.apify_usage_usd) : Json(nullptr);
    r.out.costs["apify_compute_units"] = res.apify_compute_units ? Json(*res.apify_compute_units) : Json(nullptr);
  }
}

// --- analyze --------------------------------------------------------------------------------

bool have_analyzer(const HashtagRun& r) { return !r.replays.empty() || r.opt.analyzer || r.native; }

std::optional<std::string> analyze_nothing_new(HashtagRun& r) {
  if (have_analyzer(r)) return std::nullopt;
  if (!any_bucket_file(r.dir, "videos"))
    throw UsageError("no analyses for " + r.tag.name +
                     ": pass --replay DIR (RumiAI output) or --analyzer 'CMD {url} {id} {out}'");
  return "no analyzer given; using the stored analyses";
}

std::string video_folder_listing(const fs::path& dir) {
  std::vector<std::string> lines;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    const auto mtime = e.last_write_time(ec).time_since_epoch().count();
    lines.push_back(e.path().filename().string() + " " + std::to_string(e.file_size(ec)) + " " + std::to_string(mtime));
  }
  std::sort(lines.begin(), lines.end());
  std::string out = fs::absolute(dir).string() + "\n";
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string analyze_inputs(HashtagRun& r) {
  InputHasher h;
  h.add_file("selection", r.selection);
  if (!r.replays.empty()) h.add_tree("replay", r.replays.front());
  h.add("analyzer", r.opt.analyzer.value_or(""));
  h.add("native", r.native ? (r.metadata_only ? "metadata" : "content") : "no");
  h.add("download", r.opt.download ? "yes" : "no");
  // A new or replaced video file must re-run the stage. Names, sizes and modification times
  // stand for the content here (hashing every file twice would double the cost of a large
  // folder); the analysis cache itself keys each video by its file's sha256.
  if (r.opt.videos_dir) h.add("videos", video_folder_listing(*r.opt.videos_dir));
  return h.digest();
}

void analyze_body(HashtagRun& r, Json& counts) {
  analyze::AnalyzeOptions ao;
  if (!r.replays.empty())
    ao.replay_dir = r.replays.front();
  else if (r.opt.analyzer)
    ao.analyzer_template = r.opt.analyzer;
  else
    ao.native = true;
  ao.videos_dir = r.opt.videos_dir;
  ao.download = r.opt.download;
  ao.quiet = r.opt.quiet;
  ao.min_success = r.opt.min_success;
  // An unfinished run of the same selection resumes; one of an older selection restarts.
  if (auto unfinished = store::find_unfinished_run(r.db, r.client.id, r.tag.id)) {
    const Json stored = parse_json(unfinished->options_json, "analysis_runs.options_json");
    const std::string sel_sha = sha256_hex(read_file(r.selection));
    (stored.value("selection_sha256", "") == sel_sha ? ao.resume : ao.restart) = true;
  }
  analyze::AnalyzeRequest req{r.ws, r.db, r.client, r.tag, r.cfg.success_gate, ao, r.opt.stop};
  const auto res = analyze::analyze_hashtag(req);
  counts = {{"analyzer_runs", res.analyzer_invocations},
            {"cache_hits", res.cache_hits},
            {"mode", res.mode},
            {"resumed", res.resumed},
            {"gate_passed", res.gate_passed},
            {"status", res.status}};
  const Json rj = res.to_json();
  if (rj.contains("videos")) r.analyze_timing = rj["videos"];
  double seconds = 0;
  int now_count = 0;
  for (const auto& v : res.videos)
    if (v.processed_now) seconds += v.duration_s, ++now_count;
  r.out.costs["analysis_seconds"] = json_number(seconds);
  r.out.costs["analysed_now"] = now_count;
  if (res.status == "stopped") throw Error("stopped during analysis; run the same command again to resume");
}

// --- the success gate (a check on the stored analyses, every run) ----------------------------

void gate_check(HashtagRun& r, Json&) {
  const GateCheck gate = check_success_gate(r.dir, r.opt.min_success.value_or(r.cfg.success_gate),
                                            r.opt.min_success ? "--min-success" : "config success_gate");
  r.out.success_gate = gate.to_json();
  if (!gate.passed) throw NotEnoughDataError(gate.failure_message(r.tag.name, "rumi run"));
  if (r.opt.min_success && *r.opt.min_success < r.cfg.success_gate)
    spdlog::warn("{}: success gate lowered to {:.0f} % by --min-success (the hashtag's is {:.0f} %)", r.tag.name,
                 *r.opt.min_success * 100, r.cfg.success_gate * 100);
  if (r.opt.stop && r.opt.stop->load()) throw Error("stopped");
}

// --- features, train, patterns ---------------------------------------------------------------

std::string features_inputs(HashtagRun& r) {
  InputHasher h;
  h.add_file("selection", r.selection).add("schema", catalog().sha256);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(r.dir, ec))
    if (e.is_directory() && is_bucket_dir_name(e.path().filename().string()))
      h.add_tree(e.path().filename().string(), e.path() / "videos", "_analysis.json");
  return h.digest();
}

void features_body(HashtagRun& r, Json& counts) {
  const auto written = features::write_features(r.dir);
  std::size_t rows = 0;
  for (const auto& b : written) rows += b.rows;
  counts = {{"buckets", written.size()}, {"rows", rows}, {"features", catalog().size()}};
}

// Buckets with a features.csv: the ones train and patterns read and write.
std::vector<Bucket> feature_buckets(const fs::path& dir) {
  std::vector<Bucket> out;
  std::error_code ec;
  for (Bucket b : kAllBuckets)
    if (fs::is_regular_file(bucket_files(dir, b).features, ec)) out.push_back(b);
  return out;
}

// What train and patterns read of acquisition/selection.json: the format version, the entries
// of the buckets they work on (eligible videos for the ER statistics; selected videos' creators
// and covariates) and, for patterns, created_at (the covariates' "age at selection"). Not the
// whole file: its created_at and input paths differ between clients with identical data.
std::string selection_part(const fs::path& selection, const std::vector<Bucket>& buckets, bool created_at) {
  std::error_code ec;
  if (!fs::is_regular_file(selection, ec)) return "absent";
  Json j;
  try {
    j = read_json_file(selection);
  } catch (const std::exception&) {
    return sha256_file(selection);  // the stage itself reports the bad file
  }
  if (!j.is_object()) return sha256_file(selection);
  Json part{{"format_version", j.value("format_version", Json(nullptr))}};
  if (created_at) part["created_at"] = j.value("created_at", Json(nullptr));
  const Json no_buckets = Json::object();
  const Json& all = j.contains("buckets") && j["buckets"].is_object() ? j["buckets"] : no_buckets;
  for (Bucket b : buckets) {
    const std::string name(bucket_name(b));
    part["buckets"][name] = all.value(name, Json(nullptr));
  }
  return part.dump();
}

std::vector<std::string> bucket_outputs(const HashtagRun& r, std::initializer_list<fs::path BucketFiles::*> kinds) {
  std::vector<std::string> out;
  for (Bucket b : feature_buckets(r.dir)) {
    const BucketFiles files = bucket_files(r.dir, b);
    for (auto kind : kinds) out.push_back((files.*kind).lexically_relative(r.dir).generic_string());
  }
  return out;
}

// Everything the models and performance metrics depend on: features.csv bytes per bucket, the
// selection's part that train reads, seed, feature schema, analysis config (models, k) and the
// rumi version (the code that trains).
std::string train_inputs(HashtagRun& r) {
  InputHasher h;
  hash_bucket_files(h, r.dir, {kFeaturesFileName});
  h.add("seed", std::to_string(r.opt.seed)).add("schema", catalog().sha256).add("config", to_json(r.cfg).dump());
  h.add("selection", selection_part(r.selection, feature_buckets(r.dir), false));
  h.add("rumi", rumi_version_string());
  return h.digest();
}

void train_body(HashtagRun& r, Json& counts) {
  ml::TrainOptions to;
  to.seed = r.opt.seed;
  to.schema_version = catalog().version;
  to.schema_sha256 = catalog().sha256;
  to.clustering_k = r.cfg.clustering_k;
  to.gradient_boosting = r.cfg.has_model("gradient_boosting");
  const auto s = ml::train_hashtag(r.dir, to);
  int models = 0;
  for (const auto& b : s.buckets) models += !b.insufficient;
  counts = {{"buckets", s.buckets.size()}, {"models", models}};
}

std::string patterns_inputs(HashtagRun& r) {
  InputHasher h;
  hash_bucket_files(h, r.dir, {kFeaturesFileName, kModelFilePrefix});
  h.add("seed", std::to_string(r.opt.seed)).add("schema", catalog().sha256);
  h.add("selection", selection_part(r.selection, feature_buckets(r.dir), true));
  h.add("hashtag", r.tag.name);  // the pattern sentences name it
  h.add("rumi", rumi_version_string());
  return h.digest();
}

void patterns_body(HashtagRun& r, Json& counts) {
  stats::PatternOptions po;
  po.seed = r.opt.seed;
  const auto s = insights::run_patterns_stage(r.dir, catalog().features, po, r.tag.name);
  int strong = 0, moderate = 0;
  for (const auto& b : s.buckets) {
    strong += b.strong;
    moderate += b.moderate;
  }
  counts = {{"buckets", s.buckets.size()}, {"strong", strong}, {"moderate", moderate}};
}

// --- report ---------------------------------------------------------------------------------

std::string report_inputs(HashtagRun& r) {
  // Read once here; the body uses the same values (a Billo result or a brand edit between the
  // hash and the body would otherwise write reports the hash does not describe).
  r.validations = report_validations(r.db, r.client.id, r.tag.id);
  r.brand = config::effective_brand(r.client, &r.tag);
  const report::PatternValidations& validations = r.validations;
  InputHasher h;
  hash_bucket_files(h, r.dir, {kPatternsFilePrefix, kPerformanceFileName, kModelFilePrefix});
  h.add_file("selection", r.selection).add("date", r.opt.report_date).add("formats", r.opt.formats);
  h.add("names", r.client.name + "\n" + r.tag.name);
  h.add("llm", r.opt.llm);
  std::string validation_state;  // a Billo test result changes what the reports may say
  for (const auto& [feature, v] : validations) validation_state += feature + "=" + v.status + "\n";
  h.add("validations", validation_state);
  // The briefs print the brand inputs (and the logo): a changed USP must rewrite them.
  const config::BrandInputs& brand = r.brand;
  h.add("brand", config::to_json(brand).dump());
  if (!brand.logo.empty() && fs::exists(brand.logo)) h.add_file("logo", brand.logo);
  // The briefs show a still of an example video when its mp4 is on disk: a file that appears
  // (or is collected by `rumi gc --videos`) changes the PDFs.
  std::vector<fs::path> extra;
  if (r.opt.videos_dir) extra.push_back(*r.opt.videos_dir);
  std::vector<std::string> videos;  // sorted: directory order is not stable
  for (const auto& dir : report::example_video_dirs(r.dir, extra))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".mp4") videos.push_back(e.path().string() + " " + std::to_string(e.file_size()));
  std::sort(videos.begin(), videos.end());
  std::string listing;
  for (const auto& v : videos) listing.append(v).append("\n");
  h.add("example_videos", listing);
  return h.digest();
}

void report_body(HashtagRun& r, Json& counts) {
  report::ReportOptions ro;
  ro.brand = r.brand;
  ro.date = r.opt.report_date;
  ro.formats = report::parse_formats(r.opt.formats);
  ro.client = r.client.name;
  ro.hashtag = r.tag.name;
  ro.seed = r.opt.seed;
  ro.validations = r.validations;
  ro.llm = r.opt.llm;
  ro.cover_frame = native_cover_frame;
  if (r.opt.videos_dir) ro.video_dirs = {*r.opt.videos_dir};
  const auto s = report::write_reports(r.dir, ro);
  counts = {{"files", s.files.size()}, {"strategies", s.strategies}, {"pdfs", s.pdfs.size()}};
  if (!r.opt.llm.empty()) {
    r.out.costs["llm_calls"] = s.llm_calls;
    r.out.costs["llm_input_tokens"] = s.llm_input_tokens;
    r.out.costs["llm_output_tokens"] = s.llm_output_tokens;
  }
}

}  // namespace

const std::vector<StageDescriptor>& hashtag_stages() {
  static const std::vector<StageDescriptor> stages = {
      {.name = "acquire",
       .nothing_new = acquire_nothing_new,
       .input_hash = acquire_inputs,
       .outputs_exist = [](const HashtagRun& r) { return fs::exists(r.selection); },
       .always_run = [](const HashtagRun& r) { return r.opt.apify; },
       .body = acquire_body},
      {.name = "analyze",
       .nothing_new = analyze_nothing_new,
       .input_hash = analyze_inputs,
       .outputs_exist = [](const HashtagRun& r) { return any_bucket_file(r.dir, "videos"); },
       .body = analyze_body},
      {.name = "gate", .body = gate_check},
      {.name = "features",
       .input_hash = features_inputs,
       .outputs_exist = [](const HashtagRun& r) { return any_bucket_file(r.dir, kFeaturesFileName); },
       .body = features_body},
      {.name = "train",
       .input_hash = train_inputs,
       .outputs_exist = [](const HashtagRun& r) { return any_bucket_file(r.dir, kPerformanceFileName); },
       .body = train_body,
       .shared_outputs =
           [](const HashtagRun& r) {
             return bucket_outputs(r, {&BucketFiles::model, &BucketFiles::performance});
           }},
      {.name = "patterns",
       .input_hash = patterns_inputs,
       .outputs_exist = [](const HashtagRun& r) { return any_bucket_file(r.dir, kPatternsFilePrefix); },
       .body = patterns_body,
       .shared_outputs = [](const HashtagRun& r) { return bucket_outputs(r, {&BucketFiles::patterns}); }},
      {.name = "report",
       .input_hash = report_inputs,
       .outputs_exist =
           [](const HashtagRun& r) {
             return fs::exists(r.ws.reports_dir(r.client.slug, r.tag.slug, r.opt.report_date));
           },
       .body = report_body},
  };
  return stages;
}

}  // namespace rumi::pipeline
