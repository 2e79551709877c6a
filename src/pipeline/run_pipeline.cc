#include "pipeline/run_pipeline.h"

#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "acquire/acquire.h"
#include "analyze/analyze_hashtag.h"
#include "config/apply.h"
#include "config/config_file.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "features/bucket_dataset.h"
#include "features/feature_catalog.h"
#include "insights/patterns_stage.h"
#include "ml/train.h"
#include "pipeline/report_validations.h"
#include "pipeline/stage_cache.h"
#include "pipeline/success_gate.h"
#include "pipeline/versions.h"
#include "report/write_reports.h"
#include "store/runs.h"
#include "store/checkpoints.h"
#include "store/clients.h"
#include "store/workspace_store.h"

namespace rumi::pipeline {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

TargetedPath parse_targeted_path(std::string_view arg) {
  const auto eq = arg.find('=');
  if (eq != std::string_view::npos && eq > 0) {
    std::string_view tag = arg.substr(0, eq);
    if (tag.front() == '#' || is_valid_slug(tag)) {
      std::string slug = slugify(tag, "hashtag");
      return {slug, fs::path(std::string(arg.substr(eq + 1)))};
    }
  }
  return {std::nullopt, fs::path(std::string(arg))};
}

namespace {

std::string new_run_id() {
  std::random_device rd;  // uniqueness only
  return fmt::format("{}-{:06x}", format_iso8601_utc(now_unix()).substr(0, 19), (rd() ^ ::getpid()) & 0xffffff);
}

std::string safe_run_id(std::string id) {
  for (char& c : id)
    if (c == ':') c = '-';
  return id;
}

std::vector<fs::path> paths_for(const std::vector<TargetedPath>& all, std::string_view slug) {
  std::vector<fs::path> out;
  for (const auto& t : all)
    if (!t.hashtag_slug || *t.hashtag_slug == slug) out.push_back(t.path);
  return out;
}

// Runs one stage unless its inputs are unchanged since the last successful run.
template <class F>
void run_stage(HashtagOutcome& out, StageCache& cache, bool force, std::string_view name, const std::string& hash,
               bool outputs_exist, F&& body) {
  StageRecord rec;
  rec.stage = std::string(name);
  if (!force && outputs_exist && cache.up_to_date(name, hash)) {
    rec.skipped = true;
    spdlog::info("  {}: unchanged, skipped", name);
    out.stages.push_back(std::move(rec));
    return;
  }
  cache.forget(name);
  const auto t0 = Clock::now();
  body(rec.counts);
  rec.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  cache.record(name, hash);
  spdlog::info("  {}: done in {:.2f}s", name, rec.seconds);
  out.stages.push_back(std::move(rec));
}

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

void collect_bucket_lines(HashtagOutcome& out, const fs::path& dir) {
  for (Bucket b : kAllBuckets) {
    const BucketFiles files = bucket_files(dir, b);
    const fs::path& perf = files.performance;
    std::error_code ec;
    if (!fs::exists(perf, ec)) continue;
    BucketLine line;
    line.bucket = std::string(bucket_name(b));
    try {
      const BucketPerformance p = performance_from_json(read_json_file(perf));
      line.videos = p.sample_size;
      line.insufficient = p.insufficient;
      line.exploratory = p.exploratory;
      line.forest_r2 = p.cv_r2;
      const fs::path& model = files.model;
      if (fs::exists(model, ec)) {
        const Json m = read_json_file(model);
        const Json base = m.value("cv", Json::object()).value("models", Json::object()).value("baseline", Json::object());
        if (base.contains("r2") && base["r2"].is_number()) line.baseline_r2 = base["r2"].get<double>();
      }
      const fs::path& patterns = files.patterns;
      if (fs::exists(patterns, ec)) {
        const Json pj = read_json_file(patterns);
        for (const auto& p : pj.value("patterns", Json::array())) {
          const std::string ev = p.value("evidence", "");
          line.strong += ev == "STRONG";
          line.moderate += ev == "MODERATE";
          line.emerging += ev == "EMERGING";
        }
      }
    } catch (const std::exception& e) {
      spdlog::warn("cannot summarise {}: {}", files.dir.string(), e.what());
    }
    out.buckets.push_back(line);
  }
}

Json input_files_json(const std::vector<fs::path>& imports, const std::vector<fs::path>& replays) {
  Json files = Json::array();
  for (const auto& f : imports) files.push_back({{"path", fs::absolute(f).string()}, {"role", "import"}, {"sha256", sha256_file(f)}});
  for (const auto& d : replays) {
    std::error_code ec;
    std::vector<fs::path> all;
    for (auto it = fs::recursive_directory_iterator(d, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file()) all.push_back(it->path());
    std::sort(all.begin(), all.end());
    for (const auto& f : all) files.push_back({{"path", fs::absolute(f).string()}, {"role", "replay"}, {"sha256", sha256_file(f)}});
  }
  return files;
}

Json stages_json(const std::vector<StageRecord>& stages) {
  Json j = Json::array();
  for (const auto& s : stages)
    j.push_back({{"stage", s.stage}, {"skipped", s.skipped}, {"seconds", s.seconds}, {"counts", s.counts}});
  return j;
}

Json buckets_json(const std::vector<BucketLine>& lines) {
  Json j = Json::array();
  for (const auto& b : lines)
    j.push_back({{"bucket", b.bucket},
                 {"videos", b.videos},
                 {"insufficient_data", b.insufficient},
                 {"exploratory", b.exploratory},
                 {"forest_cv_r2", b.forest_r2 ? Json(*b.forest_r2) : Json(nullptr)},
                 {"baseline_cv_r2", b.baseline_r2 ? Json(*b.baseline_r2) : Json(nullptr)},
                 {"strong", b.strong},
                 {"moderate", b.moderate},
                 {"emerging", b.emerging}});
  return j;
}

struct HashtagJob {
  const config::ClientSpec* client;
  const config::HashtagSpec* hashtag;
};

void run_hashtag(const Workspace& ws, store::Database& db, const RunOptions& opt, const std::string& run_id,
                 const std::string& config_sha, const HashtagJob& job, HashtagOutcome& out) {
  const auto client = *store::find_client(db, job.client->slug);
  const auto tag = *store::find_hashtag(db, client.id, job.hashtag->slug);
  const fs::path dir = ws.hashtag_dir(client.slug, tag.slug);
  const auto started = format_iso8601_utc(now_unix());
  StageCache cache(dir);
  const auto imports = paths_for(opt.imports, tag.slug);
  const auto replays = paths_for(opt.replays, tag.slug);
  if (replays.size() > 1) throw UsageError("more than one --replay directory for " + tag.name);
  // Native without video files analyses captions and posting data: that costs nothing, so every
  // eligible video is selected (design "all") instead of a videos_per_segment sample.
  // With no analyzer named, native is the default for a hashtag with nothing analysed yet or
  // whose last analysis was native; otherwise the stored analyses are used as they are.
  bool last_native = false;
  if (auto last = store::find_latest_run(db, client.id, tag.id))
    last_native = parse_json(last->options_json, "analysis_runs.options_json").value("native", false);
  const bool native =
      opt.native || (replays.empty() && !opt.analyzer && (last_native || !any_bucket_file(dir, "videos")));
  const bool metadata_only = native && !opt.videos_dir;
  config::AnalysisConfig cfg = job.hashtag->analysis;
  if (metadata_only) cfg.selection.design = config::SelectionDesign::all;
  const auto& catalog = features::feature_catalog();
  const fs::path selection = dir / "acquisition" / "selection.json";
  Json analyze_timing = Json::array();
  spdlog::info("{} / {}:", client.name, tag.name);

  // acquire + select
  {
    InputHasher h;
    for (const auto& f : imports) h.add_file("import", f);
    h.add("config", to_json(cfg).dump()).add("apify", opt.apify ? "yes" : "no");
    h.add("seed", std::to_string(opt.seed));  // the contrast design's random half
    const bool have_input = !imports.empty() || opt.apify;
    if (!have_input && !fs::exists(selection))
      throw UsageError("no input for " + tag.name + ": pass --import FILE (or '" + tag.name + "=FILE') or --apify");
    if (!have_input) {
      out.stages.push_back({"acquire", true, 0, Json{{"note", "no new input; using the existing selection"}}});
    } else {
      run_stage(out, cache, opt.force || opt.apify, "acquire", h.digest(), fs::exists(selection), [&](Json& counts) {
        acquire::AcquireRequest req{ws, db, client, tag, cfg, imports, {}, opt.apify, std::nullopt, now_unix()};
        req.seed = opt.seed;
        const auto res = acquire::acquire(req);
        counts = {{"records", res.records_read}, {"unique_videos", res.videos.size()}, {"duplicates", res.duplicates}};
        std::size_t selected = 0;
        for (const auto& b : res.selection.buckets) selected += b.selected.size();
        counts["selected"] = selected;
        counts["excluded"] = res.selection.excluded.size();
        if (!res.apify_run_id.empty()) {
          out.costs["apify_run"] = res.apify_run_id;
          out.costs["apify_usage_usd"] = res.apify_usage_usd ? Json(*res.apify_usage_usd) : Json(nullptr);
          out.costs["apify_compute_units"] = res.apify_compute_units ? Json(*res.apify_compute_units) : Json(nullptr);
        }
      });
    }
  }
  // analyze
  {
    InputHasher h;
    h.add_file("selection", selection);
    if (!replays.empty()) h.add_tree("replay", replays.front());
    h.add("analyzer", opt.analyzer.value_or(""));
    h.add("native", native ? (metadata_only ? "metadata" : "content") : "no");
    const bool have_analyzer = !replays.empty() || opt.analyzer || native;
    if (!have_analyzer && !any_bucket_file(dir, "videos"))
      throw UsageError("no analyses for " + tag.name + ": pass --replay DIR (RumiAI output) or --analyzer 'CMD {url} {id} {out}'");
    if (!have_analyzer) {
      out.stages.push_back({"analyze", true, 0, Json{{"note", "no analyzer given; using the stored analyses"}}});
    } else {
      run_stage(out, cache, opt.force, "analyze", h.digest(), any_bucket_file(dir, "videos"), [&](Json& counts) {
        analyze::AnalyzeOptions ao;
        if (!replays.empty()) ao.replay_dir = replays.front();
        else if (opt.analyzer) ao.analyzer_template = opt.analyzer;
        else ao.native = true;
        ao.videos_dir = opt.videos_dir;
        ao.quiet = opt.quiet;
        ao.min_success = opt.min_success;
        // An unfinished run of the same selection resumes; one of an older selection restarts.
        if (auto unfinished = store::find_unfinished_run(db, client.id, tag.id)) {
          const Json stored = parse_json(unfinished->options_json, "analysis_runs.options_json");
          const std::string sel_sha = sha256_hex(read_file(selection));
          (stored.value("selection_sha256", "") == sel_sha ? ao.resume : ao.restart) = true;
        }
        analyze::AnalyzeRequest req{ws, db, client, tag, cfg.success_gate, ao, opt.stop};
        const auto res = analyze::analyze_hashtag(req);
        counts = {{"analyzer_runs", res.analyzer_invocations}, {"cache_hits", res.cache_hits}, {"mode", res.mode},
                  {"resumed", res.resumed}, {"gate_passed", res.gate_passed}, {"status", res.status}};
        const Json rj = res.to_json();
        if (rj.contains("videos")) analyze_timing = rj["videos"];
        double seconds = 0;
        int now_count = 0;
        for (const auto& v : res.videos)
          if (v.processed_now) seconds += v.duration_s, ++now_count;
        out.costs["analysis_seconds"] = json_number(seconds);
        out.costs["analysed_now"] = now_count;
        if (res.status == "stopped") throw Error("stopped during analysis; run the same command again to resume");
      });
    }
  }
  // The gate is checked on the stored analyses whether or not the analyze stage ran now, so a
  // rerun after failures never trains on a bucket most of whose videos are missing.
  {
    const GateCheck gate = check_success_gate(dir, opt.min_success.value_or(cfg.success_gate),
                                              opt.min_success ? "--min-success" : "config success_gate");
    out.success_gate = gate.to_json();
    if (!gate.passed) throw NotEnoughDataError(gate.failure_message(tag.name, "rumi run"));
    if (opt.min_success && *opt.min_success < cfg.success_gate)
      spdlog::warn("{}: success gate lowered to {:.0f} % by --min-success (the hashtag's is {:.0f} %)", tag.name,
                   *opt.min_success * 100, cfg.success_gate * 100);
  }
  if (opt.stop && opt.stop->load()) throw Error("stopped");
  // features
  {
    InputHasher h;
    h.add_file("selection", selection).add("schema", catalog.sha256);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.is_directory() && is_bucket_dir_name(e.path().filename().string()))
        h.add_tree(e.path().filename().string(), e.path() / "videos", "_analysis.json");
    run_stage(out, cache, opt.force, "features", h.digest(), any_bucket_file(dir, kFeaturesFileName), [&](Json& counts) {
      const auto written = features::write_features(dir);
      std::size_t rows = 0;
      for (const auto& b : written) rows += b.rows;
      counts = {{"buckets", written.size()}, {"rows", rows}, {"features", catalog.size()}};
    });
  }
  // train
  {
    InputHasher h;
    hash_bucket_files(h, dir, {kFeaturesFileName});
    h.add("seed", std::to_string(opt.seed)).add("schema", catalog.sha256).add("config", to_json(cfg).dump());
    run_stage(out, cache, opt.force, "train", h.digest(), any_bucket_file(dir, kPerformanceFileName), [&](Json& counts) {
      ml::TrainOptions to;
      to.seed = opt.seed;
      to.schema_version = catalog.version;
      to.schema_sha256 = catalog.sha256;
      to.clustering_k = cfg.clustering_k;
      to.gradient_boosting = cfg.has_model("gradient_boosting");
      const auto s = ml::train_hashtag(dir, to);
      int models = 0;
      for (const auto& b : s.buckets) models += !b.insufficient;
      counts = {{"buckets", s.buckets.size()}, {"models", models}};
    });
  }
  // patterns
  {
    InputHasher h;
    hash_bucket_files(h, dir, {kFeaturesFileName, kModelFilePrefix});
    h.add("seed", std::to_string(opt.seed)).add("schema", catalog.sha256);
    run_stage(out, cache, opt.force, "patterns", h.digest(), any_bucket_file(dir, kPatternsFilePrefix), [&](Json& counts) {
      stats::PatternOptions po;
      po.seed = opt.seed;
      const auto s = insights::run_patterns_stage(dir, catalog.features, po, tag.name);
      int strong = 0, moderate = 0;
      for (const auto& b : s.buckets) {
        strong += b.strong;
        moderate += b.moderate;
      }
      counts = {{"buckets", s.buckets.size()}, {"strong", strong}, {"moderate", moderate}};
    });
  }
  // reports
  out.reports_dir = ws.reports_dir(client.slug, tag.slug, opt.report_date);
  {
    const report::PatternValidations validations = report_validations(db, client.id, tag.id);
    InputHasher h;
    hash_bucket_files(h, dir, {kPatternsFilePrefix, kPerformanceFileName, kModelFilePrefix});
    h.add_file("selection", selection).add("date", opt.report_date).add("formats", opt.formats);
    h.add("names", client.name + "\n" + tag.name);
    h.add("llm", opt.llm);
    std::string validation_state;  // a Billo test result changes what the reports may say
    for (const auto& [feature, v] : validations) validation_state += feature + "=" + v.status + "\n";
    h.add("validations", validation_state);
    // The briefs print the brand inputs (and the logo): a changed USP must rewrite them.
    const config::BrandInputs brand = config::effective_brand(client, &tag);
    h.add("brand", config::to_json(brand).dump());
    if (!brand.logo.empty() && fs::exists(brand.logo)) h.add_file("logo", brand.logo);
    run_stage(out, cache, opt.force, "report", h.digest(), fs::exists(out.reports_dir), [&](Json& counts) {
      report::ReportOptions ro;
      ro.brand = brand;
      ro.date = opt.report_date;
      ro.formats = report::parse_formats(opt.formats);
      ro.client = client.name;
      ro.hashtag = tag.name;
      ro.seed = opt.seed;
      ro.validations = validations;
      ro.llm = opt.llm;
      const auto s = report::write_reports(dir, ro);
      counts = {{"files", s.files.size()}, {"strategies", s.strategies}, {"pdfs", s.pdfs.size()}};
      if (!opt.llm.empty()) {
        out.costs["llm_calls"] = s.llm_calls;
        out.costs["llm_input_tokens"] = s.llm_input_tokens;
        out.costs["llm_output_tokens"] = s.llm_output_tokens;
      }
    });
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out.reports_dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (it->path().extension() == ".pdf") out.pdfs.push_back(it->path());
    if (it->path().extension() == ".md" && it->path().parent_path() == out.reports_dir) out.markdown.push_back(it->path());
  }
  std::sort(out.pdfs.begin(), out.pdfs.end());
  std::sort(out.markdown.begin(), out.markdown.end());
  collect_bucket_lines(out, dir);

  Json manifest{{"format", "rumi-run-manifest"},
                {"format_version", 1},
                {"run_id", run_id},
                {"rumi_version", rumi_version_string()},
                {"dependencies", dependency_versions()},
                {"seed", opt.seed},
                {"config_sha256", config_sha},
                {"command", redact_secrets(opt.command_line)},
                {"client", client.slug},
                {"hashtag", tag.name},
                {"started_at", started},
                {"finished_at", format_iso8601_utc(now_unix())},
                {"inputs", input_files_json(imports, replays)},
                {"stages", stages_json(out.stages)},
                {"analysis_videos", analyze_timing},
                {"costs", out.costs},
                {"success_gate", out.success_gate},
                {"buckets", buckets_json(out.buckets)},
                {"reports_dir", out.reports_dir.string()},
                {"status", out.status},
                {"exit_code", out.exit_code}};
  out.manifest_path = ws.runs_dir(client.slug, tag.slug) / safe_run_id(run_id) / "manifest.json";
  write_json_atomic(out.manifest_path, manifest);
}

}  // namespace

RunResult run_pipeline(const Workspace& ws, const RunOptions& opt) {
  const auto t0 = Clock::now();
  RunResult result;
  result.run_id = new_run_id();
  const auto started = format_iso8601_utc(now_unix());
  const config::ConfigFile cfg = config::load_config_file(opt.config_file);
  for (const auto& w : cfg.warnings) spdlog::warn("{}", w);
  for (const auto& group : {opt.imports, opt.replays})
    for (const auto& t : group) {
      std::error_code ec;
      if (!fs::exists(t.path, ec)) throw InputError(t.path.string(), "", "", "does not exist");
      if (t.hashtag_slug) {
        bool known = false;
        for (const auto& c : cfg.clients)
          for (const auto& h : c.hashtags) known |= h.slug == *t.hashtag_slug;
        if (!known) throw UsageError("'" + *t.hashtag_slug + "=" + t.path.string() + "' names a hashtag that is not in " + opt.config_file.string());
      }
    }
  const std::string config_sha = sha256_file(opt.config_file);
  store::Database db = store::init_workspace(ws);
  const fs::path run_dir = ws.global_runs_dir() / safe_run_id(result.run_id);
  ensure_directory(run_dir);
  add_log_file(run_dir / "log.txt");
  const auto apply = config::apply_config(db, cfg);
  for (const auto& c : apply.changes) spdlog::info("config: {}", c);
  store::begin_run(db, result.run_id, redact_secrets(opt.command_line), started);

  for (const auto& c : cfg.clients) {
    for (const auto& h : c.hashtags) {
      HashtagOutcome out;
      out.client_name = c.name;
      out.client_slug = c.slug;
      out.hashtag_name = h.name;
      out.hashtag_slug = h.slug;
      if (opt.stop && opt.stop->load()) {
        out.status = "stopped";
        out.exit_code = 1;
      } else {
        try {
          run_hashtag(ws, db, opt, result.run_id, config_sha, HashtagJob{&c, &h}, out);
        } catch (const Error& e) {
          out.status = (opt.stop && opt.stop->load()) ? "stopped" : e.code() == ExitCode::not_enough_data ? "not_enough_data" : "failed";
          out.error = e.what();
          out.exit_code = static_cast<int>(e.code());
          spdlog::error("{} / {}: {}", c.name, h.name, redact_secrets(e.what()));
        }
      }
      if (out.exit_code != 0 && result.exit_code == 0) result.exit_code = out.exit_code;
      result.hashtags.push_back(std::move(out));
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  result.manifest_path = run_dir / "manifest.json";
  Json manifest = result.to_json();
  manifest["format"] = "rumi-run-manifest";
  manifest["format_version"] = 1;
  manifest["rumi_version"] = rumi_version_string();
  manifest["dependencies"] = dependency_versions();
  manifest["seed"] = opt.seed;
  manifest["config"] = {{"path", fs::absolute(opt.config_file).string()}, {"sha256", config_sha}};
  manifest["command"] = redact_secrets(opt.command_line);
  manifest["started_at"] = started;
  manifest["finished_at"] = format_iso8601_utc(now_unix());
  write_json_atomic(result.manifest_path, manifest);
  store::finish_run(db, result.run_id, format_iso8601_utc(now_unix()),
                    result.exit_code == 0 ? std::string("ok") : "exit " + std::to_string(result.exit_code),
                    result.manifest_path.string());
  return result;
}

Json RunResult::to_json() const {
  Json tags = Json::array();
  for (const auto& h : hashtags) {
    Json pdfs = Json::array(), md = Json::array();
    for (const auto& p : h.pdfs) pdfs.push_back(p.string());
    for (const auto& p : h.markdown) md.push_back(p.string());
    tags.push_back({{"client", h.client_name},
                    {"client_slug", h.client_slug},
                    {"hashtag", h.hashtag_name},
                    {"status", h.status},
                    {"error", redact_secrets(h.error)},
                    {"exit_code", h.exit_code},
                    {"success_gate", h.success_gate},
                    {"costs", h.costs},
                    {"stages", stages_json(h.stages)},
                    {"buckets", buckets_json(h.buckets)},
                    {"reports_dir", h.reports_dir.string()},
                    {"manifest", h.manifest_path.string()},
                    {"pdfs", pdfs},
                    {"markdown", md}});
  }
  return Json{{"run_id", run_id}, {"exit_code", exit_code}, {"seconds", seconds}, {"hashtags", tags},
              {"manifest", manifest_path.string()}};
}

std::string RunResult::summary_table() const {
  std::ostringstream s;
  for (const auto& h : hashtags) {
    s << "\n" << h.client_name << " / " << h.hashtag_name << "  [" << h.status << "]\n";
    if (!h.error.empty()) s << "  error: " << redact_secrets(h.error) << "\n";
    if (!h.stages.empty()) {
      s << "  stages:";
      for (const auto& st : h.stages) s << fmt::format(" {} {}", st.stage, st.skipped ? "(skipped)" : fmt::format("{:.1f}s", st.seconds));
      s << "\n";
    }
    if (!h.buckets.empty()) {
      s << fmt::format("  {:<9} {:>6}  {:>9}  {:>9}  {:>6}  {:>8}  {:>8}\n", "bucket", "videos", "forest R2", "baseline", "STRONG",
                       "MODERATE", "EMERGING");
      for (const auto& b : h.buckets) {
        auto r2 = [](const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : std::string("-"); };
        s << fmt::format("  {:<9} {:>6}  {:>9}  {:>9}  {:>6}  {:>8}  {:>8}{}\n", b.bucket, b.videos,
                         b.insufficient ? "INSUFF." : r2(b.forest_r2), r2(b.baseline_r2), b.strong, b.moderate, b.emerging,
                         b.insufficient ? "  (INSUFFICIENT DATA: < 20 videos, no model)" : b.exploratory ? "  (exploratory)" : "");
      }
    }
    if (!h.costs.empty()) {
      s << "  costs:";
      if (h.costs.contains("apify_run"))
        s << (h.costs["apify_usage_usd"].is_number()
                  ? fmt::format(" Apify ${:.4f}", h.costs["apify_usage_usd"].get<double>())
                  : std::string(" Apify cost not reported"));
      if (h.costs.contains("analysis_seconds"))
        s << fmt::format(" analysis {:.1f}s for {} video(s)", h.costs["analysis_seconds"].get<double>(),
                         h.costs.value("analysed_now", 0));
      if (h.costs.contains("llm_calls"))
        s << fmt::format(" LLM {} call(s), {} input and {} output tokens", h.costs["llm_calls"].get<long>(),
                         h.costs["llm_input_tokens"].get<long>(), h.costs["llm_output_tokens"].get<long>());
      s << "\n";
    }
    if (!h.reports_dir.empty()) s << "  reports: " << h.reports_dir.string() << "\n";
  }
  s << fmt::format("\nrun {} finished in {:.1f}s; manifest {}\n", run_id, seconds, manifest_path.string());
  return s.str();
}

}  // namespace rumi::pipeline
