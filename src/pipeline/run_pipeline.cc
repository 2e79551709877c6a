#include "pipeline/run_pipeline.h"

#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <simdjson.h>

#include "config/apply.h"
#include "config/config_file.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/pattern.h"
#include "core/sha256.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "pipeline/hashtag_stages.h"
#include "pipeline/stage_cache.h"
#include "pipeline/versions.h"
#include "report/client_report.h"
#include "report/write_reports.h"
#include "store/checkpoints.h"
#include "store/clients.h"
#include "store/runs.h"
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

// cv.models.baseline.r2 of a model file, read with simdjson: the file is ~2 MB (trees and SHAP
// values) and only this number is needed; a DOM parse of every model cost ~0.1 s per hashtag.
std::optional<double> model_baseline_r2(const fs::path& model) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.load(model.string()).get(doc) != simdjson::SUCCESS)
    throw InputError(model.string(), "", "", "not a JSON document");
  double r2 = 0;
  if (doc.at_pointer("/cv/models/baseline/r2").get_double().get(r2) != simdjson::SUCCESS) return std::nullopt;
  return r2;
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
      if (fs::exists(files.model, ec)) line.baseline_r2 = model_baseline_r2(files.model);
      const fs::path& patterns = files.patterns;
      if (fs::exists(patterns, ec)) {
        const Json pj = read_json_file(patterns);
        for (const auto& pattern : pj.value("patterns", Json::array())) {
          const auto ev = find_enum(kEvidenceNames, pattern.value("evidence", ""));
          line.strong += ev == Evidence::strong;
          line.moderate += ev == Evidence::moderate;
          line.emerging += ev == Evidence::emerging;
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
  for (const auto& f : imports)
    files.push_back({{"path", fs::absolute(f).string()}, {"role", "import"}, {"sha256", sha256_file(f)}});
  for (const auto& d : replays) {
    std::error_code ec;
    std::vector<fs::path> all;
    for (auto it = fs::recursive_directory_iterator(d, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file()) all.push_back(it->path());
    std::sort(all.begin(), all.end());
    for (const auto& f : all)
      files.push_back({{"path", fs::absolute(f).string()}, {"role", "replay"}, {"sha256", sha256_file(f)}});
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

// What is decided about a hashtag before its first stage: its folders, its inputs, and which
// analyzer runs. Native without video files analyses captions and posting data: that costs
// nothing, so every eligible video is selected (design "all") instead of a videos_per_segment
// sample. With no analyzer named, native is the default for a hashtag with nothing analysed yet
// or whose last analysis was native; otherwise the stored analyses are used as they are.
HashtagRun prepare_hashtag_run(const Workspace& ws, store::Database& db, const RunOptions& opt, const HashtagJob& job,
                               HashtagOutcome& out) {
  const auto client = *store::find_client(db, job.client->slug);
  const auto tag = *store::find_hashtag(db, client.id, job.hashtag->slug);
  const fs::path dir = ws.hashtag_dir(client.slug, tag.slug);
  HashtagRun r{ws,
               db,
               opt,
               client,
               tag,
               dir,
               dir / "acquisition" / "selection.json",
               paths_for(opt.imports, tag.slug),
               paths_for(opt.replays, tag.slug),
               job.hashtag->analysis,
               false,
               false,
               Json::array(),
               StageCache(dir),
               out,
               {},
               {}};
  if (r.replays.size() > 1) throw UsageError("more than one --replay directory for " + tag.name);
  bool last_native = false;
  if (auto last = store::find_latest_run(db, client.id, tag.id))
    last_native = parse_json(last->options_json, "analysis_runs.options_json").value("native", false);
  r.native = opt.native || (r.replays.empty() && !opt.analyzer && (last_native || !any_bucket_file(dir, "videos")));
  r.metadata_only = r.native && !opt.videos_dir && !opt.download;
  if (r.metadata_only) r.cfg.selection.design = config::SelectionDesign::all;
  out.reports_dir = ws.reports_dir(client.slug, tag.slug, opt.report_date);
  return r;
}

void collect_report_files(HashtagOutcome& out) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out.reports_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (it->path().extension() == ".pdf") out.pdfs.push_back(it->path());
    if (it->path().extension() == ".md" && it->path().parent_path() == out.reports_dir)
      out.markdown.push_back(it->path());
  }
  std::sort(out.pdfs.begin(), out.pdfs.end());
  std::sort(out.markdown.begin(), out.markdown.end());
}

void write_hashtag_manifest(const HashtagRun& r, const std::string& run_id, const std::string& config_sha,
                            const std::string& started) {
  HashtagOutcome& out = r.out;
  Json manifest{{"format", "rumi-run-manifest"},
                {"format_version", 1},
                {"run_id", run_id},
                {"rumi_version", rumi_version_string()},
                {"dependencies", dependency_versions()},
                {"seed", r.opt.seed},
                {"config_sha256", config_sha},
                {"command", redact_secrets(r.opt.command_line)},
                {"client", r.client.slug},
                {"hashtag", r.tag.name},
                {"started_at", started},
                {"finished_at", format_iso8601_utc(now_unix())},
                {"inputs", input_files_json(r.imports, r.replays)},
                {"stages", stages_json(out.stages)},
                {"analysis_videos", r.analyze_timing},
                {"costs", out.costs},
                {"success_gate", out.success_gate},
                {"buckets", buckets_json(out.buckets)},
                {"reports_dir", out.reports_dir.string()},
                {"status", out.status},
                {"exit_code", out.exit_code}};
  out.manifest_path = r.ws.runs_dir(r.client.slug, r.tag.slug) / safe_run_id(run_id) / "manifest.json";
  write_json_atomic(out.manifest_path, manifest);
}

// The client view across its hashtags, from the reports just written (report/client_report.h).
// A client none of whose hashtags was reported (every one failed) gets a warning, not an error:
// the hashtags' own failures are already the run's outcome.
void write_client_view(const Workspace& ws, const config::ClientSpec& c, const RunOptions& opt, RunResult& result) {
  if (opt.stop && opt.stop->load()) return;
  try {
    report::ClientReportOptions co;
    co.client = c.name;
    co.date = opt.report_date;
    co.formats = report::parse_formats(opt.formats);
    co.agency = c.brief.agency;
    for (const auto& h : c.hashtags) co.hashtags.push_back({h.slug, h.name});
    result.client_reports[c.name] = report::write_client_report(ws, c.slug, co).dir;
  } catch (const Error& e) {
    spdlog::warn("{}: client report not written: {}", c.name, e.what());
  }
}

// One hashtag through every stage of the table (pipeline/hashtag_stages.h), then its manifest.
void run_hashtag(const Workspace& ws, store::Database& db, const RunOptions& opt, const std::string& run_id,
                 const std::string& config_sha, const HashtagJob& job, HashtagOutcome& out) {
  const auto started = format_iso8601_utc(now_unix());
  HashtagRun run = prepare_hashtag_run(ws, db, opt, job, out);
  spdlog::info("{} / {}:", run.client.name, run.tag.name);
  for (const StageDescriptor& stage : hashtag_stages()) run_hashtag_stage(run, stage);
  collect_report_files(out);
  collect_bucket_lines(out, run.dir);
  write_hashtag_manifest(run, run_id, config_sha, started);
}

}  // namespace

RunResult run_pipeline(const Workspace& ws, const RunOptions& options) {
  const auto t0 = Clock::now();
  RunOptions opt = options;
  if (!opt.now) opt.now = now_unix();
  RunResult result;
  result.run_id = new_run_id();
  const auto started = format_iso8601_utc(*opt.now);
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
        if (!known)
          throw UsageError("'" + *t.hashtag_slug + "=" + t.path.string() + "' names a hashtag that is not in " +
                           opt.config_file.string());
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
          out.status = (opt.stop && opt.stop->load())          ? "stopped"
                       : e.code() == ExitCode::not_enough_data ? "not_enough_data"
                                                               : "failed";
          out.error = e.what();
          out.exit_code = static_cast<int>(e.code());
          spdlog::error("{} / {}: {}", c.name, h.name, redact_secrets(e.what()));
        }
      }
      if (out.exit_code != 0 && result.exit_code == 0) result.exit_code = out.exit_code;
      result.hashtags.push_back(std::move(out));
    }
    write_client_view(ws, c, opt, result);
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
  Json clients = Json::object();
  for (const auto& [name, dir] : client_reports) clients[name] = dir.string();
  return Json{{"run_id", run_id}, {"exit_code", exit_code},    {"seconds", seconds},
              {"hashtags", tags}, {"client_reports", clients}, {"manifest", manifest_path.string()}};
}

