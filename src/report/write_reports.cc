#include "report/write_reports.h"

#include <fmt/format.h>
#include <map>
#include <set>

#include "config/apply.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/ownership_notice.h"
#include "core/time_util.h"
#include "core/workspace.h"
#include "insights/bucket_performance.h"
#include "report/analyst_appendix.h"
#include "report/creative_guide.h"
#include "report/html_dashboard.h"
#include "report/html_index.h"
#include "report/llm_rewrite.h"
#include "report/report_inputs.h"
#include "report/strategies.h"
#include "report/wording.h"
#include "store/workspace_store.h"

namespace rumi::report {

namespace fs = std::filesystem;

namespace {

bool valid_date(std::string_view d) { return d.size() == 10 && parse_iso8601_utc(d).has_value(); }

// Files this stage owns in a report folder; removed before a re-run so no stale strategy from an
// earlier, larger run survives next to the new ones.
bool is_owned_output(const fs::path& p) {
  const std::string n = p.filename().string();
  return n.rfind("Billo_Creative_Brief_", 0) == 0 || n.rfind("Affiliate_Creative_Brief_", 0) == 0 ||
         n.rfind("creative_guide_", 0) == 0 || n == kLearnNextFile || n == kAnalystAppendixFile;
}

}  // namespace

std::optional<config::BrandInputs> stored_brand_for(const fs::path& hashtag_dir) {
  const auto records = store::open_hashtag_of_dir(hashtag_dir);
  if (!records) return std::nullopt;
  return config::effective_brand(records->client, &records->hashtag);
}

std::set<std::string> parse_formats(std::string_view list) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string f(list.substr(start, end - start));
    if (!f.empty()) {
      if (f != "json" && f != "md" && f != "pdf" && f != "html")
        throw UsageError("--formats: unknown format '" + f + "' (expected json, md, pdf, html)");
      out.insert(f);
    }
    start = end + 1;
  }
  if (out.empty()) throw UsageError("--formats: no format given (expected json, md, pdf, html)");
  return out;
}

Json ReportSummary::to_json() const {
  Json files_j = Json::array();
  for (const auto& f : files) files_j.push_back(f.string());
  Json pdfs_j = Json::array();
  for (const auto& p : pdfs)
    pdfs_j.push_back(
        Json{{"path", p.path.string()}, {"pages", p.pages}, {"truncated", p.truncated}, {"cut_short", p.cut_short}});
  return Json{
      {"dir", dir.string()},
      {"files", files_j},
      {"buckets", buckets},
      {"strategies", strategies},
      {"strategy_shortfall", strategy_shortfall.empty() ? Json(nullptr) : Json(strategy_shortfall)},
      {"affiliate_briefs", affiliate_briefs},
      {"rejected_patterns", rejected_patterns},
      {"missing_brand_inputs", missing_brand_inputs},
      {"pdfs", pdfs_j},
      {"llm", Json{{"calls", llm_calls}, {"input_tokens", llm_input_tokens}, {"output_tokens", llm_output_tokens}}}};
}

namespace {

// One report run: its inputs, the ownership notice and brand, and what the phases have written
// so far. Phases append to `sum.files` in write order, the order of the summary's file list.
struct ReportRun {
  const fs::path& hashtag_dir;
  const ReportOptions& opt;
  HashtagInputs in;
  ReportSummary sum;
  config::BrandInputs brand;  // empty fields are named as missing in the briefs, never filled in
  std::string notice;         // ends every client-facing file (core/ownership_notice.h)
  std::vector<std::string> notes;
  // The guides, learn-next, appendix and strategy files go through one batch (core/file_io.h:
  // each file still atomic and durable, fsyncs overlapped, one directory fsync per folder);
  // commit() runs before anything that reads the folder back (PDFs, dashboard links).
  AtomicWriteBatch batch;

  bool wants(const char* format) const { return opt.formats.count(format) > 0; }
  void write(const fs::path& p, std::string_view content) {
    batch.add(p, content);
    sum.files.push_back(p);
  }
  Json with_notice(Json j) const {
    j["ownership_notice"] = notice;
    return j;
  }
};

void check_options(const ReportOptions& opt) {
  if (!opt.llm.empty() && opt.llm != "anthropic") throw UsageError("--llm: only 'anthropic' is supported");
  if (!valid_date(opt.date)) throw UsageError("report date must be YYYY-MM-DD, got '" + opt.date + "'");
  for (const auto& f : opt.formats)
    if (f != "json" && f != "md" && f != "pdf" && f != "html") throw UsageError("unknown report format '" + f + "'");
}

HashtagInputs load_inputs(const fs::path& hashtag_dir, const ReportOptions& opt) {
  HashtagInputs in = load_hashtag_inputs(hashtag_dir);
  apply_pattern_validations(in, opt.validations);
  if (in.buckets.empty())
    throw NotEnoughDataError("no bucket results under " + hashtag_dir.string() +
                             ": run training and pattern finding before writing reports");
  return in;
}

// reports/<date>/ and its strategies/ folder, emptied of this stage's earlier outputs.
void prepare_report_folder(ReportRun& run) {
  run.sum.dir = run.hashtag_dir / "reports" / run.opt.date;
  run.sum.buckets = static_cast<int>(run.in.buckets.size());
  ensure_directory(run.sum.dir);
  ensure_directory(run.sum.dir / "strategies");
  for (const fs::path& d : {run.sum.dir, run.sum.dir / "strategies"})
    for (const auto& e : fs::directory_iterator(d)) {
      const std::string n = e.path().filename().string();
      if (e.is_regular_file() && (is_owned_output(e.path()) || n.rfind("strategy_", 0) == 0)) fs::remove(e.path());
    }
}

// The caller's brand inputs, else the workspace's; the notice names the brief's agency.
void resolve_brand(ReportRun& run) {
  const std::optional<config::BrandInputs> stored = run.opt.brand ? run.opt.brand : stored_brand_for(run.hashtag_dir);
  run.notice = ownership_notice(run.opt.client, stored ? stored->agency : std::string());
  run.brand = stored.value_or(config::BrandInputs{});
}

// A guide per bucket; the index's notes start with the data basis, then each bucket's gaps.
void write_guides(ReportRun& run) {
  if (run.in.metadata_only) run.notes.emplace_back(kMetadataOnlyNote);
  if (run.in.native_content) run.notes.emplace_back(kNativeContentNote);
  for (const auto& b : run.in.buckets) {
    const CreativeGuide g = build_creative_guide(b, run.opt.hashtag);
    const std::string name(bucket_name(b.bucket));
    if (run.wants("json"))
      run.write(run.sum.dir / ("creative_guide_" + name + ".json"), dump_json(run.with_notice(g.json)));
    if (run.wants("md"))
      run.write(run.sum.dir / ("creative_guide_" + name + ".md"), g.markdown + "\n" + run.notice + "\n");
    if (b.insufficient) run.notes.push_back(fmt::format("{}: insufficient data ({} videos).", name, b.sample_size));
    for (const auto& p : b.rejected) {
      const auto* v = find_validation(run.in.validations, p.feature);
      run.notes.push_back(
          fmt::format("{}: tested and rejected \u2014 {} ({}); left out of the guide and the strategies.", name,
                      capitalize(pattern_subject(p)), v ? v->phrase : std::string("rejected")));
      ++run.sum.rejected_patterns;
    }
  }
}

void write_learn_next(ReportRun& run) {
  if (!run.wants("md")) return;
  run.write(run.sum.dir / std::string(kLearnNextFile),
            learn_next_markdown(run.in, run.opt.hashtag) + "\n" + run.notice + "\n");
  run.write(run.sum.dir / std::string(kAnalystAppendixFile), analyst_appendix_markdown(run.in, run.opt.hashtag));
}

// With --llm, the strategy text polished by the model (numbers verified there); its cost is
// counted either way, and the template text is kept when the rewrite is not used.
std::string polished(ReportRun& run, const Strategy& s, std::string md) {
  if (run.opt.llm != "anthropic") return md;
  LlmResult r = rewrite_with_anthropic(md);
  ++run.sum.llm_calls;
  run.sum.llm_input_tokens += r.input_tokens;
  run.sum.llm_output_tokens += r.output_tokens;
  if (!r.rewritten) spdlog::warn("{}: LLM rewrite not used ({}); template text kept", s.id, r.fallback_reason);
  return std::move(r.text);
}

// strategies/index.json: the strategies in rank order, and the rule they were built by.
void write_strategy_index(ReportRun& run, const StrategySet& set, const Json& index) {
  std::size_t hypotheses = 0;
  for (const auto& b : run.in.buckets) hypotheses += b.hypotheses.size();
  std::string evidence_rule =
      "strategies are built only from STRONG or MODERATE elements; hypotheses to test (EMERGING) are listed in ";
  evidence_rule += kLearnNextFile;
  // Significant elements no strategy is built on (did not hold up on held-out videos, or point
  // against a better-evidenced one), with the reason: strategies.h.
  Json held = Json::array();
  for (const auto& h : set.learn_next)
    held.push_back(Json{{"bucket", bucket_name(h.bucket)},
                        {"feature", h.pattern.feature},
                        {"reason", h.reason},
                        {"text", held_back_line(h)}});
  const int briefs = run.sum.affiliate_briefs;
  run.write(run.sum.dir / "strategies" / "index.json",
            dump_json(Json{
                {"format", "rumi-strategies"},
                {"format_version", 1},
                {"hashtag", hashtag_tag(run.opt.hashtag)},
                {"count", set.strategies.size()},
                {"shortfall", set.shortfall.empty() ? Json(nullptr) : Json(set.shortfall)},
                {"evidence_rule", evidence_rule},
                {"hypotheses_to_test", hypotheses},
                {"held_back", held},
                {"affiliate_briefs", briefs},
                {"affiliate_briefs_note", briefs == 0 ? Json(std::string(kAffiliateBriefsPending)) : Json(nullptr)},
                {"strategies", index}}));
}

void write_strategies(ReportRun& run, const StrategySet& set) {
  run.sum.strategies = static_cast<int>(set.strategies.size());
  run.sum.strategy_shortfall = set.shortfall;
  if (!set.shortfall.empty()) run.notes.push_back(set.shortfall);
  for (const auto& s : set.strategies) run.sum.affiliate_briefs += s.proven ? 1 : 0;
  if (!set.strategies.empty() && run.sum.affiliate_briefs == 0) run.notes.emplace_back(kAffiliateBriefsPending);
  Json index = Json::array();
  for (const auto& s : set.strategies) {
    if (run.wants("json"))
      run.write(run.sum.dir / "strategies" / (s.id + ".json"),
                dump_json(run.with_notice(strategy_json(s, run.opt.hashtag))));
    if (run.wants("md"))
      run.write(run.sum.dir / "strategies" / (s.id + ".md"),
                polished(run, s, strategy_markdown(s, run.opt.hashtag)) + "\n" + run.notice + "\n");
    index.push_back(Json{{"id", s.id},
                         {"title", s.title},
                         {"theme", strategy_theme_id(s.theme)},
                         {"bucket", bucket_name(s.bucket)},
                         {"evidence", evidence_name(s.primary.evidence)},
                         {"validated", s.proven}});
  }
  if (run.wants("json")) write_strategy_index(run, set, index);
}

// Missing brand inputs are warned about here and named in the briefs; nothing is filled in.
void warn_missing_brand_inputs(ReportRun& run, const StrategySet& set) {
  for (const auto& m : config::missing_brand_fields(run.brand)) run.sum.missing_brand_inputs.push_back(m);
  if (run.sum.missing_brand_inputs.empty() || set.strategies.empty()) return;
  std::string labels;
  for (const auto& m : run.sum.missing_brand_inputs)
    labels += (labels.empty() ? "" : ", ") + config::brand_field_label(m);
  spdlog::warn(
      "{}: the creator briefs lack brand inputs: {}. Add them under 'brief:' in the config (docs/config.md) "
      "and run 'rumi config apply'; the briefs say what is missing.",
      hashtag_tag(run.opt.hashtag), labels);
  run.notes.push_back("The creator briefs lack brand inputs: " + labels + ".");
}

void record_pdf(ReportRun& run, PdfResult r) {
  run.sum.files.push_back(r.path);
  if (r.truncated)
    spdlog::warn("{}: content beyond {} pages was cut (it is in the Markdown/JSON)", r.path.string(), kMaxPdfPages);
  run.sum.pdfs.push_back(std::move(r));
}

// The still of each strategy's example video whose file is on disk (report/example_cover.h),
// by video id; each file is read once. A reader error costs the still, not the brief.
std::map<std::string, CoverFrame> example_covers(const ReportRun& run, const StrategySet& set) {
  std::map<std::string, CoverFrame> out;
  if (!run.opt.cover_frame) return out;
  const std::vector<fs::path> dirs = example_video_dirs(run.hashtag_dir, run.opt.video_dirs);
  if (dirs.empty()) return out;
  std::set<std::string> tried;
  for (const auto& s : set.strategies) {
    const BucketInputs* b = run.in.find(s.bucket);
    if (!b) continue;
    const auto it = b->examples.find(s.primary.feature);
    if (it == b->examples.end() || !tried.insert(it->second.video_id).second) continue;
    const auto file = example_video_file(dirs, run.hashtag_dir, s.bucket, it->second.video_id);
    if (!file) continue;
    try {
      if (auto f = run.opt.cover_frame(*file); f && f->valid()) out.emplace(it->second.video_id, std::move(*f));
    } catch (const std::exception& e) {
      spdlog::warn("{}: no still of the brief's example video: {}", file->string(), e.what());
    }
  }
  return out;
}

// The client report, a Billo brief per strategy, and an affiliate brief per proven strategy
// (only strategies Billo tests have proven go to affiliates).
void write_pdfs(ReportRun& run, const StrategySet& set) {
  run.in.llm_input_tokens = run.sum.llm_input_tokens;  // the client report states what --llm cost
  run.in.llm_output_tokens = run.sum.llm_output_tokens;
  if (!run.wants("pdf")) return;
  const ReportMeta meta{run.opt.client, run.opt.hashtag, run.opt.date, run.brand, example_covers(run, set)};
  const fs::path& dir = run.sum.dir;
  // The PDF points to the dashboard for what its page budget leaves out, when one is written.
  record_pdf(run, write_client_report_pdf(dir / "Client_Strategy_Report.pdf", run.in, set, meta,
                                          run.wants("html") ? kDashboardFile : std::string_view{}));
  for (const auto& s : set.strategies) {
    record_pdf(run, write_creator_brief_pdf(dir / ("Billo_Creative_Brief_" + s.id + ".pdf"), run.in, s, meta,
                                            Audience::billo));
    if (s.proven)
      record_pdf(run, write_creator_brief_pdf(dir / ("Affiliate_Creative_Brief_" + s.id + ".pdf"), run.in, s, meta,
                                              Audience::affiliate));
  }
}

// Bucket performance report and strategic summary (insights stage). A failure there must not
// cost the client the guides and PDFs, so it is logged and the index simply omits it.
void write_performance_summary(ReportRun& run) {
  if (run.wants("json") || run.wants("md")) {
    try {
      insights::write_bucket_performance_report(run.hashtag_dir, run.sum.dir,
                                                insights::BucketReportNames{run.opt.client, run.opt.hashtag});
    } catch (const Error& e) {
      spdlog::warn("bucket performance report not written: {}", e.what());
    }
  }
  for (const char* extra : {"bucket_performance_report.md", "bucket_performance_report.json", "strategic_summary.json"})
    if (fs::exists(run.sum.dir / extra)) {
      run.sum.files.push_back(run.sum.dir / extra);
    }
}

// The dashboard (report/html_dashboard.h), written last so it links to everything above.
void write_index_page(ReportRun& run, const StrategySet& set) {
  if (!run.wants("html")) return;
  const fs::path p = run.sum.dir / "index.html";
  write_file_atomic(p, render_hashtag_dashboard({run.in, set, run.opt.client, run.opt.hashtag, run.opt.date, run.notes,
                                                 run.notice, run.sum.dir}));
  run.sum.files.push_back(p);
}

}  // namespace

ReportSummary write_reports(const fs::path& hashtag_dir, const ReportOptions& opt) {
  check_options(opt);
  ReportRun run{hashtag_dir, opt, load_inputs(hashtag_dir, opt), {}, {}, {}, {}, {}};
  prepare_report_folder(run);
  resolve_brand(run);
  write_guides(run);
  write_learn_next(run);
  const StrategySet set = build_strategies(run.in);
  write_strategies(run, set);
  run.batch.commit();
  warn_missing_brand_inputs(run, set);
  write_performance_summary(run);  // before the PDFs: the client PDF's ranking chart reads its tiers
  write_pdfs(run, set);
  write_index_page(run, set);
  return std::move(run.sum);
}

}  // namespace rumi::report