std::string RunResult::summary_table() const {
  std::ostringstream s;
  for (const auto& h : hashtags) {
    s << "\n" << h.client_name << " / " << h.hashtag_name << "  [" << h.status << "]\n";
    if (!h.error.empty()) s << "  error: " << redact_secrets(h.error) << "\n";
    if (!h.stages.empty()) {
      s << "  stages:";
      for (const auto& st : h.stages)
        s << fmt::format(" {} {}", st.stage, st.skipped ? "(skipped)" : fmt::format("{:.1f}s", st.seconds));
      s << "\n";
    }
    if (!h.buckets.empty()) {
      s << fmt::format("  {:<9} {:>6}  {:>9}  {:>9}  {:>6}  {:>8}  {:>8}\n", "bucket", "videos", "forest R2",
                       "baseline", "STRONG", "MODERATE", "EMERGING");
      for (const auto& b : h.buckets) {
        auto r2 = [](const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : std::string("-"); };
        s << fmt::format("  {:<9} {:>6}  {:>9}  {:>9}  {:>6}  {:>8}  {:>8}{}\n", b.bucket, b.videos,
                         b.insufficient ? "INSUFF." : r2(b.forest_r2), r2(b.baseline_r2), b.strong, b.moderate,
                         b.emerging,
                         b.insufficient  ? "  (INSUFFICIENT DATA: < 20 videos, no model)"
                         : b.exploratory ? "  (exploratory)"
                                         : "");
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
  for (const auto& [name, dir] : client_reports)
    s << "\n" << name << ": client report across hashtags in " << dir.string() << "\n";
  s << fmt::format("\nrun {} finished in {:.1f}s; manifest {}\n", run_id, seconds, manifest_path.string());
  return s.str();
}

}  // namespace rumi::pipeline
